package pack

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"sync"
)

// Tag is a session tag.
type Tag struct {
	Key, Value string
}

// Request is the part of an STS request that counts toward PackedPolicySize.
type Request struct {
	// Policy is the inline session policy as sent (the Policy parameter).
	Policy string
	// PolicyARNs are the managed session policy ARNs (PolicyArns[].arn).
	PolicyARNs []string
	// Tags are the session tags of the request (Tags, or the PrincipalTag
	// attributes of a SAML assertion or web identity token).
	Tags []Tag
	// InheritedTags are the transitive tags the calling session passes on when
	// roles are chained; they count like session tags.
	InheritedTags []Tag
}

// tagsOnly reports whether STS sizes r's tags alone: r has neither policy nor
// policy ARNs.
func (r Request) tagsOnly() bool {
	return r.Policy == "" && len(r.PolicyARNs) == 0
}

// Kinds of [Part].
const (
	KindPolicy       = "policy"
	KindARN          = "arn"
	KindTag          = "tag"
	KindInheritedTag = "inherited-tag"
)

// Part is one input's share of an estimate.
type Part struct {
	// Kind is KindPolicy, KindARN, KindTag or KindInheritedTag.
	Kind string
	// Name is "policy", the ARN, or the tag key.
	Name string
	// Percent is the part's share in percent, not rounded. The parts of an
	// estimate add up to its unrounded point estimate.
	Percent float64
}

// Estimate is the predicted PackedPolicySize of a request.
type Estimate struct {
	// Percent is the point estimate in whole percent, rounded up as STS is
	// assumed to round.
	Percent float64
	// Low and High bound the band the model's errors on known data fit in,
	// in whole percent.
	Low, High float64
	// TagsOnly reports that the request has neither policy nor policy ARNs:
	// STS then sizes the session tags alone, and rejects with its session-tags
	// message instead of its policy message.
	TagsOnly bool
	// Message is the STS error message Percent predicts, verbatim, or "" when
	// Percent is at most 100 (100 is accepted).
	Message string
	// Parts is each input's share: the policy, then each ARN, each tag and each
	// inherited tag, in request order. In the tags regime a part's share is
	// exactly what removing it saves. In the policy regime the policy's share
	// is exact; the ARNs and tags are compressed together, so each is charged
	// the DEFLATE bytes it adds after the parts before it (repeating an
	// earlier part is cheap), scaled so the parts sum to the estimate.
	Parts []Part
	// Cut, when Percent is above 100, is what the request must drop to fit.
	Cut *Cut
	// Model is the version of the model that made the estimate.
	Model string
}

// Cut is the smallest set of parts whose removal brings an estimate to at most
// 100%: session tags first, largest share first, then policy ARNs, largest
// share first. Inherited tags are not candidates (the calling session sets
// them) and neither is the policy (it can only be shortened).
type Cut struct {
	// Parts are the parts to remove, in the order they were chosen.
	Parts []Part
	// Percent is the point estimate without them.
	Percent float64
	// Fits is false when removing every session tag and policy ARN still
	// leaves the estimate above 100%: then Parts lists them all, and the
	// policy or the inherited tags must shrink.
	Fits bool
}

// STS error messages for PackedPolicyTooLarge, verbatim (STS API Reference;
// docs/sts-reference.md). They are AWS's text, hence capitalised with a period.
const (
	policyMessagePrefix = "Packed policy consumes "
	policyMessageSuffix = "% of allotted space, please use smaller policy."
	tagsMessagePrefix   = "Packed size of session tags consumes "
	tagsMessageSuffix   = "% of allotted space."
)

// MaxAccepted is the largest PackedPolicySize STS accepts: it fails the call
// above 100 (METR observed a successful call at 100).
const MaxAccepted = 100

// Estimate predicts the PackedPolicySize of r. It is deterministic, does no
// I/O and is safe for concurrent use. m should be valid (see
// [Model.Validate]); an invalid model gives meaningless but finite,
// non-negative numbers.
func (m Model) Estimate(r Request) Estimate {
	return m.estimate(r, true)
}

// EstimateTotal is Estimate without Parts and Cut: attributing the size to
// parts costs a DEFLATE pass per ARN and tag, and finding the cut a few more
// estimates, which a caller that only compares the total with a threshold
// does not need.
func (m Model) EstimateTotal(r Request) Estimate {
	return m.estimate(r, false)
}

