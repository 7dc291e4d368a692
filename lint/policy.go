package lint

import (
	"fmt"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
)

// checkJSONSyntax reports why the document is not valid JSON, at the offending token.
func checkJSONSyntax(p *Pass) {
	if se := p.SyntaxError; se != nil {
		p.add(p.span(se.Start, se.End), "", p.in, "invalid JSON: "+se.Msg, nil)
	}
}

// elementNames are the IAM policy element names, which IAM matches without regard to case, so
// "Effect" and "effect" in one statement are one element given twice (IAM User Guide, JSON
// policy element reference).
var elementNames = []string{"Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal",
	"Action", "NotAction", "Resource", "NotResource", "Condition"}

func isElementName(key string) bool {
	for _, n := range elementNames {
		if strings.EqualFold(key, n) {
			return true
		}
	}
	return false
}

// checkDuplicateKey reports every key given twice in one object, and IAM element names given
// twice in the policy or a statement when only their case differs. encoding/json, and so most
// tools, silently keep the last; what IAM does is not documented, so the policy cannot be read
// with confidence.
func checkDuplicateKey(p *Pass) {
	for _, d := range p.Doc.Duplicates {
		p.reportAt(p.span(d.SecondStart, d.SecondEnd), fmt.Sprintf("key %q is given twice in this object; parsers disagree on which value wins: keep one", d.Key),
			p.related(d.FirstStart, d.FirstEnd, "first given here"))
	}
	if p.Doc.Root != nil && p.Doc.Root.Kind == jsonpos.Object {
		p.caseDuplicates(p.Doc.Root)
		for _, s := range p.statements() {
			p.caseDuplicates(s.v)
		}
	}
}

// caseDuplicates reports element names in obj that equal an earlier key but for case.
func (p *Pass) caseDuplicates(obj *jsonpos.Value) {
	first := map[string]jsonpos.Member{} // lower-cased element name → its first member
	for _, m := range obj.Members {
		if !isElementName(m.Key) {
			continue
		}
		lower := strings.ToLower(m.Key)
		f, seen := first[lower]
		if !seen {
			first[lower] = m
			continue
		}
		if f.Key != m.Key {
			p.reportAt(p.span(m.KeyStart, m.KeyEnd), fmt.Sprintf("key %q repeats element %q in another case; IAM element names are one element whatever their case: keep one", m.Key, f.Key),
				p.related(f.KeyStart, f.KeyEnd, "first given here"))
		}
	}
}

// checkSessionPrincipal reports Principal and NotPrincipal in a statement: a session policy is an
// identity-based policy, and IAM rejects them there with MalformedPolicyDocument.
func checkSessionPrincipal(p *Pass) {
	if p.Doc.Root == nil {
		return
	}
	for _, s := range p.statements() {
		for _, m := range s.v.Members {
			if m.Key == "Principal" || m.Key == "NotPrincipal" {
				p.ReportSpan(m.KeyStart, m.Value.End, fmt.Sprintf("%s is not allowed in a session policy, which applies to the session's own principal: remove it (it belongs in a trust or resource policy)", m.Key))
			}
		}
	}
}

// checkNoAllow warns when no statement allows anything: the session's permissions are the
// intersection of the role's policies and the session policy, so they would be none.
func checkNoAllow(p *Pass) {
	root := p.Doc.Root
	if root == nil {
		return
	}
	if root.Kind != jsonpos.Object {
		p.Report("", fmt.Sprintf("document is a JSON %s, not a policy object, so the session gets no permissions from its identity policies: write {\"Version\": \"2012-10-17\", \"Statement\": [...]}", root.Kind))
		return
	}
	for _, s := range p.statements() {
		if e, ok := s.v.Get("Effect"); ok && e.Kind == jsonpos.String && e.Str == "Allow" {
			return
		}
	}
	ptr := ""
	if _, ok := root.Get("Statement"); ok {
		ptr = "/Statement"
	}
	p.Report(ptr, `no statement has "Effect": "Allow", so the session gets no permissions from its identity policies: add an Allow statement for what the session needs`)
}
