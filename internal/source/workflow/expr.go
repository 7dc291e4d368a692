package workflow

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/quote"
	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/internal/source/yaml"
)

// DefaultLengths are the worst-case lengths, in characters, policylint assumes for the values
// of GitHub expressions the workflow does not fix: realistic long values, not the largest GitHub
// allows where that is far from what names are (a repository name may have 100 characters).
// .policylint.yaml's workflows.lengths overrides any of them, by expression, and "default" is
// every expression not listed: set github.repository to your repository's length.
var DefaultLengths = map[string]int{
	// A repository is OWNER/NAME: GitHub allows 39 + 1 + 100 characters; 60 is a long
	// organization and repository name.
	"github.repository":            60,
	"github.repository_owner":      39,
	"github.event.repository.name": 40,
	// User names have at most 39 characters; GitHub App bots (name[bot]) fit in that too.
	"github.actor":            39,
	"github.triggering_actor": 39,
	// Branch and tag names: Git sets no practical limit; generated ones (Dependabot's
	// dependabot/github_actions/aws-actions/configure-aws-credentials-6.2.3) reach about 70.
	"github.ref_name": 70,
	"github.head_ref": 70,
	"github.base_ref": 70,
	// Run ids have 11 digits in 2026; 12 leaves room.
	"github.run_id":                    12,
	"github.run_number":                7,
	"github.run_attempt":               3,
	"github.sha":                       40,
	"github.event.pull_request.number": 7,
	"github.event.number":              7,
	// Anything else: secrets, variables, inputs, step outputs.
	"default": 64,
}

// digits are contexts whose values are numbers, and hex those that are commit hashes: their
// stand-ins are written in those characters.
var (
	digits = []string{"github.run_id", "github.run_number", "github.run_attempt", "github.event.pull_request.number", "github.event.number", "github.repository_id", "github.repository_owner_id"}
	hex    = []string{"github.sha", "github.event.pull_request.head.sha", "github.event.after", "github.event.before"}
)

// expression is one ${{ ... }} in a value: its text and its range in the value.
type expression struct {
	text       string // trimmed, without ${{ }}
	start, end int
}

// expressions finds the ${{ ... }} of s as GitHub reads a workflow's values: an expression may
// span lines, and a string literal inside may hold }}. internal/placeholder.Find, which finds
// the placeholders of any template left in a file that should have been rendered, ends one at
// its line's end and knows no literals, so it does not serve here.
func expressions(s string) []expression {
	var out []expression
	for i := 0; ; {
		j := strings.Index(s[i:], "${{")
		if j < 0 {
			return out
		}
		start := i + j
		k := start + 3
		for k < len(s) {
			if s[k] == '\'' {
				if e := strings.IndexByte(s[k+1:], '\''); e >= 0 {
					k += e + 2
					continue
				}
			}
			if strings.HasPrefix(s[k:], "}}") {
				break
			}
			k++
		}
		if k >= len(s) {
			return out // unterminated: GitHub rejects the workflow
		}
		out = append(out, expression{text: strings.TrimSpace(s[start+3 : k]), start: start, end: k + 2})
		i = k + 2
	}
}

var reference = lazyre.New(`^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\['[^']*'\])*$`)

// context is what expressions are evaluated against: the workflow's env and matrix values, and
// the lengths of everything else.
type context struct {
	lengths map[string]int
	// env holds the env values in scope, by lower-case name: the step's, the job's, the
	// workflow's, the first that has a name wins.
	env []map[string]source.Text
	// matrix holds each matrix key's longest value.
	matrix map[string]string
	// exact holds github.* values the workflow fixes (github.job, github.workflow).
	exact map[string]string
	depth int
	// spent is what the file's expressions have substituted so far.
	spent *expansion
}

// expansion counts what a file's expressions substitute, against env values that name others
// many times over (each level of nesting multiplies the size) and stand-ins many times longer
// than the expressions they replace.
type expansion struct {
	left int // bytes that may still be substituted
	// over is where the first expression left out is in the file, -1 while none is.
	over int
}

// maxExpansion bounds the bytes a file's expressions substitute: a session policy has at most
// 2,048 characters, and a request a few thousand. Each expression counts at least
// minExpansion, so that stand-ins of no length do not make the count unbounded either.
const (
	maxExpansion = 1 << 20
	minExpansion = 16
)

// take counts n bytes substituted, and reports false once the file's expressions have used up
// maxExpansion: from then on every expression is left out.
func (c *context) take(n int) bool {
	n = max(n, minExpansion)
	if n > c.spent.left {
		c.spent.left = 0
		return false
	}
	c.spent.left -= n
	return true
}

// length returns the assumed length of an expression's value and the name it was looked up by.
func (c *context) length(expr string) (int, string) {
	k := strings.ToLower(expr)
	if n, ok := c.lengths[k]; ok {
		return n, k
	}
	return c.lengths["default"], "default"
}

// envValue is the env value name has in scope.
func (c *context) envValue(name string) (source.Text, bool) {
	for _, env := range c.env {
		if v, ok := env[name]; ok {
			return v, true
		}
	}
	return source.Text{}, false
}

