package lint

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/ruleproto"
	"github.com/policylint/policylint/internal/sandbox"
)

// Custom rules are the user's Rego, loaded and evaluated in rule workers (internal/sandbox):
// policylint itself never runs a custom rule. Each rule with findings is a Rule of its own, with
// the code, slug, severity, title and link its METADATA gives; evaluation happens once per
// policy document, all rules in one query per input contract.

// customRules turns the loaded rules into rules of the linter.
func customRules(loaded ruleproto.Loaded) []*Rule {
	out := make([]*Rule, 0, len(loaded.Rules))
	for _, r := range loaded.Rules {
		sev, err := ParseSeverity(r.Severity)
		if err != nil {
			sev = Error
		}
		title := r.Title
		if title == "" {
			title = "custom rule " + r.Ref
		}
		rationale := r.Description
		if rationale == "" {
			rationale = fmt.Sprintf("A custom Rego rule, %s, defined at %s:%d. Its METADATA (title, description, related_resources, custom.code, custom.severity) documents it here.", r.Ref, r.File, r.Row)
		}
		out = append(out, &Rule{
			Code: r.Code, Slug: r.Slug, Severity: sev, Title: title, Rationale: rationale, Source: r.URL,
			scope: customScope, custom: &r,
		})
	}
	return out
}

// Lookup returns a function that finds a rule by code or slug among the built-in rules and the
// custom ones of rs (nil for none), as Linter.RuleByName will, for resolving names before a
// Linter exists.
func Lookup(rs *sandbox.Rules) func(string) *Rule {
	l := &Linter{}
	if rs != nil {
		l.allCustom = customRules(rs.Loaded)
	}
	return l.RuleByName
}

// customInput is the document and context a custom rule sees: the policy as JSON, and
// {"path", "kind", "request", "positions"} (rules/doc.go describes both contracts).
func (p *Pass) customInput() *ruleproto.Eval {
	var b []byte
	b = appendJSON(b, p.Doc.Root)
	ctx := map[string]any{"path": p.path, "kind": "policy", "request": p.requestContext()}
	if p.req.doc != nil {
		ctx["kind"] = "request"
	}
	if p.cfg.Custom.Loaded.Positions {
		positions := map[string]any{}
		p.Doc.Walk(func(ptr string, v *jsonpos.Value) bool {
			pos := p.filePos(v.Start)
			positions[ptr] = map[string]any{"line": pos.Line, "column": pos.Column}
			return true
		})
		ctx["positions"] = positions
	}
	c, _ := json.Marshal(ctx) // plain maps, strings and numbers: it cannot fail
	return &ruleproto.Eval{Policy: b, Context: c, Path: p.path}
}

// filePos is the position in the file the user sees of an offset of the policy: for a policy
// held in a request file's string, its place in the request file.
func (p *Pass) filePos(off int) jsonpos.Pos {
	if p.host != nil {
		return p.host.host.Pos(p.host.m.Source(off))
	}
	return p.Doc.Pos(off)
}

// requestContext is the request a custom rule sees.
func (p *Pass) requestContext() map[string]any {
	r := p.req
	req := map[string]any{"operation": string(r.op)}
	if r.roleARN != nil {
		req["role_arn"] = r.roleARN.s
	}
	arns := []any{}
	for _, a := range r.arns {
		arns = append(arns, a.s)
	}
	req["policy_arns"] = arns
	tags := []any{}
	for _, t := range p.allTags() {
		tags = append(tags, map[string]any{"key": t.key.s, "value": t.value.s})
	}
	req["tags"] = tags
	keys := []any{}
	for _, k := range append(r.transitive, r.fedTransitive...) {
		keys = append(keys, k.s)
	}
	req["transitive_tag_keys"] = keys
	if r.duration != nil {
		req["duration_seconds"] = r.duration.n
	}
	return req
}

// appendJSON writes a parsed value back as JSON: numbers as written where OPA can hold them
// (ruleNumber; 1e99999 reaches the rules as the string "1e99999"), strings re-encoded, duplicate
// keys as parsed (the last one wins for a reader).
func appendJSON(b []byte, v *jsonpos.Value) []byte {
	switch v.Kind {
	case jsonpos.Null:
		return append(b, "null"...)
	case jsonpos.Bool:
		return strconv.AppendBool(b, v.Bool)
	case jsonpos.Number:
		if !ruleNumber(v.Str) {
			return appendString(b, v.Str)
		}
		return append(b, v.Str...)
	case jsonpos.String:
		return appendString(b, v.Str)
	case jsonpos.Array:
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	}
	b = append(b, '{')
	for i, m := range v.Members {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, m.Key)
		b = append(b, ':')
		b = appendJSON(b, m.Value)
	}
	return append(b, '}')
}

// maxDecimalExponent bounds the numbers OPA can hold: it refuses a binary exponent past 100,000
// (about 10^30103), so that one such number in a policy would stop every rule on it. Numbers past
// 10^±30000 reach the rules as strings of their text instead.
const maxDecimalExponent = 30000

