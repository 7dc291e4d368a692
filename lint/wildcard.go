package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/catalog"
)

// IAM wildcard matching: in an Action or Resource value, * stands for any run of characters and ?
// for any one character (IAM User Guide, Action and Resource elements). Action names are compared
// without regard to case; resource ARNs as written, segment by segment: a wildcard in the
// partition, service, region or account stays in its segment, while in the resource part (after
// the fifth colon) * also spans "/" and ":" ("log-group:app*" covers the log streams of app's
// groups).
//
// covers answers the question the redundancy and PassRole checks ask: does pattern p match every
// value that v matches? v may hold wildcards too, which are then symbols p must absorb: a * of v
// only by a * of p, a ? of v by a ? or * of p. This is exact for the patterns policies hold and
// errs, in a few contrived cases such as "*?" against "?*", towards "no", which is what a check
// that tells a user to delete an entry needs.

// matchBudget bounds the steps of wildcard matching in one policy document. Each step is a few
// nanoseconds, so a hostile policy costs at most tens of milliseconds; the bound depends on the
// input only, never on the machine. Matching that runs out answers "does not cover".
const matchBudget = 20_000_000

// matcher counts the steps of wildcard matching against its budget.
type matcher struct{ left int }

func newMatcher() *matcher { return &matcher{left: matchBudget} }

