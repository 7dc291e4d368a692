package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// script writes `policylint completion SHELL` to a file and returns its path.
func script(t *testing.T, shell string) string {
	t.Helper()
	r := runWith(t, "", "completion", shell)
	if r.code != exitOK || r.stdout == "" {
		t.Fatalf("completion %s: exit %d: %s", shell, r.code, r.stderr)
	}
	name := map[string]string{"bash": "policylint.bash", "zsh": "_policylint", "fish": "policylint.fish"}[shell]
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func needShell(t *testing.T, shell string) {
	t.Helper()
	if _, err := exec.LookPath(shell); err != nil {
		t.Skipf("%s is not installed: skipping", shell)
	}
}

// TestCompletion_FlagsAreTheCommands pins that completion offers every flag each command's
// --help lists, and nothing else.
func TestCompletion_FlagsAreTheCommands(t *testing.T) {
	spec := completionSpec()
	for _, cmd := range []string{"lint", "pack"} {
		help := runWith(t, "", cmd, "--help").stdout
		want := regexp.MustCompile(`(?m)^\s+(?:-\w, )?--([a-z0-9-]+)`).FindAllStringSubmatch(help, -1)
		var wantNames, got []string
		for _, m := range want {
			wantNames = append(wantNames, m[1])
		}
		for _, c := range spec {
			if c.name == cmd {
				for _, f := range c.flags {
					got = append(got, f.long)
				}
			}
		}
		if len(wantNames) < 5 || !slices.Equal(got, wantNames) {
			t.Errorf("%s: completion has %v, --help lists %v", cmd, got, wantNames)
		}
	}
}

// TestCompletion_Bash runs the bash script's function as bash's completion does.
func TestCompletion_Bash(t *testing.T) {
	needShell(t, "bash")
	path := script(t, "bash")
	tests := map[string]string{
		"policylint l":                     "lint",
		"policylint lint --fo":             "--format",
		"policylint lint --format ":        "text json sarif github markdown",
		"policylint lint --format=j":       "json",
		"policylint lint --fail-on w":      "warning",
		"policylint lint --disable full-a": "full-admin",
		"policylint rules ex":              "explain",
		"policylint rules explain passr":   "passrole-star",
		"policylint pack --format ":        "text json",
		"policylint completion f":          "fish",
	}
	for line, want := range tests {
		words := strings.Split(line, " ")
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		prog := "source '" + path + "'\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
			"\n_policylint\necho \"${COMPREPLY[*]}\"\n"
		out, err := exec.Command("bash", "-c", prog).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != want {
			t.Errorf("%q: got %q (%v), want %q", line, got, err, want)
		}
	}
}

// TestCompletion_Fish asks fish itself what it completes.
func TestCompletion_Fish(t *testing.T) {
	needShell(t, "fish")
	path := script(t, "fish")
	tests := map[string]string{
		"policylint lint --fo":                "--format",
		"policylint rules explain full-ad":    "full-admin",
		"policylint lint --operation get-fed": "get-federation-token",
		"policylint com":                      "completion",
	}
	for line, want := range tests {
		out, err := exec.Command("fish", "--no-config", "-c", "source "+path+"; complete -C '"+line+"'").CombinedOutput()
		got, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\t")
		if err != nil || got != want {
			t.Errorf("%q: got %q (%v), want %q", line, out, err, want)
		}
	}
}

// TestCompletion_Zsh checks the script's syntax and that zsh's completion system loads it.
func TestCompletion_Zsh(t *testing.T) {
	needShell(t, "zsh")
	path := script(t, "zsh")
	if out, err := exec.Command("zsh", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	prog := "fpath=(" + filepath.Dir(path) + " $fpath); autoload -Uz compinit; compinit -u -d " + filepath.Join(t.TempDir(), "zcompdump") +
		"; autoload -Uz _policylint; print -r -- ${_comps[policylint]}"
	out, err := exec.Command("zsh", "-f", "-c", prog).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "_policylint" {
		t.Errorf("compinit does not bind _policylint to policylint: %q (%v)", out, err)
	}
}

func TestCompletion_Usage(t *testing.T) {
	if r := runWith(t, "", "completion"); r.code != exitUsage || !strings.Contains(r.stderr, "want one shell") {
		t.Errorf("no shell: exit %d, %q", r.code, r.stderr)
	}
	if r := runWith(t, "", "completion", "fishh"); r.code != exitUsage || !strings.Contains(r.stderr, `unknown shell "fishh": did you mean "fish"?`) {
		t.Errorf("unknown shell: exit %d, %q", r.code, r.stderr)
	}
	if r := runWith(t, "", "completion", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "source <(policylint completion bash)") {
		t.Errorf("help: exit %d, %q", r.code, r.stdout)
	}
}

// TestDidYouMean pins the suggestion for a mistyped command, flag, rule and shell.
func TestDidYouMean(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": goodPolicy})
	t.Chdir(dir)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"lnt", "p.json"}, `unknown command "lnt": did you mean 'policylint lint'?`},
		{[]string{"p.json"}, `did you mean 'policylint lint p.json'?`},
		{[]string{"lint", "--formt", "json", "p.json"}, "unknown flag: --formt: did you mean --format?"},
		{[]string{"lint", "-format", "json", "p.json"}, "did you mean --format?"},
		{[]string{"lint", "--fail-no", "warning", "p.json"}, "unknown flag: --fail-no: did you mean --fail-on?"},
		{[]string{"pack", "--tga", "a=b", "p.json"}, "unknown flag: --tga: did you mean --tag?"},
		{[]string{"lint", "--disable", "full-admn", "p.json"}, `unknown rule "full-admn": did you mean "full-admin"?`},
		{[]string{"rules", "explain", "passrole-str"}, `unknown rule "passrole-str": did you mean "passrole-star"?`},
		{[]string{"rules", "explian", "full-admin"}, "did you mean 'policylint rules explain'?"},
	}
	for _, tt := range tests {
		r := runWith(t, "", tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if r := runWith(t, "", "lint", "--zzzzzz", "p.json"); strings.Contains(r.stderr, "did you mean") {
		t.Errorf("a suggestion for a flag like no other: %q", r.stderr)
	}
}
