package lint

import (
	"maps"
	"regexp"
	"strings"
	"testing"
)

func TestGlobCovers(t *testing.T) {
	for _, tc := range []struct {
		p, v string
		want bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"*", "*", true},
		{"", "", true},
		{"a", "a", true},
		{"a", "b", false},
		{"a?", "ab", true},
		{"a?", "a", false},
		{"a?", "abc", false},
		{"a?", "a?", true},  // ? covers ?
		{"a?", "a*", false}, // ? does not cover *
		{"a*", "a*", true},
		{"a*", "a?b*", true},
		{"a?b*", "a*", false},
		{"*DeepRacer*", "*DeepRacer*/*", true},
		{"*DeepRacer*/*", "*DeepRacer*", false},
		{"pipeline/*", "pipeline/*/execution/*", true},
		{"a*b", "acb", true},
		{"a*b", "a*b", true},
		{"a*b", "a*c", false},
		{"*a*a*a*b", "aaaaaaaaaaaaaaaab", true},
		{"*a*a*a*b", "aaaaaaaaaaaaaaaaa", false},
		{"é?", "éü", true}, // ? is one character, not one byte
		{"??", "ü", false},
	} {
		if got := newMatcher().globCovers(tc.p, tc.v); got != tc.want {
			t.Errorf("globCovers(%q, %q) = %v, want %v", tc.p, tc.v, got, tc.want)
		}
	}
}

func TestResourceCovers_Segments(t *testing.T) {
	for _, tc := range []struct {
		p, v string
		want bool
	}{
		// A wildcard in the region or account stays in its segment.
		{"arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true},
		{"arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:us-east-1:210987654321:instance/i-1", false},
		{"arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:us-east-1:999:123456789012:instance/i-1", false},
		// In the resource part * spans / and :.
		{"arn:aws:logs:us-east-1:123456789012:log-group:app*", "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:web", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		// Case matters in ARNs.
		{"arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false},
		// "*" and values of fewer than six parts are compared whole.
		{"*", "arn:aws:s3:::bucket", true},
		{"arn:aws:*", "arn:aws:s3:::bucket", true},
		// A policy variable's colon does not end a field.
		{"arn:aws:iam::${aws:PrincipalAccount}:role/*", "arn:aws:iam::${aws:PrincipalAccount}:role/ci", true},
		{"arn:aws:iam::${aws:PrincipalAccount}:role/*", "arn:aws:iam::123456789012:role/ci", false},
	} {
		if got := newMatcher().resourceCovers(tc.p, tc.v); got != tc.want {
			t.Errorf("resourceCovers(%q, %q) = %v, want %v", tc.p, tc.v, got, tc.want)
		}
	}
}

// TestCoversAllRoles: role/* of any account, the account given by a policy variable included,
// is every role.
func TestCoversAllRoles(t *testing.T) {
	m := newMatcher()
	for r, want := range map[string]bool{
		"*": true, "arn:aws:iam::*:role/*": true, "arn:aws:iam::${aws:PrincipalAccount}:role/*": true,
		"arn:aws:iam::123456789012:role/ci-*": false, "arn:aws:s3:::role/*": false,
	} {
		if got := m.coversAllRoles(r); got != want {
			t.Errorf("coversAllRoles(%q) = %v, want %v", r, got, want)
		}
	}
}

func TestActionCovers_IgnoresCase(t *testing.T) {
	m := newMatcher()
	if !m.actionCovers("IAM:Pass*", "iam:PassRole") || !m.actionCovers("*", "iam:PassRole") || m.actionCovers("iam:Get*", "iam:PassRole") {
		t.Error("action matching is wrong")
	}
}

func TestRedundantEntries(t *testing.T) {
	for _, tc := range []struct {
		keys     []string
		resource bool
		want     map[int]redundancy
	}{
		{[]string{"s3:get*", "s3:getobject", "s3:listbucket", "s3:listbucket"}, false,
			map[int]redundancy{1: {by: 0, covered: true}, 3: {by: 2}}},
		{[]string{"s3:*", "s3:get*", "s3:getobject"}, false,
			map[int]redundancy{1: {by: 0, covered: true}, 2: {by: 0, covered: true}}},
		// The lowest covering entry is named, wherever it stands.
		{[]string{"s3:getobject", "s3:get*", "s3:*"}, false,
			map[int]redundancy{0: {by: 1, covered: true}, 1: {by: 2, covered: true}}},
		// Of two entries that cover each other only the later is redundant.
		{[]string{"s3:get*", "s3:get**"}, false, map[int]redundancy{1: {by: 0, covered: true}}},
		{[]string{"s3:get**", "s3:get*"}, false, map[int]redundancy{1: {by: 0, covered: true}}},
		// "*" is never covered; a repeated "*" repeats.
		{[]string{"*", "*"}, false, map[int]redundancy{1: {by: 0}}},
		{[]string{"s3:get*", "s3:put*"}, false, map[int]redundancy{}},
		{[]string{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", "arn:aws:s3:::b"}, true,
			map[int]redundancy{1: {by: 0, covered: true}}},
	} {
		got := newMatcher().redundantEntries(tc.keys, tc.resource)
		if !maps.Equal(got, tc.want) {
			t.Errorf("redundantEntries(%q) = %v, want %v", tc.keys, got, tc.want)
		}
	}
}

// TestMatcher_Budget: a hostile pattern cannot make matching cost more than the budget; running
// out answers "does not cover", never a false "covers".
func TestMatcher_Budget(t *testing.T) {
	p := "*" + strings.Repeat("a", 1000) + "b"
	v := strings.Repeat("a", 100000)
	m := newMatcher()
	if m.globCovers(p, v) {
		t.Fatal("a pattern ending in b covers a value without b")
	}
	if m.left > 0 {
		t.Fatalf("the worst case finished within the budget (%d steps left): make the test harder", m.left)
	}
	if m.globCovers("a", "a") {
		t.Error("after the budget is spent, matching must answer no")
	}
}

// TestWellFormedAction pins the hand-written matcher to the pattern it stands for,
// ^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_-]+$ (a wildcard in the prefix is well formed).
func TestWellFormedAction(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_-]+$`)
	for _, s := range []string{"s3:GetObject", "s3:Get*", "s3:Get?bject", "ec2:Describe_x", "a-b:c", ":x", "s3:", "s3", "s3:a:b", "s*:GetObject", "s3:Get Object", "é:x", "s3:x_", "_:x", "s3:-", "", "*:*", "?3:x", "s*:_", "s3:*:x"} {
		if got, want := wellFormedAction(s), re.MatchString(s); got != want {
			t.Errorf("wellFormedAction(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}
