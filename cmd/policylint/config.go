package main

import (
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/internal/config"
	"github.com/policylint/policylint/lint"
)

// loadConfig reads the configuration file named by --config, or the .policylint.yaml found from
// the working folder upward, and folds it into cfg; flags given on the command line win. It
// returns nil when there is no file.
func loadConfig(path string, fl *pflag.FlagSet, cfg *lint.Config) (*config.File, error) {
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = displayPath(found)
	}
	f, err := config.Load(path, func(name string) bool { return lint.RuleByName(name) != nil })
	if err != nil {
		return nil, err
	}
	base, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	for _, r := range f.Rules {
		rule := lint.RuleByName(r.Name)
		if r.Enabled != nil && !*r.Enabled {
			cfg.Disable = append(cfg.Disable, rule.Code)
		}
		if r.Severity != "" {
			sev, _ := lint.ParseSeverity(r.Severity)
			if cfg.Severity == nil {
				cfg.Severity = map[string]lint.Severity{}
			}
			cfg.Severity[rule.Code] = sev
		}
	}
	for _, ig := range f.Ignores {
		cfg.Ignores = append(cfg.Ignores, lint.Ignore{Glob: ig.Path, Base: base, Code: lint.RuleByName(ig.Rule).Code})
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
		if !filepath.IsAbs(d) {
			f.RulesDirs[i] = filepath.Join(base, d)
		}
	}
	return f, nil
}

// unusedIgnores reports, as findings of the configuration file, the ignores that silenced nothing.
func unusedIgnores(f *config.File, l *lint.Linter, cfg lint.Config) *lint.Result {
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
	if s, ok := cfg.Severity[rule.Code]; ok {
		sev = s
	}
	src, _ := os.ReadFile(f.Path)
	r := &lint.Result{Path: displayPath(f.Path)}
	for _, i := range unused {
		ig := f.Ignores[i]
		pos := lint.Pos{Line: ig.Line, Column: ig.Column, Offset: offsetOf(src, ig.Line, ig.Column)}
		r.Diagnostics = append(r.Diagnostics, lint.Diagnostic{
			Code: rule.Code, Rule: rule.Slug, Severity: sev, Range: lint.Range{Start: pos, End: pos},
			Message: "ignore of " + ig.Rule + " in " + ig.Path + " silenced nothing: remove it, or fix its path or rule",
		})
	}
	return r
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

// offsetOf returns the byte offset of a 1-based line and column (in characters) of src.
func offsetOf(src []byte, line, column int) int {
	off := 0
	for l := 1; l < line && off < len(src); off++ {
		if src[off] == '\n' {
			l++
		}
	}
	for c := 1; c < column && off < len(src); c++ {
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}
