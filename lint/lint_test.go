package lint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/jsonpos"
)

// all returns the diagnostics of every result, in order.
func all(results []*Result) []Diagnostic {
	var out []Diagnostic
	for _, r := range results {
		out = append(out, r.Diagnostics...)
	}
	return out
}

// findings lints src with the given policy ARNs and returns the findings of rule slug.
func findings(t *testing.T, src string, slug string, arns ...string) []Diagnostic {
	t.Helper()
	l, err := New(Config{Request: Request{PolicyARNs: arns}})
	if err != nil {
		t.Fatal(err)
	}
	var out []Diagnostic
	for _, d := range all(l.Lint("p.json", []byte(src))) {
		if d.Rule == slug {
			out = append(out, d)
		}
	}
	return out
}

// policyOfLength returns a valid policy of exactly n characters whose padding is made of fill.
func policyOfLength(t *testing.T, n int, fill string) string {
	t.Helper()
	head := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`
	tail := `"}]}`
	pad := n - len(head) - len(tail)
	if pad < 0 {
		t.Fatalf("cannot make a policy of %d characters", n)
	}
	return head + strings.Repeat(fill, pad) + tail
}

func TestRules_TableIsConsistent(t *testing.T) {
	codes, slugs := map[string]bool{}, map[string]bool{}
	for _, r := range Rules {
		if codes[r.Code] || slugs[r.Slug] {
			t.Errorf("%s %s: code or slug used twice", r.Code, r.Slug)
		}
		codes[r.Code], slugs[r.Slug] = true, true
		if len(r.Code) != 6 || !strings.HasPrefix(r.Code, "PL") {
			t.Errorf("%s: code is not PL and four digits", r.Code)
		}
		if r.IsConfig() {
			if r.check != nil || r.Title == "" || r.Rationale == "" {
				t.Errorf("%s %s: a configuration rule has a check or lacks documentation", r.Code, r.Slug)
			}
			continue
		}
		if r.scope == sourceScope {
			if r.check != nil || r.Title == "" || r.Rationale == "" || r.Bad == "" || r.Good == "" || !strings.HasPrefix(r.Source, "https://") {
				t.Errorf("%s %s: a source rule has a check or lacks documentation", r.Code, r.Slug)
			}
			continue
		}
		if r.Title == "" || r.Rationale == "" || r.Bad == "" || r.Good == "" || !strings.HasPrefix(r.Source, "https://docs.aws.amazon.com/") || r.check == nil {
			t.Errorf("%s %s: documentation or check missing", r.Code, r.Slug)
		}
		if RuleByName(r.Slug) != r || RuleByName(strings.ToLower(r.Code)) != r {
			t.Errorf("%s: RuleByName does not find it", r.Code)
		}
	}
}

// TestRules_Examples pins each rule's documented examples: the bad one is reported by the rule,
// the good one by no rule at all.
func TestRules_Examples(t *testing.T) {
	for _, r := range Rules {
		if r.IsConfig() {
			continue
		}
		l, err := New(Config{Request: r.Example()})
		if err != nil {
			t.Fatal(err)
		}
		var hit bool
		for _, d := range all(l.Lint(r.ExampleFile("bad"), []byte(r.Bad))) {
			hit = hit || d.Rule == r.Slug
		}
		if !hit {
			t.Errorf("%s: bad example not reported", r.Slug)
		}
		clean, _ := New(Config{})
		if ds := all(clean.Lint(r.ExampleFile("good"), []byte(r.Good))); len(ds) > 0 {
			t.Errorf("%s: good example reported: %v", r.Slug, ds)
		}
	}
}

