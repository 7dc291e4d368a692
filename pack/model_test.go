package pack

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// fitObservations are the points pack-model/2 is fitted to: every grade A
// point with something to pack, and the grade B points with a bounded
// reconstruction, with their uncertainty.
func fitObservations() []Observation {
	var obs []Observation
	for _, p := range dataPoints() {
		if p.fit {
			obs = append(obs, Observation{Request: p.req, Percent: p.observed, Sigma: p.sigma, Source: p.name})
		}
	}
	return obs
}

// TestDefaultModel_IsTheFit is the fitting procedure of pack-model/2: Fit on
// the grade A and B points must reproduce DefaultModel's constants (the slopes
// rounded to four figures, the band exactly), and the rounding must change
// no estimate, so the constants cannot drift from the data.
func TestDefaultModel_IsTheFit(t *testing.T) {
	for _, p := range dataPoints() {
		switch {
		case p.fit && p.grade != "A" && p.grade != "B":
			t.Errorf("%s: grade %s point is fitted; only A and B may be", p.name, p.grade)
		case !p.fit && p.grade == "A" && len(p.req.Tags)+len(p.req.PolicyARNs)+len(p.req.InheritedTags) > 0:
			t.Errorf("%s: grade A point with something to pack is not fitted", p.name)
		case p.grade == "A" && (p.sigma != 0 || p.recon != ""):
			t.Errorf("%s: grade A point with an uncertainty or a reconstruction", p.name)
		}
	}
	fit := Fit(fitObservations(), DefaultModel)
	got := []struct {
		name      string
		fit, dflt float64
	}{
		{"BytesPerPercent", fit.BytesPerPercent, DefaultModel.BytesPerPercent},
		{"ActionBytes", fit.ActionBytes, DefaultModel.ActionBytes},
		{"TagBytesPerPercent", fit.TagBytesPerPercent, DefaultModel.TagBytesPerPercent},
		{"TagOverheadBytes", fit.TagOverheadBytes, DefaultModel.TagOverheadBytes},
	}
	for _, g := range got {
		t.Logf("%-18s fit %.5f, DefaultModel %.5f", g.name, g.fit, g.dflt)
		if math.Abs(g.fit-g.dflt) > 0.001*g.dflt {
			t.Errorf("%s: fit gives %.5f, DefaultModel has %.5f (more than 0.1%% apart)", g.name, g.fit, g.dflt)
		}
	}
	t.Logf("band: fit %v + %v×r + %v×actions, DefaultModel %v + %v×r + %v×actions",
		fit.BandAbsolute, fit.BandRelative, fit.BandPerAction, DefaultModel.BandAbsolute, DefaultModel.BandRelative, DefaultModel.BandPerAction)
	if fit.BandRelative != DefaultModel.BandRelative || fit.BandPerAction != DefaultModel.BandPerAction {
		t.Errorf("fit gives a band of %v×r + %v×actions, DefaultModel has %v×r + %v×actions",
			fit.BandRelative, fit.BandPerAction, DefaultModel.BandRelative, DefaultModel.BandPerAction)
	}
	rounded := fit
	rounded.Version = DefaultModel.Version
	for _, p := range dataPoints() {
		if a, b := rounded.Estimate(p.req), DefaultModel.Estimate(p.req); a.Percent != b.Percent {
			t.Errorf("%s: the unrounded fit estimates %v%%, DefaultModel %v%%", p.name, a.Percent, b.Percent)
		}
	}
}

func TestDefaultModel_Valid(t *testing.T) {
	if err := DefaultModel.Validate(); err != nil {
		t.Fatal(err)
	}
	if DefaultModel.Version != "pack-model/2" {
		t.Errorf("version %q", DefaultModel.Version)
	}
}

func TestModel_Validate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Model)
		want   string // substring of the error
	}{
		{"empty version", func(m *Model) { m.Version = "" }, "version must be 1 to 64"},
		{"long version", func(m *Model) { m.Version = strings.Repeat("v", 65) }, "version must be 1 to 64"},
		{"control character", func(m *Model) { m.Version = "a\nb" }, "control character"},
		{"another formula", func(m *Model) { m.Version = "pack-model/1+fit" }, `version "pack-model/1+fit" is not pack-model/2 or pack-model/2+LABEL`},
		{"version without separator", func(m *Model) { m.Version = "pack-model/20" }, "is not pack-model/2"},
		{"dictionary too long", func(m *Model) { m.Dictionary = strings.Repeat("x", 8<<10+1) }, "dictionary is 8193 bytes"},
		{"zero slope", func(m *Model) { m.BytesPerPercent = 0 }, "bytesPerPercent is 0, must be above 0"},
		{"NaN slope", func(m *Model) { m.TagBytesPerPercent = math.NaN() }, "tagBytesPerPercent is NaN"},
		{"negative action cost", func(m *Model) { m.ActionBytes = -1 }, "actionBytes is -1"},
		{"infinite overhead", func(m *Model) { m.TagOverheadBytes = math.Inf(1) }, "tagOverheadBytes is +Inf"},
		{"band of 100%", func(m *Model) { m.BandRelative = 1 }, "bandRelative is 1"},
		{"negative band", func(m *Model) { m.BandAbsolute = -2 }, "bandAbsolute is -2"},
		{"NaN band per action", func(m *Model) { m.BandPerAction = math.NaN() }, "bandPerAction is NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := DefaultModel
			tt.change(&m)
			err := m.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if _, err := json.Marshal(m); err == nil {
				t.Error("MarshalJSON accepted an invalid model")
			}
		})
	}
	ok := DefaultModel
	ok.Version, ok.Dictionary, ok.ActionBytes, ok.BandRelative, ok.BandPerAction = "pack-model/2+my label", "", 0, 0, 0
	if err := ok.Validate(); err != nil {
		t.Errorf("boundary values rejected: %v", err)
	}
}

