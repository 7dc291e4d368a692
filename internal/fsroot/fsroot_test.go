package fsroot

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// tree makes a repository with a secret beside it, outside, and returns the repository's folder.
func tree(t *testing.T) (repo, outside string) {
	t.Helper()
	top := t.TempDir()
	repo, outside = filepath.Join(top, "repo"), filepath.Join(top, "outside")
	for _, d := range []string{repo + "/.git", repo + "/policies/sub", repo + "/.hidden", outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(outside+"/token.json", `{"secret": "CANARY"}`)
	write(repo+"/policies/a.json", `{}`)
	write(repo+"/policies/sub/b.json", `{}`)
	write(repo+"/policies/notes.txt", `x`)
	write(repo+"/.hidden/c.json", `{}`)
	links := map[string]string{
		repo + "/policies/out.json":    "../../outside/token.json",
		repo + "/policies/abs.json":    outside + "/token.json",
		repo + "/policies/in.json":     "a.json",
		repo + "/policies/zero.json":   "/dev/zero",
		repo + "/policies/dangle.json": "nowhere.json",
		repo + "/policies/dirlink":     "sub",
		repo + "/outdir":               outside,
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	return repo, outside
}

func TestReadFile_Confined(t *testing.T) {
	repo, outside := tree(t)
	f, err := New(filepath.Join(repo, "policies"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Dir() != repo {
		t.Fatalf("root is %s, want the repository %s", f.Dir(), repo)
	}
	for _, tc := range []struct {
		path string
		want error // nil: readable
	}{
		{"a.json", nil},
		{"sub/b.json", nil},
		{"in.json", nil},
		{"../policies/a.json", nil},
		{filepath.Join(repo, "policies/a.json"), nil},
		{"out.json", ErrOutside},
		{"abs.json", ErrOutside},
		{"zero.json", ErrOutside},
		{"../../outside/token.json", ErrOutside},
		{filepath.Join(outside, "token.json"), ErrOutside},
		{"../outdir/token.json", ErrOutside},
		{"sub", ErrNotRegular},
		{"dangle.json", os.ErrNotExist},
	} {
		b, err := f.ReadFile(tc.path, 1<<20)
		switch {
		case tc.want == nil && err != nil:
			t.Errorf("ReadFile(%q): %v, want it read", tc.path, err)
		case tc.want != nil && !errors.Is(err, tc.want):
			t.Errorf("ReadFile(%q) = %q, %v; want %v", tc.path, b, err, tc.want)
		}
	}
}

func TestReadFile_LimitAndSpecialFiles(t *testing.T) {
	repo, _ := tree(t)
	f, err := New(repo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadFile("policies/a.json", 1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a 2-byte file with a 1-byte limit: %v, want ErrTooLarge", err)
	}
	if _, err := f.ReadFile("policies/a.json", 2); err != nil {
		t.Errorf("a 2-byte file with a 2-byte limit: %v", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	fifo := filepath.Join(repo, "policies", "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// Without O_NONBLOCK this open would wait for a writer forever.
	if _, err := f.ReadFile("policies/fifo.json", 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a FIFO: %v, want ErrNotRegular", err)
	}
}

func TestWalk_DoesNotFollowLinks(t *testing.T) {
	repo, _ := tree(t)
	f, err := New(repo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var files, links, outside []string
	json := func(name string) bool { return filepath.Ext(name) == ".json" }
	noDot := func(name string) bool { return !strings.HasPrefix(name, ".") }
	err = f.Walk(".", json, noDot, func(e Entry) error {
		switch {
		case e.Outside:
			outside = append(outside, e.Path)
		case e.Link:
			links = append(links, e.Path)
		default:
			files = append(files, e.Path)
		}
		return nil
	}, func(path string, err error) { t.Errorf("%s: %v", path, err) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"policies/a.json", "policies/sub/b.json"}; !slices.Equal(files, want) {
		t.Errorf("files %q, want %q (no hidden folder, no linked folder)", files, want)
	}
	if want := []string{"policies/in.json"}; !slices.Equal(links, want) {
		t.Errorf("links inside %q, want %q", links, want)
	}
	// outdir, a folder linked out of the root, is reported, not entered.
	if want := []string{"outdir", "policies/abs.json", "policies/dangle.json", "policies/out.json", "policies/zero.json"}; !slices.Equal(outside, want) {
		t.Errorf("links outside %q, want %q", outside, want)
	}
}

func TestAllow(t *testing.T) {
	repo, outside := tree(t)
	f, err := New(repo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	named := filepath.Join(outside, "token.json")
	if f.Inside(named) {
		t.Fatal("a file outside the repository is inside before Allow")
	}
	if err := f.Allow(named); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadFile(named, 1<<20); err != nil {
		t.Errorf("a file named on the command line: %v", err)
	}
	if runtime.GOOS != "linux" {
		return
	}
	for _, p := range []string{"/proc/self/environ", "/dev/zero"} {
		if err := f.Allow(p); err == nil {
			t.Errorf("Allow(%s) succeeded; system files must be refused", p)
		}
	}
	link := filepath.Join(outside, "env.json")
	if err := os.Symlink("/proc/self/environ", link); err != nil {
		t.Fatal(err)
	}
	fresh, err := New(repo)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if err := fresh.Allow(link); err == nil {
		t.Error("Allow of a link to /proc/self/environ succeeded")
	}
	// In a folder already allowed, the link is still not followed out of it.
	if _, err := f.ReadFile(link, 1<<20); err == nil {
		t.Error("a link to /proc/self/environ in an allowed folder was read")
	}
}
