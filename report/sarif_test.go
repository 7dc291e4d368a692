package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/policylint/policylint/internal/golden"
	"github.com/policylint/policylint/lint"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenInputs are the files, relative to the repository's root, whose output the report goldens
// hold: related places, a warning, an info, characters outside the BMP, an empty range, a policy
// inside a request file and a clean file.
var goldenInputs = []string{
	"testdata/rules/duplicate-key/bad.json",
	"testdata/rules/no-allow/bad.json",
	"testdata/rules/policy-charset-escape/bad.json",
	"testdata/rules/policy-charset/bad.json",
	"testdata/rules/json-syntax/empty.json",
	"testdata/requests/embedded-policy.json",
	"testdata/rules/policy-charset/good.json",
}

// lintFiles lints files, relative to the repository's root, from the repository's root, so that
// paths in the output are the ones a user at the root would see.
func lintFiles(t *testing.T, files []string) []*lint.Result {
	t.Helper()
	t.Chdir("..")
	l, err := lint.New(lint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var results []*lint.Result
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, l.Lint(f, src)...)
	}
	return results
}

// testVersion is the tool version the tests' writers are given.
const testVersion = "1.4.0"

// write runs the writer of format over results.
func write(t *testing.T, format string, results []*lint.Result) []byte {
	t.Helper()
	return writeWith(t, format, Options{ToolVersion: testVersion}, results)
}

// writeWith runs the writer of format with opts over results.
func writeWith(t *testing.T, format string, opts Options, results []*lint.Result) []byte {
	t.Helper()
	w, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, results); err != nil {
		t.Fatal(err)
	}
	if f, ok := w.(Finisher); ok {
		if err := f.Finish(&b); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// compareGolden compares got with the golden file, or rewrites it under -update.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Compare(t, path, got, *update)
}

func TestSARIF_Golden(t *testing.T) {
	got := write(t, "sarif", lintFiles(t, goldenInputs))
	compareGolden(t, "testdata/report/sarif.golden", got)
}

// sarifSchemaPath is the OASIS SARIF 2.1.0 schema (errata 01, draft-04) in the shared folder
// beside the repository.
const sarifSchemaPath = "../../shared/schemas/sarif-schema-2.1.0.json"

