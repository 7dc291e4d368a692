package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/golden"
	"github.com/policylint/policylint/lint"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden_Rules lints every testdata/rules/<slug>/ input (*.json, *.yml, *.yaml, *.tf, and
// bad* folders, as a directory walk) with the flags in the .args file beside it, if any. A good* file must be clean; any other must be
// reported by the rule its folder names, and its whole text output must equal the .golden file
// beside it.
func TestGolden_Rules(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/rules/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden folders: %v", err)
	}
	seen := map[string]bool{}
	for _, dir := range dirs {
		slug := filepath.Base(dir)
		if lint.RuleByName(slug) == nil {
			t.Errorf("%s: no rule named %q", dir, slug)
			continue
		}
		seen[slug] = true
		for _, file := range inputs(dir) {
			name := filepath.Base(file)
			t.Run(slug+"/"+name, func(t *testing.T) {
				base := strings.TrimSuffix(file, filepath.Ext(file))
				args := []string{"lint"}
				if b, err := os.ReadFile(base + ".args"); err == nil {
					args = append(args, strings.Fields(string(b))...)
				}
				t.Chdir(dir) // paths in the output are plain file names
				var stdout, stderr bytes.Buffer
				code := run(append(args, name), nil, &stdout, &stderr)
				if stderr.Len() > 0 {
					t.Errorf("stderr: %s", stderr.String())
				}
				if strings.HasPrefix(name, "good") {
					if code != exitOK || stdout.Len() > 0 {
						t.Errorf("good file: exit %d, output:\n%s", code, stdout.String())
					}
					return
				}
				if !strings.Contains(stdout.String(), " "+slug+"]") {
					t.Errorf("no %s finding in:\n%s", slug, stdout.String())
				}
				compareGolden(t, strings.TrimSuffix(name, filepath.Ext(name))+".golden", stdout.Bytes())
			})
		}
	}
	for _, r := range lint.Rules {
		if !seen[r.Slug] {
			t.Errorf("rule %s has no golden folder testdata/rules/%s", r.Code, r.Slug)
		}
	}
}

// TestGolden_Requests lints every testdata/requests/*.json as a request file and compares the
// text and JSON output with the .golden and .json.golden files beside it.
func TestGolden_Requests(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/requests/*.json")
	if len(files) == 0 {
		t.Fatal("no request files")
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			t.Chdir(filepath.Dir(file))
			for _, format := range []string{"text", "json"} {
				var stdout, stderr bytes.Buffer
				run([]string{"lint", "--format", format, name}, nil, &stdout, &stderr)
				if stderr.Len() > 0 {
					t.Errorf("stderr: %s", stderr.String())
				}
				golden := strings.TrimSuffix(name, ".json") + map[string]string{"text": ".golden", "json": ".json.golden"}[format]
				compareGolden(t, golden, stdout.Bytes())
			}
		})
	}
}

// TestGolden_Paths: a PATH that yields no file to lint (a folder of no file policylint reads,
// one of JSON or YAML that holds no policy, a missing path) is reported on stderr and exits 2,
// never a silent exit 0. Each folder of testdata/paths, and a path that does not exist, is
// linted; the transcript (command, exit code, stderr, stdout) equals paths.golden.
func TestGolden_Paths(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/paths/*")
	var names []string
	for _, d := range dirs {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			names = append(names, filepath.Base(d))
		}
	}
	if len(names) == 0 {
		t.Fatal("no folders in testdata/paths")
	}
	t.Chdir("../../testdata/paths")
	var transcript bytes.Buffer
	for _, name := range append(names, "missing") {
		var stdout, stderr bytes.Buffer
		code := run([]string{"lint", name}, nil, &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("lint %s: exit %d, want %d", name, code, exitUsage)
		}
		fmt.Fprintf(&transcript, "$ policylint lint %s\nexit %d\n%s%s\n", name, code, stderr.String(), stdout.String())
	}
	compareGolden(t, "paths.golden", transcript.Bytes())
}

// inputs lists the files of a golden folder policylint reads, sorted.
func inputs(dir string) []string {
	var out []string
	for _, ext := range []string{"*.json", "*.yml", "*.yaml", "*.tf"} {
		files, _ := filepath.Glob(filepath.Join(dir, ext))
		for _, f := range files {
			if !strings.HasPrefix(filepath.Base(f), ".") {
				out = append(out, f)
			}
		}
	}
	folders, _ := filepath.Glob(filepath.Join(dir, "bad*"))
	for _, f := range folders {
		if info, err := os.Lstat(f); err == nil && info.IsDir() {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// compareGolden compares got with the golden file, or rewrites it under -update.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Compare(t, path, got, *update)
}

// TestGolden_Sources lints every input of testdata/sources/<kind>/ (YAML requests and policies,
// workflows, Terraform, plans) and compares the text and JSON output with the .golden and
// .json.golden files beside it.
func TestGolden_Sources(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/sources/*")
	if len(dirs) == 0 {
		t.Fatal("no source folders")
	}
	for _, dir := range dirs {
		for _, file := range inputs(dir) {
			name := filepath.Base(file)
			t.Run(filepath.Base(dir)+"/"+name, func(t *testing.T) {
				t.Chdir(dir)
				base := strings.TrimSuffix(name, filepath.Ext(name))
				for _, format := range []string{"text", "json"} {
					var stdout, stderr bytes.Buffer
					run([]string{"lint", "--format", format, name}, nil, &stdout, &stderr)
					if stderr.Len() > 0 {
						t.Errorf("stderr: %s", stderr.String())
					}
					compareGolden(t, base+map[string]string{"text": ".golden", "json": ".json.golden"}[format], stdout.Bytes())
				}
			})
		}
	}
}