// expand substitutes the expressions of t: a value the workflow fixes (an env value, the job's
// id) as it is, anything else by a stand-in of its assumed worst-case length, which the result
// lists. An expression that is not a plain reference (a function call, an operator) too is
// substituted by the default length. Past maxExpansion, expressions are left out (substituted
// by nothing), and the reader says so once.
func (c *context) expand(t source.Text) (source.Text, []source.Assumption) {
	exprs := expressions(t.S)
	if len(exprs) == 0 {
		return t, nil
	}
	var b source.TextBuilder
	var assumed []source.Assumption
	last := 0
	for _, e := range exprs {
		b.Copy(t, last, e.start)
		last = e.end
		start, end := t.Source(e.start), t.Source(e.end)
		if c.spent.left == 0 {
			if c.spent.over < 0 {
				c.spent.over = start
			}
			b.Mark(end)
			continue
		}
		ref := strings.ToLower(e.text)
		if reference.MatchString(e.text) {
			if v, ok := c.exact[ref]; ok && c.take(len(v)) {
				b.Atom(v, start)
				continue
			}
			if name, ok := strings.CutPrefix(ref, "env."); ok && c.depth < 3 {
				if v, ok := c.envValue(name); ok && c.take(len(v.S)) {
					inner := *c
					inner.depth++
					x, more := inner.expand(v)
					b.Copy(x, 0, len(x.S))
					b.Mark(end)
					assumed = append(assumed, more...)
					continue
				}
			}
			if key, ok := strings.CutPrefix(ref, "matrix."); ok {
				if v, ok := c.matrix[key]; ok && c.take(len(v)) {
					b.Atom(v, start)
					assumed = append(assumed, source.Assumption{Start: start, End: end, What: fmt.Sprintf("${{ %s }} as %s, its longest value", quote.Cut(e.text), quote.Short(v))})
					continue
				}
			}
		}
		n, key := c.length(e.text)
		if c.spent.left == 0 || !c.take(n) {
			if c.spent.over < 0 {
				c.spent.over = start
			}
			b.Mark(end)
			continue
		}
		b.Atom(standIn(ref, n), start)
		what := fmt.Sprintf("${{ %s }} as %d characters", quote.Cut(e.text), n)
		if key == "default" {
			what += " (default)"
		}
		assumed = append(assumed, source.Assumption{Start: start, End: end, What: what})
	}
	b.Copy(t, last, len(t.S))
	return b.Text(t.Start, t.End), assumed
}

// standIn is a value of n characters for an expression: varied letters and digits (digits or
// hexadecimal for numeric contexts), which compress about as badly as real names, so the packed
// size estimate is not flattered by repetition. It is the same for the same expression.
func standIn(expr string, n int) string {
	alphabet := "abcdefghijklmnopqrstuvwxyz0123456789"
	switch {
	case contains(digits, expr):
		alphabet = "0123456789"
	case contains(hex, expr):
		alphabet = "0123456789abcdef"
	}
	h := fnv.New64a()
	h.Write([]byte(expr))
	x := h.Sum64() | 1
	out := make([]byte, n)
	for i := range out {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		out[i] = alphabet[x%uint64(len(alphabet))]
	}
	return string(out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// inJSONStrings reports whether every expression of s is inside a JSON string of the text:
// substituted there, the policy is still JSON; outside (a whole value, a list built at run
// time), nothing can be said of it before it runs.
func inJSONStrings(s string) bool {
	exprs := expressions(s)
	in := false
	k := 0
	for i := 0; i < len(s); i++ {
		if k < len(exprs) && i == exprs[k].start {
			if !in {
				return false
			}
			i = exprs[k].end - 1
			k++
			continue
		}
		switch s[i] {
		case '\\':
			if in {
				i++
			}
		case '"':
			in = !in
		}
	}
	return true
}

// matrixValues returns each matrix key's longest scalar value.
func matrixValues(job *yaml.Node) map[string]string {
	out := map[string]string{}
	m := yaml.Get(yaml.Get(job, "strategy"), "matrix")
	if m == nil || m.Kind != yaml.MappingNode {
		return out
	}
	add := func(k, v string) {
		if len(v) > len(out[k]) {
			out[k] = v
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := strings.ToLower(m.Content[i].Value), m.Content[i+1]
		switch {
		case k == "include":
			for _, e := range v.Content {
				for j := 0; j+1 < len(e.Content); j += 2 {
					if e.Content[j+1].Kind == yaml.ScalarNode {
						add(strings.ToLower(e.Content[j].Value), e.Content[j+1].Value)
					}
				}
			}
		case v.Kind == yaml.SequenceNode:
			for _, e := range v.Content {
				if e.Kind == yaml.ScalarNode && !strings.Contains(e.Value, "${{") {
					add(k, e.Value)
				}
			}
		}
	}
	for k, v := range out {
		if strings.Contains(v, "${{") {
			delete(out, k)
		}
	}
	return out
}

// envValues returns the env mapping of a workflow, job or step, by lower-case name.
func envValues(f *yaml.File, n *yaml.Node) map[string]source.Text {
	out := map[string]source.Text{}
	env := yaml.Get(n, "env")
	if env == nil || env.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(env.Content); i += 2 {
		if v := env.Content[i+1]; v.Kind == yaml.ScalarNode {
			out[strings.ToLower(env.Content[i].Value)] = f.Text(v)
		}
	}
	return out
}
