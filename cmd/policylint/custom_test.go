package main

import (
	"os"
	"strings"
	"testing"
)

const customRules = "../../testdata/custom-rules/"

func TestCustomRules_FindingsHavePositions(t *testing.T) {
	r := runWith(t, "", "lint", "--rules", customRules+"rules", customRules+"policy.json")
	want := customRules + "policy.json:4:63: statement 0 grants S3 outside the tenant prefix ${aws:PrincipalTag/tenant} [PL9000 custom/tenant/deny]"
	if r.code != exitFindings || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant %s", r.code, r.stdout, want)
	}
}

func TestCustomRules_FromConfig(t *testing.T) {
	rule, err := os.ReadFile(customRules + "rules/tenant.rego")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		".git/HEAD": "", ".policylint.yaml": "rules-dirs: [guardrails]\n", "guardrails/tenant.rego": string(rule),
		"p.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::d/*"}]}`,
	})
	t.Chdir(dir)
	if r := runWith(t, "", "lint", "p.json"); r.code != exitFindings || !strings.Contains(r.stdout, "[PL9000 custom/tenant/deny]") {
		t.Errorf("rules-dirs from the configuration not used: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCustomRules_Sandbox(t *testing.T) {
	r := runWith(t, "", "lint", "--rules", customRules+"sandbox", customRules+"policy.json")
	if r.code != exitUsage || !strings.Contains(r.stderr, "policylint: "+customRules+"sandbox/exfiltrate.rego:4:10: rego_type_error: undefined function http.send") {
		t.Errorf("http.send not refused at its place: exit %d, %q", r.code, r.stderr)
	}
	r = runWith(t, "", "lint", "--rules", customRules+"broken", customRules+"policy.json")
	if r.code != exitUsage || !strings.Contains(r.stderr, "broken/broken.rego:5:1: rego_parse_error") {
		t.Errorf("syntax error not reported at its place: exit %d, %q", r.code, r.stderr)
	}
}

// TestCustomRules_Deadline runs a rule that loops over a huge range: it is cut off and reported.
func TestCustomRules_Deadline(t *testing.T) {
	r := runWith(t, "", "lint", "--rule-timeout", "200ms", "--rules", customRules+"loop", customRules+"policy.json")
	if r.code != exitFindings || !strings.Contains(r.stdout, "the custom rules used up their CPU budget of 200ms on this document and were stopped; their findings for it are lost: make them cheaper, or raise --rule-timeout [PL9001 rule-timeout]") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestCustomRules_Tests(t *testing.T) {
	if r := runWith(t, "", "rules", "test", customRules+"rules"); r.code != exitOK || !strings.Contains(r.stdout, "2 passed, 0 failed") {
		t.Errorf("exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, "", "rules", "test", customRules+"broken"); r.code != exitUsage {
		t.Errorf("broken rules: exit %d", r.code)
	}
	if r := runWith(t, "", "rules", "test", "../../rules/testdata/failing"); r.code != exitFindings {
		t.Errorf("failing rule tests: exit %d, %q", r.code, r.stdout)
	}
}

// TestCustomRules_TestCoverage pins `policylint rules test --coverage`: passes, fails with
// file:row, and the lines no test reaches.
func TestCustomRules_TestCoverage(t *testing.T) {
	t.Chdir(customRules)
	r := runWith(t, "", "rules", "test", "--coverage", "rules")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	compareGolden(t, "coverage.golden", []byte(r.stdout))
	r = runWith(t, "", "rules", "test", "--run", "unscoped", "-v", "rules")
	if r.code != exitOK || strings.Count(r.stdout, "PASS") != 1 || !strings.Contains(r.stdout, "1 passed, 0 failed") {
		t.Errorf("--run: exit %d\n%s", r.code, r.stdout)
	}
}

// TestCustomRules_PrintGoesToStderr: print() output goes to stderr with the rule's file and row,
// never into the findings.
func TestCustomRules_PrintGoesToStderr(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":   "",
		"r/p.rego":    "package main\n\ndeny contains \"x\" if {\n\tprint(\"statements:\", count(input.Statement))\n\tfalse\n}\n",
		"policy.json": goodPolicy,
	})
	t.Chdir(dir)
	for _, format := range []string{"text", "json", "sarif", "github"} {
		r := runWith(t, "", "lint", "--format", format, "--rules", "r", "policy.json")
		if !strings.Contains(r.stderr, "r/p.rego:4: statements: 1") || strings.Contains(r.stdout, "statements: 1") {
			t.Errorf("--format %s: stdout %q, stderr %q", format, r.stdout, r.stderr)
		}
	}
}

// TestCustomRules_RegoV0: rules in the syntax before OPA 1.0 load with --rego-version v0, as
// conftest's; without it the parse errors come with a hint, and exit 2.
func TestCustomRules_RegoV0(t *testing.T) {
	t.Chdir(writeFiles(t, map[string]string{
		".git/HEAD":      "",
		"rules/old.rego": "package main\n\ndeny[msg] {\n  s := input.Statement[_]\n  s.Action == \"*\"\n  msg := \"no wildcard actions\"\n}\n",
		"p.json":         `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::a/*"}]}`,
	}))
	r := runWith(t, "", "lint", "--rego-version", "v0", "--rules", "rules", "p.json")
	if r.code != exitFindings || !strings.Contains(r.stdout, "no wildcard actions [PL9000 custom/main/deny]") {
		t.Errorf("--rego-version v0: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runWith(t, "", "lint", "--rules", "rules", "p.json")
	if r.code != exitUsage || !strings.Contains(r.stderr, "this looks like Rego v0") || !strings.Contains(r.stderr, "rules/old.rego:3:1: rego_parse_error") {
		t.Errorf("v0 rules without the flag: exit %d\n%s", r.code, r.stderr)
	}
	if r := runWith(t, "", "lint", "--rego-version", "v2", "--rules", "rules", "p.json"); r.code != exitUsage || !strings.Contains(r.stderr, "want v0 or v1") {
		t.Errorf("--rego-version v2: exit %d\n%s", r.code, r.stderr)
	}
}
