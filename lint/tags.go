package lint

import (
	"fmt"
	"strings"
)

const (
	// maxTags: "You can pass up to 50 session tags." (STS API Reference, AssumeRole, Tags; the
	// model's tagListType max 50). Tags from a token or assertion count too.
	maxTags = 50
	// reservedTagPrefix: "You cannot create a tag key or value that begins with the text aws:.
	// This tag prefix is reserved for AWS internal use." (IAM User Guide, Tagging IAM resources,
	// Rules for tagging), which session tags follow ("Session tags must follow the rules for
	// naming tags in IAM", Passing session tags in AWS STS). IAM tag keys and values are not case
	// sensitive, and AWS's general tagging rules reserve "aws:, AWS:, or any upper or lowercase
	// combination", so any case is reserved.
	reservedTagPrefix = "aws:"
)

// allTags is every session tag of the request: its Tags and those a token or assertion carries.
func (p *Pass) allTags() []tagValue {
	return append(p.req.tags, p.req.fedTags...)
}

// foldKey is the form in which tag keys compare: STS treats keys that differ only in case as
// one ("Tag key–value pairs are not case sensitive", STS API Reference, AssumeRole, Tags).
func foldKey(k string) string { return strings.ToLower(k) }

// checkTagCount reports more session tags than STS accepts.
func checkTagCount(p *Pass) {
	tags := p.allTags()
	if len(tags) <= maxTags {
		return
	}
	from := ""
	if n := len(p.req.fedTags); n > 0 {
		from = fmt.Sprintf(" (%d from the %s)", n, p.req.fedTags[0].from)
	}
	at := p.req.tagsAt
	if len(p.req.tags) == 0 {
		at = p.req.fedTags[0].key.at
	}
	p.reportAt(at, fmt.Sprintf("request passes %d session tags%s; STS accepts at most %d: drop tags or move them into one", len(tags), from, maxTags))
}

// checkTagDuplicate reports tag keys that are equal ignoring case: STS treats them as one key.
func checkTagDuplicate(p *Pass) {
	first := map[string]tagValue{}
	for _, t := range p.allTags() {
		if t.key.s == "" || opaqueValue(t.key.s) {
			continue // param-length, unrendered-template or request-file-uri reports it
		}
		k := foldKey(t.key.s)
		f, seen := first[k]
		if !seen {
			first[k] = t
			continue
		}
		how := "again"
		if f.key.s != t.key.s {
			how = "again as " + quoteShort(f.key.s)
		}
		p.reportAt(t.key.at, fmt.Sprintf("%s %s is given %s%s; tag keys are case-insensitive and must be unique: keep one", t.key.name, quoteShort(t.key.s), how, t.origin()),
			p.relatedAt(f.key.at, "first given here"+f.origin()))
	}
}

func (t tagValue) origin() string {
	if t.from == "" {
		return ""
	}
	return " (in the " + t.from + ")"
}

// hasReservedPrefix reports a value that begins with aws: in any case.
func hasReservedPrefix(s string) bool {
	return len(s) >= len(reservedTagPrefix) && strings.EqualFold(s[:len(reservedTagPrefix)], reservedTagPrefix)
}

// checkTagReserved reports tag keys and values that begin with aws:, which AWS reserves.
func checkTagReserved(p *Pass) {
	for _, t := range p.allTags() {
		for i, part := range []sv{t.key, t.value} {
			if hasReservedPrefix(part.s) {
				fix := "rename it"
				if i == 1 {
					fix = "change the value"
				}
				p.reportAt(part.at, fmt.Sprintf("%s %s begins with %q, which AWS reserves for its own tags%s: STS rejects it; %s", part.name, quoteShort(part.s), part.s[:len(reservedTagPrefix)], t.origin(), fix))
			}
		}
	}
}

// checkTransitiveTagUnknown reports a transitive tag key that names no session tag of the
// request. One set of the tag keys makes it linear.
func checkTransitiveTagUnknown(p *Pass) {
	keys := map[string]bool{}
	for _, t := range p.allTags() {
		keys[foldKey(t.key.s)] = true
	}
	report := func(transitive []sv, origin string) {
		for _, k := range transitive {
			if k.s == "" || opaqueValue(k.s) || keys[foldKey(k.s)] {
				continue
			}
			p.reportAt(k.at, fmt.Sprintf("%s %s%s names no session tag of this request: STS rejects it; add the tag or remove the key", k.name, quoteShort(k.s), origin))
		}
	}
	report(p.req.transitive, "")
	report(p.req.fedTransitive, fmt.Sprintf(" (in the %s)", p.req.fedOrigin()))
}

// chained reports whether the request is an AssumeRole call made with a role session's
// credentials: --chained, inherited transitive tags, or the file the request comes from (a
// configure-aws-credentials step with role-chaining), say so.
func (p *Pass) chained() bool {
	return p.req.op == AssumeRole && (p.cfg.Request.Chained || len(p.cfg.Request.InheritedTags) > 0 || p.req.src != nil && p.req.src.Chained != "")
}

// checkTagInheritedConflict reports a session tag whose key is that of a transitive tag the
// calling session passes on: "If you pass a session tag with the same key as an inherited tag,
// the operation fails." (STS API Reference, AssumeRole, Tags). Keys compare without case.
func checkTagInheritedConflict(p *Pass) {
	if !p.chained() {
		return
	}
	inherited := map[string]string{}
	for _, t := range p.cfg.Request.InheritedTags {
		inherited[foldKey(t.Key)] = t.Key
	}
	for _, t := range p.req.tags {
		k, ok := inherited[foldKey(t.key.s)]
		if !ok || t.key.s == "" {
			continue
		}
		same := ""
		if k != t.key.s {
			same = ", the same key in another case"
		}
		p.reportAt(t.key.at, fmt.Sprintf("%s %s repeats the key of %s, a transitive tag the calling session passes on (--inherited-tag%s): STS rejects a session tag with the key of an inherited tag; drop it, the session inherits the tag anyway", t.key.name, quoteShort(t.key.s), quoteShort(k), same))
	}
}
