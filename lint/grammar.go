package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
)

// The IAM policy grammar (IAM User Guide, Grammar of the IAM JSON policy language), checked on
// the parsed tree in one walk. lint/schema/session-policy.json states the same grammar as a JSON
// Schema, for reading, and a test holds the two to the same findings on every golden and corpus
// file (grammar_schema_test.go).

// The element names each object of a policy takes (IAM User Guide, JSON policy element
// reference).
var (
	documentElements  = []string{"Version", "Id", "Statement"}
	statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
	// policyVersions are the Version values IAM accepts.
	policyVersions = []string{"2012-10-17", "2008-10-17"}
)

// grammarProblems checks the policy's grammar once and returns what is wrong, for the grammar
// rules to report their own.
func (p *Pass) grammarProblems() []problem {
	if p.grammar != nil {
		return *p.grammar
	}
	g := &grammar{p: p}
	p.grammar = &g.out
	root := p.Doc.Root
	if root == nil {
		return g.out
	}
	if root.Kind != jsonpos.Object {
		g.add("element-type", root, fmt.Sprintf(`the policy must be a JSON object, {"Version": "2012-10-17", "Statement": [...]}; got %s`, describeValue(root)))
		return g.out
	}
	g.document(root)
	return g.out
}

type grammar struct {
	p   *Pass
	out []problem
}

func (g *grammar) add(slug string, v *jsonpos.Value, msg string) {
	g.out = append(g.out, problem{slug: slug, at: place{g.p.Doc, v.Start, v.End}, msg: msg})
}

// warn adds a problem that IAM accepts: it is reported at warning severity.
func (g *grammar) warn(slug string, v *jsonpos.Value, msg string) {
	g.add(slug, v, msg)
	g.out[len(g.out)-1].warning = true
}

func (g *grammar) unknown(m jsonpos.Member, allowed []string, in string) {
	msg := fmt.Sprintf("unknown element %q", m.Key)
	if s := suggest(m.Key, allowed); s != "" {
		msg += fmt.Sprintf(": did you mean %q?", s)
	} else {
		msg += fmt.Sprintf(" in a %s: IAM accepts %s", in, strings.Join(allowed, ", "))
	}
	g.out = append(g.out, problem{slug: "unknown-element", at: place{g.p.Doc, m.KeyStart, m.KeyEnd}, msg: msg})
}

func (g *grammar) document(root *jsonpos.Value) {
	hasStatement := false
	for _, m := range root.Members {
		v := m.Value
		switch m.Key {
		case "Version":
			if v.Kind != jsonpos.String || !slices.Contains(policyVersions, v.Str) {
				g.add("invalid-version", v, fmt.Sprintf(`Version must be "2012-10-17" (or the legacy "2008-10-17"); got %s`, describeValue(v)))
			}
		case "Id":
			if v.Kind != jsonpos.String {
				g.add("element-type", v, fmt.Sprintf("Id must be a string; got %s", v.Kind))
			}
		case "Statement":
			hasStatement = true
			switch v.Kind {
			case jsonpos.Object:
				g.statement(v)
			case jsonpos.Array:
				for _, e := range v.Elems {
					if e.Kind != jsonpos.Object {
						g.add("element-type", e, fmt.Sprintf("a statement must be an object with Effect, Action and Resource; got %s", describeValue(e)))
						continue
					}
					g.statement(e)
				}
			default:
				g.add("element-type", v, fmt.Sprintf("Statement must be a statement object or a list of them; got %s", v.Kind))
			}
		default:
			g.unknown(m, documentElements, "policy")
		}
	}
	if !hasStatement {
		g.out = append(g.out, problem{slug: "missing-statement", at: place{g.p.Doc, root.Start, root.Start + 1},
			msg: `the policy has no Statement: IAM rejects it; add "Statement": [...] with at least one statement`})
	}
}

