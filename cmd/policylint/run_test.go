package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/policylint/policylint/lint"
)

const (
	goodPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	denyOnly   = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	badJSON    = `{"Version":"2012-10-17",}`
)

type result struct {
	code           int
	stdout, stderr string
}

func runWith(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	if strings.Contains(errOut.String(), "goroutine ") || strings.Contains(errOut.String(), ".go:") {
		t.Errorf("stderr holds a stack trace:\n%s", errOut.String())
	}
	return result{code, out.String(), errOut.String()}
}

// writeFiles creates files under a temporary folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun_ExitCodes(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.json": goodPolicy, "deny.json": denyOnly, "bad.json": badJSON})
	t.Chdir(dir)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean file", []string{"lint", "good.json"}, exitOK},
		{"error finding", []string{"lint", "bad.json"}, exitFindings},
		{"warning below the default fail-on", []string{"lint", "deny.json"}, exitOK},
		{"warning at --fail-on warning", []string{"lint", "--fail-on", "warning", "deny.json"}, exitFindings},
		{"info threshold", []string{"lint", "--fail-on=info", "deny.json"}, exitFindings},
		{"disabled by slug", []string{"lint", "--disable", "json-syntax", "bad.json"}, exitOK},
		{"disabled by code", []string{"lint", "--disable", "PL1001", "bad.json"}, exitOK},
		{"missing file", []string{"lint", "nope.json"}, exitUsage},
		{"missing file beside findings", []string{"lint", "bad.json", "nope.json"}, exitUsage},
		{"no path", []string{"lint"}, exitUsage},
		{"unknown flag", []string{"lint", "--nope", "good.json"}, exitUsage},
		{"unknown rule", []string{"lint", "--disable", "nope", "good.json"}, exitUsage},
		{"unknown format", []string{"lint", "--format", "xml", "good.json"}, exitUsage},
		{"unknown severity", []string{"lint", "--fail-on", "fatal", "good.json"}, exitUsage},
		{"no command", nil, exitUsage},
		{"unknown command", []string{"good.json"}, exitUsage},
		{"help", []string{"--help"}, exitOK},
		{"lint help", []string{"lint", "-h"}, exitOK},
		{"version", []string{"--version"}, exitOK},
		{"rules", []string{"rules"}, exitOK},
		{"explain", []string{"rules", "explain", "PL2001"}, exitOK},
		{"explain unknown", []string{"rules", "explain", "nope"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := runWith(t, "", tt.args...); r.code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestRun_ErrorsNameThePath(t *testing.T) {
	dir := writeFiles(t, map[string]string{"unreadable.json": goodPolicy})
	p := filepath.Join(dir, "unreadable.json")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("running as a user who can read a mode-0 file")
	}
	r := runWith(t, "", "lint", p)
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "policylint: "+p+": permission denied") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRun_MissingPathMessage(t *testing.T) {
	r := runWith(t, "", "lint", "no/such.json")
	if want := "policylint: no/such.json: no such file or directory\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	if r := runWith(t, "", "policy.json"); !strings.Contains(r.stderr, "did you mean 'policylint lint policy.json'") {
		t.Errorf("no hint for a path given as a command: %q", r.stderr)
	}
}

func TestRun_Stdin(t *testing.T) {
	r := runWith(t, badJSON, "lint", "-")
	if r.code != exitFindings || !strings.HasPrefix(r.stdout, "<stdin>:1:25: invalid JSON") {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestRun_InputTooLarge(t *testing.T) {
	big := `{"Sid":"` + strings.Repeat("a", lint.MaxInputBytes) + `"}`
	r := runWith(t, big, "lint", "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "<stdin>: larger than 8 MiB") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRun_DirectoryIsRecursedInOrder(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.json": badJSON, "a/z.json": badJSON, "a/b/c.json": badJSON, "c.txt": badJSON,
		".git/x.json": badJSON, "a.json": badJSON,
	})
	t.Chdir(dir)
	r := runWith(t, "", "lint", ".")
	var paths []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		paths = append(paths, strings.SplitN(line, ":", 2)[0])
	}
	want := []string{"a/b/c.json", "a/z.json", "a.json", "b.json"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("files %v, want %v", paths, want)
	}
}

// TestRun_ParallelOutputIsDeterministic lints many files on all cores, twice.
func TestRun_ParallelOutputIsDeterministic(t *testing.T) {
	files := map[string]string{}
	for i := range 200 {
		files[filepath.Join("p", string(rune('a'+i%26)), strings.Repeat("x", i%7+1)+".json")] = []string{goodPolicy, denyOnly, badJSON}[i%3]
	}
	dir := writeFiles(t, files)
	first := runWith(t, "", "lint", "--format", "json", dir)
	for range 3 {
		if again := runWith(t, "", "lint", "--format", "json", dir); again.stdout != first.stdout {
			t.Fatal("output differs between runs")
		}
	}
}

