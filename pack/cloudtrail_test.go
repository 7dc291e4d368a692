package pack

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// ctEvent builds one CloudTrail record the way CloudTrail logs STS calls.
func ctEvent(name, id string, req Request, response any, errorCode, errorMessage string) map[string]any {
	params := map[string]any{"roleArn": "arn:aws:iam::111122223333:role/example", "roleSessionName": "test"}
	if req.Policy != "" {
		params["policy"] = req.Policy
	}
	if len(req.PolicyARNs) > 0 {
		var arns []map[string]string
		for _, a := range req.PolicyARNs {
			arns = append(arns, map[string]string{"arn": a})
		}
		params["policyArns"] = arns
	}
	if len(req.Tags) > 0 {
		var tags []map[string]string
		for _, t := range req.Tags {
			tags = append(tags, map[string]string{"key": t.Key, "value": t.Value})
		}
		params["tags"] = tags
	}
	rec := map[string]any{
		"eventVersion":      "1.08",
		"eventSource":       "sts.amazonaws.com",
		"eventName":         name,
		"eventID":           id,
		"requestParameters": params,
		"responseElements":  response,
	}
	if errorCode != "" {
		rec["errorCode"], rec["errorMessage"] = errorCode, errorMessage
	}
	return rec
}

func success(size any) map[string]any {
	return map[string]any{
		"credentials":      map[string]string{"accessKeyId": "ASIAEXAMPLE", "expiration": "Jan 1, 2026, 1:00:00 AM"},
		"packedPolicySize": size,
	}
}