func TestLoadModel_RoundTrip(t *testing.T) {
	data, err := json.Marshal(DefaultModel)
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(data)
	if err != nil {
		t.Fatal(err)
	}
	if m != DefaultModel {
		t.Errorf("round trip changed the model:\n%+v\n%+v", m, DefaultModel)
	}
	for _, name := range modelFields {
		if !strings.Contains(string(data), `"`+name+`":`) {
			t.Errorf("encoding lacks field %q: %s", name, data)
		}
	}
}

// v1File is a model file as pack-model/1's policylint pack --fit wrote it.
const v1File = `{"version":"pack-model/1+fit","level":9,"dictionary":"","packWhitespace":false,` +
	`"bytesPerPercent":4.7,"actionBytes":6.1,"tagBytesPerPercent":4.78,"tagOverheadBytes":12.2,` +
	`"bandRelative":0.15,"bandAbsolute":2}`

func TestLoadModel_Rejects(t *testing.T) {
	good, err := json.Marshal(DefaultModel)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(map[string]any)) []byte {
		var v map[string]any
		if err := json.Unmarshal(good, &v); err != nil {
			t.Fatal(err)
		}
		f(v)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not JSON", []byte("model"), "pack: model file:"},
		{"array", []byte("[]"), "pack: model file:"},
		{"missing field", edit(func(v map[string]any) { delete(v, "bytesPerPercent") }), `field "bytesPerPercent" is missing`},
		{"unknown field", edit(func(v map[string]any) { v["bytesPerPercnet"] = 4.7 }), "unknown field"},
		{"wrong type", edit(func(v map[string]any) { v["bandPerAction"] = "nine" }), "pack: model file:"},
		{"nonsense value", edit(func(v map[string]any) { v["tagBytesPerPercent"] = -4.78 }), "tagBytesPerPercent is -4.78"},
		{"trailing data", append(append([]byte{}, good...), []byte(` {}`)...), "after top-level value"},
		{"pack-model/1 file", []byte(v1File), `this is a pack-model/1 model ("pack-model/1+fit"); policylint now evaluates pack-model/2`},
		{"pack-model/1 file renamed", []byte(strings.Replace(v1File, "pack-model/1+fit", "ours", 1)), `this is a pack-model/1 model ("pack-model/1")`},
		{"pack-model/1 version only", edit(func(v map[string]any) { v["version"] = "pack-model/1" }), "--calibrate CLOUDTRAIL.json --fit MODEL.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadModel(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestFit_Fallbacks(t *testing.T) {
	if m := Fit(nil, DefaultModel); m.BytesPerPercent != DefaultModel.BytesPerPercent || m.Version != ModelVersion+"+fit" {
		t.Errorf("no observations: %+v", m)
	}
	// One tags-only point: only the slope is refitted, the overhead is kept.
	one := []Observation{{Request: pointA(), Percent: 600}}
	m := Fit(one, DefaultModel)
	if m.TagOverheadBytes != DefaultModel.TagOverheadBytes || m.TagBytesPerPercent >= DefaultModel.TagBytesPerPercent {
		t.Errorf("one point: per %v overhead %v", m.TagBytesPerPercent, m.TagOverheadBytes)
	}
	if got := m.Estimate(pointA()).Percent; math.Abs(got-600) > 1 {
		t.Errorf("one point refitted to 600%%, estimate %v%%", got)
	}
	if m.BytesPerPercent != DefaultModel.BytesPerPercent {
		t.Error("policy regime changed without policy observations")
	}
	// Bad observations are ignored.
	bad := []Observation{{Request: pointGFT(), Percent: math.NaN()}, {Request: pointGFT(), Percent: 36, Sigma: -1}}
	if m := Fit(bad, DefaultModel); m.BytesPerPercent != DefaultModel.BytesPerPercent {
		t.Errorf("bad observations changed the model: %+v", m)
	}
	if err := Fit(fitObservations(), DefaultModel).Validate(); err != nil {
		t.Errorf("fitted model is invalid: %v", err)
	}
	// Bad observations among good ones leave a valid model; refitting a
	// fitted model does not stack suffixes.
	mixed := append(fitObservations(), bad...)
	mixed = append(mixed, Observation{Request: pointGFT(), Percent: math.Inf(1)}, Observation{Request: pointA(), Percent: 0.1})
	refit := Fit(mixed, Fit(mixed, DefaultModel))
	if err := refit.Validate(); err != nil || refit.Version != ModelVersion+"+fit" {
		t.Errorf("refit on mixed observations: version %q, %v", refit.Version, err)
	}
}

func TestEvaluate(t *testing.T) {
	if mean, max := DefaultModel.Evaluate(nil); mean != 0 || max != 0 {
		t.Errorf("no observations: %v, %v", mean, max)
	}
	obs := []Observation{{Request: pointA(), Percent: 498}, {Request: pointGFT(), Percent: 36}}
	a := math.Abs(DefaultModel.Estimate(pointA()).Percent - 498)
	b := math.Abs(DefaultModel.Estimate(pointGFT()).Percent - 36)
	mean, max := DefaultModel.Evaluate(obs)
	if mean != (a+b)/2 || max != math.Max(a, b) {
		t.Errorf("mean %v max %v, want %v and %v", mean, max, (a+b)/2, math.Max(a, b))
	}
}
