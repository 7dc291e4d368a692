package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/policylint/policylint/lint"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// projectURI is the tool's informationUri; the rule pages are under it.
	projectURI = "https://github.com/policylint/policylint"
	ruleDocURI = projectURI + "/blob/main/docs/rules/"
	// srcRoot is the uriBaseId of paths inside the repository: its root (Options.Root), which is
	// what code scanning resolves them against.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names policylint's entry in partialFingerprints; the suffix is the version
	// of how the value is computed (v2: without the message).
	fingerprintKey = "policylint/v2"
)

// The SARIF 2.1.0 objects policylint writes, with only the properties it sets. Indices are
// pointers where 0 is a valid index and absent means "none".
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool      sarifTool       `json:"tool"`
		Artifacts []sarifArtifact `json:"artifacts"`
		Results   []sarifResult   `json:"results"`
		// ColumnKind is "unicodeCodePoints": columns count code points, as lint.Pos does, not
		// the UTF-16 code units SARIF assumes by default.
		ColumnKind string `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		Version         string      `json:"version,omitempty"`
		SemanticVersion string      `json:"semanticVersion,omitempty"`
		InformationURI  string      `json:"informationUri"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifText      `json:"help"`
		HelpURI              string         `json:"helpUri,omitempty"`
		DefaultConfiguration sarifRuleConf  `json:"defaultConfiguration"`
		Properties           sarifRuleProps `json:"properties"`
	}
	// sarifRuleProps are the rule properties GitHub code scanning reads: tags (shown on the
	// alert and used to filter), precision, and security-severity, a score from 0.1 to 10 that
	// it shows as low (below 4), medium (4 to 6.9), high (7 to 8.9) or critical.
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision"`
		SecuritySeverity string   `json:"security-severity"`
	}
	sarifRuleConf struct {
		Level string `json:"level"`
	}
	// sarifText is a message or a multiformatMessageString with plain text only.
	sarifText struct {
		Text string `json:"text"`
	}
	sarifArtifact struct {
		Location sarifArtifactLocation `json:"location"`
		// Roles is ["analysisTarget"]: every file policylint was given, clean ones too.
		Roles []string `json:"roles"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
		Index     *int   `json:"index,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           *int              `json:"ruleIndex,omitempty"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          *sarifResultProps `json:"properties,omitempty"`
	}
	// sarifResultProps holds what SARIF has no property for.
	sarifResultProps struct {
		// In is lint.Diagnostic.In: the request parameter holding the policy that the logical
		// location's pointer is relative to.
		In string `json:"in"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
		Message          *sarifText             `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           sarifRegion           `json:"region"`
	}
	// sarifRegion is a text region: lines are 1-based, columns are 1-based code points (see
	// sarifRun.ColumnKind) and EndColumn is one past the last character, as lint.Range's End.
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	// sarifLogicalLocation names the JSON value a finding is about by its JSON Pointer.
	sarifLogicalLocation struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
	}
)

type sarifWriter struct{ opts Options }

