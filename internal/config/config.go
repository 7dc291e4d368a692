// Package config reads .policylint.yaml: rules to disable or re-grade, ignores by path and rule
// (each with a reason), the packed-size threshold, custom rule folders and the default
// operation. Every error names the file, line and column.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Names of the configuration file, looked for in this order.
var Names = []string{".policylint.yaml", ".policylint.yml"}

// maxBytes bounds the configuration file: it is a page of YAML.
const maxBytes = 1 << 20

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
	RulesDirs []string
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

// Ignore silences one rule's findings in the files a glob matches.
type Ignore struct {
	// Path is a slash-separated glob relative to the configuration file's folder; ** matches
	// any number of folders.
	Path   string
	Rule   string
	Reason string
	Line   int
	Column int
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

// Find looks for a configuration file in dir and its parents, and returns "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		for _, n := range Names {
			p := filepath.Join(dir, n)
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				return p, nil
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and checks a configuration file. known tells whether a rule name (slug or code)
// exists.
func Load(path string, known func(string) bool) (*File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if info.Size() > maxBytes {
		return nil, fmt.Errorf("%s: larger than 1 MiB; a configuration file is a page of YAML", path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src, known)
}

// Parse checks a configuration file's text.
func Parse(path string, src []byte, known func(string) bool) (*File, error) {
	f := &File{Path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(path, err)
	}
	if len(doc.Content) == 0 {
		return f, nil // an empty file configures nothing
	}
	p := &parser{path: path, known: known}
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
			return p.stringList(val, "rules-dirs", &f.RulesDirs)
		case "operation":
			return p.scalar(val, "operation", &f.Operation)
		case "workflows":
			return p.workflows(val, f)
		}
		return p.unknown(key, []string{"rules", "ignore", "packed", "rules-dirs", "operation", "workflows"})
	}); err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	path  string
	known func(string) bool
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
			return p.errorf(key, "%q is given twice", key.Value)
		}
		seen[key.Value] = true
		if err := fn(key, n.Content[i+1]); err != nil {
			return err
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

func (p *parser) stringList(n *yaml.Node, what string, out *[]string) error {
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "%s must be a list", what)
	}
	for _, e := range n.Content {
		var s string
		if err := p.scalar(e, what+" entries", &s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return nil
}

func (p *parser) rules(n *yaml.Node, f *File) error {
	return p.mapping(n, "rules", func(key, val *yaml.Node) error {
		if !p.known(key.Value) {
			return p.errorf(key, "unknown rule %q: 'policylint rules' lists them", key.Value)
		}
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
				if err := p.scalar(v, "rule", &ig.Rule); err != nil {
					return err
				}
				if !p.known(ig.Rule) {
					return p.errorf(v, "unknown rule %q: 'policylint rules' lists them", ig.Rule)
				}
			case "reason":
				return p.scalar(v, "reason", &ig.Reason)
			default:
				return p.unknown(k, []string{"path", "rule", "reason"})
			}
			return nil
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
		if err != nil || v.Kind != yaml.ScalarNode || w <= 0 || w > 1000 {
			return p.errorf(v, "packed.warn must be a percentage above 0; got %q", v.Value)
		}
		f.PackedWarn = w
		return nil
	})
}

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
