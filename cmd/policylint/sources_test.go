package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestSources_Positions pins the line and column of findings inside a policy held in a YAML
// block scalar, a quoted YAML string, a folded scalar of a workflow and an HCL heredoc: each
// must be the place of the offending text in the user's own file.
func TestSources_Positions(t *testing.T) {
	cases := []struct {
		dir, file, want string
		// at is the text the file has at that line and column.
		at string
	}{
		{"yaml", "assume-tenant-role.yaml", "assume-tenant-role.yaml:12:9: Principal is not allowed", `"Principal": "*"`},
		{"yaml", "quoted-policy.yml", "quoted-policy.yml:3:151: character U+2013", "–q3"},
		{"workflow", "oidc-deploy.yml", "oidc-deploy.yml:29:31: character U+2013", "–upload"},
		{"terraform", "provider.tf", "provider.tf:21:13: Principal is not allowed", `"Principal": {"AWS"`},
		{"terraform", "workloads.tf", "workloads.tf:13:37: Action \"s3 PutObject\"", `"s3 PutObject"`},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Chdir("../../testdata/sources/" + c.dir)
			var stdout, stderr bytes.Buffer
			run([]string{"lint", c.file}, nil, &stdout, &stderr)
			found := false
			for _, line := range strings.Split(stdout.String(), "\n") {
				found = found || strings.HasPrefix(line, c.want)
			}
			if !found {
				t.Fatalf("no %q in:\n%s", c.want, stdout.String())
			}
			var line, col int
			if _, err := sscanPlace(c.want, &line, &col); err != nil {
				t.Fatal(err)
			}
			src := readLines(t, c.file)
			if got := string([]rune(src[line-1])[col-1:]); !strings.HasPrefix(got, c.at) {
				t.Errorf("line %d column %d holds %q, want %q", line, col, got, c.at)
			}
		})
	}
}

// TestSources_WorkflowFolder lints .github/workflows as a user would: the step with a
// 1,500-character inline policy on the access-key path gets the packed size with the session
// tags the action adds, at the policy's line in the workflow; package.json beside it is not read.
func TestSources_WorkflowFolder(t *testing.T) {
	t.Chdir("../../testdata/sources/workflow/repo")
	var stdout, stderr bytes.Buffer
	code := run([]string{"lint", ".github/workflows"}, nil, &stdout, &stderr)
	out := stdout.String()
	if code != exitFindings || !strings.HasPrefix(out, ".github/workflows/export.yml:20:13: packed size is about ") {
		t.Fatalf("exit %d, output:\n%s%s", code, out, stderr.String())
	}
	for _, want := range []string{"[PL3001 packed-size]", `removing tags "Branch"`, "drops the tags EventName, RunId, Job, TriggeringActor and retries once", "Repository tag as 60 characters (github.repository)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	src := readLines(t, ".github/workflows/export.yml")
	if !strings.HasPrefix(strings.TrimSpace(src[18]), "inline-session-policy: |") || strings.TrimSpace(src[19]) != "{" {
		t.Errorf("line 20 is not the policy's first line: %q", src[19])
	}
	stdout.Reset()
	stderr.Reset()
	run([]string{"lint", "."}, nil, &stdout, &stderr)
	if !strings.Contains(stderr.String(), "notice: package.json skipped") || strings.Contains(stdout.String(), "package.json") {
		t.Errorf("package.json was not skipped with a notice:\n%s%s", stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "export.yml:20:13:") {
		t.Errorf("a walk of . did not read .github/workflows:\n%s", stdout.String())
	}
}

// sscanPlace reads the line and column of "file:line:col: ...".
func sscanPlace(s string, line, col *int) (int, error) {
	parts := strings.SplitN(s, ":", 4)
	if len(parts) < 3 {
		return 0, fmt.Errorf("no place in %q", s)
	}
	return fmt.Sscanf(parts[1]+" "+parts[2], "%d %d", line, col)
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "\n")
}
