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

// Estimates returns the packed size estimate of each request a file holds (a workflow's steps,
// a Terraform file's providers, a YAML file's documents), as the packed-size check makes it, or
// why there is none: the file holds no policy or request policylint reads. A request gets None
// instead of an estimate when it is an AssumeRole, AssumeRoleWithSAML or
// AssumeRoleWithWebIdentity request with no policy, policy ARNs or tags, for which STS reports no
// PackedPolicySize (LocalStack's snapshots of AWS; grade A in docs/packed-size.md).
// GetFederationToken reports one always: 0 without them.
func (l *Linter) Estimates(path string, src []byte) (es []RequestEstimate, none string) {
	prs := l.prepareFile(path, src)
	if len(prs) == 0 {
		return nil, "the file holds no policy or request"
	}
	for _, pr := range prs {
		p := &Pass{Doc: pr.policy, req: pr.req, cfg: &l.cfg}
		es = append(es, p.requestEstimate(pr))
	}
	return es, ""
}

// requestEstimate is the estimate of the pass's request, placed as pr is in its file, for
// Estimates and for the estimates lint keeps for Markdown (Config.Estimates).
func (p *Pass) requestEstimate(pr prepared) RequestEstimate {
	e, none := p.estimate()
	re := RequestEstimate{At: pr.at, Line: pr.line, Estimate: e, None: none}
	if n := p.plaintext(); n > maxPlaintext {
		re.TooLong = fmt.Sprintf("the policy and its ARNs are %s characters, and STS rejects more than %s before it packs them (policy-length); the model has no data past that", thousands(n), thousands(maxPlaintext))
	}
	return re
}

// plaintext is the length STS limits to maxPlaintext: the policy's characters and the ARNs'.
func (p *Pass) plaintext() int {
	n := p.arnChars()
	if p.Doc != nil {
		n += utf8.RuneCount(p.Doc.Src)
	}
	return n
}

// RequestEstimate is the packed size estimate of one request of a file.
type RequestEstimate struct {
	// At is where the request is in the file: a JSON Pointer into its data
	// (/jobs/deploy/steps/1) or a Terraform address; "" for a file that is one policy or
	// request. Line is the line it starts on, 0 for such a file.
	At   string
	Line int
	pack.Estimate
	// None says why STS reports no PackedPolicySize for the request; the estimate is zero then.
	None string
	// TooLong says that the request is over the plaintext limit, which STS checks first.
	TooLong string
}

// estimate is Estimate of the pass's request.
func (p *Pass) estimate() (pack.Estimate, string) {
	r := p.packRequest()
	if packEmpty(r) && p.req.op != GetFederationToken {
		return pack.Estimate{}, "STS returns no PackedPolicySize without a policy, policy ARNs or tags (only GetFederationToken reports 0)"
	}
	return p.cfg.model().Estimate(r), ""
}

// checkPackedSize estimates the packed size and reports it at or above the warning threshold,
// as an error above 100% (STS accepts 100). A request over the plaintext limit is left to
// policy-length: it fails anyway, and the model has no data past 2,048 characters.
func checkPackedSize(p *Pass) {
	if p.plaintext() > maxPlaintext {
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
	if e.Percent > pack.MaxAccepted {
		sev = Error
		which := "Packed policy consumes N% of allotted space"
		if e.TagsOnly {
			which = "Packed size of session tags consumes N% of allotted space"
		}
		msg += fmt.Sprintf("; STS rejects above 100%% with PackedPolicyTooLarge (%q): %s", which, CutAdvice(e))
		sev, msg = p.retried(r, msg)
	} else {
		msg += fmt.Sprintf("; STS rejects above 100%%, and this warns from %g%%: biggest parts %s", warn, biggestParts(e.Parts, 3))
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

// CutAdvice says, in one line, what a request estimated above 100% must drop to fit: e.Cut, or
// what is left to shorten when dropping every session tag and policy ARN is not enough. It is
// "" for an estimate of at most 100%.
func CutAdvice(e pack.Estimate) string {
	c := e.Cut
	if c == nil {
		return ""
	}
	var tags, arns []string
	for _, pt := range c.Parts {
		if pt.Kind == pack.KindTag {
			tags = append(tags, quoteShort(pt.Name))
		} else {
			arns = append(arns, quoteShort(pt.Name))
		}
	}
	var groups []string
	if len(tags) > 0 {
		groups = append(groups, nameList("tag", tags))
	}
	if len(arns) > 0 {
		groups = append(groups, nameList("policy ARN", arns))
	}
	if c.Fits {
		return fmt.Sprintf("removing %s would bring it to about %g%%", strings.Join(groups, " and "), c.Percent)
	}
	var left []string
	for _, pt := range e.Parts {
		if pt.Kind == pack.KindPolicy {
			left = append(left, "shorten the policy")
			break
		}
	}
	for _, pt := range e.Parts {
		if pt.Kind == pack.KindInheritedTag {
			left = append(left, "pass fewer transitive tags to this session")
			break
		}
	}
	what := strings.Join(left, " or ")
	if len(groups) == 0 {
		return fmt.Sprintf("%s: nothing else counts toward it", what)
	}
	return fmt.Sprintf("even without %s it is about %g%%: %s", strings.Join(groups, " and "), c.Percent, what)
}

// nameList names up to three items of a kind, counting the rest: `tag "a"`,
// `tags "a", "b" and "c"`, `5 tags ("a", "b", "c", …)`.
func nameList(kind string, names []string) string {
	switch n := len(names); {
	case n == 1:
		return kind + " " + names[0]
	case n <= 3:
		return kind + "s " + strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	default:
		return fmt.Sprintf("%d %ss (%s, …)", n, kind, strings.Join(names[:3], ", "))
	}
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
			name = "policy ARN " + quoteShort(pt.Name)
		case pack.KindTag:
			name = "tag " + quoteShort(pt.Name)
		case pack.KindInheritedTag:
			name = "inherited tag " + quoteShort(pt.Name)
		}
		out = append(out, fmt.Sprintf("%s %.0f%%", name, pt.Percent))
	}
	return strings.Join(out, ", ")
}
