package pack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Model holds every constant of the PackedPolicySize estimator. The zero value
// is not usable; start from [DefaultModel], [LoadModel] or [Fit].
//
// The estimator has two regimes, chosen the way STS chooses its error message,
// and one budget:
//
//   - Tags regime (neither policy nor policy ARNs): tags are stored raw. The
//     estimate is the sum over tags (session tags, then inherited transitive
//     tags) of (key bytes + value bytes + TagOverheadBytes) / TagBytesPerPercent.
//   - Policy regime (a session policy or at least one policy ARN): the
//     minified policy is compressed with raw DEFLATE (klauspost/compress's
//     stateless encoder) with Dictionary preset; then the policy ARNs and the
//     tag keys and values, concatenated, are compressed with the dictionary
//     and the policy before them preset. The estimate is
//     (policy bytes + ActionBytes × Action entries) / BytesPerPercent +
//     (ARN and tag bytes) / TagBytesPerPercent.
//
// TagBytesPerPercent is the budget: about 4.6 packed bytes per percent, for raw
// tags and for everything compressed beside the policy alike. The policy has
// its own rate because DEFLATE's size is only a proxy for the size of STS's
// packed policy.
//
// The band around the unrounded estimate r of a request whose policy has n
// Action and NotAction entries is r ± (BandAbsolute + BandRelative × r +
// BandPerAction × n). docs/packed-size.md explains where each value comes from.
type Model struct {
	// Version names the model in estimates and reports: ModelVersion, or
	// ModelVersion followed by "+" and a label ("pack-model/2+fit").
	Version string `json:"version"`
	// Dictionary is the DEFLATE preset dictionary: vocabulary the packed
	// format is assumed to encode cheaply (at most 8 KiB, the most the
	// stateless encoder uses).
	Dictionary string `json:"dictionary"`
	// BytesPerPercent is the number of compressed policy bytes that cost 1%.
	BytesPerPercent float64 `json:"bytesPerPercent"`
	// ActionBytes is the extra cost, in compressed policy bytes, of each
	// entry of an Action or NotAction element in the policy.
	ActionBytes float64 `json:"actionBytes"`
	// TagBytesPerPercent is the number of packed bytes that cost 1%: raw tag
	// bytes (UTF-8 key plus value) in the tags regime, compressed ARN and tag
	// bytes in the policy regime.
	TagBytesPerPercent float64 `json:"tagBytesPerPercent"`
	// TagOverheadBytes is the fixed cost of each tag in the tags regime, in raw
	// tag-byte equivalents.
	TagOverheadBytes float64 `json:"tagOverheadBytes"`
	// BandAbsolute is the absolute half-width of the band, in points.
	BandAbsolute float64 `json:"bandAbsolute"`
	// BandRelative is the half-width of the band per point of estimate.
	BandRelative float64 `json:"bandRelative"`
	// BandPerAction is the half-width of the band per Action or NotAction
	// entry of the policy, in points.
	BandPerAction float64 `json:"bandPerAction"`
}

// ModelVersion is the version string of [DefaultModel], and the prefix of the
// version of every model this package evaluates.
const ModelVersion = "pack-model/2"

// policyDictionary is the preset dictionary of [DefaultModel]: the element
// names and fixed values of the IAM JSON policy grammar (IAM User Guide,
// "Grammar of the IAM JSON policy language"), the condition operators it lists,
// and the managed policy ARN prefixes that PolicyArns entries must start with
// (STS API Reference, PolicyDescriptorType). Nothing in it is tuned to a data
// point; the most common fragments come last, nearest to the data.
const policyDictionary = `"Id":"","NotPrincipal":{"AWS":"","Service":"","Federated":"","CanonicalUser":""},` +
	`"Principal":"*","NotResource":"","NotAction":"","Effect":"Deny",` +
	`"Condition":{"StringEquals":{"StringNotEquals":{"StringEqualsIgnoreCase":{"StringLike":{"StringNotLike":{` +
	`"NumericEquals":{"NumericLessThan":{"NumericGreaterThan":{"DateEquals":{"DateLessThan":{"DateGreaterThan":{` +
	`"Bool":{"BinaryEquals":{"IpAddress":{"NotIpAddress":{"ArnEquals":{"ArnLike":{"ArnNotLike":{"Null":{` +
	`"ForAllValues:":"ForAnyValue:":"IfExists":"aws:":"${aws:}"}}}],` +
	`arn:aws:iam::aws:policy/arn:aws:iam::` +
	`{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":["*"],"Resource":["*"]}]}`

