package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/internal/config"
	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/internal/ruleproto"
	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/lint"
)

// DefaultRuleTimeout is the CPU time custom rules may take on one document.
const DefaultRuleTimeout = 2 * time.Second

// customFlags are the flags of lint and rules that load custom rules.
type customFlags struct {
	dirs       *[]string
	data       *[]string
	namespaces *[]string
	all        *bool
	timeout    *time.Duration
	memory     *int
	rego       *string
}

func addCustomFlags(fl *pflag.FlagSet) *customFlags {
	return &customFlags{
		dirs:       fl.StringArray("rules", nil, "a folder (or file) of custom Rego rules: conftest's deny, violation and warn rules (repeatable)"),
		data:       fl.StringArray("data", nil, "a JSON or YAML file (or folder of them) merged into data for the custom rules, as conftest's --data (repeatable)"),
		namespaces: fl.StringArray("namespace", nil, "a package whose rules give findings under the conftest contract (repeatable; default main)"),
		all:        fl.Bool("all-namespaces", false, "the rules of every package give findings, as conftest's --all-namespaces"),
		timeout:    fl.Duration("rule-timeout", DefaultRuleTimeout, "the CPU time custom rules may take on one document before they are stopped and reported as rule-timeout"),
		memory:     fl.Int("rule-memory", sandbox.DefaultMemory>>20, "the memory, in MiB, the custom rules' worker may use before it is stopped and reported as rule-error"),
		rego:       fl.String("rego-version", "v1", "the Rego syntax of the custom rules: v1 (OPA 1.0's, with if and contains), or v0 for rules written before it (deny[msg] { ... }), as conftest's --rego-version"),
	}
}

// ruleFiles reads the .rego files of the folders (or files) dirs through the confined file
// system: every file named *.rego below them, without the *_test.rego files unless tests.
func ruleFiles(fsys *fsroot.FS, dirs []string, tests bool) ([]ruleproto.File, error) {
	return readTree(fsys, dirs, func(name string) bool {
		return strings.HasSuffix(name, ".rego") && (tests || !strings.HasSuffix(name, "_test.rego"))
	})
}

// dataFiles reads the --data files: JSON and YAML, or folders of them.
func dataFiles(fsys *fsroot.FS, paths []string) ([]ruleproto.File, error) {
	return readTree(fsys, paths, func(name string) bool {
		for _, ext := range []string{".json", ".yaml", ".yml"} {
			if strings.HasSuffix(name, ext) {
				return true
			}
		}
		return false
	})
}

// readTree reads the files keep accepts below each path (a file is read whatever its name).
// A link out of the repository is an error here: a rule or data file is code, and must not be
// skipped silently.
func readTree(fsys *fsroot.FS, paths []string, keep func(string) bool) ([]ruleproto.File, error) {
	var out []ruleproto.File
	for _, p := range paths {
		info, err := fsys.Stat(p)
		if err != nil {
			return nil, pathError(p, err)
		}
		var names []string
		if !info.IsDir() {
			names = []string{p}
		} else {
			var walkErr error
			err = fsys.Walk(p, keep, func(name string) bool { return !strings.HasPrefix(name, ".") }, func(e fsroot.Entry) error {
				if e.Outside {
					return pathError(e.Path, fsroot.ErrOutside)
				}
				names = append(names, e.Path)
				return nil
			}, func(path string, err error) {
				if walkErr == nil {
					walkErr = pathError(path, err)
				}
			})
			if err == nil {
				err = walkErr
			}
			if err != nil {
				return nil, err
			}
		}
		for _, name := range names {
			b, err := readConfined(fsys, name)
			if err != nil {
				return nil, pathError(name, err)
			}
			out = append(out, ruleproto.File{Name: name, Source: string(b)})
		}
	}
	return out, nil
}

