package pack

import (
	"math"
	"strings"
)

// Observation is a request whose PackedPolicySize is known.
type Observation struct {
	// Request is what was sent, as far as it is known.
	Request Request
	// Percent is the PackedPolicySize STS reported, or the percentage in its
	// PackedPolicyTooLarge message.
	Percent float64
	// Sigma is the observation's uncertainty in points beyond STS's rounding:
	// 0 for an exact one (a CloudTrail record), more when part of the request
	// is reconstructed. [Fit] weights an observation by 1/max(Sigma, 1)² and
	// lets its band miss it by up to Sigma.
	Sigma float64
	// Source says where the observation comes from (a CloudTrail eventID, a
	// data-point name).
	Source string
}

// Evaluate returns the mean and the largest absolute error, in points, of m's
// rounded estimates on obs. Sigmas are ignored. Both are 0 for no observations.
func (m Model) Evaluate(obs []Observation) (mean, max float64) {
	if len(obs) == 0 {
		return 0, 0
	}
	var sum float64
	for _, o := range obs {
		e := math.Abs(m.estimate(o.Request, false).Percent - o.Percent)
		sum += e
		max = math.Max(max, e)
	}
	return sum / float64(len(obs)), max
}

// Fit returns base with its four slopes refitted to obs and its band derived
// from the errors that remain. Dictionary is kept; Version becomes
// base.Version + "+fit".
//
// Method: STS is assumed to round up, so an observation of N stands for a true
// value of about N − 0.5. Each regime is fitted by weighted least squares on its
// own observations, the tags regime first, since its budget also prices the
// ARNs and tags beside a policy:
//
//	tags regime:   N − 0.5 ≈ (tag bytes + TagOverheadBytes × tags) / TagBytesPerPercent
//	ARNs, tags and no policy: N − 0.5 ≈ ARN and tag bytes / TagBytesPerPercent
//	policy regime: N − 0.5 − ARN and tag bytes / TagBytesPerPercent
//	                       ≈ (policy bytes + ActionBytes × actions) / BytesPerPercent
//
// Each is linear in (1/slope, overhead/slope) and solved from its 2×2 normal
// equations. When a regime has fewer than two observations, or the solution is
// not positive, only its slope is refitted and its overhead is kept from base;
// with no observations base's constants stay.
//
// The band: with at least three usable observations, each is predicted by the
// model fitted without it (leave-one-out). BandAbsolute is kept; BandRelative
// becomes the smallest value (to 0.01, at least 0.01) whose band holds every
// observation without Action entries, and BandPerAction the smallest (to 0.01)
// whose band then holds every other one, each give or take its Sigma.
// Observations with a percentage that is negative, above 10,000 or NaN, or a
// negative or non-finite Sigma, are ignored. The result always validates.
func Fit(obs []Observation, base Model) Model {
	m, _ := leaveOneOut(obs, base)
	return m
}

// row is an observation as the fit sees it.
type row struct {
	f      features
	y, w   float64 // target N − 0.5 and weight
	policy bool    // fitted in the policy regime, else in the tags regime
}

// tagX returns the tags-regime features of a row that is not fitted in the
// policy regime: raw tag bytes and tags, or, beside policy ARNs, the
// compressed ARN and tag bytes and no per-tag overhead.
func (r row) tagX() (x, z float64) {
	if r.f.tagsOnly {
		return r.f.tagBytes, r.f.tags
	}
	return r.f.rest, 0
}

// looPoint is one observation's leave-one-out prediction.
type looPoint struct {
	used      bool    // the observation is usable
	predicted float64 // the unrounded estimate of the model fitted without it
}

