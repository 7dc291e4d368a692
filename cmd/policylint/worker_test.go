package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestWorkerProgram builds policylint and policylint-rules as a release or go install puts them,
// side by side, and runs custom rules through them; a policylint without its worker says what is
// missing and exits 2; and policylint itself links nothing of OPA, which its start-up time
// depends on (BENCHMARKS.md).
func TestWorkerProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both programs")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "github.com/open-policy-agent/opa") || strings.Contains(string(out), "policylint/rules\n") {
		t.Error("cmd/policylint links OPA or the rules package: custom rules belong in cmd/policylint-rules")
	}

	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	bin := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", bin+string(filepath.Separator), ".", "../policylint-rules").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := writeFiles(t, map[string]string{
		"p.json":       goodPolicy,
		"rules/r.rego": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome s in input.Statement\n\ts.Effect == \"Allow\"\n\tmsg := \"an Allow statement\"\n}\n",
	})
	lint := func(policylint string) (string, string, int) {
		cmd := exec.Command(policylint, "lint", "--rules", "rules", "p.json")
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
	}
	if stdout, stderr, code := lint(filepath.Join(bin, "policylint"+exe)); code != exitFindings || !strings.Contains(stdout, "an Allow statement [PL9000 custom/main/deny]") {
		t.Errorf("with policylint-rules beside it: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	alone := filepath.Join(t.TempDir(), "policylint"+exe)
	src, err := os.ReadFile(filepath.Join(bin, "policylint"+exe))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, src, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := lint(alone); code != exitUsage || !strings.Contains(stderr, "custom rules run in policylint-rules") || !strings.Contains(stderr, "go install github.com/policylint/policylint/cmd/...@VERSION") {
		t.Errorf("without policylint-rules: exit %d, stderr %q; want 2 and what to install", code, stderr)
	}
	// A policylint-rules in the working folder (a pull request's) is never run.
	if err := os.WriteFile(filepath.Join(dir, "policylint-rules"+exe), []byte("#!/bin/sh\necho planted >&2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := lint(alone); code != exitUsage || strings.Contains(stderr, "planted") {
		t.Errorf("with a policylint-rules in the working folder only: exit %d, stderr %q", code, stderr)
	}
}