func TestRun_JSONFormat(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.json": goodPolicy, "dup.json": `{"Version":"2012-10-17","Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`})
	t.Chdir(dir)
	r := runWith(t, "", "lint", "--format", "json", "--disable", "full-admin,passrole-star,create-slr-star", "good.json", "dup.json")
	var out struct {
		Version int `json:"version"`
		Files   []struct {
			Path        string            `json:"path"`
			Diagnostics []lint.Diagnostic `json:"diagnostics"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if out.Version != 1 || len(out.Files) != 2 || out.Files[0].Path != "good.json" || out.Files[0].Diagnostics == nil || len(out.Files[0].Diagnostics) != 0 {
		t.Fatalf("unexpected layout: %s", r.stdout)
	}
	ds := out.Files[1].Diagnostics
	if len(ds) != 1 {
		t.Fatalf("diagnostics %+v", ds)
	}
	d := ds[0]
	if d.Code != "PL1003" || d.Rule != "duplicate-key" || d.Severity != lint.Error || d.Pointer != "/Version" ||
		d.Range.Start != (lint.Pos{Line: 1, Column: 25, Offset: 24}) || d.Range.End.Offset != 33 ||
		len(d.Related) != 1 || d.Related[0].Range.Start.Offset != 1 {
		t.Errorf("diagnostic %+v", d)
	}
}

