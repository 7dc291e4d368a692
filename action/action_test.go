// Package action tests the GitHub Action's scripts (action.yml runs them) as the runner would:
// with bash, the runner's environment variables and files, and a local HTTP server in place of
// GitHub's releases.
package action

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// needTools skips the test where the runner's tools are missing.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the scripts are tested on Linux and macOS; Windows runners run them in Git Bash")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: skipping", tool)
		}
	}
}

// runnerPlatform is how GitHub names this machine (RUNNER_OS, RUNNER_ARCH) and how the release
// archives do.
func runnerPlatform(t *testing.T) (runnerOS, runnerArch, goos, goarch string) {
	t.Helper()
	switch runtime.GOOS {
	case "linux":
		runnerOS = "Linux"
	case "darwin":
		runnerOS = "macOS"
	default:
		t.Skipf("no runner OS for %s", runtime.GOOS)
	}
	switch runtime.GOARCH {
	case "amd64":
		runnerArch = "X64"
	case "arm64":
		runnerArch = "ARM64"
	default:
		t.Skipf("no runner architecture for %s", runtime.GOARCH)
	}
	return runnerOS, runnerArch, runtime.GOOS, runtime.GOARCH
}

// release is a release's assets: checksums.txt and archives, by name.
type release struct {
	version string // without the v
	assets  map[string][]byte
}

// snapshotRelease is the release the tests serve: the snapshot that CI built from
// .goreleaser.yaml (POLICYLINT_SNAPSHOT_DIST, a folder with checksums.txt and the archives), or
// else a stand-in archive whose policylint is a script that prints its version.
func snapshotRelease(t *testing.T) release {
	t.Helper()
	if dist := os.Getenv("POLICYLINT_SNAPSHOT_DIST"); dist != "" {
		sums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
		if err != nil {
			t.Fatal(err)
		}
		rel := release{assets: map[string][]byte{"checksums.txt": sums}}
		for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
			_, name, _ := strings.Cut(line, "  ")
			b, err := os.ReadFile(filepath.Join(dist, name))
			if err != nil {
				t.Fatal(err)
			}
			rel.assets[name] = b
			if m := regexp.MustCompile(`^policylint_(.+)_[a-z]+_[a-z0-9]+\.(tar\.gz|zip)$`).FindStringSubmatch(name); m != nil {
				rel.version = m[1]
			}
		}
		if rel.version == "" {
			t.Fatalf("%s: no archive in checksums.txt", dist)
		}
		t.Logf("serving the snapshot release %s from %s", rel.version, dist)
		return rel
	}
	_, _, goos, goarch := runnerPlatform(t)
	const version = "1.4.0"
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	script := "#!/bin/sh\necho policylint " + version + "\n"
	for _, f := range []struct {
		name, body string
		mode       int64
	}{{"policylint", script, 0o755}, {"policylint-rules", "#!/bin/sh\nexit 2\n", 0o755}, {"README.md", "# policylint\n", 0o644}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("policylint_%s_%s_%s.tar.gz", version, goos, goarch)
	other := fmt.Sprintf("policylint_%s_windows_%s.zip", version, goarch)
	sums := fmt.Sprintf("%s  %s\n%s  %s\n", sha256Hex(buf.Bytes()), name, sha256Hex([]byte("zip")), other)
	return release{version, map[string][]byte{"checksums.txt": []byte(sums), name: buf.Bytes(), other: []byte("zip")}}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// serve serves rel as GitHub does: /download/vVERSION/NAME and /latest/download/NAME.
func serve(t *testing.T, rel release) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/releases/download/v"+rel.version+"/")
		if !ok {
			name, ok = strings.CutPrefix(r.URL.Path, "/releases/latest/download/")
		}
		b, found := rel.assets[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/releases"
}

// install runs install-release.sh; it returns the exit code, the output, and the folder it
// installs into.
func install(t *testing.T, version, releases string, env ...string) (int, string, string) {
	t.Helper()
	runnerOS, runnerArch, _, _ := runnerPlatform(t)
	bin := filepath.Join(t.TempDir(), "bin")
	cmd := exec.Command("bash", "install-release.sh")
	cmd.Env = append(os.Environ(), "POLICYLINT_VERSION="+version, "POLICYLINT_RELEASES="+releases, "POLICYLINT_BIN="+bin,
		"RUNNER_OS="+runnerOS, "RUNNER_ARCH="+runnerArch, "RUNNER_TEMP="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out), bin
}

func TestInstallRelease_Download(t *testing.T) {
	needTools(t, "bash", "curl", "tar")
	rel := snapshotRelease(t)
	url := serve(t, rel)
	for _, version := range []string{"v" + rel.version, rel.version, "latest"} {
		code, out, bin := install(t, version, url)
		if code != 0 {
			t.Fatalf("version %s: exit %d:\n%s", version, code, out)
		}
		got, err := exec.Command(filepath.Join(bin, "policylint"), "--version").Output()
		if err != nil || !strings.HasPrefix(string(got), "policylint "+rel.version+"\n") {
			t.Errorf("version %s: the installed policylint says %q (%v)", version, got, err)
		}
		if !strings.Contains(out, "as checksums.txt says") {
			t.Errorf("version %s: the log does not say the checksum was checked:\n%s", version, out)
		}
		if _, err := os.Stat(filepath.Join(bin, "policylint-rules")); err != nil {
			t.Errorf("version %s: policylint-rules is not installed beside policylint: %v", version, err)
		}
	}
}

// TestInstallRelease_CorruptedChecksum pins that a download whose SHA-256 is not the one in
// checksums.txt fails the step with a message that says so, and installs nothing.
func TestInstallRelease_CorruptedChecksum(t *testing.T) {
	needTools(t, "bash", "curl", "tar")
	rel := snapshotRelease(t)
	sums := string(rel.assets["checksums.txt"])
	flip := map[byte]byte{'0': '1'}
	corrupted := []byte(sums)
	for i := range corrupted {
		if i == 0 || corrupted[i-1] == '\n' {
			if b, ok := flip[corrupted[i]]; ok {
				corrupted[i] = b
			} else {
				corrupted[i] = '0'
			}
		}
	}
	rel.assets["checksums.txt"] = corrupted
	code, out, bin := install(t, "v"+rel.version, serve(t, rel))
	if code != 1 || !regexp.MustCompile(`(?m)^::error title=policylint::checksum mismatch for policylint_\S+: checksums\.txt says sha256 [0-9a-f]{64}, the download is [0-9a-f]{64}; not installing it$`).MatchString(out) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(bin, "policylint")); err == nil {
		t.Error("policylint was installed although its checksum does not match")
	}
}