// leaveOneOut is Fit, and each observation's prediction by the model fitted
// without it. Features do not depend on the fitted constants, so each
// observation is measured once and left out by subtracting it from its
// regime's normal equations.
func leaveOneOut(obs []Observation, base Model) (Model, []looPoint) {
	m := base
	if !strings.HasSuffix(base.Version, fitSuffix) {
		m.Version = base.Version + fitSuffix
	}
	s := new(scratch)
	rows := make([]row, len(obs))
	loo := make([]looPoint, len(obs))
	var tag normal
	used := 0
	for i, o := range obs {
		if !usable(o.Percent, o.Sigma) {
			continue
		}
		used++
		loo[i].used = true
		r := row{f: base.measure(o.Request, s), y: math.Max(o.Percent-0.5, 0), w: 1 / math.Pow(math.Max(o.Sigma, 1), 2)}
		r.policy = !r.f.tagsOnly && r.f.policy > 0
		if x, z := r.tagX(); !r.policy && (x != 0 || z != 0) {
			tag.add(r.w, x, z, r.y)
		}
		rows[i] = r
	}
	m.TagBytesPerPercent, m.TagOverheadBytes = tag.solve(base.TagBytesPerPercent, base.TagOverheadBytes)
	policyY := func(r row) float64 { return r.y - div(r.f.rest, m.TagBytesPerPercent) }
	var pol normal
	for i, r := range rows {
		if loo[i].used && r.policy {
			pol.add(r.w, r.f.policy, r.f.actions, policyY(r))
		}
	}
	m.BytesPerPercent, m.ActionBytes = pol.solve(base.BytesPerPercent, base.ActionBytes)

	for i, r := range rows {
		if !loo[i].used {
			continue
		}
		without := m
		if r.policy {
			q := pol.without(r.w, r.f.policy, r.f.actions, policyY(r))
			without.BytesPerPercent, without.ActionBytes = q.solve(base.BytesPerPercent, base.ActionBytes)
		} else if x, z := r.tagX(); x != 0 || z != 0 {
			q := tag.without(r.w, x, z, r.y)
			without.TagBytesPerPercent, without.TagOverheadBytes = q.solve(base.TagBytesPerPercent, base.TagOverheadBytes)
		}
		loo[i].predicted = without.percent(r.f)
	}

	if used >= 3 {
		// need is how much band, beyond BandAbsolute and the observation's
		// own uncertainty, observation i asks for.
		need := func(i int) float64 {
			return math.Abs(obs[i].Percent-loo[i].predicted) - obs[i].Sigma - m.BandAbsolute
		}
		m.BandRelative, m.BandPerAction = minBand, 0
		for i, r := range rows {
			if loo[i].used && r.f.actions == 0 && loo[i].predicted > 0 {
				m.BandRelative = math.Max(m.BandRelative, hundredths(need(i)/loo[i].predicted))
			}
		}
		m.BandRelative = math.Min(m.BandRelative, maxBand)
		for i, r := range rows {
			if loo[i].used && r.f.actions > 0 {
				m.BandPerAction = math.Max(m.BandPerAction, hundredths((need(i)-m.BandRelative*loo[i].predicted)/r.f.actions))
			}
		}
		m.BandPerAction = math.Min(m.BandPerAction, maxBandPerAction)
	}
	return m, loo
}

// hundredths rounds x up to a multiple of 0.01, ignoring float noise below
// 1e-9.
func hundredths(x float64) float64 {
	return math.Ceil(x*100-1e-9) / 100
}

const (
	fitSuffix        = "+fit"
	minBand          = 0.01 // a fitted band never claims better than 1% of the estimate
	maxBand          = 0.99 // Validate's limit
	maxBandPerAction = 100  // Validate's limit
)

// usable reports whether an observation can be fitted: a finite,
// non-negative percentage with a finite, non-negative uncertainty.
func usable(percent, sigma float64) bool {
	return percent >= 0 && percent <= maxObserved && sigma >= 0 && !math.IsInf(sigma, 0)
}

// normal accumulates the weighted normal equations of y ≈ a·x + b·z.
type normal struct {
	n                  int
	xx, xz, zz, xy, zy float64
}

// without returns q with one observation taken back out.
func (q normal) without(w, x, z, y float64) normal {
	q.add(-w, x, z, y)
	q.n -= 2
	return q
}

func (q *normal) add(w, x, z, y float64) {
	q.n++
	q.xx += w * x * x
	q.xz += w * x * z
	q.zz += w * z * z
	q.xy += w * x * y
	q.zy += w * z * y
}

// solve turns the fitted a = 1/per and b = over/per into (per, over). It falls
// back to fitting a alone with over fixed when the full fit is impossible or
// not positive, and to (per, over) when that fails too.
func (q *normal) solve(per, over float64) (float64, float64) {
	if q.n >= 2 {
		det := q.xx*q.zz - q.xz*q.xz
		if math.Abs(det) > 1e-9*q.xx*q.zz {
			a := (q.xy*q.zz - q.zy*q.xz) / det
			b := (q.zy*q.xx - q.xy*q.xz) / det
			if per, over := 1/a, b/a; a > 0 && b >= 0 && per <= maxSlope && over <= maxSlope {
				return per, over
			}
		}
	}
	// One slope with the overhead fixed: y ≈ a·(x + over·z).
	var num, den float64
	if q.n >= 1 {
		num = q.xy + over*q.zy
		den = q.xx + 2*over*q.xz + over*over*q.zz
	}
	if num > 0 && den > 0 && den/num <= maxSlope {
		return den / num, over
	}
	return per, over
}

// maxSlope is the largest slope or overhead Validate accepts.
const maxSlope = 1e6
