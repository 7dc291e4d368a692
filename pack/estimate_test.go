package pack

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

func findPoint(t *testing.T, name string) dataPoint {
	t.Helper()
	for _, p := range dataPoints() {
		if p.name == name {
			return p
		}
	}
	t.Fatalf("no data point %q", name)
	return dataPoint{}
}

// TestEstimate_TagsOnlyMessage checks the regime and message of the exact
// tags-only point: 9 tags of 250 × "a" fail with "Packed size of session tags
// consumes 498%".
func TestEstimate_TagsOnlyMessage(t *testing.T) {
	e := DefaultModel.Estimate(pointA())
	if !e.TagsOnly {
		t.Error("TagsOnly is false for a request with tags only")
	}
	if want := tagsMessagePrefix; !strings.HasPrefix(e.Message, want) {
		t.Errorf("message %q, want the session-tags message %q...", e.Message, want)
	}
}

// TestEstimate_GradeAWithinTwoPoints pins the model to every grade A point,
// old and new: real AWS results with exact inputs.
func TestEstimate_GradeAWithinTwoPoints(t *testing.T) {
	n := 0
	for _, p := range dataPoints() {
		if p.grade != "A" {
			continue
		}
		n++
		if e := DefaultModel.Estimate(p.req); math.Abs(e.Percent-p.observed) > 2 {
			t.Errorf("%s: estimate %v%%, observed %v%%: more than 2 points off", p.name, e.Percent, p.observed)
		}
	}
	if n != 9 {
		t.Errorf("%d grade A points, want 9 (1 in packed-datapoints.json, 8 in packed-datapoints-exact.json)", n)
	}
}

// TestEstimate_FittedInsideBand checks that every fitted point lies in its
// band, give or take the uncertainty of its reconstruction: the band is derived
// from those points' leave-one-out errors, so it must hold them in-sample.
func TestEstimate_FittedInsideBand(t *testing.T) {
	for _, p := range dataPoints() {
		if !p.fit {
			continue
		}
		e := DefaultModel.Estimate(p.req)
		if p.observed < e.Low-p.sigma || p.observed > e.High+p.sigma {
			t.Errorf("%s: observed %v%% outside band [%v, %v] ± %v (estimate %v%%)", p.name, p.observed, e.Low, e.High, p.sigma, e.Percent)
		}
	}
}

// TestEstimate_ErrorReport logs the model's error on every grade A, B and C
// point it can reproduce. Grade C points are a check only: their errors are
// reported here and in docs/packed-size.md, not required to be in the band.
func TestEstimate_ErrorReport(t *testing.T) {
	for _, p := range dataPoints() {
		e := DefaultModel.Estimate(p.req)
		in := p.observed >= e.Low && p.observed <= e.High
		t.Logf("%s %-24s observed %4v%%  estimate %4v%%  error %+4v  band [%v, %v] in=%v", p.grade, p.name, p.observed, e.Percent, e.Percent-p.observed, e.Low, e.High, in)
	}
}

// TestEstimate_NoFalseErrorOnSmallTags is the false error pack-model/1 made:
// 50 one-character tags (the documented maximum) are a valid request, and cost
// about what the exact one-character points say (2 tags 2%, 3 tags 3%).
func TestEstimate_NoFalseErrorOnSmallTags(t *testing.T) {
	var tags []Tag
	for i := range 50 {
		tags = append(tags, Tag{string(rune('a' + i%26)), string(rune('0' + i/26))})
	}
	e := DefaultModel.Estimate(Request{Tags: tags})
	if e.Percent > 60 || e.Message != "" || e.Cut != nil {
		t.Errorf("50 one-character tags: %v%% (%q); want about 45%% and no error", e.Percent, e.Message)
	}
	// Two tags of the longest key and value (128 + 256 characters) are far over.
	long := []Tag{{strings.Repeat("k", 127) + "1", strings.Repeat("v", 256)}, {strings.Repeat("k", 127) + "2", strings.Repeat("v", 256)}}
	if e := DefaultModel.Estimate(Request{Tags: long}); e.Percent <= 150 || e.Message == "" {
		t.Errorf("two 384-byte tags: %v%% (%q); want about 168%% and the session-tags message", e.Percent, e.Message)
	}
}

