package pack

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated tables in docs/packed-size.md")

// modelDoc is the page that documents the model; its generated tables are
// checked against the code so that the page cannot drift.
const modelDoc = "../docs/packed-size.md"

// errorTable renders the model's error on every reproducible data point.
func errorTable() string {
	var b strings.Builder
	b.WriteString("| grade | file | point | observed | estimate | error | band | fitted (σ) | inputs |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---|---|---|\n")
	for _, p := range dataPoints() {
		e := DefaultModel.Estimate(p.req)
		fitted := "no"
		if p.fit {
			fitted = fmt.Sprintf("yes (%v)", p.sigma)
		}
		in := ""
		switch {
		case p.observed >= e.Low && p.observed <= e.High:
		case p.fit && p.observed >= e.Low-p.sigma && p.observed <= e.High+p.sigma:
			in = " outside, within σ"
		default:
			in = " **outside**"
		}
		file, _, _ := strings.Cut(p.match, " ")
		fmt.Fprintf(&b, "| %s | %s | %s | %v | %v | %+.0f | %v–%v%s | %s | %s |\n",
			p.grade, file, p.name, p.observed, e.Percent, e.Percent-p.observed, e.Low, e.High, in, fitted, orExact(p.recon))
	}
	return b.String()
}

// looTable renders each grade A point's leave-one-out prediction: its estimate
// by the model fitted to every other point. It returns the table and the mean
// and largest absolute error.
func looTable() (string, float64, float64) {
	obs := fitObservations()
	_, loo := leaveOneOut(obs, DefaultModel)
	byName := map[string]float64{}
	for i, o := range obs {
		byName[o.Source] = roundUp(loo[i].predicted)
	}
	var b strings.Builder
	b.WriteString("| point | observed | estimate | left out: estimate | left out: error |\n")
	b.WriteString("|---|---:|---:|---:|---:|\n")
	var sum, worst float64
	n := 0
	for _, p := range dataPoints() {
		if p.grade != "A" {
			continue
		}
		e := DefaultModel.Estimate(p.req).Percent
		if !p.fit {
			fmt.Fprintf(&b, "| %s | %v | %v | %v (nothing to fit) | %+.0f |\n", p.name, p.observed, e, e, e-p.observed)
			continue
		}
		l := byName[p.name]
		fmt.Fprintf(&b, "| %s | %v | %v | %v | %+.0f |\n", p.name, p.observed, e, l, l-p.observed)
		sum += math.Abs(l - p.observed)
		worst = math.Max(worst, math.Abs(l-p.observed))
		n++
	}
	fmt.Fprintf(&b, "\nOver the %d grade A points with something to pack: mean error %.2f points, largest %.0f.\n", n, sum/float64(n), worst)
	return b.String(), sum / float64(n), worst
}

// constantsTable renders DefaultModel's constants.
func constantsTable() string {
	m := DefaultModel
	rows := []struct {
		name  string
		value any
	}{
		{"Version", fmt.Sprintf("%q", m.Version)},
		{"Dictionary", fmt.Sprintf("%d bytes (policy grammar, see below)", len(m.Dictionary))},
		{"BytesPerPercent", m.BytesPerPercent},
		{"ActionBytes", m.ActionBytes},
		{"TagBytesPerPercent", m.TagBytesPerPercent},
		{"TagOverheadBytes", m.TagOverheadBytes},
		{"BandAbsolute", m.BandAbsolute},
		{"BandRelative", m.BandRelative},
		{"BandPerAction", m.BandPerAction},
	}
	var b strings.Builder
	b.WriteString("| constant | value |\n|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %v |\n", r.name, r.value)
	}
	return b.String()
}

// variant is a change to pack-model/2's formula, refitted on the same points
// to show what it costs. predict returns the unrounded estimate of a request
// from its pack-model/2 features and the variant's two pairs of constants.
type variant struct {
	name string
	// base is the model whose dictionary measures the features.
	base Model
	// measure, if set, replaces Model.measure.
	measure func(m Model, r Request, s *scratch) features
	// policyX returns a policy-regime observation's features and target
	// offset: y − offset ≈ (x + a·z)/per.
	policyX func(f features, tp, to float64) (x, z, offset float64)
	predict func(f features, pp, pa, tp, to float64) float64
}

// alternatives are the variants docs/packed-size.md compares.
func alternatives() []variant {
	v2 := variant{
		name: "pack-model/2", base: DefaultModel,
		policyX: func(f features, tp, _ float64) (float64, float64, float64) { return f.policy, f.actions, f.rest / tp },
		predict: func(f features, pp, pa, tp, _ float64) float64 { return (f.policy+pa*f.actions)/pp + f.rest/tp },
	}
	noDict := v2
	noDict.name = "no preset dictionary"
	noDict.base.Dictionary = ""
	oneRate := variant{
		name: "ARNs and tags at the policy's rate", base: DefaultModel,
		policyX: func(f features, _, _ float64) (float64, float64, float64) { return f.policy + f.rest, f.actions, 0 },
		predict: func(f features, pp, pa, _, _ float64) float64 { return (f.policy + f.rest + pa*f.actions) / pp },
	}
	// Tags stored raw beside a policy too: the ARNs are compressed, the tags
	// cost what they cost alone.
	tagsRaw := variant{
		name: "tags raw beside a policy or ARN", base: DefaultModel,
		measure: func(m Model, r Request, s *scratch) features {
			q := r
			q.Tags, q.InheritedTags = nil, nil
			if q.tagsOnly() {
				return m.measure(r, s)
			}
			f := m.measure(q, s)
			for _, t := range append(append([]Tag{}, r.Tags...), r.InheritedTags...) {
				f.tagBytes += float64(len(t.Key) + len(t.Value))
				f.tags++
			}
			return f
		},
		policyX: func(f features, tp, to float64) (float64, float64, float64) {
			return f.policy, f.actions, (f.rest + f.tagBytes + to*f.tags) / tp
		},
		predict: func(f features, pp, pa, tp, to float64) float64 {
			return (f.policy+pa*f.actions)/pp + (f.rest+f.tagBytes+to*f.tags)/tp
		},
	}
	return []variant{v2, oneRate, tagsRaw, noDict}
}

