package workflow

import (
	"fmt"
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/internal/source/yaml"
)

func read(t *testing.T, src string) source.File {
	t.Helper()
	f, err := yaml.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Read(f, Options{Path: ".github/workflows/deploy.yml"})
}

// stepWith is a workflow of one configure-aws-credentials step with the given env mappings and
// inputs, each a line of YAML flow mapping.
func stepWith(workflowEnv, jobEnv, stepEnv, with string) string {
	return fmt.Sprintf("on: push\nenv: {%s}\njobs:\n  deploy:\n    env: {%s}\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v6\n        env: {%s}\n        with: {role-to-assume: \"arn:aws:iam::123456789012:role/r\", %s}\n",
		workflowEnv, jobEnv, stepEnv, with)
}

// TestRead_EnvScopes: an env value is the step's, else the job's, else the workflow's.
func TestRead_EnvScopes(t *testing.T) {
	out := read(t, stepWith("A: wf, B: wf, C: wf", "B: job, C: job", "C: step", `role-session-name: "${{ env.A }}-${{ env.B }}-${{ env.c }}"`))
	if len(out.Docs) != 1 || !strings.Contains(string(out.Docs[0].JSON), `"RoleSessionName":"wf-job-step"`) {
		t.Fatalf("%s", out.Docs[0].JSON)
	}
}

// TestRead_EnvExpansionBounded: env values that name others many times over would expand to
// terabytes, and stand-ins can be far longer than their expressions; past maxExpansion bytes a
// file's expressions are taken as empty, which one finding says.
func TestRead_EnvExpansionBounded(t *testing.T) {
	fan := func(name string) string { return strings.Repeat("${{ env."+name+" }}", 1000) }
	out := read(t, stepWith("A: '"+fan("B")+"', B: '"+fan("C")+"', C: '"+strings.Repeat("c", 1000)+"'", "", "",
		`role-session-name: "${{ env.A }}", role-external-id: "${{ github.sha }}"`))
	if len(out.Docs) != 1 {
		t.Fatalf("%d documents", len(out.Docs))
	}
	if n := len(out.Docs[0].JSON); n > maxExpansion+8<<10 {
		t.Errorf("the request has %d bytes", n)
	}
	if len(out.Findings) != 1 || out.Findings[0].Rule != "not-checkable" || !strings.Contains(out.Findings[0].Message, "taken as empty") {
		t.Errorf("findings %v", out.Findings)
	}
	if strings.Contains(string(out.Docs[0].JSON), `"ExternalId"`) {
		t.Error("an expression past the budget is not left out (the input is then empty, so unset)")
	}
}

// TestRead_MessagesBounded: a finding quotes at most a few dozen characters of any value.
func TestRead_MessagesBounded(t *testing.T) {
	long := strings.Repeat("x", 10_000)
	out := read(t, stepWith("", "", "", strings.Repeat("k", 1000)+": 1, role-chaining: "+long+", role-duration-seconds: "+long+
		", transitive-tag-keys: "+long+", custom-tags: '{\""+long+"\": [1], \"GitHub\": 1}'"+
		", inline-session-policy: \"${{ fromJSON("+long+") }}\""))
	if len(out.Findings) < 6 {
		t.Fatalf("%d findings: %v", len(out.Findings), out.Findings)
	}
	for _, f := range out.Findings {
		if len(f.Message) > 400 {
			t.Errorf("%s: a message of %d bytes: %.120s…", f.Rule, len(f.Message), f.Message)
		}
	}
}

// TestTruncate: tag values are cut to 256 UTF-16 code units, as the action's slice cuts them,
// never inside a character.
func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int // characters kept
	}{
		{strings.Repeat("a", 255), 255}, {strings.Repeat("a", 256), 256}, {strings.Repeat("a", 257), 256},
		{strings.Repeat("é", 300), 256}, {strings.Repeat("a", 255) + "😀", 255}, {strings.Repeat("😀", 200), 128},
	} {
		got := truncate(c.in, maxTagValue)
		if n := len([]rune(got)); n != c.want || !strings.HasPrefix(c.in, got) {
			t.Errorf("truncate(%.10q…) keeps %d characters, want %d", c.in, n, c.want)
		}
	}
}
