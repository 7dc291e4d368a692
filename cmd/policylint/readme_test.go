package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/policylint/policylint/internal/config"
	"github.com/policylint/policylint/lint"
)

// readmeBlock returns the fenced ```yaml block that follows heading in the README.
func readmeBlock(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, heading)
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(s[i:])
	if m == nil {
		t.Fatalf("no yaml block after %q", heading)
	}
	return m[1]
}

// TestREADME_ConfigSnippetIsValid parses the README's configuration example as policylint does.
func TestREADME_ConfigSnippetIsValid(t *testing.T) {
	f, err := config.Parse("README.md", []byte(readmeBlock(t, "### Configuration")))
	if err == nil {
		err = f.CheckRules(func(n string) bool { return lint.RuleByName(n) != nil })
	}
	if err != nil {
		t.Error(err)
	}
}

// TestREADME_ActionSnippetMatchesAction checks every input the README passes exists in action.yml.
func TestREADME_ActionSnippetMatchesAction(t *testing.T) {
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	var steps []struct {
		With map[string]any `yaml:"with"`
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "### GitHub Action")), &steps); err != nil || len(steps) != 1 {
		t.Fatalf("README action snippet: %v", err)
	}
	for k := range steps[0].With {
		if _, ok := action.Inputs[k]; !ok {
			t.Errorf("README passes input %q, which action.yml does not declare", k)
		}
	}
}

// TestREADME_PreCommitSnippetMatchesHooks checks the README's hook ids exist.
func TestREADME_PreCommitSnippetMatchesHooks(t *testing.T) {
	var hooks []struct {
		ID string `yaml:"id"`
	}
	b, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	var repos []struct {
		Hooks []struct {
			ID string `yaml:"id"`
		} `yaml:"hooks"`
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "### pre-commit")), &repos); err != nil || len(repos) != 1 {
		t.Fatalf("README pre-commit snippet: %v", err)
	}
	for _, h := range repos[0].Hooks {
		found := false
		for _, d := range hooks {
			found = found || d.ID == h.ID
		}
		if !found {
			t.Errorf("README uses hook %q, which .pre-commit-hooks.yaml does not define", h.ID)
		}
	}
}

// readmeFence returns the fenced block of lang that follows heading in the README.
func readmeFence(t *testing.T, heading, lang string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, heading)
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindStringSubmatch(s[i:])
	if m == nil {
		t.Fatalf("no %s block after %q", lang, heading)
	}
	return m[1]
}

// TestREADME_KindsShowRealOutput lints the example of each kind's section (a YAML request, a
// workflow, a Terraform file), written under the name its output shows, and compares the output
// with the README's.
func TestREADME_KindsShowRealOutput(t *testing.T) {
	for _, c := range []struct{ heading, lang string }{
		{"### YAML requests and policies", "yaml"},
		{"### GitHub workflows", "yaml"},
		{"### Terraform", "hcl"},
	} {
		t.Run(c.heading, func(t *testing.T) {
			src := readmeFence(t, c.heading, c.lang)
			want := readmeFence(t, c.heading, "text")
			name, _, _ := strings.Cut(want, ":")
			dir := t.TempDir()
			path := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			run([]string{"lint", name}, nil, &stdout, &stderr)
			if got := stdout.String(); got != want {
				t.Errorf("README shows:\n%s\npolicylint reports:\n%s%s", want, got, stderr.String())
			}
		})
	}
}

// TestREADME_WorkflowLengthsParse checks the configuration example sets workflows.lengths.
func TestREADME_WorkflowLengthsParse(t *testing.T) {
	f, err := config.Parse("README.md", []byte(readmeBlock(t, "### Configuration")))
	if err != nil || f.Lengths["github.repository"] == 0 {
		t.Errorf("workflows.lengths: %v, %v", f.Lengths, err)
	}
}

// TestREADME_OneRuleBothWays lints a policy with each of the README's two versions of one rule:
// the conftest contract and the policylint contract give the same finding at the same place.
func TestREADME_OneRuleBothWays(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "One rule written both ways")
	blocks := regexp.MustCompile("(?s)```rego\n(.*?)```").FindAllStringSubmatch(s[i:], 2)
	if i < 0 || len(blocks) != 2 {
		t.Fatalf("the README's two versions of one rule are not found")
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}`
	var lines []string
	for n, block := range blocks {
		dir := writeFiles(t, map[string]string{".git/HEAD": "", "r/rule.rego": block[1], "p.json": policy})
		t.Chdir(dir)
		r := runWith(t, "", "lint", "--rules", "r", "p.json")
		var line string
		for l := range strings.Lines(r.stdout) {
			if strings.Contains(l, "allows every s3 action") {
				line = l[:strings.Index(l, " [")]
			}
		}
		if line == "" {
			t.Fatalf("version %d gives no finding:\n%s%s", n+1, r.stdout, r.stderr)
		}
		lines = append(lines, line)
	}
	if lines[0] != lines[1] || !strings.HasPrefix(lines[0], "p.json:1:38: statement 0 allows every s3 action") {
		t.Errorf("the two versions differ or are misplaced:\n%s\n%s", lines[0], lines[1])
	}
}