// estimate is Estimate, with Parts and Cut only when parts is true.
func (m Model) estimate(r Request, parts bool) Estimate {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)

	f := m.measure(r, s)
	raw := m.percent(f)
	e := Estimate{
		Percent:  roundUp(raw),
		TagsOnly: f.tagsOnly,
		Model:    m.Version,
	}
	half := m.BandAbsolute + m.BandRelative*raw + m.BandPerAction*f.actions
	e.Low = clamp(math.Floor(raw - half))
	e.High = clamp(math.Ceil(raw + half))
	if e.Percent > MaxAccepted {
		n := strconv.FormatFloat(e.Percent, 'f', 0, 64)
		if f.tagsOnly {
			e.Message = tagsMessagePrefix + n + tagsMessageSuffix
		} else {
			e.Message = policyMessagePrefix + n + policyMessageSuffix
		}
	}
	if parts {
		e.Parts = m.parts(r, s, f)
		if e.Percent > MaxAccepted {
			e.Cut = m.cut(r, e.Parts)
		}
	}
	return e
}

// features are the measured quantities the model's constants multiply.
type features struct {
	tagsOnly bool
	policy   float64 // policy regime: DEFLATE bytes of the minified policy
	rest     float64 // policy regime: DEFLATE bytes of ARNs ‖ tags after it
	actions  float64 // Action and NotAction entries of the policy
	tagBytes float64 // tags regime: UTF-8 bytes of keys and values
	tags     float64 // tags regime: number of tags
}

