package pack

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzEstimate checks the estimator's invariants on arbitrary requests: no
// panic, the same answer twice, no negative number, Low <= Percent <= High,
// parts that are non-negative and sum to the estimate, a message and a cut
// exactly when Percent exceeds 100, a cut of tags and ARNs only that fits when
// it says so, and a Minify that keeps validity, is idempotent and changes no
// estimate.
func FuzzEstimate(f *testing.F) {
	for _, p := range dataPoints() {
		arn, key, value := "", "", ""
		if len(p.req.PolicyARNs) > 0 {
			arn = p.req.PolicyARNs[0]
		}
		if tags := append(p.req.Tags, p.req.InheritedTags...); len(tags) > 0 {
			key, value = tags[0].Key, tags[0].Value
		}
		f.Add(p.req.Policy, arn, key, value, uint8(len(p.req.Tags)), uint8(len(p.req.InheritedTags)))
	}
	f.Add(`{"Action":["a"`, "", "k", "", uint8(3), uint8(0))
	f.Add("\x00\xff\"\\", "arn", "", "\u00e9", uint8(255), uint8(255))

	f.Fuzz(func(t *testing.T, policy, arn, key, value string, tags, inherited uint8) {
		// Keep inputs near STS's limits (docs/sts-reference.md: ARN 2,048,
		// key 128, value 256; policy twice the plaintext limit): estimates
		// take time linear in size, and coverage instrumentation slows
		// level-9 DEFLATE tens of times.
		policy, arn, key, value = limit(policy, 4096), limit(arn, 2048), limit(key, 128), limit(value, 256)
		r := Request{Policy: policy}
		if arn != "" {
			r.PolicyARNs = []string{arn, arn + "2"}
		}
		for i := range int(tags % 60) {
			r.Tags = append(r.Tags, Tag{key + string(rune('a'+i%26)), value})
		}
		for range int(inherited % 8) {
			r.InheritedTags = append(r.InheritedTags, Tag{value, key})
		}

		e := DefaultModel.Estimate(r)
		if again := DefaultModel.Estimate(r); !reflect.DeepEqual(e, again) {
			t.Fatalf("not deterministic:\n%+v\n%+v", e, again)
		}
		for _, v := range []float64{e.Percent, e.Low, e.High} {
			if v < 0 || v != v {
				t.Fatalf("negative or NaN value: %+v", e)
			}
		}
		if !(e.Low <= e.Percent && e.Percent <= e.High) {
			t.Fatalf("Low %v, Percent %v, High %v out of order", e.Low, e.Percent, e.High)
		}
		var sum float64
		for _, p := range e.Parts {
			if p.Percent < 0 {
				t.Fatalf("negative part %+v", p)
			}
			sum += p.Percent
		}
		if sum > e.Percent+1e-6*(1+e.Percent) || (len(e.Parts) > 0 && sum <= e.Percent-1-1e-6*e.Percent) {
			t.Fatalf("parts sum to %v, estimate %v", sum, e.Percent)
		}
		if (e.Message != "") != (e.Percent > MaxAccepted) || (e.Cut != nil) != (e.Percent > MaxAccepted) {
			t.Fatalf("message %q, cut %+v at %v%%", e.Message, e.Cut, e.Percent)
		}
		if c := e.Cut; c != nil {
			for _, p := range c.Parts {
				if p.Kind != KindTag && p.Kind != KindARN {
					t.Fatalf("cut a %s part", p.Kind)
				}
			}
			if c.Fits != (c.Percent <= MaxAccepted) || len(c.Parts) > len(r.Tags)+len(r.PolicyARNs) {
				t.Fatalf("cut %+v of %d tags and %d ARNs", c, len(r.Tags), len(r.PolicyARNs))
			}
		}
		if e.TagsOnly != (policy == "" && arn == "") {
			t.Fatalf("TagsOnly %v for policy %q arn %q", e.TagsOnly, policy, arn)
		}

		m := Minify(policy)
		if json.Valid([]byte(policy)) != json.Valid([]byte(m)) {
			t.Fatalf("Minify changed validity: %q -> %q", policy, m)
		}
		if Minify(m) != m {
			t.Fatalf("Minify not idempotent: %q -> %q -> %q", policy, m, Minify(m))
		}
		minified := r
		minified.Policy = m
		if a, b := DefaultModel.EstimateTotal(r), DefaultModel.EstimateTotal(minified); a.Percent != b.Percent && m != "" {
			t.Fatalf("minifying changed the estimate from %v%% to %v%%", a.Percent, b.Percent)
		}
	})
}

// limit truncates s to at most n bytes.
func limit(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