// ruleNumber reports whether a JSON number's magnitude is within 10^±maxDecimalExponent, from its
// text alone (no big-number parsing, which costs more than linear time).
func ruleNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	e := 0
	if exp != "" {
		digits := strings.TrimLeft(strings.TrimLeft(exp, "+-"), "0")
		if len(digits) > 6 {
			return strings.Trim(mant, "0.") == "" // 0e999999999 is zero
		}
		n, _ := strconv.Atoi(digits)
		if strings.HasPrefix(exp, "-") {
			n = -n
		}
		e = n
	}
	if trimmed := strings.TrimLeft(intPart, "0"); trimmed != "" {
		e += len(trimmed)
	} else if sig := strings.TrimLeft(frac, "0"); sig != "" {
		e -= len(frac) - len(sig)
	} else {
		return true // zero
	}
	return e <= maxDecimalExponent && e >= -maxDecimalExponent
}

// appendString writes s as a JSON string; bytes that are not UTF-8 become U+FFFD, as any JSON
// reader would make them.
func appendString(b []byte, s string) []byte {
	plain := true // printable ASCII without a quote or backslash: written as it is
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\'
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// checkCustom evaluates the custom rules on the policy and reports their findings, and rule
// errors and timeouts, each under its own rule.
func (p *Pass) checkCustom(rules []*Rule) {
	custom := p.cfg.Custom
	if custom == nil || p.Doc == nil || p.Doc.Root == nil || p.Doc.Root.Kind != jsonpos.Object {
		return
	}
	res, failure := custom.Eval(p.customInput())
	if failure != nil {
		p.reportRuleFailure(failure)
		return
	}
	byRef := map[string]*Rule{}
	for _, r := range rules {
		byRef[r.custom.Ref] = r
	}
	// Each rule's findings in document order, so that the cap keeps the first ones.
	for i := 0; i < len(res.Findings); {
		j := i
		for j < len(res.Findings) && res.Findings[j].Ref == res.Findings[i].Ref {
			j++
		}
		if r := byRef[res.Findings[i].Ref]; r != nil {
			group := res.Findings[i:j]
			slices.SortStableFunc(group, func(a, b ruleproto.Finding) int { return cmp.Compare(p.customStart(a), p.customStart(b)) })
			p.rule = r
			for _, f := range group {
				p.reportCustomFinding(f)
			}
			p.flushCap()
		}
		i = j
	}
	p.rule = RuleByName("rule-error")
	for _, e := range res.Errors {
		msg := e.Msg
		if e.File != "" {
			msg += fmt.Sprintf(" (%s:%d)", e.File, e.Row)
		}
		p.reportAt(p.docStart(), msg)
	}
	p.flushCap()
	if res.Timeout {
		p.rule = RuleByName("rule-timeout")
		p.reportAt(p.docStart(), fmt.Sprintf("the custom rules used up their CPU budget of %s on this document and were stopped; their findings for it are lost: make them cheaper, or raise --rule-timeout", custom.CPU()))
		p.flushCap()
	}
	p.prints = append(p.prints, res.Prints...)
}

// reportRuleFailure reports a worker that crashed or ran away on this document.
func (p *Pass) reportRuleFailure(f *sandbox.Failure) {
	p.rule = RuleByName("rule-error")
	if f.Timeout {
		p.rule = RuleByName("rule-timeout")
	}
	p.reportAt(p.docStart(), "custom rules: "+f.Msg+"; their findings for this document are lost")
	p.flushCap()
}

// docStart is the place of the policy's start.
func (p *Pass) docStart() place {
	start := 0
	if p.Doc.Root != nil {
		start = p.Doc.Root.Start
	}
	return place{p.Doc, start, start}
}

// customPlace is where a custom finding belongs: at its pointer, at the start of its _loc line,
// or at the document when neither resolves.
// The pointer, which the rule wrote, is resolved as far as the policy has it: a pointer found
// from what the rule read may name a value the policy lacks (input.Version, read by "not
// input.Version"), and its deepest existing ancestor stands in. exact reports whether the
// pointer named the value found.
func (p *Pass) customPlace(f ruleproto.Finding) (at place, exact bool) {
	if f.Pointer != "" {
		v, exact := p.Doc.LookupDeepest(f.Pointer)
		return place{p.Doc, v.Start, v.End}, exact
	}
	if f.Line > 0 {
		if off, ok := p.Doc.LineStart(f.Line); ok {
			return place{p.Doc, off, off}, false
		}
	}
	return place{p.Doc, p.Doc.Root.Start, p.Doc.Root.End}, false
}

func (p *Pass) customStart(f ruleproto.Finding) int {
	at, _ := p.customPlace(f)
	return at.start
}

// reportCustomFinding reports a custom finding at its place.
func (p *Pass) reportCustomFinding(f ruleproto.Finding) {
	at, exact := p.customPlace(f)
	if p.full(p.rule.Severity, at) {
		return
	}
	ptr := f.Pointer
	if !exact {
		ptr, _, _ = p.Doc.Enclosing(at.start)
	}
	p.add(at, ptr, p.in, f.Message, nil)
}
