package placeholder

import (
	"reflect"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		in   string
		want []Span
	}{
		{"arn:aws:iam::123456789012:role/ci", nil},
		{"${aws:PrincipalTag/team}", nil},
		{"{ }", nil},
		{"${{ env.ROLE_ARN }}", []Span{{0, 19, GitHub, true}}},
		{"{{ .Tenant }}", []Span{{0, 13, Template, true}}},
		{"arn:aws:s3:::${{ env.BUCKET }}/{{ .Tenant }}/*", []Span{{13, 30, GitHub, true}, {31, 44, Template, true}}},
		{"{{{ raw }}}x", []Span{{0, 11, Template, true}}},
		{"a {{ open", []Span{{2, 9, Template, false}}},
		{"a ${{ open\nnext }}", []Span{{2, 10, GitHub, false}}},
		{"{{}}{{}}", []Span{{0, 4, Template, true}, {4, 8, Template, true}}},
		{"$", nil},
		{"{{", []Span{{0, 2, Template, false}}},
	}
	for _, tt := range tests {
		got := Find(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if Contains(tt.in) != (len(tt.want) > 0) {
			t.Errorf("Contains(%q) = %v", tt.in, Contains(tt.in))
		}
	}
}

// TestFind_Linear: many unclosed openings do not make Find quadratic, because each search
// resumes after the previous placeholder.
func TestFind_Linear(t *testing.T) {
	s := strings.Repeat("{{ x\n", 200_000)
	if n := len(Find(s)); n != 200_000 {
		t.Fatalf("found %d placeholders", n)
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"${{ a }}", "{{ b", "{{{ c }}}", "x{{}}y${{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, sp := range Find(s) {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("bad span %v after %d in %q", sp, last, s)
			}
			if !strings.Contains(s[sp.Start:sp.End], "{{") {
				t.Fatalf("span %v of %q has no {{", sp, s)
			}
			last = sp.End
		}
	})
}