// DefaultModel is pack-model/2, fitted by weighted least squares ([Fit]) to
// every grade A data point of docs/packed-size.md (real AWS results with exact
// inputs) and, with less weight, to the grade B points (real results whose
// inputs are partly reconstructed). docs/packed-size.md lists the points, the
// weights, each point's error and the leave-one-out error of every grade A
// point; TestDefaultModel_IsTheFit keeps these constants equal to that fit.
var DefaultModel = Model{
	Version:    ModelVersion,
	Dictionary: policyDictionary,
	// Policy regime: the exact AssumeRole policies of 145 and 606 minified
	// characters (16% and 64%, 1 and 23 actions) and the exact allow-all
	// GetFederationToken policy (4%): STS packs a policy in about 12% more
	// bytes than its DEFLATE size.
	BytesPerPercent: 4.100,
	// Same fit: well under a byte per action. The action-heavy
	// reconstructions (VM-Poppy 31 actions, CrewPoppy 42) would need about
	// 6; exact points outrank them, and the band widens with the actions
	// instead (BandPerAction).
	ActionBytes: 0.1154,
	// Tags regime, fitted to the five exact tags-only AssumeRole points (2
	// and 3 one-character tags: 2% and 3%; 6 EKS Pod Identity tags: 55% and
	// 61%; 9 × 250 "a": 498%): the budget of about 460 bytes, and about 2
	// bytes per tag.
	TagBytesPerPercent: 4.596,
	TagOverheadBytes:   2.086,
	// STS reports whole percent, rounded up (assumed); 2 points cover the
	// rounding and the exact points' scatter.
	BandAbsolute: 2,
	// The band holds every fitted point's leave-one-out prediction (its
	// prediction by the model fitted without it), give or take the point's
	// own uncertainty: 1% of the estimate for tags and ARNs (9 × 250 "a",
	// predicted without it, comes out at 504%) ...
	BandRelative: 0.01,
	// ... and 0.45 points per action, where the exact 23-action point and
	// the action-heavy reconstructions disagree: CrewPoppy's 42 actions
	// (157%, predicted 120% without it, σ 15) need 0.45, the 23-action point
	// (64%, predicted 77% without it) 0.43.
	BandPerAction: 0.45,
}

// Validate reports the first constant of m that is missing or out of range.
func (m Model) Validate() error {
	switch {
	case m.Version == "" || len(m.Version) > 64:
		return fmt.Errorf("pack: invalid model: version must be 1 to 64 characters, got %d", len(m.Version))
	case !printable(m.Version):
		return fmt.Errorf("pack: invalid model: version %q contains a control character", m.Version)
	case m.Version != ModelVersion && !strings.HasPrefix(m.Version, ModelVersion+"+"):
		return fmt.Errorf("pack: invalid model: version %q is not %s or %s+LABEL", m.Version, ModelVersion, ModelVersion)
	case len(m.Dictionary) > maxDictionary:
		return fmt.Errorf("pack: invalid model: dictionary is %d bytes, at most %d allowed", len(m.Dictionary), maxDictionary)
	}
	checks := []struct {
		name     string
		v        float64
		min, max float64
		open     bool // min itself is not allowed
	}{
		{"bytesPerPercent", m.BytesPerPercent, 0, maxSlope, true},
		{"actionBytes", m.ActionBytes, 0, maxSlope, false},
		{"tagBytesPerPercent", m.TagBytesPerPercent, 0, maxSlope, true},
		{"tagOverheadBytes", m.TagOverheadBytes, 0, maxSlope, false},
		{"bandAbsolute", m.BandAbsolute, 0, 100, false},
		{"bandRelative", m.BandRelative, 0, maxBand, false},
		{"bandPerAction", m.BandPerAction, 0, 100, false},
	}
	for _, c := range checks {
		if math.IsNaN(c.v) || c.v < c.min || c.v > c.max || (c.open && c.v == c.min) {
			lower := "at least"
			if c.open {
				lower = "above"
			}
			return fmt.Errorf("pack: invalid model: %s is %g, must be %s %g and at most %g", c.name, c.v, lower, c.min, c.max)
		}
	}
	return nil
}

// maxDictionary is the most of a preset dictionary the stateless encoder
// uses; a longer one would be cut to its last 8 KiB.
const maxDictionary = 8 << 10

func printable(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// modelJSON has Model's fields without its methods, so MarshalJSON can use the
// default encoding without recursing.
type modelJSON Model

// MarshalJSON encodes m as the JSON object that [LoadModel] reads back.
func (m Model) MarshalJSON() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(modelJSON(m))
}

// LoadModel decodes a model written by [Model.MarshalJSON] and validates it.
// Unknown fields, missing fields and out-of-range constants are errors. A
// pack-model/1 file is refused with a message that says so: its constants
// belong to a formula this package no longer evaluates.
func LoadModel(data []byte) (Model, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return Model{}, fmt.Errorf("pack: model file: %w", err)
	}
	if old := v1Version(fields); old != "" {
		return Model{}, fmt.Errorf("pack: model file: this is a pack-model/1 model (%q); policylint now evaluates %s, whose formula differs (it charges session tags far less): fit a new model with policylint pack --calibrate CLOUDTRAIL.json --fit MODEL.json", old, ModelVersion)
	}
	for _, name := range modelFields {
		if _, ok := fields[name]; !ok {
			return Model{}, fmt.Errorf("pack: model file: field %q is missing", name)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m modelJSON
	if err := dec.Decode(&m); err != nil {
		return Model{}, fmt.Errorf("pack: model file: %w", err)
	}
	if err := Model(m).Validate(); err != nil {
		return Model{}, err
	}
	return Model(m), nil
}

// v1Version returns the version of a pack-model/1 file ("pack-model/1" when it
// names none), or "" for any other file. pack-model/1 files have a "level"
// field, which pack-model/2 dropped, and a version starting "pack-model/1".
func v1Version(fields map[string]json.RawMessage) string {
	var version string
	if raw, ok := fields["version"]; ok {
		_ = json.Unmarshal(raw, &version)
	}
	_, level := fields["level"]
	if !level && !strings.HasPrefix(version, "pack-model/1") {
		return ""
	}
	if !strings.HasPrefix(version, "pack-model/1") || !printable(version) || len(version) > 64 {
		return "pack-model/1"
	}
	return version
}

// modelFields lists the JSON names of every Model field; all are required.
var modelFields = []string{
	"version", "dictionary", "bytesPerPercent", "actionBytes", "tagBytesPerPercent", "tagOverheadBytes",
	"bandAbsolute", "bandRelative", "bandPerAction",
}
