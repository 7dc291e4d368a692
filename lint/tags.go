package lint

import (
	"fmt"
	"regexp"
	"strings"
)

const (
	// maxTags: "You can pass up to 50 session tags." (STS API Reference, AssumeRole, Tags; the
	// model's tagListType max 50). Tags from a token or assertion count too.
	maxTags = 50
	// reservedTagPrefix: "You cannot use a prefix value of aws: for a tag key." (IAM User Guide,
	// Passing session tags in STS)
	reservedTagPrefix = "aws:"
)

// allTags is every session tag of the request: its Tags and those a token or assertion carries.
func (p *Pass) allTags() []tagValue {
	return append(p.req.tags, p.req.fedTags...)
}

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
		k := strings.ToLower(t.key.s)
		f, seen := first[k]
		if !seen {
			first[k] = t
			continue
		}
		how := "again"
		if f.key.s != t.key.s {
			how = fmt.Sprintf("again as %q", f.key.s)
		}
		p.reportAt(t.key.at, fmt.Sprintf("%s %q is given %s%s; tag keys are case-insensitive and must be unique: keep one", t.key.name, t.key.s, how, t.origin()),
			p.relatedAt(f.key.at, "first given here"+f.origin()))
	}
}

func (t tagValue) origin() string {
	if t.from == "" {
		return ""
	}
	return " (in the " + t.from + ")"
}

// checkTagReserved reports tag keys that begin with aws:, which AWS reserves.
func checkTagReserved(p *Pass) {
	for _, t := range p.allTags() {
		if len(t.key.s) >= len(reservedTagPrefix) && strings.EqualFold(t.key.s[:len(reservedTagPrefix)], reservedTagPrefix) {
			p.reportAt(t.key.at, fmt.Sprintf("%s %q begins with %q, which AWS reserves for its own tags%s: rename it", t.key.name, t.key.s, reservedTagPrefix, t.origin()))
		}
	}
}

// checkTransitiveTagUnknown reports a transitive tag key that names no session tag of the
// request. Keys are compared without regard to case, through a set: linear in the tags.
func checkTransitiveTagUnknown(p *Pass) {
	keys := map[string]bool{}
	for _, t := range p.allTags() {
		keys[strings.ToLower(t.key.s)] = true
	}
	report := func(transitive []sv, origin string) {
		for _, k := range transitive {
			if !keys[strings.ToLower(k.s)] {
				p.reportAt(k.at, fmt.Sprintf("%s %q%s names no session tag of this request: STS rejects it; add the tag or remove the key", k.name, k.s, origin))
			}
		}
	}
	report(p.req.transitive, "")
	report(p.req.fedTransitive, fmt.Sprintf(" (in the %s)", p.req.fedOrigin()))
}

// roleAccount reads the account of an IAM role ARN.
var roleAccount = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/`)

// policyAccount reads the account of a customer managed policy ARN ("aws" for AWS managed).
var policyAccount = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/`)

// checkPolicyARNAccount reports a customer managed policy in another account than the role:
// STS accepts only policies of the role's account, or AWS managed ones.
func checkPolicyARNAccount(p *Pass) {
	if p.req.roleARN == nil {
		return
	}
	rm := roleAccount.FindStringSubmatch(p.req.roleARN.s)
	if rm == nil {
		return
	}
	for _, a := range p.req.arns {
		pm := policyAccount.FindStringSubmatch(a.s)
		if pm == nil || pm[1] == "aws" || pm[1] == rm[1] {
			continue
		}
		p.reportAt(a.at, fmt.Sprintf("%s is in account %s but the role is in account %s; session policies must be AWS managed or in the role's account: create the policy in %s",
			a.name, pm[1], rm[1], rm[1]), p.relatedAt(p.req.roleARN.at, "the role"))
	}
}

// checkPolicyFile reports a "file://" policy that cannot be read.
func checkPolicyFile(p *Pass) {
	if err := p.req.policyFileErr; err != nil {
		p.reportAt(p.req.policyAt, fmt.Sprintf("Policy names %q, which cannot be read: %v; the path is relative to the request file", "file://"+p.req.policyFile, unwrapPathError(err)))
	}
}
