package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policylint/policylint/pack"
)

func TestWriteVersion(t *testing.T) {
	tests := []struct {
		name string
		b    buildInfo
		want []string
		tool string
	}{
		{"release", buildInfo{Version: "1.4.0", Release: true, Commit: "f60fd57a9069a617e9c297278bec95abfa14d988", Date: "2026-11-23T19:57:46Z", Go: "go1.26.8 linux/amd64"},
			[]string{"policylint 1.4.0\n", "commit:            f60fd57a9069a617e9c297278bec95abfa14d988\n", "commit date:       2026-11-23T19:57:46Z\n", "go:                go1.26.8 linux/amd64\n", "packed size model: " + pack.ModelVersion + "\n"}, "1.4.0"},
		{"checkout with changes", buildInfo{Version: "v0.0.0-20261123195746-f60fd57a9069+dirty", Commit: "f60fd57a9069", Date: "2026-11-23T19:57:46Z", Modified: true, Go: "go1.26.8 linux/amd64"},
			[]string{"policylint v0.0.0-20261123195746-f60fd57a9069+dirty (built from source)\n", "commit:            f60fd57a9069 (with uncommitted changes)\n"}, "0.0.0-20261123195746-f60fd57a9069+dirty"},
		{"go install", buildInfo{Version: "v1.4.0", Go: "go1.26.8 darwin/arm64"}, []string{"policylint v1.4.0 (built from source)\n"}, "1.4.0"},
		{"go run", buildInfo{Version: "(devel)", Go: "go1.26.8 linux/amd64"},
			[]string{"policylint (devel) (built from source, without version control information)\n", "packed size model:"}, "0.0.0-devel"},
	}
	for _, tt := range tests {
		var b strings.Builder
		writeVersion(&b, tt.b)
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: no %q in:\n%s", tt.name, w, b.String())
			}
		}
		if strings.Contains(b.String(), "dev\n") || strings.Contains(b.String(), " dev ") {
			t.Errorf("%s: says dev:\n%s", tt.name, b.String())
		}
		if got := tt.b.toolVersion(); got != tt.tool {
			t.Errorf("%s: toolVersion %q, want %q", tt.name, got, tt.tool)
		}
	}
}

// TestReadBuildInfo_ReleaseStamps pins that the -ldflags stamps win over what Go recorded.
func TestReadBuildInfo_ReleaseStamps(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "1.4.0", "abc123", "2026-11-23T19:57:46Z"
	b := readBuildInfo()
	if !b.Release || b.Version != "1.4.0" || b.Commit != "abc123" || b.Date != "2026-11-23T19:57:46Z" || b.Modified || !strings.HasPrefix(b.Go, "go1.") {
		t.Errorf("%+v", b)
	}
}

// TestRun_Output writes SARIF and Markdown beside the text output, in one run, and names files
// from the repository's root.
func TestRun_Output(t *testing.T) {
	dir := writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", "infra/bad.json": badJSON, "infra/good.json": goodPolicy})
	t.Chdir(filepath.Join(dir, "infra"))
	r := runWith(t, "", "lint", "--output", "sarif=out.sarif", "--output", "markdown=summary.md", "bad.json", "good.json")
	if r.code != exitFindings || !strings.HasPrefix(r.stdout, "bad.json:1:") {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	var log struct {
		Runs []struct {
			Tool      struct{ Driver struct{ Version string } }
			Artifacts []struct {
				Location struct{ URI, URIBaseID string }
			}
		}
	}
	raw, err := os.ReadFile("out.sarif")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	if a := log.Runs[0].Artifacts; len(a) != 2 || a[0].Location.URI != "infra/bad.json" || a[0].Location.URIBaseID != "%SRCROOT%" {
		t.Errorf("artifacts %+v", a)
	}
	if v := log.Runs[0].Tool.Driver.Version; v == "" || v == "dev" {
		t.Errorf("tool version %q", v)
	}
	md, err := os.ReadFile("summary.md")
	if err != nil || !strings.Contains(string(md), "**1 finding** in 1 of 2 files") || !strings.Contains(string(md), `infra/bad\.json`) {
		t.Errorf("summary (%v):\n%s", err, md)
	}

	for _, bad := range [][]string{{"--output", "sarif"}, {"--output", "xml=x"}, {"--output", "sarif="}} {
		if r := runWith(t, "", append(append([]string{"lint"}, bad...), "good.json")...); r.code != exitUsage || !strings.Contains(r.stderr, "--output") {
			t.Errorf("%v: exit %d, stderr %q", bad, r.code, r.stderr)
		}
	}
	if r := runWith(t, "", "lint", "--output", "sarif="+filepath.Join("missing", "x.sarif"), "good.json"); r.code != exitUsage || !strings.Contains(r.stderr, "missing") {
		t.Errorf("unwritable --output: exit %d, stderr %q", r.code, r.stderr)
	}
}
