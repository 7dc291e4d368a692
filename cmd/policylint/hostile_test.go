package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/policylint/policylint/lint"
)

// The hostile-input suite: what a pull request can bring, generated at the sizes that hurt,
// each linted by policylint in a process of its own, under a 4 GiB address-space limit and a
// hang guard, in every output format. Each run must end with exit 0, 1 or 2, print no Go stack
// trace and no byte of a planted secret past its first six characters, and stay within the
// memory bound; the times are logged (BENCHMARKS.md records them), never asserted.

// cliEnv makes the test binary run the CLI (see TestMain), as the policylint binary would.
const cliEnv = "POLICYLINT_TEST_CLI"

// runAsCLI is TestMain's part: in a child started by runIsolated, limit the address space and
// run the command line.
func runAsCLI() {
	if os.Getenv(cliEnv) != "1" {
		return
	}
	if !raceDetector {
		lim := syscall.Rlimit{Cur: 4 << 30, Max: 4 << 30}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(3)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// hangGuard kills a run that has not ended: a hang, not a slow machine.
const hangGuard = 2 * time.Minute

// memoryBound is the peak resident memory a run may reach on an input within the 8 MiB limit.
const memoryBound = 1 << 30

type isolated struct {
	code           int
	stdout, stderr string
	took           time.Duration
	maxRSS         int64 // bytes
}

// runIsolated runs policylint's command line in a child process in dir.
func runIsolated(t *testing.T, dir string, args ...string) isolated {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := isolated{stdout: out.String(), stderr: errOut.String(), took: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("policylint %s did not end within %s", strings.Join(args, " "), hangGuard)
	}
	if cmd.ProcessState == nil {
		t.Fatalf("policylint %s did not start: %v", strings.Join(args, " "), err)
	}
	r.code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return r
}

// hostileCanary is planted in the inputs as a secret; no more than its first six characters may
// be printed.
const hostileCanary = "SECRETCANARY9f3c2a71"

// hostileInputs generates the inputs, by name: each within policylint's 8 MiB limit.
func hostileInputs() map[string][]byte {
	const size = lint.MaxInputBytes - 1024
	// repeatTo writes head, then unit(i) for i = 0, 1, ... while it fits, then tail; a comma
	// ending the last unit is dropped.
	repeatTo := func(head string, unit func(i int) string, tail string) []byte {
		var b bytes.Buffer
		b.WriteString(head)
		for i := 0; ; i++ {
			u := unit(i)
			if b.Len()+len(u)+len(tail) >= size {
				break
			}
			b.WriteString(u)
		}
		out := bytes.TrimSuffix(b.Bytes(), []byte(","))
		return append(out, tail...)
	}
	same := func(u string) func(int) string { return func(int) string { return u } }
	policy := func(statements string) []byte {
		return []byte(`{"Version":"2012-10-17","Statement":[` + statements + `]}`)
	}
	stmt := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`
	jwt := func(payload string) string {
		enc := base64.RawURLEncoding
		return enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(payload)) + ".c2ln"
	}
	in := map[string][]byte{
		// 2.8 million empty objects in the statement list: every rule finds something in each.
		"objects.json": repeatTo(`{"Version":"2012-10-17","Statement":[`, same(`{},`), `]}`),
		// Duplicate keys on one line.
		"duplicates.json": repeatTo(`{"Version":"2012-10-17","Statement":[`+stmt+`],`, same(`"Id":"x",`), `"Sid":"y"}`),
		// Characters outside Latin-1, and escapes that decode outside it.
		"charset.json": repeatTo(`{"Version":"2012-10-17","Statement":[{"Sid":"`, same(`Ā\u0000`), `","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
		// Nesting past the reader's depth.
		"deep.json": repeatTo("", same("["), "]"),
		// A number no big-number library should be asked to hold, and a million digits.
		"numbers.json": policy(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1e99999,"aws:x":` + strings.Repeat("9", 1<<20) + `}}}`),
		// A 100 KB condition key quoted by every message about it, in many statements.
		"long-key.json": policy(strings.TrimSuffix(strings.Repeat(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLik":{"`+strings.Repeat("k", 100_000)+`":"x"}}},`, 60), ",")),
		// 500,000 different wildcard actions: the redundancy checks compare patterns.
		"actions.json": repeatTo(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*","Action":[`, func(i int) string { return fmt.Sprintf(`"s3:*a%d*?",`, i) }, `]}]}`),
		// A request with 200,000 session tags, keys differing in case, all transitive.
		"tags.json": func() []byte {
			var b strings.Builder
			b.WriteString(`{"RoleArn":"arn:aws:iam::123456789012:role/x","RoleSessionName":"s1","Tags":[`)
			for i := range 200_000 {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"Key":"K%d","Value":"v"}`, i%1000)
			}
			b.WriteString(`],"TransitiveTagKeys":[`)
			for i := range 100_000 {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `"k%d"`, i)
			}
			b.WriteString("]}")
			return []byte(b.String())
		}(),
		// Secrets in every state: a token in a request, a key spelled in another case, a token
		// without quotes in a file that does not parse, a byte-order mark, a private key.
		"token.json":      []byte(`{"RoleArn":"arn:aws:iam::123456789012:role/x","RoleSessionName":"s1","WebIdentityToken":"` + jwt(`{"sub":"`+hostileCanary+`","exp":1}`) + `"}`),
		"token-case.json": []byte(`{"RoleArn":"arn:aws:iam::123456789012:role/x","RoleSessionName":"s1","webidentitytoken":"` + jwt(`{"sub":"`+hostileCanary+`"}`) + `"}`),
		"token-bare.json": []byte(`{"RoleArn": "arn:aws:iam::123456789012:role/x", "WebIdentityToken": ` + jwt(`{"sub":"`+hostileCanary+`"}`) + ` }`),
		"token-bom.json":  append([]byte("\xef\xbb\xbf"), []byte(`{"WebIdentityToken":"`+jwt(`{"sub":"`+hostileCanary+`"}`)+`"}`)...),
		"password.json":   []byte(`{"Version":"2012-10-17","Statement":[` + stmt + `],"Password":"` + hostileCanary + `"}`),
		"key.json":        []byte("{\"Version\":\"2012-10-17\",\"Statement\":[" + stmt + "],\"Id\":\"-----BEGIN RSA PRIVATE KEY-----\\n" + hostileCanary + "\\n-----END RSA PRIVATE KEY-----\"}"),
		"unparsable.json": []byte("{\"Version\": \"2012-10-17\", \"Statement\": [" + stmt + "], password: " + hostileCanary + " }"),
		// A SAML response declaring entities (a billion laughs), inside the 100 KB assertion limit.
		"saml.json": []byte(`{"RoleArn":"arn:aws:iam::123456789012:role/x","PrincipalArn":"arn:aws:iam::123456789012:saml-provider/p","SAMLAssertion":"` +
			base64.StdEncoding.EncodeToString([]byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "`+hostileCanary+`"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&c;</samlp:Response>`)) + `"}`),
		// A YAML alias bomb, and a workflow that is one.
		"bomb.yaml": []byte("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nVersion: \"2012-10-17\"\nStatement: [*h]\n"),
		// Terraform nested past reason.
		"deep.tf": []byte("locals {\n  x = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n}\n"),
	}
	return in
}

// checkRun applies what must hold of every run.
func checkRun(t *testing.T, name, format string, r isolated) {
	t.Helper()
	all := r.stdout + r.stderr
	if strings.Contains(all, "goroutine ") || strings.Contains(all, "panic:") || strings.Contains(all, "fatal error:") {
		t.Errorf("%s --format %s: a Go stack trace:\n%.2000s", name, format, r.stderr)
	}
	if r.code != exitOK && r.code != exitFindings && r.code != exitUsage {
		t.Errorf("%s --format %s: exit %d\n%.2000s", name, format, r.code, r.stderr)
	}
	if strings.Contains(all, hostileCanary[6:]) {
		i := strings.Index(all, hostileCanary[6:])
		t.Errorf("%s --format %s: the planted secret is printed past its first six characters: %q", name, format, all[max(0, i-80):min(len(all), i+40)])
	}
	if strings.Contains(all, "\x1b") {
		t.Errorf("%s --format %s: an escape character reaches the output", name, format)
	}
	if !raceDetector && r.maxRSS > memoryBound {
		t.Errorf("%s --format %s: peak memory %d MiB, more than %d MiB", name, format, r.maxRSS>>20, memoryBound>>20)
	}
}

func TestHostile_Inputs(t *testing.T) {
	if raceDetector || testing.Short() {
		t.Skip("the hostile inputs are measured without the race detector and -short (.ci/run runs them)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux for the address-space limit and peak memory")
	}
	dir := writeFiles(t, map[string]string{".git/HEAD": ""})
	for name, src := range hostileInputs() {
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(hostileInputs())) {
		for _, format := range []string{"text", "json", "sarif", "github", "markdown"} {
			r := runIsolated(t, dir, "lint", "--format", format, name)
			checkRun(t, name, format, r)
			if format == "text" {
				t.Logf("%-16s exit %d, %6.2f s, %4d MiB peak, %6d bytes of output", name, r.code, r.took.Seconds(), r.maxRSS>>20, len(r.stdout))
			}
		}
	}
	// Every input at once, through a directory walk, in one process.
	r := runIsolated(t, dir, "lint", ".")
	checkRun(t, "all", "text", r)
	t.Logf("%-16s exit %d, %6.2f s, %4d MiB peak", "all, one process", r.code, r.took.Seconds(), r.maxRSS>>20)
}

// TestHostile_RuleFilesAndConfiguration: custom rules that run away, exhaust memory, or are a
// FIFO or a link to /dev/zero; a configuration with exponential globs and an alias bomb; a file
// name with escape sequences.
func TestHostile_RuleFilesAndConfiguration(t *testing.T) {
	if raceDetector || testing.Short() {
		t.Skip("the hostile inputs are measured without the race detector and -short (.ci/run runs them)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux for FIFOs, /dev/zero and the address-space limit")
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	var globs strings.Builder
	globs.WriteString("ignore:\n")
	for range 50 {
		fmt.Fprintf(&globs, "  - {path: %q, rule: no-allow, reason: x}\n", strings.Repeat("**/", 60)+"x.json")
	}
	dir := writeFiles(t, map[string]string{
		".git/HEAD":              "",
		"p.json":                 policy,
		"loop/loop.rego":         "package main\n\ndeny contains \"x\" if {\n\tsome i in numbers.range(1, 2000)\n\tsome j in numbers.range(1, 2000)\n\tsome k in numbers.range(1, 2000)\n\ti + j + k < 0\n}\n",
		"memory/memory.rego":     "package main\n\ndeny contains \"x\" if count(numbers.range(1, 1000000000)) > 0\n",
		"builtins/bits.rego":     "package main\n\ndeny contains \"x\" if bits.lsh(1, 1000000000) > 0\n",
		"globs/.policylint.yaml": globs.String(),
		"alias/.policylint.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nrules: *d\n",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.rego"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "zero"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero", "x.rego")); err != nil {
		t.Fatal(err)
	}
	evil := filepath.Join(dir, "evil\x1b[2J\nname.json")
	if err := os.WriteFile(evil, []byte(`{"Statement": [}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		in   string // folder to run in
		want string // in the output
		code int
	}{
		{"runaway rule", []string{"lint", "--rule-timeout", "300ms", "--rules", "loop", "p.json"}, "", "[PL9001 rule-timeout]", exitFindings},
		{"memory bomb", []string{"lint", "--rule-memory", "256", "--rules", "memory", "p.json"}, "", "[PL9002 rule-error]", exitFindings},
		{"one-call built-in", []string{"lint", "--rules", "builtins", "p.json"}, "", "undefined function bits.lsh", exitUsage},
		{"FIFO rule file", []string{"lint", "--rules", "fifo.rego", "p.json"}, "", "not a regular file", exitUsage},
		{"link to /dev/zero", []string{"lint", "--rules", "zero", "p.json"}, "", "outside the repository", exitUsage},
		{"exponential globs", []string{"lint", "../p.json"}, "globs", "", exitOK},
		{"alias bomb", []string{"lint", "../p.json"}, "alias", ".policylint.yaml:", exitUsage},
		{"escapes in a file name", []string{"lint", "."}, "", `evil\x1b[2J\nname.json`, exitFindings},
	} {
		for _, format := range []string{"text", "json", "sarif", "github"} {
			r := runIsolated(t, filepath.Join(dir, tc.in), append(append([]string{}, tc.args[0], "--format", format), tc.args[1:]...)...)
			checkRun(t, tc.name, format, r)
			if format == "text" && (r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want)) {
				t.Errorf("%s: exit %d, want %d and %q in:\n%.3000s%.3000s", tc.name, r.code, tc.code, tc.want, r.stdout, r.stderr)
			}
			if format == "text" {
				t.Logf("%-22s exit %d, %5.2f s, %4d MiB peak", tc.name, r.code, r.took.Seconds(), r.maxRSS>>20)
			}
		}
	}
}
