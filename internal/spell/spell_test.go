package spell

import (
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	names := []string{"RoleArn", "RoleSessionName", "role-to-assume", "role-chaining"}
	for in, want := range map[string]string{
		"rolearn": "RoleArn", "RoleArm": "RoleArn", "RoleSesionName": "RoleSessionName", "role-to-asume": "role-to-assume",
		"rol-chaining": "role-chaining", "Policy": "", "": "", "RoleArnXYZ": "", strings.Repeat("x", 1<<20): "",
	} {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%.20q) = %q, want %q", in, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"flaw", "lawn", 2}} {
		if got := Distance(c.a, c.b); got != c.want || Distance(c.b, c.a) != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
