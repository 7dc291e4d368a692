package lint

import "fmt"

// Suggest returns the candidate closest to name when it is close enough to be a typo (the same
// letters in another case, or at most two edits away), or "".
func Suggest(name string, candidates []string) string { return suggest(name, candidates) }

// UnknownRule words the error for a rule name that is neither a code nor a slug of Rules, with
// the closest rule when the name looks like a typo of one.
func UnknownRule(name string) string {
	names := make([]string, 0, 2*len(Rules))
	for _, r := range Rules {
		names = append(names, r.Slug, r.Code)
	}
	if s := suggest(name, names); s != "" {
		return fmt.Sprintf("unknown rule %q: did you mean %q? 'policylint rules' lists them", name, s)
	}
	return fmt.Sprintf("unknown rule %q: 'policylint rules' lists them", name)
}
