package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/source"
)

// workflowOf is a workflow with n configure-aws-credentials steps, each on the access-key path
// with a role ARN STS rejects (role-arn-format) and extra step inputs.
func workflowOf(n int, with string) string {
	var b strings.Builder
	b.WriteString("on: push\njobs:\n  deploy:\n    steps:\n")
	for range n {
		fmt.Fprintf(&b, "      - uses: aws-actions/configure-aws-credentials@v6\n        with: {role-to-assume: \"arn:aws:iam::1:role/r\", aws-access-key-id: k%s}\n", with)
	}
	return b.String()
}

func countRule(diags []Diagnostic, slug string) (n int, last string) {
	for _, d := range diags {
		if d.Rule == slug {
			n++
			last = d.Message
		}
	}
	return n, last
}

// TestLintSource_CapAcrossDocuments: a rule reports at most maxPerRule findings in a file of
// many documents, as in one, and one more that counts the rest, those a document's own Pass
// left out included.
func TestLintSource_CapAcrossDocuments(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	// 30 steps with 25 unknown inputs each: a reader's findings, 750 of one rule.
	var unknown strings.Builder
	for i := range 25 {
		fmt.Fprintf(&unknown, ", x%d: y", i)
	}
	res := l.Lint(".github/workflows/deploy.yml", []byte(workflowOf(30, unknown.String())))[0]
	// Two steps whose policies have 25 bad actions each: each Pass reports 20 and counts 5.
	actions := `\"s3 x\"` + strings.Repeat(`, \"s3 x\"`, 24)
	policy := `, inline-session-policy: "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\", \"Action\": [` + actions + `]}]}"`
	two := l.Lint(".github/workflows/deploy.yml", []byte(workflowOf(2, policy)))[0]
	for slug, rest := range map[string]string{"role-arn-format": "10 more role-arn-format findings", "action-input-ignored": "730 more action-input-ignored findings",
		"invalid-action": "30 more invalid-action findings"} {
		diags := res.Diagnostics
		if slug == "invalid-action" {
			diags = two.Diagnostics
		}
		n, last := countRule(diags, slug)
		if n != maxPerRule+1 || !strings.HasPrefix(last, rest) {
			t.Errorf("%s: %d findings, the last %q; want %d and %q", slug, n, last, maxPerRule+1, rest)
		}
	}
}

// TestLintSource_DocumentCap: past source.MaxDocs requests in a file, the rest are counted in
// one not-checkable finding at the first of them.
func TestLintSource_DocumentCap(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	src := workflowOf(source.MaxDocs+5, "")
	res := l.Lint(".github/workflows/deploy.yml", []byte(src))[0]
	n, msg := countRule(res.Diagnostics, "not-checkable")
	if n != 1 || !strings.HasPrefix(msg, "5 more requests in this file") {
		t.Fatalf("%d not-checkable findings, %q", n, msg)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "not-checkable" {
			if want := strings.Count(src[:d.Range.Start.Offset], "- uses:"); want != source.MaxDocs {
				t.Errorf("placed after %d steps, want %d", want, source.MaxDocs)
			}
		}
	}
}

// TestLintSource_ReaderMessagesRedacted: a reader's finding that quotes a value is redacted like
// every other message: a token given as a boolean input shows six characters.
func TestLintSource_ReaderMessagesRedacted(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	token := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtY2FuYXJ5In0.c2lnbmF0dXJl"
	res := l.Lint(".github/workflows/deploy.yml", []byte(workflowOf(1, ", role-chaining: "+token)))[0]
	n, msg := countRule(res.Diagnostics, "action-input")
	if n != 1 || strings.Contains(msg, token[:SecretShown+1]) || !strings.Contains(msg, token[:SecretShown]) {
		t.Errorf("%d findings, %q", n, msg)
	}
}

// TestLintSource_FileURIIsText: configure-aws-credentials and the AWS provider send a file://
// value as it is, so it is reported as the text STS receives, in their name, and the file is
// not read on their behalf.
func TestLintSource_FileURIIsText(t *testing.T) {
	l, err := New(Config{ReadFile: func(name string) ([]byte, error) {
		t.Errorf("read %s", name)
		return nil, fmt.Errorf("no")
	}})
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range map[string]string{
		".github/workflows/deploy.yml": workflowOf(1, ", inline-session-policy: file://p.json"),
		"main.tf":                      "provider \"aws\" {\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    policy = \"file://p.json\"\n  }\n}\n",
	} {
		n, msg := countRule(l.Lint(path, []byte(src))[0].Diagnostics, "request-file-uri")
		if n != 1 || !strings.Contains(msg, "sends it as it is") || strings.Contains(msg, "--policy") {
			t.Errorf("%s: %d findings, %q", path, n, msg)
		}
	}
}

// TestLintFound_LargeYAMLSkipped: a YAML file of more values than any policy, found by a walk,
// is skipped with a reason; named, it is reported.
func TestLintFound_LargeYAMLSkipped(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("a: &a [" + strings.Repeat("x, ", 400) + "x]\npaths: [" + strings.Repeat("*a, ", 400) + "*a]\n")
	if res, why := l.LintFound("openapi.yaml", src); res != nil || !strings.Contains(why, "too large") {
		t.Errorf("found: %d results, skipped %q", len(res), why)
	}
	if n, _ := countRule(l.Lint("openapi.yaml", src)[0].Diagnostics, "yaml-syntax"); n != 1 {
		t.Errorf("named: %d yaml-syntax findings", n)
	}
}

// TestLintSource_HostileShapes: shapes that cost far more than their size before (a one-line
// flow sequence: quadratic in its length; thousands of steps: a secret scan of the whole file
// each; env values that name others a thousand times over: terabytes; a deep flow nesting
// repeated: its depth squared each) are read and linted; a regression hangs or exhausts the test.
func TestLintSource_HostileShapes(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	fan := func(name string) string { return strings.Repeat("${{ env."+name+" }}", 1000) }
	for name, src := range map[string]string{
		"flow.yaml":                    "Statement: [" + strings.Repeat("é, ", 100_000) + "x]\n",
		"deep.yaml":                    strings.Repeat("- "+strings.Repeat("[", 9000)+strings.Repeat("]", 9000)+"\n", 4),
		".github/workflows/steps.yml":  workflowOf(2000, ""),
		".github/workflows/fanout.yml": "on: push\nenv:\n  A: '" + fan("B") + "'\n  B: '" + fan("C") + "'\n  C: '" + fan("D") + "'\n  D: '" + strings.Repeat("d", 10_000) + "'\n" + workflowOf(1, `, role-session-name: "${{ env.A }}"`)[len("on: push\n"):],
	} {
		res := l.Lint(name, []byte(src))
		if len(res) == 0 {
			t.Errorf("%s: no result", name)
		}
	}
}