// compileSARIFSchema compiles the schema offline: it is added under its own id, and any other
// reference fails instead of being fetched.
func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(sarifSchemaPath)
	if os.IsNotExist(err) {
		t.Skipf("the SARIF schema is not at %s (it is in ../shared beside the repository): skipping", sarifSchemaPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.ID == "" {
		t.Fatalf("%s: no id: %v", sarifSchemaPath, err)
	}
	c := jsonschema.NewCompiler()
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("%s: no network in tests", s)
	}
	if err := c.AddResource(head.ID, bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(head.ID)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// TestSARIF_Schema validates the output for every golden input of every rule and request, and for
// paths that need escaping, against the SARIF 2.1.0 schema, with its formats (uri,
// uri-reference) asserted.
func TestSARIF_Schema(t *testing.T) {
	schema := compileSARIFSchema(t)
	var files []string
	for _, pattern := range []string{"../testdata/rules/*/*.json", "../testdata/requests/*.json"} {
		m, _ := filepath.Glob(pattern)
		for _, f := range m {
			files = append(files, strings.TrimPrefix(filepath.ToSlash(f), "../"))
		}
	}
	if len(files) < 30 {
		t.Fatalf("only %d inputs", len(files))
	}
	results := lintFiles(t, files)
	results = append(results, oddPaths()...)
	var doc any
	if err := json.Unmarshal(write(t, "sarif", results), &doc); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("invalid SARIF: %#v", err)
	}
	// The same log with a level SARIF does not have must fail, or the schema checks nothing.
	doc.(map[string]any)["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)["level"] = "info"
	if err := schema.Validate(doc); err == nil {
		t.Error("the schema accepts level \"info\"")
	}
}

// oddPaths are results for files whose names a URI cannot hold as they are.
func oddPaths() []*lint.Result {
	abs, _ := filepath.Abs("tenant policy.json")
	d := lint.Diagnostic{Code: "PL6001", Rule: "no-allow", Severity: lint.Warning, Message: "m", Range: lint.Range{
		Start: lint.Pos{Line: 1, Column: 1}, End: lint.Pos{Line: 1, Column: 2, Offset: 1},
	}}
	var results []*lint.Result
	for _, p := range []string{"<stdin>", "a:b.json", "100% #1?.json", abs} {
		results = append(results, &lint.Result{Path: p, Diagnostics: []lint.Diagnostic{d}})
	}
	return results
}

// sarifOut is the part of a SARIF log the tests read.
type sarifOut struct {
	Runs []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Version string `json:"version"`
				Rules   []struct {
					ID, Name, HelpURI    string
					DefaultConfiguration struct{ Level string }
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Artifacts []struct {
			Location sarifArtifactLocation `json:"location"`
		} `json:"artifacts"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           *int              `json:"ruleIndex"`
			Level               string            `json:"level"`
			Locations           []sarifLocation   `json:"locations"`
			RelatedLocations    []sarifLocation   `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          *sarifResultProps `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, results []*lint.Result) sarifOut {
	t.Helper()
	var out sarifOut
	if err := json.Unmarshal(write(t, "sarif", results), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Runs) != 1 {
		t.Fatalf("%d runs", len(out.Runs))
	}
	return out
}

func lintSrc(t *testing.T, path, src string) []*lint.Result {
	t.Helper()
	l, err := lint.New(lint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return l.Lint(path, []byte(src))
}

func TestSARIF_RulesAreTheTable(t *testing.T) {
	run := readSARIF(t, nil).Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != len(lint.Rules) {
		t.Fatalf("%d rules, want every rule of the table (%d)", len(rules), len(lint.Rules))
	}
	for i, r := range lint.Rules {
		got := rules[i]
		if got.ID != r.Code || got.Name != r.Slug || got.HelpURI != ruleDocURI+r.Slug+".md" || got.DefaultConfiguration.Level != sarifLevel(r.Severity) {
			t.Errorf("rule %d = %+v, want %s %s", i, got, r.Code, r.Slug)
		}
	}
	if run.Tool.Driver.Version != testVersion || len(run.Results) != 0 || run.Results == nil {
		t.Errorf("version %q, results %v", run.Tool.Driver.Version, run.Results)
	}
}

// TestSARIF_Regions pins that columns are code points, with the run saying so: é is one column,
// 🚀 one (two in UTF-16), and the range's end is one past its last character.
func TestSARIF_Regions(t *testing.T) {
	src := "{\n\t\"Sid\": \"é🚀x\",\n\t\"Statement\": {\"Effect\": \"Allow\"}\n}\n"
	run := readSARIF(t, lintSrc(t, "p.json", src)).Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	var found bool
	for _, r := range run.Results {
		if r.RuleID != "PL2002" {
			continue
		}
		found = true
		want := sarifRegion{StartLine: 2, StartColumn: 11, EndLine: 2, EndColumn: 12}
		if got := r.Locations[0].PhysicalLocation.Region; got != want {
			t.Errorf("region = %+v, want %+v", got, want)
		}
		if got := r.Locations[0].LogicalLocations; len(got) != 1 || got[0].FullyQualifiedName != "/Sid" {
			t.Errorf("logical locations = %+v", got)
		}
	}
	if !found {
		t.Fatal("no PL2002 finding")
	}
}

func TestSARIF_EmptyRange(t *testing.T) {
	run := readSARIF(t, lintSrc(t, "empty.json", "")).Runs[0]
	if len(run.Results) != 1 {
		t.Fatalf("%d results", len(run.Results))
	}
	r := run.Results[0]
	want := sarifRegion{StartLine: 1, StartColumn: 1, EndLine: 1, EndColumn: 1}
	if got := r.Locations[0].PhysicalLocation.Region; got != want {
		t.Errorf("region = %+v, want %+v", got, want)
	}
	if r.Locations[0].LogicalLocations != nil {
		t.Errorf("a logical location for the whole document: %+v", r.Locations[0].LogicalLocations)
	}
}

func TestSARIF_ResultFields(t *testing.T) {
	src := `{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`
	results := lintSrc(t, "dup.json", src)
	results = append(results, lintSrc(t, "clean.json", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`)...)
	results = append(results, lintSrc(t, "dup.json", src)...) // a file given twice is one artifact
	results = append(results, lintSrc(t, "request.json", `{"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s", "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Principal\":\"*\"}}"}`)...)
	run := readSARIF(t, results).Runs[0]

	var uris []string
	for _, a := range run.Artifacts {
		if a.Location.URIBaseID != srcRoot {
			t.Errorf("artifact %+v: want uriBaseId %s", a.Location, srcRoot)
		}
		uris = append(uris, a.Location.URI)
	}
	if got := strings.Join(uris, " "); got != "dup.json clean.json request.json" {
		t.Errorf("artifacts = %s, want every file linted, clean ones too", got)
	}
	var dup, inPolicy bool
	fingerprints := map[string]bool{}
	for _, r := range run.Results {
		if fp := r.PartialFingerprints[fingerprintKey]; fp == "" || fingerprints[fp] {
			t.Errorf("%s: fingerprint %q empty or given twice", r.RuleID, fp)
		}
		fingerprints[r.PartialFingerprints[fingerprintKey]] = true
		if r.RuleIndex == nil || lint.Rules[*r.RuleIndex].Code != r.RuleID {
			t.Errorf("%s: ruleIndex %v", r.RuleID, r.RuleIndex)
		}
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.Index == nil || run.Artifacts[*loc.Index].Location.URI != loc.URI {
			t.Errorf("%s: artifact index %v for %s", r.RuleID, loc.Index, loc.URI)
		}
		switch r.RuleID {
		case "PL1003":
			dup = true
			rel := r.RelatedLocations
			if r.Level != "error" || len(rel) != 1 || rel[0].Message == nil || rel[0].Message.Text != "first given here" ||
				rel[0].PhysicalLocation.Region.StartColumn != 2 {
				t.Errorf("duplicate key: level %s, related %+v", r.Level, rel)
			}
		case "PL5001":
			inPolicy = true
			if r.Properties == nil || r.Properties.In != "/Policy" || r.Locations[0].LogicalLocations[0].FullyQualifiedName != "/Statement/Principal" {
				t.Errorf("finding in the policy parameter: properties %+v, locations %+v", r.Properties, r.Locations)
			}
		}
	}
	if !dup || !inPolicy {
		t.Errorf("missing findings: duplicate key %v, principal in the policy parameter %v", dup, inPolicy)
	}
}

func TestSARIF_Levels(t *testing.T) {
	for s, want := range map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning", lint.Info: "note"} {
		if got := sarifLevel(s); got != want {
			t.Errorf("sarifLevel(%s) = %q, want %q", s, got, want)
		}
	}
}

// TestSARIF_Fingerprints pins that a finding keeps its fingerprint when lines are added above it,
// and that two identical findings in one file get two.
func TestSARIF_Fingerprints(t *testing.T) {
	src := `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a–b–c"}}`
	prints := func(src string) (fps []string, lines []int) {
		for _, r := range readSARIF(t, lintSrc(t, "p.json", src)).Runs[0].Results {
			fps = append(fps, r.PartialFingerprints[fingerprintKey])
			lines = append(lines, r.Locations[0].PhysicalLocation.Region.StartLine)
		}
		return fps, lines
	}
	before, _ := prints(src)
	after, lines := prints("\n\n" + src)
	if len(before) < 2 || strings.Join(before, " ") != strings.Join(after, " ") || lines[0] != 3 {
		t.Errorf("fingerprints moved with the lines: %v then %v (lines %v)", before, after, lines)
	}
	seen := map[string]bool{}
	for _, fp := range before {
		if seen[fp] {
			t.Errorf("fingerprint %s given twice in %v", fp, before)
		}
		seen[fp] = true
	}
}

func TestSARIF_Deterministic(t *testing.T) {
	results := lintFiles(t, goldenInputs)
	if a, b := write(t, "sarif", results), write(t, "sarif", results); !bytes.Equal(a, b) || !bytes.HasSuffix(a, []byte("}\n")) {
		t.Error("two writes differ, or the output does not end with a newline")
	}
}

func TestArtifactURI(t *testing.T) {
	tests := []struct{ path, uri, base string }{
		{"p.json", "p.json", srcRoot},
		{"policies/tenant a.json", "policies/tenant%20a.json", srcRoot},
		{"../up/p.json", "../up/p.json", srcRoot},
		{"a:b.json", "./a:b.json", srcRoot},
		{"100% #1?.json", "100%25%20%231%3F.json", srcRoot},
		{"<stdin>", "%3Cstdin%3E", srcRoot},
	}
	if runtime.GOOS == "windows" {
		tests = append(tests, struct{ path, uri, base string }{`policies\p.json`, "policies/p.json", srcRoot},
			struct{ path, uri, base string }{`C:\work\p.json`, "file:///C:/work/p.json", ""})
	} else {
		tests = append(tests, struct{ path, uri, base string }{"/work/p.json", "file:///work/p.json", ""})
	}
	for _, tt := range tests {
		uri, base := artifactURI(Options{}.repoPath(tt.path))
		if uri != tt.uri || base != tt.base {
			t.Errorf("artifactURI(%q) = %q, %q; want %q, %q", tt.path, uri, base, tt.uri, tt.base)
		}
	}
}

// TestSARIF_RuleProperties pins what code scanning reads from every rule: the security tag (so
// that it reads security-severity), a category tag, a precision, and a security-severity in
// GitHub's range, high for rules that grant too much and low for advice.
func TestSARIF_RuleProperties(t *testing.T) {
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						Properties map[string]any
					}
				}
			}
		}
	}
	if err := json.Unmarshal(write(t, "sarif", nil), &log); err != nil {
		t.Fatal(err)
	}
	precisions := map[string]bool{"very-high": true, "high": true, "medium": true, "low": true}
	for i, r := range log.Runs[0].Tool.Driver.Rules {
		p := r.Properties
		tags, _ := p["tags"].([]any)
		if len(tags) < 3 || tags[0] != "security" {
			t.Errorf("%s: tags %v, want security and a category", r.ID, tags)
		}
		if prec, _ := p["precision"].(string); !precisions[prec] {
			t.Errorf("%s: precision %q", r.ID, prec)
		}
		score, _ := p["security-severity"].(string)
		var f float64
		if _, err := fmt.Sscanf(score, "%g", &f); err != nil || f < 0.1 || f > 10 {
			t.Errorf("%s: security-severity %q", r.ID, score)
		}
		switch rule := lint.Rules[i]; {
		case rule.Slug == "full-admin" || rule.Slug == "passrole-star":
			if f < 7 {
				t.Errorf("%s: %g, want high", r.ID, f)
			}
		case rule.Severity == lint.Info:
			if f >= 4 {
				t.Errorf("%s: %g, want low for advice", r.ID, f)
			}
		}
	}
}

