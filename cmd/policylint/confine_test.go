package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// canary is a secret in a file outside the repository: no output may hold it.
const canary = "CANARY-4f1d9c-OUTSIDE-SECRET"

// hostileRepo makes a repository whose files reach for a secret outside it in every way a pull
// request can: links out (relative, absolute, to a device), a request's file:// policy with ..,
// an absolute file:// path, a configuration linked out and rules-dirs out. It returns the
// repository, after changing into it.
func hostileRepo(t *testing.T) string {
	t.Helper()
	top := t.TempDir()
	outside := filepath.Join(top, "outside")
	secret := filepath.Join(outside, "token.json")
	dir := writeFiles(t, map[string]string{
		".git/HEAD":              "",
		"policies/tenant.json":   goodPolicy,
		"requests/dotdot.json":   `{"RoleArn":"arn:aws:iam::123456789012:role/x","RoleSessionName":"s1","Policy":"file://../../outside/token.json"}`,
		"requests/absolute.json": `{"RoleArn":"arn:aws:iam::123456789012:role/x","RoleSessionName":"s1","Policy":"file://` + secret + `"}`,
		"requests/linked.json":   `{"RoleArn":"arn:aws:iam::123456789012:role/x","RoleSessionName":"s1","Policy":"file://../policies/linked.json"}`,
	})
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(secret, []byte(`{"Version":"2012-10-17","token":"`+canary+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"policies/linked.json": "../../outside/token.json",
		"policies/abs.json":    secret,
		"policies/zero.json":   "/dev/zero",
		"policies/outdir":      outside,
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	// The repository sits in top, so ../outside from it is a sibling folder.
	repo := filepath.Join(top, "repo")
	if err := os.Rename(dir, repo); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	return repo
}

func TestConfinement_NothingOutsideIsRead(t *testing.T) {
	hostileRepo(t)
	for _, format := range []string{"text", "json", "sarif", "github"} {
		r := runWith(t, "", "lint", "--format", format, "policies", "requests")
		if strings.Contains(r.stdout+r.stderr, canary) {
			t.Fatalf("--format %s printed the secret outside the repository:\n%s%s", format, r.stdout, r.stderr)
		}
		if r.code != exitFindings {
			t.Errorf("--format %s: exit %d, want 1 (the file:// policies cannot be read)\n%s", format, r.code, r.stderr)
		}
	}
	r := runWith(t, "", "lint", "--format", "text", "policies", "requests")
	for _, want := range []string{
		"policies/abs.json:1:1: symbolic link leads outside the repository",
		"policies/linked.json:1:1: symbolic link leads outside the repository",
		"policies/zero.json:1:1: symbolic link leads outside the repository",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
	for _, want := range []string{"requests/dotdot.json:1:79: ", "requests/linked.json:1:79: ", "requests/absolute.json:1:79: "} {
		if i := strings.Index(r.stdout, want); i < 0 || !strings.Contains(r.stdout[i:], "outside the repository") {
			t.Errorf("missing %q in:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "outdir/") {
		t.Errorf("a linked folder was entered:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "policies/outdir:1:1: symbolic link leads outside the repository") {
		t.Errorf("the folder linked out of the repository is not reported:\n%s", r.stdout)
	}
}

func TestConfinement_ExplicitLinkOut(t *testing.T) {
	hostileRepo(t)
	for _, p := range []string{"policies/linked.json", "policies/abs.json", "policies/zero.json", "policies/outdir/token.json"} {
		r := runWith(t, "", "lint", p)
		if r.code != exitUsage || !strings.Contains(r.stderr, "policylint: "+p+": outside the repository") || strings.Contains(r.stdout+r.stderr, canary) {
			t.Errorf("lint %s: exit %d, want 2 naming the path\nstdout: %s\nstderr: %s", p, r.code, r.stdout, r.stderr)
		}
	}
}

func TestConfinement_ConfigurationAndRules(t *testing.T) {
	repo := hostileRepo(t)
	outside := filepath.Join(filepath.Dir(repo), "outside")
	if err := os.WriteFile(filepath.Join(outside, "x.rego"), []byte("package main\n\ndeny contains \""+canary+"\" if true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(".policylint.yaml", []byte("rules-dirs: [../outside]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runWith(t, "", "lint", "policies/tenant.json")
	if r.code != exitUsage || !strings.Contains(r.stderr, `.policylint.yaml:1:14: rules-dirs entry "../outside" leads outside the repository`) || strings.Contains(r.stdout+r.stderr, canary) {
		t.Errorf("rules-dirs out of the repository: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A configuration file that is a link out of the repository is refused, not parsed.
	if err := os.Remove(".policylint.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "token.json"), ".policylint.yaml"); err != nil {
		t.Fatal(err)
	}
	r = runWith(t, "", "lint", "policies/tenant.json")
	if r.code != exitUsage || !strings.Contains(r.stderr, ".policylint.yaml: outside the repository") || strings.Contains(r.stdout+r.stderr, canary) {
		t.Errorf("configuration linked out: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestExpand_NothingToLint(t *testing.T) {
	t.Chdir(writeFiles(t, map[string]string{
		".git/HEAD": "", "empty/.keep": "", "text/notes.txt": "x", "node/package.json": `{"name": "x"}`,
		"compose/compose.yml": "services:\n  web:\n    image: nginx\n", "compose/values.yaml": "replicas: 2\n",
	}))
	for dir, want := range map[string]string{
		"empty": "no file policylint reads", "text": "no file policylint reads",
		"node":    "nothing to lint below this folder: its one file holds no policy",
		"compose": "nothing to lint below this folder: its 2 files hold no policy", // a folder of YAML that is no policy
	} {
		r := runWith(t, "", "lint", dir)
		if r.code != exitUsage || !strings.Contains(r.stderr, "policylint: "+dir+": "+want) {
			t.Errorf("lint %s: exit %d, stderr %q; want 2 and a message", dir, r.code, r.stderr)
		}
	}
}