func (g *grammar) statement(s *jsonpos.Value) {
	if len(s.Members) == 0 {
		return // empty-statement says it once
	}
	hasEffect := false
	for _, m := range s.Members {
		v := m.Value
		switch m.Key {
		case "Sid":
			if v.Kind != jsonpos.String {
				g.add("element-type", v, fmt.Sprintf("Sid must be a string; got %s", v.Kind))
			}
		case "Effect":
			hasEffect = true
			if v.Kind != jsonpos.String || v.Str != "Allow" && v.Str != "Deny" {
				msg := fmt.Sprintf(`Effect must be "Allow" or "Deny"; got %s`, describeValue(v))
				if v.Kind == jsonpos.String {
					if s := suggest(v.Str, []string{"Allow", "Deny"}); s != "" {
						msg += fmt.Sprintf(": did you mean %q?", s)
					}
				}
				g.add("invalid-effect", v, msg)
			}
		case "Principal", "NotPrincipal":
			// session-principal reports them.
		case "Action", "NotAction", "Resource", "NotResource":
			g.stringOrStrings(m.Key, v)
		case "Condition":
			g.condition(v)
		default:
			g.unknown(m, statementElements, "statement")
		}
	}
	if !hasEffect {
		g.out = append(g.out, problem{slug: "missing-effect", at: place{g.p.Doc, s.Start, s.Start + 1},
			msg: `statement has no Effect: IAM rejects it; add "Effect": "Allow" or "Effect": "Deny"`})
	}
}

// stringOrStrings checks an element that is a string or a non-empty list of strings. IAM accepts
// an empty list (Access Analyzer suggests removing it: EMPTY_ARRAY_ACTION, EMPTY_ARRAY_RESOURCE),
// so that is a warning: the statement then matches nothing.
func (g *grammar) stringOrStrings(name string, v *jsonpos.Value) {
	switch v.Kind {
	case jsonpos.String:
	case jsonpos.Array:
		if len(v.Elems) == 0 {
			g.warn("element-type", v, fmt.Sprintf("%s is an empty list, so the statement matches nothing: IAM accepts it, but it is likely a mistake; give at least one value or remove the statement", name))
		}
		for _, e := range v.Elems {
			if e.Kind != jsonpos.String {
				g.add("element-type", e, fmt.Sprintf("%s must be a string; got %s", name, e.Kind))
			}
		}
	default:
		g.add("element-type", v, fmt.Sprintf("%s must be a string or a list of strings; got %s", name, v.Kind))
	}
}

// condition checks a Condition block: an object of operators, each an object of condition keys,
// each a value or a list of values.
func (g *grammar) condition(c *jsonpos.Value) {
	if c.Kind != jsonpos.Object {
		g.add("element-type", c, fmt.Sprintf(`Condition must be an object of condition operators, like {"StringEquals": {"aws:PrincipalTag/team": "data"}}; got %s`, c.Kind))
		return
	}
	for _, op := range c.Members {
		block := op.Value
		if block.Kind != jsonpos.Object {
			g.add("element-type", block, fmt.Sprintf(`the %s block must be an object of condition keys and their values, like {"aws:PrincipalTag/team": "data"}; got %s`, quoteShort(op.Key), describeValue(block)))
			continue
		}
		for _, key := range block.Members {
			values := []*jsonpos.Value{key.Value}
			if key.Value.Kind == jsonpos.Array {
				values = key.Value.Elems
			}
			for _, v := range values {
				switch v.Kind {
				case jsonpos.String, jsonpos.Number, jsonpos.Bool:
				default:
					g.add("condition-type", v, fmt.Sprintf("the value of %s must be a string, number or boolean, or a list of them; got %s", quoteShort(key.Key), describeValue(v)))
				}
			}
		}
	}
}

// reportGrammar reports the grammar problems of the running rule.
func (p *Pass) reportGrammar() {
	p.reportSlug(p.grammarProblems())
}