func TestEstimate_Messages(t *testing.T) {
	bigTags := pointA().Tags
	tests := []struct {
		name string
		req  Request
		want string // prefix, or "" for no message
	}{
		{"tags only over budget", Request{Tags: bigTags}, tagsMessagePrefix},
		{"inherited tags only over budget", Request{InheritedTags: bigTags}, tagsMessagePrefix},
		{"policy ARN and random tags over budget", Request{PolicyARNs: metrARNs, Tags: metrTags(20)}, policyMessagePrefix},
		{"policy over budget", Request{Policy: findPoint(t, "crewpoppy-42-actions").req.Policy}, policyMessagePrefix},
		{"under budget", pointGFT(), ""},
		{"empty request", Request{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := DefaultModel.Estimate(tt.req)
			switch {
			case tt.want == "" && e.Message != "":
				t.Errorf("message %q at %v%%, want none", e.Message, e.Percent)
			case tt.want != "" && !strings.HasPrefix(e.Message, tt.want):
				t.Errorf("message %q at %v%%, want prefix %q", e.Message, e.Percent, tt.want)
			case tt.want != "" && !strings.Contains(e.Message, fmt.Sprintf(" %v%% ", e.Percent)):
				t.Errorf("message %q does not carry the estimate %v%%", e.Message, e.Percent)
			}
		})
	}
}

// TestEstimate_Boundary100 checks that 100% is accepted and 101% is not.
func TestEstimate_Boundary100(t *testing.T) {
	// In the tags regime a tag of n bytes costs (n + overhead) / per; find the
	// value lengths whose single-tag estimate rounds to 100 and 101.
	seen := map[float64]bool{}
	for n := 400; n < 520; n++ {
		e := DefaultModel.Estimate(Request{Tags: []Tag{{"k", strings.Repeat("v", n)}}})
		if e.Percent == 100 && e.Message != "" {
			t.Errorf("100%% gives message %q, want none", e.Message)
		}
		if e.Percent == 101 && e.Message == "" {
			t.Error("101% gives no message")
		}
		seen[e.Percent] = true
	}
	if !seen[100] || !seen[101] {
		t.Fatal("test did not reach 100% and 101%; adjust the lengths")
	}
}

// TestEstimate_PartsSum checks that parts are listed in request order, are
// non-negative, and add up to the unrounded estimate: at most the rounded-up
// Percent and within one point of it.
func TestEstimate_PartsSum(t *testing.T) {
	for _, p := range dataPoints() {
		e := DefaultModel.Estimate(p.req)
		var sum float64
		for _, part := range e.Parts {
			if part.Percent < 0 {
				t.Errorf("%s: part %s %q is negative: %v", p.name, part.Kind, part.Name, part.Percent)
			}
			sum += part.Percent
		}
		if sum > e.Percent+1e-6 || sum <= e.Percent-1 {
			t.Errorf("%s: parts sum to %.3f, estimate %v%%", p.name, sum, e.Percent)
		}
		want := len(p.req.PolicyARNs) + len(p.req.Tags) + len(p.req.InheritedTags)
		if p.req.Policy != "" {
			want++
		}
		if len(e.Parts) != want {
			t.Fatalf("%s: %d parts, want %d", p.name, len(e.Parts), want)
		}
		i := 0
		check := func(kind, name string) {
			if e.Parts[i].Kind != kind || e.Parts[i].Name != name {
				t.Errorf("%s: part %d is %s %q, want %s %q", p.name, i, e.Parts[i].Kind, e.Parts[i].Name, kind, name)
			}
			i++
		}
		if p.req.Policy != "" {
			check(KindPolicy, "policy")
		}
		for _, a := range p.req.PolicyARNs {
			check(KindARN, a)
		}
		for _, tag := range p.req.Tags {
			check(KindTag, tag.Key)
		}
		for _, tag := range p.req.InheritedTags {
			check(KindInheritedTag, tag.Key)
		}
	}
}

