package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The conftest contract: rules written for `conftest test policy.json` give the same findings
// under `policylint lint --rules DIR policy.json`. testdata/conftest holds such rules, written for
// this test, the policies they are run on, and conftest's own output on them (conftest v0.71.1,
// `conftest test --policy policy [--all-namespaces] --output json inputs/*.json`), recorded once:
// building conftest takes longer than CI has. When conftest is on PATH the test runs it too and
// requires the recording to be current.

const conftestDir = "../../testdata/conftest"

type conftestResult struct {
	Filename  string `json:"filename"`
	Namespace string `json:"namespace"`
	Failures  []struct {
		Msg string `json:"msg"`
	} `json:"failures"`
	Warnings []struct {
		Msg string `json:"msg"`
	} `json:"warnings"`
}

// conftestFindings reads conftest's JSON output as "file severity message" lines.
func conftestFindings(t *testing.T, b []byte) []string {
	t.Helper()
	var results []conftestResult
	if err := json.Unmarshal(b, &results); err != nil {
		t.Fatalf("conftest output: %v", err)
	}
	var out []string
	for _, r := range results {
		for _, f := range r.Failures {
			out = append(out, r.Filename+" error "+f.Msg)
		}
		for _, w := range r.Warnings {
			out = append(out, r.Filename+" warning "+w.Msg)
		}
	}
	slices.Sort(out)
	return out
}

func TestConftestContract_SameFindingsAsConftest(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join(conftestDir, "inputs", "*.json"))
	for i := range inputs {
		inputs[i] = strings.TrimPrefix(inputs[i], conftestDir+"/")
	}
	for _, tc := range []struct {
		recording string
		flags     []string
	}{
		{"conftest-main.json", nil},
		{"conftest-all.json", []string{"--all-namespaces"}},
	} {
		recorded, err := os.ReadFile(filepath.Join(conftestDir, tc.recording))
		if err != nil {
			t.Fatal(err)
		}
		want := conftestFindings(t, recorded)
		if bin, err := exec.LookPath("conftest"); err == nil {
			cmd := exec.Command(bin, append(append([]string{"test", "--policy", "policy", "--output", "json"}, tc.flags...), inputs...)...)
			cmd.Dir = conftestDir
			live, _ := cmd.Output() // conftest exits 1 on failures
			if got := conftestFindings(t, live); !slices.Equal(got, want) {
				t.Errorf("conftest now gives:\n%s\nthe recording %s says:\n%s", strings.Join(got, "\n"), tc.recording, strings.Join(want, "\n"))
			}
		}
		t.Chdir(conftestDir)
		r := runWith(t, "", append(append([]string{"lint", "--format", "json", "--rules", "policy"}, tc.flags...), inputs...)...)
		var out struct {
			Files []struct {
				Path        string
				Diagnostics []struct {
					Code, Rule, Severity, Message string
				}
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%v\n%s%s", err, r.stdout, r.stderr)
		}
		var got []string
		for _, f := range out.Files {
			for _, d := range f.Diagnostics {
				// The custom rules' findings: those without a code of policylint's own.
				if !strings.HasPrefix(d.Code, "PL") || d.Code == "PL9000" {
					got = append(got, f.Path+" "+d.Severity+" "+d.Message)
				}
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%v: policylint gives:\n%s\nconftest gives:\n%s", tc.flags, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		t.Chdir("../../cmd/policylint")
	}
}

// TestConftestContract_Positions: an unchanged conftest rule returns only a message; policylint
// places it at the statement the message was drawn from.
func TestConftestContract_Positions(t *testing.T) {
	t.Chdir(conftestDir)
	r := runWith(t, "", "lint", "--rules", "policy", "inputs/admin.json")
	for _, want := range []string{
		"inputs/admin.json:4:5: statement Admin allows the wildcard action * [ACME001 no-wildcard-action]",
		"inputs/admin.json:5:5: statement without Sid grants s3:Put* on every resource [PL9000 custom/main/deny_s3_everywhere]",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
}

// TestCustomRules_SARIFDescriptors: each custom rule has a SARIF rule descriptor of its own (its
// METADATA code, or its slug when it has none), and its results point at it.
func TestCustomRules_SARIFDescriptors(t *testing.T) {
	t.Chdir(conftestDir)
	r := runWith(t, "", "lint", "--format", "sarif", "--rules", "policy", "inputs/admin.json")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, Name, HelpURI string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex *int
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	ids := map[string]int{}
	for i, rule := range run.Tool.Driver.Rules {
		if _, dup := ids[rule.ID]; dup {
			t.Errorf("two descriptors with id %s", rule.ID)
		}
		ids[rule.ID] = i
	}
	for _, want := range []string{"ACME001", "custom/main/deny_s3_everywhere", "custom/main/violation", "custom/main/warn", "custom/main/warn_deny_only"} {
		if _, ok := ids[want]; !ok {
			t.Errorf("no descriptor %s", want)
		}
	}
	custom := 0
	for _, res := range run.Results {
		if res.RuleIndex == nil || run.Tool.Driver.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s points at descriptor %v", res.RuleID, res.RuleIndex)
		}
		if !strings.HasPrefix(res.RuleID, "PL") {
			custom++
		}
	}
	if custom != 5 {
		t.Errorf("%d custom results, want 5", custom)
	}
}
