package quote

import (
	"strings"
	"testing"
)

func TestShort_Boundaries(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"tenant", `"tenant"`},
		{"a\nb", `"a\nb"`},
		{strings.Repeat("a", MaxRunes), `"` + strings.Repeat("a", MaxRunes) + `"`},
		{strings.Repeat("a", MaxRunes+1), `"` + strings.Repeat("a", MaxRunes) + `"…`},
		{strings.Repeat("é", MaxRunes+1), `"` + strings.Repeat("é", MaxRunes) + `"…`},
		{"\xff" + strings.Repeat("a", MaxRunes), `"\xff` + strings.Repeat("a", MaxRunes-1) + `"…`},
	}
	for _, tt := range tests {
		if got := Short(tt.in); got != tt.want {
			t.Errorf("Short(%.20q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestCut_Boundaries(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"env.ROLE", "env.ROLE"},
		{strings.Repeat("a", MaxRunes), strings.Repeat("a", MaxRunes)},
		{strings.Repeat("a", MaxRunes+1), strings.Repeat("a", MaxRunes) + "…"},
		{strings.Repeat("é", MaxRunes+1), strings.Repeat("é", MaxRunes) + "…"},
	}
	for _, tt := range tests {
		if got := Cut(tt.in); got != tt.want {
			t.Errorf("Cut(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShort_BoundedOnHugeInput(t *testing.T) {
	if got := Short(strings.Repeat("x", 1<<20)); len(got) > 4*MaxRunes+8 {
		t.Errorf("Short of 1 MiB is %d bytes", len(got))
	}
}
