// Package config reads .policylint.yaml: rules to disable or re-grade, ignores by path and rule
// (each with a reason), the packed-size threshold, custom rule folders and the default
// operation. Every error names the file, line and column.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/policylint/policylint/lint"
)

// Names of the configuration file, looked for in this order.
var Names = []string{".policylint.yaml", ".policylint.yml"}

// MaxBytes bounds the configuration file: it is a page of YAML.
const MaxBytes = 1 << 20

// File is a parsed configuration file.
type File struct {
	// Path is where it was read from.
	Path string
	// Rules holds what the file says of each rule, by the name it used (a slug or a code).
	Rules []Rule
	// Ignores silence findings by path and rule.
	Ignores []Ignore
	// PackedWarn is packed.warn, or 0 when not set.
	PackedWarn float64
	// RulesDirs are custom Rego rule folders, relative to the file's folder.
	RulesDirs []Dir
	// Operation is the default operation, or "".
	Operation string
	// Lengths are workflows.lengths: the worst-case lengths of GitHub expression values, by
	// expression ("github.head_ref") or "default".
	Lengths map[string]int
}

// Rule is one entry of the rules map.
type Rule struct {
	Name     string
	Enabled  *bool
	Severity string
	Line     int
	Column   int
}

// Dir is a folder the file names, with the place it is named.
type Dir struct {
	Path         string
	Line, Column int
}

// Ignore silences one rule's findings in the files a glob matches.
type Ignore struct {
	// Path is a slash-separated glob relative to the configuration file's folder; ** matches
	// any number of folders.
	Path   string
	Rule   string
	Reason string
	Line   int
	Column int
	// RuleLine and RuleColumn are the place of the rule's name.
	RuleLine, RuleColumn int
}

// Error is a problem in the configuration file, at its place.
type Error struct {
	Path         string
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// Find looks for a configuration file in dir and its parents up to top (the repository root),
// and returns "" when there is none. stat describes a path; a read on a pull request's behalf
// passes a confined one, so that a configuration file linked out of the repository is refused.
func Find(dir, top string, stat func(string) (fs.FileInfo, error)) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		for _, n := range Names {
			p := filepath.Join(dir, n)
			if info, err := stat(p); err == nil && !info.IsDir() {
				return p, nil
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("%s: %w", p, err)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir || dir == top {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and checks a configuration file with read, which must refuse anything that is not
// a regular file of at most MaxBytes. Rule names are checked apart, by CheckRules, once the
// custom rules the file may name are loaded.
func Load(path string, read func(path string, max int64) ([]byte, error)) (*File, error) {
	src, err := read(path, MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(path, src)
}

// CheckRules returns an error at the place of the first rule name, in rules or an ignore, that
// known does not know.
func (f *File) CheckRules(known func(string) bool) error {
	for _, r := range f.Rules {
		if !known(r.Name) {
			return &Error{Path: f.Path, Line: r.Line, Column: r.Column, Msg: lint.UnknownRule(r.Name)}
		}
	}
	for _, ig := range f.Ignores {
		if !known(ig.Rule) {
			return &Error{Path: f.Path, Line: ig.RuleLine, Column: ig.RuleColumn, Msg: lint.UnknownRule(ig.Rule)}
		}
	}
	return nil
}

// Parse checks a configuration file's text.
func Parse(path string, src []byte) (*File, error) {
	f := &File{Path: path}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return f, nil // an empty file configures nothing
		}
		return nil, yamlError(path, err)
	}
	var second yaml.Node
	if err := dec.Decode(&second); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, yamlError(path, err)
		}
		return nil, &Error{Path: path, Line: second.Line, Column: second.Column, Msg: "a second YAML document (after ---): the configuration is one document; merge them"}
	}
	if len(doc.Content) == 0 {
		return f, nil
	}
	p := &parser{path: path}
	root := doc.Content[0]
	if err := p.mapping(root, "the configuration", func(key, val *yaml.Node) error {
		switch key.Value {
		case "rules":
			return p.rules(val, f)
		case "ignore":
			return p.ignores(val, f)
		case "packed":
			return p.packed(val, f)
		case "rules-dirs":
			return p.dirs(val, f)
		case "operation":
			return p.scalar(val, "operation", &f.Operation)
		case "workflows":
			return p.workflows(val, f)
		}
		return p.unknown(key, []string{"rules", "ignore", "packed", "rules-dirs", "operation", "workflows"})
	}); err != nil {
		p.errs = append(p.errs, err)
	}
	switch len(p.errs) {
	case 0:
		return f, nil
	case 1:
		return nil, p.errs[0]
	}
	return nil, p.errs
}

type parser struct {
	path string
	// errs are the errors of the keys read so far: each key's first, so that one run shows
	// what is wrong in the whole file.
	errs Errors
}

// Errors are the errors of a configuration file, in file order.
type Errors []error

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, err := range e {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{Path: p.path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// mapping calls fn for each key of a mapping node.
func (p *parser) mapping(n *yaml.Node, what string, fn func(key, val *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping (key: value)", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		if seen[key.Value] {
			p.errs = append(p.errs, p.errorf(key, "%q is given twice", key.Value))
			continue
		}
		seen[key.Value] = true
		if err := fn(key, n.Content[i+1]); err != nil {
			p.errs = append(p.errs, err) // and on to the next key
		}
	}
	return nil
}

func (p *parser) unknown(key *yaml.Node, allowed []string) error {
	return p.errorf(key, "unknown key %q: want %s", key.Value, strings.Join(allowed, ", "))
}

func (p *parser) scalar(n *yaml.Node, what string, out *string) error {
	if n.Kind != yaml.ScalarNode {
		return p.errorf(n, "%s must be a single value", what)
	}
	*out = n.Value
	return nil
}

func (p *parser) dirs(n *yaml.Node, f *File) error {
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "rules-dirs must be a list")
	}
	for _, e := range n.Content {
		var s string
		if err := p.scalar(e, "rules-dirs entries", &s); err != nil {
			return err
		}
		if filepath.IsAbs(s) {
			return p.errorf(e, "rules-dirs entry %q is an absolute path: name a folder of the repository, relative to this file", s)
		}
		f.RulesDirs = append(f.RulesDirs, Dir{Path: s, Line: e.Line, Column: e.Column})
	}
	return nil
}

