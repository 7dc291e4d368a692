package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzCanary is the content of a secret beside the repository; no output may hold it.
const fuzzCanary = "FUZZCANARY7c1e55"

// FuzzLintTree builds a repository from the input, files and symbolic links whose targets lead
// anywhere (into it, beside it to a secret, to /dev/zero, nowhere), lints it in every format as
// CI would (a directory walk, and every file named), and requires that no output holds the secret
// and that policylint neither panics nor fails internally.
//
// The input is entries separated by NUL: "f NAME\nCONTENT" is a file, "l NAME\nTARGET" a link;
// OUTSIDE in a target or content stands for the secret's absolute path.
func FuzzLintTree(f *testing.F) {
	for _, seed := range []string{
		"f policies/a.json\n{\"Version\":\"2012-10-17\",\"Statement\":[]}\x00l policies/b.json\n../../outside/secret.json",
		"l x.json\nOUTSIDE\x00f r.json\n{\"RoleArn\":\"arn:aws:iam::123456789012:role/x\",\"RoleSessionName\":\"ab\",\"Policy\":\"file://x.json\"}",
		"f r.json\n{\"RoleArn\":\"arn:aws:iam::123456789012:role/x\",\"RoleSessionName\":\"ab\",\"Policy\":\"file://../outside/secret.json\"}",
		"l d\n../outside\x00f .policylint.yaml\nrules-dirs: [d]\n",
		"l .policylint.yaml\n../outside/secret.json\x00f p.yaml\nVersion: 2012-10-17\n",
		"l zero.json\n/dev/zero\x00l loop.json\nloop.json\x00f w/.github/workflows/x.yml\non: push\n",
		"f .policylint.yaml\nrules-dirs: [r]\n\x00f r/x.rego\npackage main\n\ndeny contains \"x\" if input.Statement\n\x00f p.json\n{\"Version\":\"2012-10-17\",\"Statement\":[]}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		top := t.TempDir()
		repo, outside := filepath.Join(top, "repo"), filepath.Join(top, "outside")
		secret := filepath.Join(outside, "secret.json")
		for _, d := range []string{filepath.Join(repo, ".git"), outside} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(secret, []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"`+fuzzCanary+`"}]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		var names []string
		for entry := range bytes.SplitSeq(data, []byte{0}) {
			head, body, _ := strings.Cut(string(entry), "\n")
			kind, name, ok := strings.Cut(head, " ")
			name = filepath.Clean(name)
			if !ok || name == "." || filepath.IsAbs(name) || strings.HasPrefix(name, "..") || strings.Count(name, "/") > 4 || strings.ContainsRune(name, 0) {
				continue
			}
			body = strings.ReplaceAll(body, "OUTSIDE", secret)
			path := filepath.Join(repo, name)
			if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
				continue
			}
			var err error
			switch kind {
			case "f":
				err = os.WriteFile(path, []byte(body), 0o644)
			case "l":
				err = os.Symlink(body, path)
			default:
				continue
			}
			if err == nil {
				names = append(names, name)
			}
		}
		t.Chdir(repo)
		// text and SARIF: the format users read and the largest one; confinement does not depend
		// on the format, and each run may start a rule worker.
		for _, format := range []string{"text", "sarif"} {
			for _, args := range [][]string{{"."}, names} {
				if len(args) == 0 {
					continue
				}
				var out, errOut bytes.Buffer
				code := run(append([]string{"lint", "--format", format, "--rule-timeout", "200ms"}, args...), strings.NewReader(""), &out, &errOut)
				if code == exitInternal {
					t.Fatalf("internal failure (exit 3) on %q:\n%s", data, errOut.String())
				}
				if strings.Contains(out.String()+errOut.String(), fuzzCanary) {
					t.Fatalf("--format %s printed the secret outside the repository, for %q:\n%s%s", format, data, out.String(), errOut.String())
				}
			}
		}
	})
}
