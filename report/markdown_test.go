package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/pack"
)

func TestMarkdown_Golden(t *testing.T) {
	opts := Options{ToolVersion: testVersion, Annotations: true, Estimates: func(r *lint.Result) []lint.RequestEstimate {
		if !strings.HasPrefix(r.Path, "testdata/requests/") {
			return nil
		}
		return []lint.RequestEstimate{
			{Estimate: pack.Estimate{Percent: 104, Low: 90, High: 118, Model: "pack-model/1"}},
			{Line: 12, Estimate: pack.Estimate{Percent: 40, Low: 35, High: 45, Model: "pack-model/1"}}, // a second request of the file
			{Line: 20, None: "STS returns no PackedPolicySize without a policy, policy ARNs or tags"},  // no row
			{Line: 30, TooLong: "over the plaintext limit", Estimate: pack.Estimate{Percent: 150, Low: 120, High: 180, Model: "pack-model/1"}},
		}
	}}
	got := writeWith(t, "markdown", opts, lintFiles(t, goldenInputs))
	compareGolden(t, "testdata/report/markdown.golden", got)
}

func TestMarkdown_Clean(t *testing.T) {
	got := string(write(t, "markdown", []*lint.Result{{Path: "a.json"}, {Path: "b.json"}}))
	if want := "### policylint\n\nNo findings in 2 files.\n\n<sub>policylint 1\\.4\\.0</sub>\n"; got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

// TestMarkdown_Escaping pins that text from the input shows as written: no link, image, HTML,
// table cell or line break can come from a file name or a message.
func TestMarkdown_Escaping(t *testing.T) {
	results := []*lint.Result{{
		Path: "a|b<img src=x>[x](http://e)\n# h.json",
		Diagnostics: []lint.Diagnostic{{Code: "PL9000", Rule: "custom/p/r", Severity: lint.Error, Range: rangeOn(1, 1, 2),
			Message: "*bold* `code` <script>alert(1)</script> ![i](https://e/i.png) | cell \x1b[31m https://e.example"}},
	}}
	got := string(write(t, "markdown", results))
	for _, bad := range []string{"<img", "<script", "](http", "![", "\x1b", "\n# h", "https://", "| cell", "*bold*"} {
		if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(bad)).MatchString(got) {
			t.Errorf("unescaped %q in:\n%s", bad, got)
		}
	}
	if !strings.Contains(got, `a\|b\<img src=x\>\[x\]\(http\://e\)\\n\# h\.json`) {
		t.Errorf("the path is not shown as written:\n%s", got)
	}
}

// TestMarkdown_Capped pins that a huge run keeps the summary under GitHub's size limit.
func TestMarkdown_Capped(t *testing.T) {
	var diags []lint.Diagnostic
	for i := range maxMarkdownFindings + 5 {
		diags = append(diags, lint.Diagnostic{Code: "PL6001", Rule: "no-allow", Severity: lint.Warning, Message: "w", Range: rangeOn(i+1, 1, 2)})
	}
	got := string(write(t, "markdown", []*lint.Result{{Path: "p.json", Diagnostics: diags}}))
	if n := strings.Count(got, `| p\.json:`); n != maxMarkdownFindings {
		t.Errorf("%d rows of findings, want %d", n, maxMarkdownFindings)
	}
	if !strings.Contains(got, "5 more are in the log and the SARIF file.") {
		t.Errorf("no count of the rest:\n%s", got[len(got)-300:])
	}
}