func (p *parser) rules(n *yaml.Node, f *File) error {
	return p.mapping(n, "rules", func(key, val *yaml.Node) error {
		r := Rule{Name: key.Value, Line: key.Line, Column: key.Column}
		err := p.mapping(val, "a rule's settings", func(k, v *yaml.Node) error {
			switch k.Value {
			case "enabled":
				b, err := strconv.ParseBool(v.Value)
				if err != nil || v.Kind != yaml.ScalarNode {
					return p.errorf(v, "enabled must be true or false; got %q", v.Value)
				}
				r.Enabled = &b
			case "severity":
				switch v.Value {
				case "error", "warning", "info":
					r.Severity = v.Value
				default:
					return p.errorf(v, "severity must be error, warning or info; got %q", v.Value)
				}
			default:
				return p.unknown(k, []string{"enabled", "severity"})
			}
			return nil
		})
		f.Rules = append(f.Rules, r)
		return err
	})
}

func (p *parser) ignores(n *yaml.Node, f *File) error {
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "ignore must be a list of {path, rule, reason}")
	}
	for _, e := range n.Content {
		ig := Ignore{Line: e.Line, Column: e.Column}
		err := p.mapping(e, "an ignore", func(k, v *yaml.Node) error {
			switch k.Value {
			case "path":
				return p.scalar(v, "path", &ig.Path)
			case "rule":
				ig.RuleLine, ig.RuleColumn = v.Line, v.Column
				return p.scalar(v, "rule", &ig.Rule)
			case "reason":
				return p.scalar(v, "reason", &ig.Reason)
			}
			return p.unknown(k, []string{"path", "rule", "reason"})
		})
		if err != nil {
			return err
		}
		switch {
		case ig.Path == "":
			return p.errorf(e, "an ignore needs a path glob")
		case ig.Rule == "":
			return p.errorf(e, "an ignore needs a rule; to silence a file entirely, do not lint it")
		case strings.TrimSpace(ig.Reason) == "":
			return p.errorf(e, "an ignore needs a reason: say why %s does not apply to %s", ig.Rule, ig.Path)
		}
		if _, err := filepath.Match(strings.ReplaceAll(ig.Path, "**", "*"), ""); err != nil {
			return p.errorf(e, "path %q is not a valid glob: %v", ig.Path, err)
		}
		f.Ignores = append(f.Ignores, ig)
	}
	return nil
}

func (p *parser) packed(n *yaml.Node, f *File) error {
	return p.mapping(n, "packed", func(k, v *yaml.Node) error {
		if k.Value != "warn" {
			return p.unknown(k, []string{"warn"})
		}
		w, err := strconv.ParseFloat(v.Value, 64)
		if err != nil || v.Kind != yaml.ScalarNode || !ValidPackedWarn(w) {
			return p.errorf(v, "packed.warn must be a percentage above 0 and at most 1,000; got %q", v.Value)
		}
		f.PackedWarn = w
		return nil
	})
}

// ValidPackedWarn reports whether a packed-size warning threshold is a percentage above 0 and at
// most 1,000 (so not NaN or infinite).
func ValidPackedWarn(w float64) bool { return w > 0 && w <= 1000 }

// maxLength bounds workflows.lengths: a session policy and its ARNs have at most 2,048 characters.
const maxLength = 2048

func (p *parser) workflows(n *yaml.Node, f *File) error {
	return p.mapping(n, "workflows", func(k, v *yaml.Node) error {
		if k.Value != "lengths" {
			return p.unknown(k, []string{"lengths"})
		}
		f.Lengths = map[string]int{}
		return p.mapping(v, "workflows.lengths", func(ek, ev *yaml.Node) error {
			n, err := strconv.Atoi(ev.Value)
			if err != nil || ev.Kind != yaml.ScalarNode || n < 0 || n > maxLength {
				return p.errorf(ev, "workflows.lengths.%s must be a number of characters from 0 to %d; got %q", ek.Value, maxLength, ev.Value)
			}
			f.Lengths[ek.Value] = n
			return nil
		})
	})
}

// yamlError gives a YAML syntax error the file's name; yaml.v3 reports "yaml: line N: ...".
func yamlError(path string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return &Error{Path: path, Line: line, Column: 1, Msg: "invalid YAML: " + msg}
}