// cloudTrailFixture is an export built from the data points (grade A
// where a record type has one), with the malformed and irrelevant records a
// real export contains.
func cloudTrailFixture(t *testing.T) []byte {
	t.Helper()
	point := func(name string) Request { return findPoint(t, name).req }
	saml := ctEvent("AssumeRoleWithSAML", "saml-eks", Request{}, success("61"), "", "")
	tagObject := map[string]string{}
	for _, tag := range eksImmersion61 {
		tagObject[tag.Key] = tag.Value
	}
	saml["requestParameters"].(map[string]any)["principalTags"] = tagObject
	web := ctEvent("AssumeRoleWithWebIdentity", "web-list", Request{}, success(14), "", "")
	web["requestParameters"].(map[string]any)["policyArns"] = []map[string]string{{"arn": metrARNs[0]}, {"arn": metrARNs[1]}, {"arn": metrARNs[2]}}
	web["requestParameters"].(map[string]any)["principalTags"] = []map[string]string{}

	records := []any{
		ctEvent("GetFederationToken", "gft", pointGFT(), success(36), "", ""),
		ctEvent("AssumeRole", "tags-498", pointA(), nil, "PackedPolicyTooLargeException",
			"Packed size of session tags consumes 498% of allotted space."),
		ctEvent("AssumeRole", "skillbuilder", point("skillbuilder-23-actions"), success(64), "", ""),
		ctEvent("GetFederationToken", "stratus", point("stratus-gft-allow-all"), success(4), "", ""),
		ctEvent("AssumeRole", "poppy-31", point("vmpoppy-31-actions"), nil, "PackedPolicyTooLarge",
			"Packed policy consumes 118% of allotted space, please use smaller policy."),
		ctEvent("AssumeRole", "whodunnit", point("whodunnit-3-tags"), success(3), "", ""),
		saml,
		web,
		// Skipped: malformed, not an object, no percentage, no packed size.
		map[string]any{"eventName": "AssumeRole", "requestParameters": map[string]any{"policy": 42}, "responseElements": success(9)},
		"not a record",
		ctEvent("AssumeRole", "token", Request{Tags: eksTags}, nil, "PackedPolicyTooLargeException", "Serialized token too large for session"),
		ctEvent("AssumeRole", "no-size", Request{}, map[string]any{"credentials": map[string]string{}}, "", ""),
		ctEvent("AssumeRole", "bad-size", pointGFT(), success(-3), "", ""),
		// Ignored: other failures and other events.
		ctEvent("AssumeRole", "denied", pointGFT(), nil, "AccessDenied", "User is not authorized to perform: sts:AssumeRole"),
		map[string]any{"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "eventID": "s3"},
	}
	data, err := json.Marshal(map[string]any{"Records": records})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exactSources are the fixture's records with grade A inputs.
var exactSources = map[string]bool{"tags-498": true, "skillbuilder": true, "stratus": true, "whodunnit": true, "saml-eks": true}

func TestParseCloudTrail(t *testing.T) {
	points, skipped, err := ParseCloudTrail(cloudTrailFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 5 {
		t.Errorf("skipped %d records, want 5", skipped)
	}
	want := []struct {
		source  string
		percent float64
		req     Request
	}{
		{"gft", 36, pointGFT()},
		{"tags-498", 498, pointA()},
		{"skillbuilder", 64, findPoint(t, "skillbuilder-23-actions").req},
		{"stratus", 4, findPoint(t, "stratus-gft-allow-all").req},
		{"poppy-31", 118, findPoint(t, "vmpoppy-31-actions").req},
		{"whodunnit", 3, findPoint(t, "whodunnit-3-tags").req},
		{"saml-eks", 61, Request{Tags: sortedEKSTags()}},
		{"web-list", 14, Request{PolicyARNs: metrARNs}},
	}
	if len(points) != len(want) {
		t.Fatalf("%d observations, want %d: %+v", len(points), len(want), points)
	}
	for i, w := range want {
		p := points[i]
		if p.Source != w.source || p.Percent != w.percent || p.Sigma != 0 {
			t.Errorf("observation %d: source %q percent %v sigma %v, want %q %v 0", i, p.Source, p.Percent, p.Sigma, w.source, w.percent)
		}
		if !reflect.DeepEqual(p.Request, w.req) {
			t.Errorf("observation %q: request\n%+v\nwant\n%+v", p.Source, p.Request, w.req)
		}
	}
}

func sortedEKSTags() []Tag {
	tags := slices.Clone(eksImmersion61)
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
	return tags
}

// TestCloudTrail_EvaluateFitLoad drives the calibration path end to end:
// parse, evaluate, fit, write the model, load it back, evaluate again.
func TestCloudTrail_EvaluateFitLoad(t *testing.T) {
	points, _, err := ParseCloudTrail(cloudTrailFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	mean, max := DefaultModel.Evaluate(points)
	t.Logf("%s on %d CloudTrail observations: mean error %.1f, max %.0f points", DefaultModel.Version, len(points), mean, max)
	var exact []Observation
	for _, o := range points {
		if exactSources[o.Source] {
			exact = append(exact, o)
		}
	}
	if _, max := DefaultModel.Evaluate(exact); len(exact) != len(exactSources) || max > 2 {
		t.Errorf("max error %v points on the %d grade A records the model was fitted to", max, len(exact))
	}

	fitted := Fit(points, DefaultModel)
	fmean, fmax := fitted.Evaluate(points)
	t.Logf("%s: mean error %.1f, max %.0f points; band %v + %v×r + %v×actions", fitted.Version, fmean, fmax, fitted.BandAbsolute, fitted.BandRelative, fitted.BandPerAction)
	if fitted.Version != "pack-model/2+fit" {
		t.Errorf("fitted version %q", fitted.Version)
	}
	for _, o := range points {
		e := fitted.Estimate(o.Request)
		if o.Percent < e.Low || o.Percent > e.High {
			t.Errorf("%s: observed %v%% outside the fitted band [%v, %v]", o.Source, o.Percent, e.Low, e.High)
		}
	}

	data, err := json.MarshalIndent(fitted, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadModel(data)
	if err != nil {
		t.Fatalf("loading the fitted model: %v\n%s", err, data)
	}
	if loaded != fitted {
		t.Errorf("loaded model differs:\n%+v\n%+v", loaded, fitted)
	}
	if lmean, lmax := loaded.Evaluate(points); lmean != fmean || lmax != fmax {
		t.Errorf("loaded model evaluates to %v/%v, fitted to %v/%v", lmean, lmax, fmean, fmax)
	}
}

func TestParseCloudTrail_Errors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"not JSON", `Records`, "pack: cloudtrail:"},
		{"no Records", `{"records2":[]}`, "no Records array"},
		{"null Records", `{"Records":null}`, "no Records array"},
		{"Records not an array", `{"Records":{}}`, "pack: cloudtrail:"},
		{"top level array", `[]`, "pack: cloudtrail:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseCloudTrail([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	points, skipped, err := ParseCloudTrail([]byte(`{"Records":[]}`))
	if err != nil || len(points) != 0 || skipped != 0 {
		t.Errorf("empty Records: %v, %d, %v", points, skipped, err)
	}
}

func TestMessagePercent(t *testing.T) {
	tests := []struct {
		msg  string
		want float64
		ok   bool
	}{
		{"Packed policy consumes 118% of allotted space, please use smaller policy.", 118, true},
		{"Packed size of session tags consumes 498% of allotted space.", 498, true},
		{"Failed to get subscoped credentials: Packed policy consumes 103% of allotted space, please use smaller policy.", 103, true},
		{"Serialized token too large for session", 0, false},
		{"Packed policy consumes % of allotted space", 0, false},
		{"Packed policy consumes -4% of allotted space", 0, false},
		{"Packed policy consumes 99999999% of allotted space", 0, false},
	}
	for _, tt := range tests {
		got, ok := messagePercent(tt.msg)
		if got != tt.want || ok != tt.ok {
			t.Errorf("messagePercent(%q) = %v, %v; want %v, %v", tt.msg, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParsePercent(t *testing.T) {
	tests := []struct {
		raw  string
		want float64
		ok   bool
	}{
		{`36`, 36, true}, {`"6"`, 6, true}, {`0`, 0, true}, {` 7 `, 7, true},
		{`null`, 0, false}, {``, 0, false}, {`-1`, 0, false}, {`12.5`, 0, false},
		{`"x"`, 0, false}, {`true`, 0, false}, {`1e9`, 0, false},
	}
	for _, tt := range tests {
		got, ok := parsePercent(json.RawMessage(tt.raw))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parsePercent(%s) = %v, %v; want %v, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}