func TestNew_UnknownRule(t *testing.T) {
	if _, err := New(Config{Disable: []string{"policy-lenght"}}); err == nil || !strings.Contains(err.Error(), `"policy-lenght"`) {
		t.Errorf("err = %v", err)
	}
	l, err := New(Config{Disable: []string{"PL2001", "no-allow"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all(l.Lint("p.json", []byte(policyOfLength(t, 3000, "a")[:2999]+`"}]}`))) {
		if d.Rule == "policy-length" || d.Rule == "no-allow" {
			t.Errorf("disabled rule reported: %v", d)
		}
	}
}

func TestDiagnostics_RangesInsideInput(t *testing.T) {
	srcs := []string{"", "{", `{"a":"` + "\xff", "\xEF\xBB\xBF", `[]`, policyOfLength(t, 2100, "é")}
	for _, src := range srcs {
		l, _ := New(Config{Request: Request{PolicyARNs: []string{"x"}}})
		for _, d := range all(l.Lint("p.json", []byte(src))) {
			if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(src) || d.Range.Start.Offset > d.Range.End.Offset {
				t.Errorf("%q: %s range %+v outside input", src, d.Rule, d.Range)
			}
		}
	}
}

// FuzzLint runs every rule on any input, policies and request files alike: no panic, ranges
// inside the input, pointers that resolve when the document parsed, and the same findings twice.
func FuzzLint(f *testing.F) {
	for _, r := range Rules {
		f.Add([]byte(r.Bad))
	}
	f.Add([]byte("\xEF\xBB\xBF{\"Statement\":{\"Principal\":\"*\",\"principal\":1}}"))
	// Request files: the request reader, the token and assertion decoders behind it.
	requests, _ := filepath.Glob("../testdata/requests/*.json")
	for _, name := range requests {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	l, err := New(Config{Request: Request{PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		r := l.Lint("f.json", src)[0]
		for _, d := range r.Diagnostics {
			if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(src) || d.Range.Start.Offset > d.Range.End.Offset {
				t.Fatalf("%s: range %+v outside input", d.Rule, d.Range)
			}
			// A value under a key given twice has no pointer of its own (a pointer names the
			// last), and an embedded policy's pointers are relative to it.
			if r.Doc.Root != nil && d.In == "" && len(r.Doc.Duplicates) == 0 {
				if _, ok := r.Doc.Lookup(d.Pointer); !ok {
					t.Fatalf("%s: pointer %q does not resolve", d.Rule, d.Pointer)
				}
			}
		}
		if again := l.Lint("f.json", src)[0]; !reflect.DeepEqual(again.Diagnostics, r.Diagnostics) {
			t.Fatal("findings differ between runs")
		}
	})
}

// TestLint_HostileInputs lints one-line files of about a megabyte built to make naive position
// and duplicate handling quadratic (before checkpointed columns and binary-searched pointers,
// the second took minutes). Each rule reports at most maxPerRule findings and a count.
func TestLint_HostileInputs(t *testing.T) {
	const n = 50_000
	inputs := map[string]string{
		"duplicates in one object":   `{"Id":[{` + strings.Repeat(`"a":1,`, n) + `"a":1}]}`,
		"duplicates in many objects": `{"Id":[` + strings.Repeat(`{"a":1,"a":2},`, n) + `{}]}`,
		"element names in any case":  `{"Statement":{` + strings.Repeat(`"Effect":1,"effect":2,`, n) + `"EFFECT":3}}`,
		"escapes":                    `{"Id":"` + strings.Repeat(`\u0100`, n) + `"}`,
		"characters":                 `{"Id":"` + strings.Repeat("Ā", n) + `"}`,
		"invalid bytes":              `{"Id":"` + strings.Repeat("\xff", n) + `"}`,
	}
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range inputs {
		perRule := map[string]int{}
		counted := false
		for _, d := range all(l.Lint("p.json", []byte(src))) {
			perRule[d.Rule]++
			counted = counted || strings.Contains(d.Message, " more ") && strings.Contains(d.Message, "not reported one by one")
		}
		for rule, count := range perRule {
			if count > maxPerRule+1 {
				t.Errorf("%s: %d %s findings, want at most %d", name, count, rule, maxPerRule+1)
			}
		}
		if !counted {
			t.Errorf("%s: no finding counts the ones left out", name)
		}
	}
}

func mustLinter(t *testing.T) *Linter {
	t.Helper()
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseDoc(src []byte) (*jsonpos.Document, error) {
	return jsonpos.Parse(src, jsonpos.Options{})
}

func TestMatchGlob(t *testing.T) {
	for _, tt := range []struct {
		glob, path string
		want       bool
	}{
		{"legacy/**", "legacy/a.json", true},
		{"legacy/**", "legacy/x/y/a.json", true},
		{"legacy/**", "new/a.json", false},
		{"**/*.json", "a.json", true},
		{"**/tenant-*.json", "x/y/tenant-a.json", true},
		{"*.json", "x/a.json", false},
		{"a/**/b.json", "a/b.json", true},
		{"a/?.json", "a/bc.json", false},
		{"**", "", true},
		{"**/**/x", "x", true},
		{"a/**/**/b/**", "a/b", true},
		{"a/**/c", "a/b/d", false},
	} {
		if got := matchGlob(tt.glob, tt.path); got != tt.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
	}
}

// TestMatchGlob_ManyDoubleStars is the hostile configuration: 200 ** against a path 200 folders
// deep that does not match. Backtracking tried every split (exponential); this is 200 × 200
// steps.
func TestMatchGlob_ManyDoubleStars(t *testing.T) {
	glob := strings.Repeat("**/", 200) + "x.json"
	path := strings.Repeat("d/", 200) + "y.json"
	if matchGlob(glob, path) {
		t.Error("matched")
	}
	if !matchGlob(glob, strings.Repeat("d/", 200)+"x.json") {
		t.Error("did not match")
	}
}
