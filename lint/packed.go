package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/policylint/policylint/pack"
)

// DefaultPackedWarn is the estimate, in percent, from which packed-size warns: a request this
// close to the limit fails after one more tag or statement.
const DefaultPackedWarn = 90

// packRequest is what of the request counts toward PackedPolicySize: the policy as sent, the
// policy ARNs, the session tags (with a token's or assertion's) and inherited transitive tags.
func (p *Pass) packRequest() pack.Request {
	var r pack.Request
	if p.Doc != nil {
		r.Policy = string(p.Doc.Src)
	}
	for _, a := range p.req.arns {
		r.PolicyARNs = append(r.PolicyARNs, a.s)
	}
	for _, t := range p.allTags() {
		r.Tags = append(r.Tags, pack.Tag{Key: t.key.s, Value: t.value.s})
	}
	for _, t := range p.cfg.Request.InheritedTags {
		r.InheritedTags = append(r.InheritedTags, pack.Tag{Key: t.Key, Value: t.Value})
	}
	return r
}

// packEmpty reports a request with nothing that counts toward the packed size.
func packEmpty(r pack.Request) bool {
	return r.Policy == "" && len(r.PolicyARNs) == 0 && len(r.Tags) == 0 && len(r.InheritedTags) == 0
}

// checkPackedSize estimates the packed size and reports it at or above the warning threshold,
// as an error from 100%. A request over the plaintext limit is left to policy-length: it fails
// anyway, and the model has no data past 2,048 characters.
func checkPackedSize(p *Pass) {
	if p.Doc != nil && utf8.RuneCount(p.Doc.Src)+p.arnChars() > maxPlaintext {
		return
	}
	r := p.packRequest()
	if packEmpty(r) {
		return
	}
	warn := p.cfg.PackedWarn
	if warn == 0 {
		warn = DefaultPackedWarn
	}
	if p.cfg.model().EstimateTotal(r).Percent < warn {
		return
	}
	e := p.cfg.model().Estimate(r)
	msg := fmt.Sprintf("packed size is about %g%% (band %g–%g%%, %s)", e.Percent, e.Low, e.High, e.Model)
	sev := Warning
	if e.Percent >= 100 {
		sev = Error
		which := "Packed policy consumes N% of allotted space"
		if e.TagsOnly {
			which = "Packed size of session tags consumes N% of allotted space"
		}
		msg += fmt.Sprintf("; STS rejects above 100%% with PackedPolicyTooLarge (%q)", which)
		sev, msg = p.retried(r, msg)
	} else {
		msg += fmt.Sprintf("; STS rejects above 100%%, and this warns from %g%%", warn)
	}
	msg += ": biggest parts " + biggestParts(e.Parts, 3)
	if e.MinifiedPercent < e.Percent {
		msg += fmt.Sprintf("; minified, about %g%%", e.MinifiedPercent)
	}
	at := p.req.policyAt
	switch {
	case p.Doc != nil && p.in == "" && p.Doc.Root != nil:
		at = place{p.Doc, p.Doc.Root.Start, p.Doc.Root.Start + 1}
	case p.Doc != nil && p.in == "":
		at = place{p.Doc, 0, 0}
	case at.doc == nil && p.req.doc != nil:
		at = place{p.req.doc, p.req.doc.Root.Start, p.req.doc.Root.Start + 1}
	}
	p.reportAtSeverity(sev, at, msg)
}

// biggestParts names the n largest contributions to an estimate.
func biggestParts(parts []pack.Part, n int) string {
	sorted := slices.Clone(parts)
	slices.SortStableFunc(sorted, func(a, b pack.Part) int { return cmp.Compare(b.Percent, a.Percent) })
	var out []string
	for _, pt := range sorted[:min(n, len(sorted))] {
		name := pt.Kind
		switch pt.Kind {
		case pack.KindARN:
			name = "policy ARN " + pt.Name
		case pack.KindTag:
			name = fmt.Sprintf("tag %q", pt.Name)
		case pack.KindInheritedTag:
			name = fmt.Sprintf("inherited tag %q", pt.Name)
		}
		out = append(out, fmt.Sprintf("%s %.0f%%", name, pt.Percent))
	}
	return strings.Join(out, ", ")
}