// Write writes one SARIF log with one run: every rule of the run (custom rules each with a
// descriptor of their own), every file linted as an artifact (clean ones too), and one result per
// diagnostic, in input order.
func (s sarifWriter) Write(w io.Writer, results []*lint.Result) error {
	rules := s.opts.rules()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            "policylint",
			Version:         s.opts.ToolVersion,
			SemanticVersion: s.opts.ToolVersion,
			InformationURI:  projectURI,
			Rules:           sarifRules(rules),
		}},
		Artifacts:  []sarifArtifact{},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	ruleIndex := make(map[string]int, len(rules)) // by slug: custom rules may share a code
	for i, r := range rules {
		ruleIndex[r.Slug] = i
	}
	artifactIndex := map[string]int{} // by URI, which says whether it is relative
	seen := map[string]int{}          // fingerprints so far; each names its file
	for _, r := range results {
		uri, base := artifactURI(s.opts.repoPath(r.Path))
		loc := sarifArtifactLocation{URI: uri, URIBaseID: base}
		index, ok := artifactIndex[uri]
		if !ok {
			index = len(run.Artifacts)
			artifactIndex[uri] = index
			run.Artifacts = append(run.Artifacts, sarifArtifact{Location: loc, Roles: []string{"analysisTarget"}})
		}
		loc.Index = &index
		for _, d := range r.Diagnostics {
			res := sarifResult{
				RuleID:    sarifRuleID(d.Code, d.Rule),
				Level:     sarifLevel(d.Severity),
				Message:   sarifText{d.Message},
				Locations: []sarifLocation{sarifLoc(loc, d.Range, d.Pointer)},
			}
			if i, ok := ruleIndex[d.Rule]; ok {
				res.RuleIndex = &i
			}
			for _, rel := range d.Related {
				l := sarifLoc(loc, rel.Range, rel.Pointer)
				l.Message = &sarifText{rel.Message}
				res.RelatedLocations = append(res.RelatedLocations, l)
			}
			if d.In != "" {
				res.Properties = &sarifResultProps{In: d.In}
			}
			fp := fingerprint(uri, d)
			res.PartialFingerprints = map[string]string{fingerprintKey: fmt.Sprintf("%s:%d", fp, seen[fp])}
			seen[fp]++
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifRules describes every rule, in order, so that ruleIndex is the rule's index in rules.
func sarifRules(rules []*lint.Rule) []sarifRule {
	out := make([]sarifRule, len(rules))
	for i, r := range rules {
		help := r.Rationale
		if r.Source != "" {
			help += " " + r.Source
		}
		uri := ruleDocURI + r.Slug + ".md"
		if r.IsCustom() {
			uri = r.Source // its METADATA's related_resources, or none
		}
		out[i] = sarifRule{
			ID:                   sarifRuleID(r.Code, r.Slug),
			Name:                 r.Slug,
			ShortDescription:     sarifText{r.Title},
			FullDescription:      sarifText{r.Rationale},
			Help:                 sarifText{help},
			HelpURI:              uri,
			DefaultConfiguration: sarifRuleConf{sarifLevel(r.Severity)},
			Properties:           ruleProperties(r),
		}
	}
	return out
}

// sarifRuleID is a rule's SARIF id: its code, or for a custom rule without a code of its own
// (PL9000, which every such rule shares) its slug, so that each rule has a descriptor.
func sarifRuleID(code, slug string) string {
	if code == lint.CustomCode {
		return slug
	}
	return code
}

// sarifLevel maps a severity to a SARIF level: info is a "note".
func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

// sarifLoc places a range of the artifact at loc, with the JSON Pointer as its logical location
// when it names more than the whole document.
func sarifLoc(loc sarifArtifactLocation, rg lint.Range, pointer string) sarifLocation {
	l := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: loc,
		Region: sarifRegion{
			StartLine:   rg.Start.Line,
			StartColumn: rg.Start.Column,
			EndLine:     rg.End.Line,
			EndColumn:   rg.End.Column,
		},
	}}
	if pointer != "" {
		l.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: pointer}}
	}
	return l
}

// artifactURI turns a path from Options.repoPath into a URI reference: relative to %SRCROOT%
// when the path is inside the repository, a file URI when it is outside.
func artifactURI(path string, inside bool) (uri, base string) {
	slash := filepath.ToSlash(path)
	if inside {
		// url.URL escapes what a URI cannot hold and keeps a colon in the first segment from
		// reading as a scheme.
		return (&url.URL{Path: slash}).String(), srcRoot
	}
	if !strings.HasPrefix(slash, "/") {
		slash = "/" + slash // a Windows drive: C:/x becomes file:///C:/x
	}
	return (&url.URL{Scheme: "file", Path: slash}).String(), ""
}

// fingerprint identifies a finding across commits whatever line it moves to and however its
// message changes (a percentage, a count): a hash of its code, file and place in the JSON (the
// policy parameter and pointer). Write appends how many findings with the same hash came before
// it in the file, so that two stay two.
func fingerprint(uri string, d lint.Diagnostic) string {
	h := sha256.New()
	for _, s := range []string{d.Code, uri, d.In, d.Pointer} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// securityRules grant more than intended, or let a reader and IAM see different policies: they
// are high in code scanning. Other errors and warnings are medium, info is low.
var securityRules = map[string]bool{
	"PL1003": true, // duplicate-key: parsers disagree on which value wins
	"PL6002": true, // passrole-star
	"PL6003": true, // allow-notaction
	"PL6004": true, // allow-notresource
	"PL6005": true, // full-admin
}

// ruleCategories name the first digit of a rule code, as tags.
var ruleCategories = map[byte]string{
	'1': "input", '2': "limits", '3': "packed-size", '4': "request", '5': "grammar", '6': "semantics", '9': "custom-rules",
}

// ruleProperties grades a rule for code scanning. Every rule is tagged security, so that GitHub
// reads its security-severity: a session policy STS rejects is a failed credential at run time,
// and one that grants too much is a security defect.
func ruleProperties(r *lint.Rule) sarifRuleProps {
	p := sarifRuleProps{Tags: []string{"security", "aws-sts"}, Precision: "very-high"}
	if c, ok := ruleCategories[r.Code[min(2, len(r.Code)-1)]]; ok {
		p.Tags = append(p.Tags, c)
		switch c {
		case "packed-size":
			p.Precision = "medium" // an estimate with a band
		case "semantics", "custom-rules":
			p.Precision = "high"
		}
	}
	switch {
	case r.Severity == lint.Info:
		p.SecuritySeverity = "2.0"
	case securityRules[r.Code]:
		p.SecuritySeverity = "8.0"
	case r.Severity == lint.Error:
		p.SecuritySeverity = "5.0"
	default:
		p.SecuritySeverity = "4.0"
	}
	return p
}