func TestRun_PolicyARNFlag(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": goodPolicy})
	t.Chdir(dir)
	args := []string{"lint"}
	for range 11 {
		args = append(args, "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	}
	r := runWith(t, "", append(args, "p.json")...)
	if r.code != exitFindings || !strings.Contains(r.stdout, "[PL2004 policy-arn-count]") {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestRun_ExplainShowsRealOutput(t *testing.T) {
	for _, rule := range lint.Rules {
		r := runWith(t, "", "rules", "explain", rule.Slug)
		if !rule.IsConfig() && !strings.Contains(r.stdout, "["+rule.Code+" "+rule.Slug+"]") || !strings.Contains(r.stdout, rule.Source) {
			t.Errorf("%s: explain lacks the example's finding or the source:\n%s", rule.Slug, r.stdout)
		}
	}
}

// TestRun_EmbeddedPolicyPositions lints a request whose Policy string has errors on the policy's
// third line: they are reported at the request file's own line and column.
func TestRun_EmbeddedPolicyPositions(t *testing.T) {
	const file = "../../testdata/requests/embedded-policy.json"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	col := func(substr string) int { // 1-based column of substr on line 4, in characters
		i := strings.Index(lines[3], substr)
		if i < 0 {
			t.Fatalf("%q not on line 4", substr)
		}
		return len([]rune(lines[3][:i])) + 1
	}
	r := runWith(t, "", "lint", file)
	for _, want := range []string{
		fmt.Sprintf("%s:4:%d: character U+2013", file, col("–")),
		fmt.Sprintf("%s:4:%d: Principal is not allowed", file, col(`\"Principal\"`)),
		fmt.Sprintf("%s:4:%d: character U+2013", file, col(`\u2013`)),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
}

// TestRun_RequestFromFlags assembles a request around a policy file from flags.
func TestRun_RequestFromFlags(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": goodPolicy})
	t.Chdir(dir)
	r := runWith(t, "", "lint", "--operation", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/ci",
		"--policy-arn", "arn:aws:iam::210987654321:policy/shared", "--tag", "aws:team=data", "--tag", "Team=ml",
		"--tag", "team=ops", "--transitive-tag-key", "project", "--duration-seconds", "50000", "p.json")
	for _, want := range []string{
		"[PL4007 policy-arn-account]", "[PL4010 tag-reserved]", "[PL4009 tag-duplicate]",
		"[PL4011 transitive-tag-unknown]", "--duration-seconds is 50,000; AssumeRole accepts 900 to 43,200",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "p.json:1:1: ") {
			t.Errorf("a flag's finding is not placed at the policy's start: %s", line)
		}
	}
	// IAM's tagging rules reserve aws: at the start of a value as of a key.
	if r := runWith(t, "", "lint", "--tag", "team=aws:data", "p.json"); r.code != exitFindings ||
		!strings.Contains(r.stdout, `--tag #1 value "aws:data"`) || !strings.Contains(r.stdout, "[PL4010 tag-reserved]") {
		t.Errorf("--tag team=aws:data: exit %d, stdout %q; want a tag-reserved finding on the value", r.code, r.stdout)
	}
	if r := runWith(t, "", "lint", "--tag", "novalue", "p.json"); r.code != exitUsage || !strings.Contains(r.stderr, "want KEY=VALUE") {
		t.Errorf("--tag without =: exit %d, %q", r.code, r.stderr)
	}
	if r := runWith(t, "", "lint", "--operation", "assume", "p.json"); r.code != exitUsage || !strings.Contains(r.stderr, "assume-role-with-saml") {
		t.Errorf("bad --operation: exit %d, %q", r.code, r.stderr)
	}
}

// TestRun_SecretsAreNotPrinted lints requests holding a token and an assertion with findings,
// in every format, and looks for any 24 characters of either in the output.
func TestRun_SecretsAreNotPrinted(t *testing.T) {
	for _, file := range []string{"../../testdata/requests/web-identity-tags.json", "../../testdata/requests/saml-tags.json", "../../testdata/rules/token-format/bad.json", "../../testdata/rules/saml-assertion/bad.json"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var req map[string]any
		if err := json.Unmarshal(src, &req); err != nil {
			t.Fatal(err)
		}
		secret, _ := req["WebIdentityToken"].(string)
		if secret == "" {
			secret, _ = req["SAMLAssertion"].(string)
		}
		for _, format := range []string{"text", "json"} {
			r := runWith(t, "", "lint", "--format", format, file)
			if r.code != exitFindings {
				t.Fatalf("%s: exit %d, want findings", file, r.code)
			}
			for i := 6; i+24 <= len(secret); i += 12 {
				if strings.Contains(r.stdout, secret[i:i+24]) {
					t.Errorf("%s (%s): output holds part of the secret %q", file, format, secret[i:i+24])
					break
				}
			}
		}
	}
}

// TestREADME_ListsEveryRule keeps the README's rule table equal to the rule table.
func TestREADME_ListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| PL") {
			rows++
		}
	}
	for _, r := range lint.Rules {
		row := fmt.Sprintf("| %s | `%s` | %s | %s |", r.Code, r.Slug, r.Severity, strings.ReplaceAll(r.Title, "|", `\|`))
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
	if rows != len(lint.Rules) {
		t.Errorf("README lists %d rules, the table has %d", rows, len(lint.Rules))
	}
}

func TestRun_ConfigFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".policylint.yaml": `rules:
  no-allow: {severity: error}
  PL2002: {enabled: false}
ignore:
  - {path: "legacy/**", rule: json-syntax, reason: "rewritten in the platform backlog"}
packed: {warn: 30}
`,
		"deny.json":           denyOnly,
		"sub/charset.json":    `{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::x–y"}]}`,
		"legacy/old/bad.json": badJSON,
		".git/HEAD":           "",
	})
	t.Chdir(filepath.Join(dir, "sub")) // found from the working folder upward, up to the repository root
	r := runWith(t, "", "lint", "../deny.json", "charset.json", "../legacy")
	if r.code != exitFindings || !strings.Contains(r.stdout, "[PL6001 no-allow]") {
		t.Fatalf("no-allow raised to error: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "policy-charset]") || strings.Contains(r.stdout, "json-syntax]") || strings.Contains(r.stdout, "unused-ignore") {
		t.Errorf("a disabled rule, an ignored finding or a used ignore was reported:\n%s", r.stdout)
	}
	var out struct {
		Files []struct {
			Diagnostics []lint.Diagnostic `json:"diagnostics"`
		} `json:"files"`
	}
	r = runWith(t, "", "lint", "--format", "json", "../deny.json")
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Files) != 2 {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if d := out.Files[0].Diagnostics; len(d) != 1 || d[0].Severity != lint.Error {
		t.Errorf("severity override not applied: %+v", d)
	}
	if d := out.Files[1].Diagnostics; len(d) != 1 || d[0].Rule != "unused-ignore" || d[0].Range.Start.Line != 5 || d[0].Range.Start.Column != 5 {
		t.Errorf("unused ignore not reported at its line: %+v", d)
	}
	if r := runWith(t, "", "pack", "--format", "json", "../deny.json"); r.code != exitOK {
		t.Errorf("pack with a configuration: exit %d", r.code)
	}
}

