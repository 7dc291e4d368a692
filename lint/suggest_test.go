package lint

import "testing"

func TestUnknownRule(t *testing.T) {
	for name, want := range map[string]string{
		"full-admn":     `unknown rule "full-admn": did you mean "full-admin"? 'policylint rules' lists them`,
		"PL5O01":        `unknown rule "PL5O01": did you mean "PL5001"? 'policylint rules' lists them`,
		"passrole_star": `unknown rule "passrole_star": did you mean "passrole-star"? 'policylint rules' lists them`,
		"charset":       `unknown rule "charset": 'policylint rules' lists them`,
	} {
		if got := UnknownRule(name); got != want {
			t.Errorf("UnknownRule(%q) = %s\nwant %s", name, got, want)
		}
	}
}