// TestSARIF_FingerprintIgnoresMessage pins that a finding whose message changes (a percentage,
// a count) keeps its fingerprint, so code scanning does not open a new alert for it.
func TestSARIF_FingerprintIgnoresMessage(t *testing.T) {
	d := lint.Diagnostic{Code: "PL3001", Rule: "packed-size", Severity: lint.Warning, Range: rangeOn(1, 1, 2)}
	print := func(msg string) string {
		d.Message = msg
		return readSARIF(t, []*lint.Result{{Path: "r.json", Diagnostics: []lint.Diagnostic{d}}}).Runs[0].Results[0].PartialFingerprints[fingerprintKey]
	}
	if a, b := print("packed size is about 91%"), print("packed size is about 96%"); a != b || a == "" {
		t.Errorf("fingerprints %q and %q", a, b)
	}
}

// TestSARIF_RepositoryRelativeURIs pins that artifacts are named from the repository's root
// with uriBaseId %SRCROOT%, whatever folder policylint ran in and however the path was given,
// and that a file outside the repository gets an absolute file URI and no base.
func TestSARIF_RepositoryRelativeURIs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	outside := filepath.Join(filepath.Dir(root), "elsewhere", "p.json")
	opts := Options{ToolVersion: testVersion, Root: root, WorkDir: filepath.Join(root, "infra")}
	var results []*lint.Result
	for _, p := range []string{filepath.Join("policies", "a.json"), filepath.Join(root, "b.json"), filepath.Join("..", "c.json"), outside} {
		results = append(results, &lint.Result{Path: p})
	}
	var out sarifOut
	if err := json.Unmarshal(writeWith(t, "sarif", opts, results), &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range out.Runs[0].Artifacts {
		got = append(got, a.Location.URIBaseID+" "+a.Location.URI)
	}
	want := []string{srcRoot + " infra/policies/a.json", srcRoot + " b.json", srcRoot + " c.json", " " + (&url.URL{Scheme: "file", Path: filepath.ToSlash(outside)}).String()}
	if runtime.GOOS == "windows" {
		want[3] = " file:///" + filepath.ToSlash(outside)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("artifacts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