// evaluate refits v on the fitted points and returns each point's rounded
// estimate, by name.
func (v variant) evaluate() map[string]float64 {
	s := new(scratch)
	var tag, pol normal
	type pt struct {
		p dataPoint
		f features
	}
	var pts []pt
	for _, p := range dataPoints() {
		if v.measure != nil {
			pts = append(pts, pt{p, v.measure(v.base, p.req, s)})
		} else {
			pts = append(pts, pt{p, v.base.measure(p.req, s)})
		}
	}
	weight := func(p dataPoint) float64 { return 1 / math.Pow(math.Max(p.sigma, 1), 2) }
	for _, q := range pts {
		if q.p.fit && q.f.tagsOnly {
			tag.add(weight(q.p), q.f.tagBytes, q.f.tags, q.p.observed-0.5)
		}
	}
	tp, to := tag.solve(DefaultModel.TagBytesPerPercent, DefaultModel.TagOverheadBytes)
	for _, q := range pts {
		if q.p.fit && !q.f.tagsOnly {
			x, z, off := v.policyX(q.f, tp, to)
			pol.add(weight(q.p), x, z, q.p.observed-0.5-off)
		}
	}
	pp, pa := pol.solve(DefaultModel.BytesPerPercent, DefaultModel.ActionBytes)
	out := map[string]float64{}
	for _, q := range pts {
		if q.f.tagsOnly {
			out[q.p.name] = roundUp((q.f.tagBytes + to*q.f.tags) / tp)
		} else {
			out[q.p.name] = roundUp(v.predict(q.f, pp, pa, tp, to))
		}
	}
	return out
}

// alternativesTable renders each variant's errors on the policy-regime
// points (the tags regime is the same in all of them).
func alternativesTable() string {
	cols := []string{"stratus-gft-allow-all", "localstack-policy", "skillbuilder-23-actions", "gft-cli-example", "polaris-14-namespaces",
		"vmpoppy-31-actions", "crewpoppy-42-actions", "metr-3-arns-10-ids", "metr-3-arns-12-ids", "metr-3-arns-13-ids", "metr-40-similar-tags"}
	heads := []string{"A 4%", "A 16%", "A 64%", "B 36%", "B Polaris", "B VM-Poppy 31", "B CrewPoppy", "C METR 10/12/13 IDs", "C METR 40 tags"}
	var b strings.Builder
	b.WriteString("| variant | " + strings.Join(heads, " | ") + " |\n|---|" + strings.Repeat("---:|", len(heads)) + "\n")
	for _, v := range alternatives() {
		est := v.evaluate()
		errs := map[string]string{}
		for _, c := range cols {
			errs[c] = fmt.Sprintf("%+.0f", est[c]-findPointNamed(c).observed)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s/%s/%s | %s |\n", v.name,
			errs[cols[0]], errs[cols[1]], errs[cols[2]], errs[cols[3]], errs[cols[4]], errs[cols[5]], errs[cols[6]],
			errs[cols[7]], errs[cols[8]], errs[cols[9]], errs[cols[10]])
	}
	return b.String()
}

func findPointNamed(name string) dataPoint {
	for _, p := range dataPoints() {
		if p.name == name {
			return p
		}
	}
	panic("no data point " + name)
}

// TestDocs_Generated checks the generated blocks of docs/packed-size.md; run
// with -update to rewrite them.
func TestDocs_Generated(t *testing.T) {
	data, err := os.ReadFile(modelDoc)
	if err != nil {
		t.Fatalf("reading the model documentation: %v", err)
	}
	doc := string(data)
	loo, _, _ := looTable()
	blocks := []struct{ name, text string }{
		{"constants", constantsTable()},
		{"errors", errorTable()},
		{"loo", loo},
		{"alternatives", alternativesTable()},
		{"dictionary", "```text\n" + DefaultModel.Dictionary + "\n```\n"},
	}
	for _, blk := range blocks {
		begin, end := "<!-- generated:"+blk.name+" -->\n", "<!-- end:"+blk.name+" -->"
		i, j := strings.Index(doc, begin), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Fatalf("%s lacks the %q ... %q markers", modelDoc, begin, end)
		}
		if got := doc[i+len(begin) : j]; got != blk.text {
			if !*update {
				t.Errorf("%s: generated block %q is stale; run go test ./pack -run TestDocs -update\ngot:\n%s\nwant:\n%s", modelDoc, blk.name, got, blk.text)
				continue
			}
			doc = doc[:i+len(begin)] + blk.text + doc[j:]
		}
	}
	if *update {
		if err := os.WriteFile(modelDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
