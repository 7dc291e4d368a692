package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/internal/config"
	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/quote"
	"github.com/policylint/policylint/lint"
)

// loadConfig reads the configuration file named by --config, or the .policylint.yaml found from
// the working folder upward (up to the repository root), and folds into cfg what does not name a
// rule; flags given on the command line win. applyRules folds in the rest once the custom rules
// are loaded. It returns nil when there is no file.
func loadConfig(fsys *fsroot.FS, path string, fl *pflag.FlagSet, cfg *lint.Config) (*config.File, error) {
	if path == "" {
		found, err := config.Find(".", fsys.Dir(), fsys.Stat)
		if err != nil || found == "" {
			return nil, err
		}
		path = displayPath(found)
	} else if err := fsys.Allow(path); err != nil {
		return nil, fmt.Errorf("--config: %w", pathError(path, err))
	}
	f, err := config.Load(path, fsys.ReadFile)
	if err != nil {
		return nil, err
	}
	base, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	if f.PackedWarn != 0 && !fl.Changed("packed-warn") {
		cfg.PackedWarn = f.PackedWarn
	}
	if f.Operation != "" && !fl.Changed("operation") {
		if cfg.Request.Operation = lint.OperationByName(f.Operation); cfg.Request.Operation == "" {
			return nil, &config.Error{Path: path, Line: 1, Column: 1, Msg: "operation " + f.Operation + " is not one of " + strings.Join(operationNames, ", ")}
		}
	}
	cfg.Lengths = f.Lengths
	for i, d := range f.RulesDirs {
		full := filepath.Join(base, d.Path)
		if !fsys.Inside(full) {
			return nil, &config.Error{Path: path, Line: d.Line, Column: d.Column, Msg: fmt.Sprintf("rules-dirs entry %q leads outside the repository: custom rules must be in it", d.Path)}
		}
		f.RulesDirs[i].Path = full
	}
	return f, nil
}

// applyRules folds what the configuration says of rules into cfg: disabled rules, severities and
// ignores, by slug. find looks a rule up among the built-in and the custom rules.
func applyRules(f *config.File, find func(string) *lint.Rule, cfg *lint.Config) error {
	if f == nil {
		return nil
	}
	if err := f.CheckRules(func(name string) bool { return find(name) != nil }); err != nil {
		return err
	}
	base, err := filepath.Abs(filepath.Dir(f.Path))
	if err != nil {
		return err
	}
	for _, r := range f.Rules {
		rule := find(r.Name)
		if r.Enabled != nil && !*r.Enabled {
			cfg.Disable = append(cfg.Disable, rule.Slug)
		}
		if r.Severity != "" {
			sev, _ := lint.ParseSeverity(r.Severity)
			if cfg.Severity == nil {
				cfg.Severity = map[string]lint.Severity{}
			}
			cfg.Severity[rule.Slug] = sev
		}
	}
	for _, ig := range f.Ignores {
		cfg.Ignores = append(cfg.Ignores, lint.Ignore{Glob: ig.Path, Base: base, Rule: find(ig.Rule).Slug})
	}
	return nil
}

// unusedIgnores reports, as findings of the configuration file, the ignores that silenced nothing.
func unusedIgnores(fsys *fsroot.FS, f *config.File, l *lint.Linter, cfg lint.Config) *lint.Result {
	unused := l.UnusedIgnores()
	if f == nil || len(unused) == 0 {
		return nil
	}
	rule := lint.RuleByName("unused-ignore")
	for _, name := range cfg.Disable {
		if lint.RuleByName(name) == rule {
			return nil
		}
	}
	sev := rule.Severity
	if s, ok := cfg.Severity[rule.Slug]; ok {
		sev = s
	}
	src, _ := fsys.ReadFile(f.Path, config.MaxBytes)
	lines := jsonpos.Text(src)
	at := func(line, column int) int { // the byte offset of a line and a column in characters
		off, ok := lines.LineStart(line)
		if !ok {
			return len(src)
		}
		for c := 1; c < column && off < len(src) && src[off] != '\n' && src[off] != '\r'; c++ {
			_, size := utf8.DecodeRune(src[off:])
			off += size
		}
		return off
	}
	out := lint.NewFileFindings(displayPath(f.Path), rule, sev)
	for _, i := range unused {
		ig := f.Ignores[i]
		pos := lint.Pos{Line: ig.Line, Column: ig.Column, Offset: at(ig.Line, ig.Column)}
		out.Add(lint.Range{Start: pos, End: pos}, fmt.Sprintf("ignore of %s in %s silenced nothing: remove it, or fix its path or rule", quote.Short(ig.Rule), quote.Short(ig.Path)))
	}
	return out.Result()
}

// displayPath shows a path relative to the working folder when it is below it.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