// globCovers reports whether the wildcard pattern p covers v (symbolic matching, see above). It
// works on characters; the budget is charged one step per comparison.
func (m *matcher) globCovers(p, v string) bool {
	if isASCII(p) && isASCII(v) {
		return globCoversSeq(m, []byte(p), []byte(v))
	}
	return globCoversSeq(m, []rune(p), []rune(v))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// globCoversSeq is the classic greedy wildcard match, backtracking only to the last * of p:
// leftmost placement of each run of p between stars is optimal, so this is exact, in O(len(p) ×
// len(v)) steps at worst and about linear for real patterns.
func globCoversSeq[T byte | rune](m *matcher, p, v []T) bool {
	i, j := 0, 0
	star, mark := -1, 0
	for i < len(v) {
		if m.left--; m.left < 0 {
			return false
		}
		switch {
		case j < len(p) && p[j] == '*':
			star, mark = j, i
			j++
		case j < len(p) && (p[j] == '?' && v[i] != '*' || p[j] != '?' && p[j] == v[i] && v[i] != '*' && v[i] != '?'):
			i++
			j++
		case star >= 0:
			mark++
			i, j = mark, star+1
		default:
			return false
		}
	}
	for j < len(p) && p[j] == '*' {
		j++
	}
	return j == len(p)
}

// hasWildcard reports whether s holds * or ?.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// actionCovers reports whether action pattern p covers action (or pattern) a.
func (m *matcher) actionCovers(p, a string) bool {
	return m.globCovers(strings.ToLower(p), strings.ToLower(a))
}

// resourceCovers reports whether resource pattern p covers resource (or pattern) v: segment by
// segment when both are whole ARNs, as one string otherwise ("*", or a malformed value).
func (m *matcher) resourceCovers(p, v string) bool {
	ps, okP := catalog.SplitARN(p)
	vs, okV := catalog.SplitARN(v)
	if !okP || !okV {
		return m.globCovers(p, v)
	}
	for i := range ps {
		if !m.globCovers(ps[i], vs[i]) {
			return false
		}
	}
	return true
}

// literalPrefix is s up to its first wildcard.
func literalPrefix(s string) string {
	if i := strings.IndexAny(s, "*?"); i >= 0 {
		return s[:i]
	}
	return s
}

// starPrefix reports whether s is a literal followed by one *, the shape of almost every IAM
// pattern ("s3:Get*", "arn:aws:s3:::bucket/*", "*"), and returns the literal. Such a pattern
// covers exactly the values whose literal prefix starts with the literal: for a resource too,
// since its * either is in the resource part or ends a value of fewer than six parts.
func starPrefix(s string) (string, bool) {
	q, ok := strings.CutSuffix(s, "*")
	return q, ok && !hasWildcard(q)
}

// redundancy is why an entry of an Action or Resource array adds nothing.
type redundancy struct {
	by      int  // the entry that makes it redundant
	covered bool // by covers it; otherwise by is the same value, given first
}

// redundantEntries finds the entries of an Action (resource false) or Resource array that
// another entry already covers, or that repeat an earlier one. keys are the entries as compared
// (lower-cased for actions). Star-prefix patterns are looked up in a trie, in time linear in the
// total length; each other wildcard pattern is compared with every entry, within the matcher's
// budget.
func (m *matcher) redundantEntries(keys []string, resource bool) map[int]redundancy {
	covers := m.actionCovers
	if resource {
		covers = m.resourceCovers
	}
	out := map[int]redundancy{}
	first := make(map[string]int, len(keys))
	t := newPrefixTrie()
	var others []int
	for i, k := range keys {
		if f, seen := first[k]; seen {
			out[i] = redundancy{by: f}
			continue
		}
		first[k] = i
		if q, ok := starPrefix(k); ok {
			t.add(q, i)
		} else if hasWildcard(k) {
			others = append(others, i)
		}
	}
	for j, v := range keys {
		if m.left <= 0 {
			break // out of budget: what is not known to be covered is not reported
		}
		if v == "*" || first[v] != j {
			continue // "*" is covered by nothing else; a repeat is reported as such
		}
		by := t.lowest(literalPrefix(v), v)
		for _, k := range others {
			if m.left--; m.left <= 0 {
				break
			}
			if k != j && (by < 0 || k < by) && covers(keys[k], v) {
				by = k
			}
		}
		// Of two entries that cover each other (such as "s3:Get*" and "s3:Get**") only the later
		// one is redundant.
		if by >= 0 && (by < j || !covers(v, keys[by])) {
			out[j] = redundancy{by: by, covered: true}
		}
	}
	return out
}

// prefixTrie holds the literals of star-prefix patterns, each node the lowest index of the
// patterns whose literal ends there. Children are a first-child, next-sibling list: no map per
// node, and lookups cost the literal's length times the fan-out, which is small for ARNs and
// actions.
type prefixTrie struct {
	nodes []trieNode
}

type trieNode struct {
	b              byte
	child, sibling int32 // 0: none (node 0, the root, is nobody's child)
	index          int32 // -1: no pattern ends here
}

func newPrefixTrie() *prefixTrie {
	return &prefixTrie{nodes: []trieNode{{index: -1}}}
}

// step returns the child of node n for byte b, or 0.
func (t *prefixTrie) step(n int32, b byte) int32 {
	for c := t.nodes[n].child; c != 0; c = t.nodes[c].sibling {
		if t.nodes[c].b == b {
			return c
		}
	}
	return 0
}

func (t *prefixTrie) add(q string, index int) {
	n := int32(0)
	for i := 0; i < len(q); i++ {
		next := t.step(n, q[i])
		if next == 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{b: q[i], sibling: t.nodes[n].child, index: -1})
			t.nodes[n].child = next
		}
		n = next
	}
	if t.nodes[n].index < 0 {
		t.nodes[n].index = int32(index)
	}
}

// lowest returns the lowest index of a pattern whose literal is a prefix of lit, the literal
// prefix of value, other than value itself, or -1.
func (t *prefixTrie) lowest(lit, value string) int {
	best := -1
	n := int32(0)
	for i := 0; ; i++ {
		// The pattern lit[:i]+"*" is value itself when value is exactly that.
		self := len(value) == i+1 && value[i] == '*'
		if idx := int(t.nodes[n].index); idx >= 0 && (best < 0 || idx < best) && !self {
			best = idx
		}
		if i == len(lit) {
			return best
		}
		if n = t.step(n, lit[i]); n == 0 {
			return best
		}
	}
}