func TestRun_ConfigErrors(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"rules:\n  nope: {enabled: false}\n", ".policylint.yaml:2:3: unknown rule \"nope\""},
		{"rulez: {}\n", ".policylint.yaml:1:1: unknown key \"rulez\": want rules, ignore, packed, rules-dirs, operation"},
		{"rules:\n  no-allow: {severity: fatal}\n", ".policylint.yaml:2:24: severity must be error, warning or info"},
		{"ignore:\n  - {path: \"a/**\", rule: no-allow}\n", ".policylint.yaml:2:5: an ignore needs a reason"},
		{"ignore:\n  - {path: \"a\", rule: no-allow, reason: x, why: y}\n", ".policylint.yaml:2:44: unknown key \"why\""},
		{"packed: {warn: lots}\n", ".policylint.yaml:1:16: packed.warn must be a percentage"},
		{"rules: [\n", ".policylint.yaml:"},
		{"operation: assume\n", "operation assume is not one of"},
	} {
		dir := writeFiles(t, map[string]string{".policylint.yaml": tt.yaml, "p.json": goodPolicy})
		t.Chdir(dir)
		r := runWith(t, "", "lint", "p.json")
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", tt.yaml, r.code, r.stderr, tt.want)
		}
	}
	if r := runWith(t, "", "lint", "--config", "/nonexistent.yaml", "x.json"); r.code != exitUsage || !strings.Contains(r.stderr, "/nonexistent.yaml") {
		t.Errorf("--config missing: exit %d, %q", r.code, r.stderr)
	}
}

func TestRun_GitHubFormatUnderActions(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.json": badJSON})
	t.Chdir(dir)
	t.Setenv("GITHUB_ACTIONS", "true")
	if r := runWith(t, "", "lint", "bad.json"); !strings.HasPrefix(r.stdout, "::error file=bad.json,line=1,col=25,") {
		t.Errorf("not the github format: %q", r.stdout)
	}
	if r := runWith(t, "", "lint", "--format", "text", "bad.json"); !strings.HasPrefix(r.stdout, "bad.json:1:25: ") {
		t.Errorf("--format text not honoured: %q", r.stdout)
	}
}

// TestRun_SpecialFilesAreRefused names a FIFO, which would block a reader forever.
func TestRun_SpecialFilesAreRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	r := runWith(t, "", "lint", fifo)
	if r.code != exitUsage || !strings.Contains(r.stderr, fifo+": not a regular file") {
		t.Errorf("exit %d, %q", r.code, r.stderr)
	}
}

// failingWriter fails every write, as a closed pipe or a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestRun_WriteErrorIsExit2: an output that cannot be written is a usage-level failure with a
// message (exit 2), not an internal one.
func TestRun_WriteErrorIsExit2(t *testing.T) {
	t.Chdir(writeFiles(t, map[string]string{".git/HEAD": "", "p.json": denyOnly}))
	for _, format := range []string{"text", "json", "sarif", "github"} {
		var errOut bytes.Buffer
		code := run([]string{"lint", "--format", format, "p.json"}, strings.NewReader(""), failingWriter{}, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), "policylint: writing output: broken pipe") {
			t.Errorf("--format %s: exit %d, stderr %q", format, code, errOut.String())
		}
	}
}

// TestRun_MarkdownEstimates: a Markdown report gives each named file's packed size estimate,
// made while the file is linted; a request STS reports no packed size for has none.
func TestRun_MarkdownEstimates(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"p.json":       goodPolicy,
		"no-pack.json": `{"RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "ci"}`,
	})
	t.Chdir(dir)
	r := runWith(t, "", "lint", "--format", "markdown", "p.json", "no-pack.json")
	table := r.stdout[strings.Index(r.stdout, "#### Packed size (estimated)"):]
	if !strings.Contains(r.stdout, "#### Packed size (estimated)") || !strings.Contains(table, `| p\.json | 7%`) || strings.Contains(table, "no-pack") {
		t.Errorf("markdown estimates: want p.json's and not no-pack.json's:\n%s", r.stdout)
	}
}

// TestHelp_EverySubcommand: -h and --help on every command and subcommand print a usage on
// stdout and exit 0, as `lint -h` does; none is an error.
func TestHelp_EverySubcommand(t *testing.T) {
	var cmds [][]string
	for _, c := range commands {
		cmds = append(cmds, []string{c.name})
	}
	cmds = append(cmds, []string{"rules", "explain"}, []string{"rules", "test"}, []string{"catalog", "update"}, []string{"catalog", "show"})
	for _, cmd := range cmds {
		for _, h := range []string{"-h", "--help"} {
			r := runWith(t, "", append(append([]string(nil), cmd...), h)...)
			if r.code != exitOK || r.stdout == "" || r.stderr != "" {
				t.Errorf("policylint %s %s: exit %d, stdout %d bytes, stderr %q", strings.Join(cmd, " "), h, r.code, len(r.stdout), r.stderr)
			}
		}
	}
}
