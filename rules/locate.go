package rules

import (
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/ruleproto"
)

// A conftest rule returns a message and nothing of where it came from. policylint finds the
// place itself, without changing the rule: it evaluates the rules again with a tracer, and at each
// successful derivation of a rule's body (an Exit event on the rule) it plugs the bindings of that
// derivation into the body's references into input. They name the values the message was drawn
// from (input.Statement[1], input.Statement[1].Action), and the finding goes at the deepest place
// they share (/Statement/1).

// locator is the tracer: for each rule reference it looks for, the pointer of each message.
type locator struct {
	want  map[string]bool
	found map[string]map[string]string // rule reference → message → pointer
	// root is where the policy is in input: input itself under the conftest contract,
	// input.policy under the policylint one.
	root ast.Ref
}

var policyRootRef = ast.MustParseRef("input.policy")

func newLocator(refs []string, contract string) *locator {
	l := &locator{want: map[string]bool{}, found: map[string]map[string]string{}, root: ast.InputRootRef}
	if contract == ruleproto.Policylint {
		l.root = policyRootRef
	}
	for _, r := range refs {
		l.want[r] = true
	}
	return l
}

func (l *locator) Enabled() bool                  { return true }
func (l *locator) Config() topdown.TraceConfig    { return topdown.TraceConfig{} }
func (l *locator) pointer(ref, msg string) string { return l.found[ref][msg] }

func (l *locator) TraceEvent(evt topdown.Event) {
	if evt.Op != topdown.ExitOp {
		return
	}
	r, ok := evt.Node.(*ast.Rule)
	if !ok || r.Head.Key == nil || r.Module == nil {
		return
	}
	ref := r.Module.Package.Path.Extend(r.Head.Ref().GroundPrefix()).String()
	if !l.want[ref] {
		return
	}
	msg, ok := message(evt.Plug(r.Head.Key))
	if !ok {
		return
	}
	if _, done := l.found[ref][msg]; done {
		return
	}
	var pointers [][]string
	ast.WalkRefs(r.Body, func(x ast.Ref) bool {
		if x.HasPrefix(l.root) {
			if g, ok := evt.Plug(ast.NewTerm(x)).Value.(ast.Ref); ok {
				pointers = append(pointers, refPointer(g[len(l.root)-1:]))
			}
		}
		return false
	})
	if len(pointers) == 0 {
		return
	}
	if l.found[ref] == nil {
		l.found[ref] = map[string]string{}
	}
	l.found[ref][msg] = joinPointer(commonPrefix(pointers))
}

// message is a result's message: the string, or an object's msg.
func message(t *ast.Term) (string, bool) {
	switch v := t.Value.(type) {
	case ast.String:
		return string(v), true
	case ast.Object:
		if m, ok := v.Get(ast.StringTerm("msg")).Value.(ast.String); ok {
			return string(m), true
		}
	}
	return "", false
}

// refPointer turns a reference to the policy (its first term the policy's root) into the tokens
// of a JSON Pointer; it stops at the first term that is not a string or a whole number.
func refPointer(r ast.Ref) []string {
	var toks []string
	for _, t := range r[1:] {
		switch v := t.Value.(type) {
		case ast.String:
			toks = append(toks, string(v))
		case ast.Number:
			n, ok := v.Int()
			if !ok {
				return toks
			}
			toks = append(toks, strconv.Itoa(n))
		default:
			return toks
		}
	}
	return toks
}

func commonPrefix(ps [][]string) []string {
	out := ps[0]
	for _, p := range ps[1:] {
		n := 0
		for n < len(out) && n < len(p) && out[n] == p[n] {
			n++
		}
		out = out[:n]
	}
	return out
}

func joinPointer(toks []string) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(jsonpos.EscapeToken(t))
	}
	return b.String()
}