func TestInstallRelease_Errors(t *testing.T) {
	needTools(t, "bash", "curl", "tar")
	rel := snapshotRelease(t)
	url := serve(t, rel)
	tests := []struct {
		name, version, releases string
		env                     []string
		want                    string
	}{
		{"no such release", "v9.9.9", url, nil, "could not download " + url + "/download/v9.9.9/checksums.txt"},
		{"plain http elsewhere", "latest", "http://example.com/releases", nil, "releases URL http://example.com/releases: want https://"},
		{"unknown OS", "latest", url, []string{"RUNNER_OS=FreeBSD"}, "no policylint release for the runner OS 'FreeBSD'"},
		{"unknown architecture", "latest", url, []string{"RUNNER_ARCH=ARM"}, "no policylint release for the runner architecture 'ARM'"},
	}
	for _, tt := range tests {
		code, out, _ := install(t, tt.version, tt.releases, tt.env...)
		if code != 1 || !strings.Contains(out, "::error title=policylint::"+tt.want) {
			t.Errorf("%s: exit %d, want 1 and %q:\n%s", tt.name, code, tt.want, out)
		}
	}
}

// TestLint_Outputs runs the action's lint step with a policylint built from this checkout: the
// step's outputs, the SARIF file, the job summary, and policylint's exit code as the step's.
func TestLint_Outputs(t *testing.T) {
	needTools(t, "bash", "grep")
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "policylint")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/policylint").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	lint := func(paths string, env ...string) (int, string, map[string]string, string) {
		outputs, summary := filepath.Join(t.TempDir(), "output"), filepath.Join(t.TempDir(), "summary")
		cmd := exec.Command("bash", "lint.sh")
		cmd.Dir = "."
		cmd.Env = append(os.Environ(), "POLICYLINT="+bin, "POLICYLINT_PATHS="+paths, "POLICYLINT_FORMAT=github", "POLICYLINT_FAIL_ON=error",
			"RUNNER_TEMP="+t.TempDir(), "GITHUB_OUTPUT="+outputs, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_ACTIONS=true")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		raw, _ := os.ReadFile(outputs)
		got := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			k, v, _ := strings.Cut(l, "=")
			got[k] = v
		}
		md, _ := os.ReadFile(summary)
		return code, string(out), got, string(md)
	}

	code, out, got, md := lint("../testdata/hooks/bad\n../testdata/hooks/good", "POLICYLINT_ARGS=--disable no-allow")
	if code != 1 || got["exit-code"] != "1" || got["findings"] != "2" {
		t.Errorf("bad and good files: exit %d, outputs %v:\n%s", code, got, out)
	}
	if !strings.Contains(out, "::error file=testdata/hooks/bad/principal.json,") {
		t.Errorf("no annotation named from the repository's root:\n%s", out)
	}
	if sarif, err := os.ReadFile(got["sarif-file"]); err != nil || !bytes.Contains(sarif, []byte(`"ruleId": "PL5001"`)) {
		t.Errorf("SARIF file %q: %v", got["sarif-file"], err)
	}
	if !strings.Contains(md, "**2 findings** in 2 of 4 files") || !strings.Contains(md, "Packed size (estimated)") {
		t.Errorf("job summary:\n%s", md)
	}

	sarif := filepath.Join(t.TempDir(), "out", "policylint.sarif")
	code, out, got, md = lint("../testdata/hooks/good", "POLICYLINT_SARIF="+sarif, "POLICYLINT_SUMMARY=false")
	if code != 0 || got["exit-code"] != "0" || got["findings"] != "0" || got["sarif-file"] != sarif || md != "" {
		t.Errorf("good files: exit %d, outputs %v, summary %q:\n%s", code, got, md, out)
	}

	code, _, got, _ = lint("../testdata/hooks/good", "POLICYLINT_ARGS=--no-such-flag")
	if code != 2 || got["exit-code"] != "2" || got["findings"] != "" {
		t.Errorf("usage error: exit %d, outputs %v", code, got)
	}
	code, out, got, _ = lint(" \n ")
	if code != 2 || got["exit-code"] != "2" || !strings.Contains(out, "the paths input is empty") {
		t.Errorf("no paths: exit %d, outputs %v:\n%s", code, got, out)
	}
}