// scratch holds the buffers of one estimate.
type scratch struct {
	// blob is dictionary ‖ minified policy ‖ ARNs ‖ key value ‖ ..., without
	// the dictionary in the tags regime.
	blob   []byte
	bounds []int     // part i is blob[bounds[i]:bounds[i+1]]
	costs  []float64 // per-part DEFLATE bytes
	c      counter
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// measure lays r out in s.blob, one part after another, and measures it.
func (m Model) measure(r Request, s *scratch) features {
	f := features{tagsOnly: r.tagsOnly()}
	s.blob = s.blob[:0]
	if !f.tagsOnly {
		s.blob = append(s.blob, m.Dictionary...)
	}
	dict := len(s.blob)
	s.bounds = append(s.bounds[:0], dict)
	if r.Policy != "" {
		var actions int
		s.blob, actions = appendPolicy(s.blob, r.Policy)
		s.bounds = append(s.bounds, len(s.blob))
		f.actions = float64(actions)
	}
	policyEnd := len(s.blob)
	for _, arn := range r.PolicyARNs {
		s.blob = append(s.blob, arn...)
		s.bounds = append(s.bounds, len(s.blob))
	}
	for _, tags := range [2][]Tag{r.Tags, r.InheritedTags} {
		for _, t := range tags {
			s.blob = append(s.blob, t.Key...)
			s.blob = append(s.blob, t.Value...)
			s.bounds = append(s.bounds, len(s.blob))
			f.tags++
		}
	}
	if f.tagsOnly {
		f.tagBytes = float64(len(s.blob))
		return f
	}
	f.policy = deflateLen(&s.c, s.blob[dict:policyEnd], s.blob[:dict])
	f.rest = deflateLen(&s.c, s.blob[policyEnd:], s.blob[:policyEnd])
	return f
}

// percent is the unrounded estimate for f.
func (m Model) percent(f features) float64 {
	if f.tagsOnly {
		return clamp(div(f.tagBytes+m.TagOverheadBytes*f.tags, m.TagBytesPerPercent))
	}
	return clamp(div(f.policy+m.ActionBytes*f.actions, m.BytesPerPercent) + div(f.rest, m.TagBytesPerPercent))
}

// parts splits the estimate measured into s among r's inputs, in percent.
func (m Model) parts(r Request, s *scratch, f features) []Part {
	n := len(s.bounds) - 1
	if n == 0 {
		return nil
	}
	s.costs = append(s.costs[:0], make([]float64, n)...)
	first := 0 // the first ARN or tag part
	if r.Policy != "" {
		s.costs[0] = clamp(div(f.policy+m.ActionBytes*f.actions, m.BytesPerPercent))
		first = 1
	}
	switch {
	case f.tagsOnly:
		for i := range n {
			s.costs[i] = clamp(div(float64(s.bounds[i+1]-s.bounds[i])+m.TagOverheadBytes, m.TagBytesPerPercent))
		}
	case n-first == 1:
		s.costs[first] = clamp(div(f.rest, m.TagBytesPerPercent)) // no second pass for a single part
	case n-first > 1:
		var sum float64
		for i := first; i < n; i++ {
			s.costs[i] = deflateLen(&s.c, s.blob[s.bounds[i]:s.bounds[i+1]], s.blob[:s.bounds[i]])
			sum += s.costs[i]
		}
		scale := div(div(f.rest, sum), m.TagBytesPerPercent)
		for i := first; i < n; i++ {
			s.costs[i] = clamp(s.costs[i] * scale)
		}
	}
	parts := make([]Part, 0, n)
	add := func(kind, name string) {
		parts = append(parts, Part{Kind: kind, Name: name, Percent: s.costs[len(parts)]})
	}
	if r.Policy != "" {
		add(KindPolicy, "policy")
	}
	for _, arn := range r.PolicyARNs {
		add(KindARN, arn)
	}
	for _, t := range r.Tags {
		add(KindTag, t.Key)
	}
	for _, t := range r.InheritedTags {
		add(KindInheritedTag, t.Key)
	}
	return parts
}

// cut finds the smallest set of r's session tags, then policy ARNs, largest
// share first, whose removal brings the estimate to at most 100%. parts are
// r's Parts. Removing one more candidate lowers the estimate: exactly in the
// tags regime, and as far as DEFLATE sizes grow with their input in the
// policy regime (session tags go before ARNs, so the regime changes only with
// the last ARN, when at most inherited tags are left). So a binary search over
// how many to remove takes O(log n) estimates.
func (m Model) cut(r Request, parts []Part) *Cut {
	// Candidates are numbered: session tags 0..len(r.Tags)-1, then ARNs.
	first := 0
	if r.Policy != "" {
		first = 1
	}
	share := func(i int) Part {
		if i < len(r.Tags) {
			return parts[first+len(r.PolicyARNs)+i]
		}
		return parts[first+i-len(r.Tags)]
	}
	order := make([]int, len(r.Tags)+len(r.PolicyARNs))
	for i := range order {
		order[i] = i
	}
	bigFirst := func(a, b int) int { return cmp.Compare(share(b).Percent, share(a).Percent) }
	slices.SortStableFunc(order[:len(r.Tags)], bigFirst)
	slices.SortStableFunc(order[len(r.Tags):], bigFirst)

	drop := make([]bool, len(order))
	q := Request{Policy: r.Policy, InheritedTags: r.InheritedTags}
	without := func(k int) float64 {
		clear(drop)
		for _, i := range order[:k] {
			drop[i] = true
		}
		q.Tags, q.PolicyARNs = q.Tags[:0], q.PolicyARNs[:0]
		for i, t := range r.Tags {
			if !drop[i] {
				q.Tags = append(q.Tags, t)
			}
		}
		for i, a := range r.PolicyARNs {
			if !drop[len(r.Tags)+i] {
				q.PolicyARNs = append(q.PolicyARNs, a)
			}
		}
		return m.estimate(q, false).Percent
	}
	c := &Cut{}
	lo, hi := 0, len(order) // without(lo) > 100; the answer is in (lo, hi]
	c.Percent = without(hi)
	if c.Fits = c.Percent <= MaxAccepted; c.Fits {
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if p := without(mid); p <= MaxAccepted {
				hi, c.Percent = mid, p
			} else {
				lo = mid
			}
		}
	}
	for _, i := range order[:hi] {
		c.Parts = append(c.Parts, share(i))
	}
	return c
}

// roundUp rounds an unrounded estimate up to whole percent, as STS is assumed
// to (a request that uses any of the next percent reports it). The tolerance
// keeps float noise on an exact integer from adding a point.
func roundUp(x float64) float64 {
	return clamp(math.Ceil(x - 1e-9))
}

// maxPercent caps estimates so that nonsense input stays finite.
const maxPercent = 1e9

// clamp maps NaN and negatives to 0 and caps at maxPercent.
func clamp(x float64) float64 {
	switch {
	case x > maxPercent:
		return maxPercent
	case x > 0:
		return x
	}
	return 0
}

// div is x/y, or 0 when y is not positive.
func div(x, y float64) float64 {
	if !(y > 0) {
		return 0
	}
	return x / y
}