// loadCustom starts the rule workers and loads the custom rules, when any rule folder is given.
// Rule file errors are printed at their file:row:col, and so are returned as errReported.
func loadCustom(fsys *fsroot.FS, f *customFlags, dirs []string, tests bool, documents int, stderr io.Writer) (*sandbox.Rules, error) {
	if len(dirs) == 0 {
		if len(*f.data) > 0 || len(*f.namespaces) > 0 || *f.all {
			return nil, fmt.Errorf("--data, --namespace and --all-namespaces need custom rules: give --rules DIR or rules-dirs in .policylint.yaml")
		}
		return nil, nil
	}
	if *f.timeout <= 0 {
		return nil, fmt.Errorf("--rule-timeout %s: want a positive duration, such as 2s", *f.timeout)
	}
	if *f.memory < 64 {
		return nil, fmt.Errorf("--rule-memory %d: want at least 64 (MiB)", *f.memory)
	}
	if *f.rego != "v0" && *f.rego != "v1" {
		return nil, fmt.Errorf("--rego-version %q: want v0 or v1", *f.rego)
	}
	files, err := ruleFiles(fsys, dirs, tests)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .rego file in %s", strings.Join(dirs, ", "))
	}
	for _, d := range *f.data {
		if err := fsys.Allow(d); err != nil {
			return nil, fmt.Errorf("--data: %w", pathError(d, err))
		}
	}
	data, err := dataFiles(fsys, *f.data)
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	rs, err := sandbox.Start(sandbox.Options{
		Load: ruleproto.Load{
			Rules: files, Data: data, Namespaces: *f.namespaces, AllNamespaces: *f.all, Tests: tests, CPU: *f.timeout,
			RegoV0: *f.rego == "v0",
		},
		Memory:  int64(*f.memory) << 20,
		Workers: min(runtime.GOMAXPROCS(0), max(1, documents), 4),
	})
	if err != nil {
		return nil, err
	}
	if errs := rs.Loaded.Errors; len(errs) > 0 {
		rs.Close()
		for _, e := range errs {
			fmt.Fprintf(stderr, "policylint: %s\n", problemText(e))
		}
		return nil, errReported
	}
	return rs, nil
}

// customDirs are the custom rule folders of the configuration's rules-dirs and of --rules.
func customDirs(fsys *fsroot.FS, conf *config.File, flags []string) ([]string, error) {
	var dirs []string
	if conf != nil {
		for _, d := range conf.RulesDirs {
			dirs = append(dirs, d.Path)
		}
	}
	for _, d := range flags {
		if err := fsys.Allow(d); err != nil {
			return nil, fmt.Errorf("--rules: %w", pathError(d, err))
		}
		dirs = append(dirs, d)
	}
	return dirs, nil
}

// errReported is an error already printed.
var errReported = fmt.Errorf("reported")

// problemText formats a rule file problem as "file:row:col: msg", leaving out what is unknown.
func problemText(e ruleproto.Problem) string {
	switch {
	case e.File == "":
		return e.Msg
	case e.Row == 0:
		return e.File + ": " + e.Msg
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Row, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Row, e.Col, e.Msg)
}

// neverFires reports the rules that can never fire as findings of their rule files.
func neverFires(rs *sandbox.Rules, l *lint.Linter, cfg lint.Config) []*lint.Result {
	rule := lint.RuleByName("rule-never-fires")
	if rs == nil || len(rs.Loaded.Warnings) == 0 || disabled(rule, cfg) {
		return nil
	}
	sev := rule.Severity
	if s, ok := cfg.Severity[rule.Slug]; ok {
		sev = s
	}
	byFile := map[string]*lint.FileFindings{}
	var files []string
	for _, w := range rs.Loaded.Warnings {
		f, ok := byFile[w.File]
		if !ok {
			f = lint.NewFileFindings(w.File, rule, sev)
			byFile[w.File] = f
			files = append(files, w.File)
		}
		pos := lint.Pos{Line: max(w.Row, 1), Column: max(w.Col, 1)}
		f.Add(lint.Range{Start: pos, End: pos}, w.Msg)
	}
	out := make([]*lint.Result, 0, len(files))
	for _, name := range files {
		out = append(out, byFile[name].Result())
	}
	return out
}
