package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func known(name string) bool { return name == "no-allow" || name == "PL2001" }

func TestParse(t *testing.T) {
	f, err := Parse("c.yaml", []byte(`# a comment
rules:
  no-allow: {severity: error}
  PL2001: {enabled: false}
ignore:
  - {path: "legacy/**", rule: no-allow, reason: "deny-only on purpose"}
packed: {warn: 85}
rules-dirs: [policy-rules, more]
operation: assume-role
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.CheckRules(known); err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) != 2 || f.Rules[0].Severity != "error" || f.Rules[1].Enabled == nil || *f.Rules[1].Enabled ||
		len(f.Ignores) != 1 || f.Ignores[0].Line != 6 || f.Ignores[0].Column != 5 || f.PackedWarn != 85 ||
		len(f.RulesDirs) != 2 || f.Operation != "assume-role" {
		t.Errorf("parsed %+v", f)
	}
	if f, err := Parse("c.yaml", nil); err != nil || len(f.Rules) != 0 {
		t.Errorf("empty file: %v, %+v", err, f)
	}
}

func TestParse_Errors(t *testing.T) {
	for src, want := range map[string]string{
		"rules: 3\n":                                              "c.yaml:1:8: rules must be a mapping (key: value)",
		"rules:\n  no-allow: {on: true}\n":                        `c.yaml:2:14: unknown key "on": want enabled, severity`,
		"rules:\n  no-allow: {enabled: maybe}\n":                  `c.yaml:2:23: enabled must be true or false; got "maybe"`,
		"ignore:\n  - {rule: no-allow, reason: x}\n":              "c.yaml:2:5: an ignore needs a path glob",
		"ignore:\n  - {path: a, reason: x}\n":                     "c.yaml:2:5: an ignore needs a rule",
		"ignore:\n  - {path: a, rule: other, reason: x}\n":        `c.yaml:2:21: unknown rule "other"`,
		"rules:\n  nope: {enabled: false}\n":                      `c.yaml:2:3: unknown rule "nope"`,
		"ignore:\n  - {path: \"[\", rule: no-allow, reason: x}\n": `c.yaml:2:5: path "[" is not a valid glob`,
		"packed: {warn: 0}\n":                                     `c.yaml:1:16: packed.warn must be a percentage above 0 and at most 1,000; got "0"`,
		"packed: {warn: .nan}\n":                                  `c.yaml:1:16: packed.warn must be a percentage above 0 and at most 1,000; got ".nan"`,
		"packed: {warn: -5}\n":                                    `c.yaml:1:16: packed.warn must be a percentage above 0 and at most 1,000; got "-5"`,
		"packed: {warn: .inf}\n":                                  `c.yaml:1:16: packed.warn must be a percentage above 0 and at most 1,000; got ".inf"`,
		"operation: assume-role\n---\noperation: x\n":             "c.yaml:2:1: a second YAML document",
		"rules-dirs: [/etc]\n":                                    `c.yaml:1:14: rules-dirs entry "/etc" is an absolute path`,
		"rules: {no-allow: {}, no-allow: {}}\n":                   `c.yaml:1:23: "no-allow" is given twice`,
		"a: [\n":                                                  "c.yaml:",
	} {
		f, err := Parse("c.yaml", []byte(src))
		if err == nil {
			err = f.CheckRules(known)
		}
		if err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}
}

func TestFind_Upward(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, "", os.Stat); err != nil || got != "" {
		t.Fatalf("no file: %q, %v", got, err)
	}
	want := filepath.Join(root, "a", ".policylint.yml")
	if err := os.WriteFile(want, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep, "", os.Stat); err != nil || got != want {
		t.Errorf("Find = %q, %v; want %q", got, err, want)
	}
	// The search stops at the repository root.
	if got, err := Find(deep, deep, os.Stat); err != nil || got != "" {
		t.Errorf("Find below the top = %q, %v; want none", got, err)
	}
}

func TestParse_WorkflowLengths(t *testing.T) {
	f, err := Parse("c.yaml", []byte("workflows:\n  lengths:\n    github.repository: 24\n    default: 40\n"))
	if err != nil || f.Lengths["github.repository"] != 24 || f.Lengths["default"] != 40 {
		t.Fatalf("lengths %v, err %v", f.Lengths, err)
	}
	_, err = Parse("c.yaml", []byte("workflows:\n  lengths:\n    github.head_ref: long\n"))
	if err == nil || err.Error() != `c.yaml:3:22: workflows.lengths.github.head_ref must be a number of characters from 0 to 2048; got "long"` {
		t.Errorf("error %v", err)
	}
}

// TestParse_EveryKeysError: a file with several mistakes reports each key's, in file order, so
// that one run shows them all.
func TestParse_EveryKeysError(t *testing.T) {
	src := "rules:\n  no-allow: {severity: fatal}\n  no-allow: {enabled: false}\npackd: {warn: 85}\npacked: {warn: -5}\n"
	_, err := Parse(".policylint.yaml", []byte(src))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("got %v, want 4 errors", err)
	}
	for i, want := range []string{":2:24: severity must be", `:3:3: "no-allow" is given twice`, `:4:1: unknown key "packd"`, ":5:16: packed.warn must be"} {
		if !strings.Contains(errs[i].Error(), want) {
			t.Errorf("error %d: %v, want %q", i, errs[i], want)
		}
	}
	// One mistake is one *Error, as before.
	var one *Error
	if _, err := Parse(".policylint.yaml", []byte("packd: 1\n")); !errors.As(err, &one) || one.Line != 1 {
		t.Errorf("one mistake: %v", err)
	}
}
