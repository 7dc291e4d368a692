package lint

import (
	"fmt"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/placeholder"
)

// checkJSONSyntax reports why the document is not valid JSON, at the offending token, unless
// that token is an unrendered template placeholder: unrendered-template reports it.
func checkJSONSyntax(p *Pass) {
	se := p.SyntaxError
	if se == nil {
		return
	}
	for _, sp := range placeholder.Find(string(p.Doc.Src)) {
		if sp.Start <= se.Start && se.Start < max(sp.End, sp.Start+1) {
			return
		}
	}
	p.add(p.span(se.Start, se.End), "", p.in, "invalid JSON: "+se.Msg, nil)
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
// with confidence. In a request file it is a warning: the AWS CLI reads the file with Python's
// json, which keeps the last value, and sends that one.
func checkDuplicateKey(p *Pass) {
	if p.req != nil && p.Doc == p.req.doc {
		checkRequestDuplicateKey(p)
		return
	}
	for _, d := range p.Doc.Duplicates {
		p.reportAt(p.span(d.SecondStart, d.SecondEnd), fmt.Sprintf("key %s is given twice in this object; parsers disagree on which value wins: keep one", quoteShort(d.Key)),
			p.related(d.FirstStart, d.FirstEnd, "first given here"))
	}
	if p.Doc.Root != nil && p.Doc.Root.Kind == jsonpos.Object {
		p.caseDuplicates(p.Doc.Root)
		for _, s := range p.statements() {
			p.caseDuplicates(s.v)
		}
	}
}

// checkRequestDuplicateKey warns of a key given twice in a request file: STS receives the last
// value, and the param-* checks judge only that one.
func checkRequestDuplicateKey(p *Pass) {
	for _, d := range p.Doc.Duplicates {
		p.reportAtSeverity(Warning, p.span(d.SecondStart, d.SecondEnd), fmt.Sprintf("key %s is given again in this object; the AWS CLI keeps the last of its values and STS receives only that one: remove the others", quoteShort(d.Key)),
			p.related(d.FirstStart, d.FirstEnd, "first given here"))
	}
}

// caseDuplicates reports element names in obj that equal an earlier key but for case.
func (p *Pass) caseDuplicates(obj *jsonpos.Value) {
	caseRepeats(obj, isElementName, func(f, m jsonpos.Member) {
		p.reportAt(p.span(m.KeyStart, m.KeyEnd), fmt.Sprintf("key %s repeats element %q in another case; IAM element names are one element whatever their case: keep one", quoteShort(m.Key), f.Key),
			p.related(f.KeyStart, f.KeyEnd, "first given here"))
	})
}

// caseRepeats calls fn for each member of obj, among those include accepts, whose key equals an
// earlier one's but for case, with that earlier member.
func caseRepeats(obj *jsonpos.Value, include func(key string) bool, fn func(first, again jsonpos.Member)) {
	if len(obj.Members) <= 16 { // the common case: compared pairwise, without lower-casing each key
		for i, m := range obj.Members {
			if !include(m.Key) {
				continue
			}
			for _, f := range obj.Members[:i] {
				if strings.EqualFold(f.Key, m.Key) && include(f.Key) {
					if f.Key != m.Key {
						fn(f, m)
					}
					break
				}
			}
		}
		return
	}
	first := map[string]jsonpos.Member{} // lower-cased key → its first member
	for _, m := range obj.Members {
		if !include(m.Key) {
			continue
		}
		lower := strings.ToLower(m.Key)
		f, seen := first[lower]
		if !seen {
			first[lower] = m
			continue
		}
		if f.Key != m.Key {
			fn(f, m)
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
// intersection of the role's policies and the session policies, so they would be none. With
// policy ARNs a deny-only inline policy is a common design: the managed policies grant, and the
// inline one takes away.
func checkNoAllow(p *Pass) {
	root := p.Doc.Root
	if root == nil || len(p.req.arns) > 0 {
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
