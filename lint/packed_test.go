package lint

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/policylint/policylint/pack"
)

// tagsRequest is an AssumeRole request file with the given session tags.
func tagsRequest(t *testing.T, tags []pack.Tag) []byte {
	t.Helper()
	var list []map[string]string
	for _, tag := range tags {
		list = append(list, map[string]string{"Key": tag.Key, "Value": tag.Value})
	}
	return mustJSON(t, map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "build", "Tags": list})
}

// packedFindings lints src and returns its packed-size findings.
func packedFindings(t *testing.T, src []byte) []Diagnostic {
	t.Helper()
	var out []Diagnostic
	for _, d := range all(mustLinter(t).Lint("r.json", src)) {
		if d.Rule == "packed-size" {
			out = append(out, d)
		}
	}
	return out
}

// TestPackedSize_Boundaries checks the thresholds: nothing below 90%, a warning from 90% up to
// and including 100% (STS accepts 100), an error from 101%.
func TestPackedSize_Boundaries(t *testing.T) {
	want := map[float64]string{89: "", 90: "warning", 99: "warning", 100: "warning", 101: "error"}
	seen := map[float64]bool{}
	long := pack.Tag{Key: strings.Repeat("k", 128), Value: strings.Repeat("v", 256)}
	for n := 1; n <= 256 && len(seen) < len(want); n++ {
		tags := []pack.Tag{long, {Key: "team", Value: strings.Repeat("x", n)}}
		p := pack.DefaultModel.EstimateTotal(pack.Request{Tags: tags}).Percent
		sev, ok := want[p]
		if !ok || seen[p] {
			continue
		}
		seen[p] = true
		got := packedFindings(t, tagsRequest(t, tags))
		switch {
		case sev == "" && len(got) != 0:
			t.Errorf("%v%%: %d findings, want none: %v", p, len(got), got)
		case sev != "" && (len(got) != 1 || got[0].Severity.String() != sev):
			t.Errorf("%v%%: findings %v, want one %s", p, got, sev)
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("reached only %v of %v; adjust the tag lengths", seen, want)
	}
}

// TestPackedSize_Messages checks what the finding says: above 100% what would fit, below it
// the biggest parts, with user data quoted and cut short.
func TestPackedSize_Messages(t *testing.T) {
	long := func(k string) pack.Tag { return pack.Tag{Key: strings.Repeat(k, 128), Value: strings.Repeat("v", 256)} }
	tests := []struct {
		name string
		tags []pack.Tag
		want string
	}{
		{"one tag to drop", []pack.Tag{long("a"), long("b")},
			`"Packed size of session tags consumes N% of allotted space"): removing tag "` + strings.Repeat("a", 64) + `"… would bring it to about 85%`},
		{"several tags to drop", append([]pack.Tag{long("a"), long("b"), long("c")}, pack.Tag{Key: "d", Value: strings.Repeat("w", 256)}),
			`removing tags "` + strings.Repeat("a", 64) + `"…, "` + strings.Repeat("b", 64) + `"… and "` + strings.Repeat("c", 64) + `"… would bring it to about 57%`},
		{"warning", []pack.Tag{long("a"), {Key: "team", Value: strings.Repeat("x", 40)}},
			`STS rejects above 100%, and this warns from 90%: biggest parts tag "` + strings.Repeat("a", 64) + `"… 84%, tag "team" 10%`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := packedFindings(t, tagsRequest(t, tt.tags))
			if len(got) != 1 || !strings.Contains(got[0].Message, tt.want) || strings.Contains(got[0].Message, "\n") {
				t.Errorf("findings %v\nwant one containing %s", got, tt.want)
			}
		})
	}
}

// TestCutAdvice covers the advice for cuts that do not fit and for many parts.
func TestCutAdvice(t *testing.T) {
	tests := []struct {
		e    pack.Estimate
		want string
	}{
		{pack.Estimate{Percent: 100}, ""},
		{pack.Estimate{Percent: 130, Parts: []pack.Part{{Kind: pack.KindPolicy, Name: "policy"}}, Cut: &pack.Cut{Percent: 130}},
			"shorten the policy: nothing else counts toward it"},
		{pack.Estimate{Percent: 130, Parts: []pack.Part{{Kind: pack.KindPolicy, Name: "policy"}, {Kind: pack.KindTag, Name: "a"}, {Kind: pack.KindInheritedTag, Name: "b"}},
			Cut: &pack.Cut{Percent: 120, Parts: []pack.Part{{Kind: pack.KindTag, Name: "a"}}}},
			`even without tag "a" it is about 120%: shorten the policy or pass fewer transitive tags to this session`},
		{pack.Estimate{Percent: 130, Cut: &pack.Cut{Percent: 97, Fits: true, Parts: []pack.Part{
			{Kind: pack.KindTag, Name: "a"}, {Kind: pack.KindTag, Name: "b"}, {Kind: pack.KindTag, Name: "c"}, {Kind: pack.KindTag, Name: "d"},
			{Kind: pack.KindARN, Name: "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}},
			`removing 4 tags ("a", "b", "c", …) and policy ARN "arn:aws:iam::aws:policy/ReadOnlyAccess" would bring it to about 97%`},
	}
	for _, tt := range tests {
		if got := CutAdvice(tt.e); got != tt.want {
			t.Errorf("CutAdvice(%+v)\n got %s\nwant %s", tt.e, got, tt.want)
		}
	}
}

// TestEstimate_EmptyRequests checks what STS reports for a request with nothing to pack:
// nothing for AssumeRole, 0 for GetFederationToken.
func TestEstimate_EmptyRequests(t *testing.T) {
	l := mustLinter(t)
	estimate := func(path string, src []byte) (RequestEstimate, string) {
		t.Helper()
		es, none := l.Estimates(path, src)
		if none != "" || len(es) != 1 {
			t.Fatalf("%s: %d estimates, %q", path, len(es), none)
		}
		return es[0], es[0].None
	}
	ar := mustJSON(t, map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "build"})
	if e, none := estimate("ar.json", ar); !strings.Contains(none, "no PackedPolicySize") {
		t.Errorf("AssumeRole without policy, ARNs or tags: %+v, %q; want no estimate", e, none)
	}
	gft := mustJSON(t, map[string]any{"Name": "Bob"})
	if e, none := estimate("gft.json", gft); none != "" || e.Percent != 0 || e.Model != pack.ModelVersion {
		t.Errorf("GetFederationToken without policy: %+v, %q; want 0", e, none)
	}
	b, _ := json.Marshal(map[string]any{"Name": "Bob", "Policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`})
	if e, none := estimate("gft.json", b); none != "" || e.Percent != 4 && e.Percent != 5 {
		t.Errorf("GetFederationToken allow-all: %+v, %q; AWS reported 4%%", e, none)
	}
}