// TestEstimate_PartsCompression checks that the policy-regime attribution
// follows compression: a tag repeating an earlier one costs less than the
// first, and a random ID costs more than a repeated value.
func TestEstimate_PartsCompression(t *testing.T) {
	e := DefaultModel.Estimate(findPoint(t, "metr-40-similar-tags").req)
	first, later := e.Parts[2].Percent, e.Parts[10].Percent
	if later >= first {
		t.Errorf("similar tag 9 costs %.2f%%, tag 1 costs %.2f%%; repeats should be cheaper", later, first)
	}
	r := DefaultModel.Estimate(Request{PolicyARNs: metrARNs, Tags: metrTags(3)})
	if random := r.Parts[4].Percent; random <= later {
		t.Errorf("random ID tag costs %.2f%%, repeated tag %.2f%%", random, later)
	}
}

// TestEstimate_TagsAdditive reproduces containers-roadmap#2413 (grade B): the
// application's custom tags alone gave 37%, the 6 inherited EKS tags alone 74%,
// both together failed at 112%. Neither tag set is published; these are chosen
// so that the model puts them at 37% and 74% (the EKS values then total 213
// bytes, against 126 and 149 in the exact EKS points), so the test checks that
// tags add up as STS's did.
func TestEstimate_TagsAdditive(t *testing.T) {
	custom := []Tag{{"team", "payments-platform"}, {"cost-center", "cc-0042-fin"}, {"application", "payments-api-gateway"},
		{"environment", "production-eu"}, {"owner", "platform-ops@example.com"}, {"tier", "gold"}, {"region", "eu-central-1"}}
	eks := slices.Clone(eksTags)
	eks[0].Value = "arn:aws:eks:eu-central-1:111122223333:cluster/payments-production-cluster-01"
	eks[1].Value = "payments-production-cluster-01"
	eks[4].Value = "payments-api-settlement-worker-7d9f8b6c5d-x2k4j"
	a := DefaultModel.Estimate(Request{Tags: custom}).Percent
	b := DefaultModel.Estimate(Request{InheritedTags: eks}).Percent
	both := DefaultModel.Estimate(Request{Tags: custom, InheritedTags: eks})
	if a != 37 || b != 74 {
		t.Fatalf("custom tags %v%%, EKS tags %v%%; the test needs 37 and 74", a, b)
	}
	// Each part was rounded up on its own, so together they may come out up
	// to 2 points under 37 + 74; STS's 112 is 1 over.
	if math.Abs(both.Percent-112) > 2 || !strings.HasPrefix(both.Message, tagsMessagePrefix) {
		t.Errorf("together %v%% (%q), observed 112%% with the session-tags message", both.Percent, both.Message)
	}
}

// TestEstimate_InheritedTagsCount checks that a tag costs the same whether it
// is passed or inherited: transitive status does not change the size.
func TestEstimate_InheritedTagsCount(t *testing.T) {
	for _, r := range []Request{{}, {PolicyARNs: metrARNs}} {
		passed, inherited := r, r
		passed.Tags = eksTags
		inherited.InheritedTags = eksTags
		p, i := DefaultModel.Estimate(passed), DefaultModel.Estimate(inherited)
		if p.Percent != i.Percent || p.Percent == DefaultModel.Estimate(r).Percent {
			t.Errorf("passed %v%%, inherited %v%%, without %v%%", p.Percent, i.Percent, DefaultModel.Estimate(r).Percent)
		}
	}
}

func TestEstimate_Empty(t *testing.T) {
	e := DefaultModel.Estimate(Request{})
	if e.Percent != 0 || e.Low != 0 || e.Message != "" || len(e.Parts) != 0 || e.Model != ModelVersion {
		t.Errorf("empty request: %+v", e)
	}
}

// TestEstimate_Actions checks the per-action cost: the same policy with more
// Action entries costs more, and NotAction entries count too.
func TestEstimate_Actions(t *testing.T) {
	small := DefaultModel.Estimate(Request{Policy: poppyPolicy(poppy18)}).Percent
	large := DefaultModel.Estimate(Request{Policy: poppyPolicy(poppy31)}).Percent
	if large <= small {
		t.Errorf("31 actions %v%%, 18 actions %v%%", large, small)
	}
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}`
	deny := strings.Replace(allow, `"Action"`, `"NotAction"`, 1)
	none := strings.Replace(allow, `"Action"`, `"Actions"`, 1)
	_, a := appendPolicy(nil, allow)
	_, d := appendPolicy(nil, deny)
	_, n := appendPolicy(nil, none)
	if a != 2 || d != 2 || n != 0 {
		t.Errorf("action counts %d, %d, %d; want 2, 2, 0", a, d, n)
	}
}

// TestEstimate_WhitespaceIsNotPacked pins the grade A evidence: the same
// allow-all GetFederationToken policy tab-indented and compact (85 characters)
// both reported 4%. Whitespace outside strings never counts, even in a
// policy that is not valid JSON; whitespace inside strings does.
func TestEstimate_WhitespaceIsNotPacked(t *testing.T) {
	pretty := findPoint(t, "stratus-gft-allow-all").req.Policy
	compact := Minify(pretty)
	if len(pretty) == len(compact) || len(compact) != 85 {
		t.Fatalf("policy of %d characters, minified %d; want it longer, and 85", len(pretty), len(compact))
	}
	for _, pair := range [][2]string{{pretty, compact}, {gftPolicy, Minify(gftPolicy)}, {pretty + ",", compact + ","}} {
		a, b := DefaultModel.Estimate(Request{Policy: pair[0]}), DefaultModel.Estimate(Request{Policy: pair[1]})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("pretty and compact estimates differ:\n%+v\n%+v", a, b)
		}
	}
	if Minify(pretty+",") != pretty+"," {
		t.Error("Minify changed a policy that is not valid JSON")
	}
	spaced := strings.Replace(compact, `"*"`, `"*`+strings.Repeat(" ", 200)+`"`, 1)
	if DefaultModel.Estimate(Request{Policy: spaced}).Percent <= DefaultModel.Estimate(Request{Policy: compact}).Percent {
		t.Error("spaces inside a string did not count")
	}
}

// TestEstimate_Deterministic checks equal results across calls and goroutines
// (the coder pool is shared).
func TestEstimate_Deterministic(t *testing.T) {
	points := dataPoints()
	want := make([]Estimate, len(points))
	for i, p := range points {
		want[i] = DefaultModel.Estimate(p.req)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, p := range points {
				if got := DefaultModel.Estimate(p.req); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: estimate changed between calls:\n%+v\n%+v", p.name, got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

// TestEstimate_InvalidModel checks that a zero or broken model neither panics
// nor returns negative or non-finite numbers.
func TestEstimate_InvalidModel(t *testing.T) {
	for _, m := range []Model{{}, {Dictionary: strings.Repeat("x", 1<<20), BytesPerPercent: -1, TagBytesPerPercent: math.NaN(), BandRelative: math.Inf(1), BandPerAction: math.NaN()}} {
		for _, p := range dataPoints() {
			e := m.Estimate(p.req)
			for _, v := range []float64{e.Percent, e.Low, e.High} {
				if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("model %+v, %s: got %+v", m, p.name, e)
				}
			}
		}
	}
}

func TestEstimateTotal_EqualsEstimateWithoutParts(t *testing.T) {
	r := Request{Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, Tags: []Tag{{"team", "data"}}}
	for _, r := range []Request{r, {PolicyARNs: metrARNs, Tags: metrTags(20)}, pointA()} {
		full, total := DefaultModel.Estimate(r), DefaultModel.EstimateTotal(r)
		full.Parts, full.Cut = nil, nil
		if !reflect.DeepEqual(full, total) {
			t.Errorf("EstimateTotal = %+v, Estimate without parts = %+v", total, full)
		}
	}
}

// TestEstimate_Cut checks what an over-budget request is told to drop: the
// fewest session tags, largest first, then ARNs, and never the policy or an
// inherited tag.
func TestEstimate_Cut(t *testing.T) {
	long := func(k string) Tag { return Tag{strings.Repeat(k, 128), strings.Repeat("v", 256)} }
	tests := []struct {
		name  string
		req   Request
		drop  []string // the names of the parts cut, in order
		fits  bool
		under float64 // the estimate after the cut is at most this
	}{
		{"one long tag too many", Request{Tags: []Tag{{"team", "data"}, long("a"), long("b")}}, []string{strings.Repeat("a", 128)}, true, 100},
		{"tags before ARNs", Request{PolicyARNs: metrARNs, Tags: metrTags(20)}, nil, true, 100},
		{"nothing to drop", Request{Policy: findPoint(t, "crewpoppy-42-actions").req.Policy}, nil, false, math.Inf(1)},
		{"inherited tags stay", Request{Tags: []Tag{{"team", "data"}}, InheritedTags: pointA().Tags}, []string{"team"}, false, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := DefaultModel.Estimate(tt.req)
			if e.Cut == nil {
				t.Fatalf("estimate %v%%, no cut", e.Percent)
			}
			c := e.Cut
			var names []string
			for _, p := range c.Parts {
				names = append(names, p.Name)
				if p.Kind != KindTag && p.Kind != KindARN {
					t.Errorf("cut a %s part %q", p.Kind, p.Name)
				}
			}
			if tt.drop != nil && !slices.Equal(names, tt.drop) {
				t.Errorf("cut %q, want %q", names, tt.drop)
			}
			if c.Fits != tt.fits || c.Percent > tt.under {
				t.Errorf("fits %v at %v%%, want fits %v at most %v%%", c.Fits, c.Percent, tt.fits, tt.under)
			}
			// The cut is the smallest in its order: one part fewer does not fit.
			if c.Fits && len(c.Parts) > 1 {
				q := tt.req
				kept := map[string]bool{}
				for _, p := range c.Parts[:len(c.Parts)-1] {
					kept[p.Kind+p.Name] = true
				}
				q.Tags, q.PolicyARNs = nil, nil
				for _, tag := range tt.req.Tags {
					if !kept[KindTag+tag.Key] {
						q.Tags = append(q.Tags, tag)
					}
				}
				for _, a := range tt.req.PolicyARNs {
					if !kept[KindARN+a] {
						q.PolicyARNs = append(q.PolicyARNs, a)
					}
				}
				if p := DefaultModel.EstimateTotal(q).Percent; p <= MaxAccepted {
					t.Errorf("cutting %d parts is enough (%v%%), the cut has %d", len(c.Parts)-1, p, len(c.Parts))
				}
			}
		})
	}
	if e := DefaultModel.Estimate(pointGFT()); e.Cut != nil {
		t.Errorf("cut %+v for a request under the limit", e.Cut)
	}
}

// TestDeflateLen_NoRepeats checks that text without a single repeat (random
// IDs, hashes) is still Huffman-coded, as DEFLATE would, instead of stored as
// the stateless encoder alone does: beside a policy ARN, 500 random base-36
// characters cost about 5.3 bits each, not 8.
func TestDeflateLen_NoRepeats(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	data := []byte(randomText(r, 500, "abcdefghijklmnopqrstuvwxyz0123456789"))
	var c counter
	if n := deflateLen(&c, data, nil); n > 0.75*500 || n < 0.6*500 {
		t.Errorf("500 random base-36 characters: %v bytes, want about 340", n)
	}
	if n := deflateLen(&c, []byte("abc"), nil); n < 3 || n > 10 {
		t.Errorf("3 characters: %v bytes", n)
	}
	arn := Request{PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}}
	tagged := arn
	tagged.Tags = []Tag{{"run", string(data)}}
	if d := DefaultModel.EstimateTotal(tagged).Percent - DefaultModel.EstimateTotal(arn).Percent; d > 80 || d < 65 {
		t.Errorf("a 500-character random tag beside an ARN adds %v points, want about 74 (raw it would be 110)", d)
	}
}
