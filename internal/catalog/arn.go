package catalog

import (
	"strings"
	"sync"
)

// ARN formats and the ARNs of policies, as patterns over characters, and whether one can match a
// resource the other does.

// token is one element of a pattern: a character, any one character, or any run of characters;
// field marks a placeholder of an ARN format's first five fields (partition to account), which
// holds no colon.
type token struct {
	c     byte
	kind  uint8
	field bool
}

const (
	lit uint8 = iota
	one
	many
)

// formatTokens reads an ARN format of the service reference: each ${Placeholder} is one or more
// characters (without a colon in the fields before the resource), the rest literal.
func formatTokens(format string) []token { return formatTokensFrom(format, 0) }

// formatCache holds the tokens of ARN formats and their parts, by text and starting field: the
// reference has a few thousand formats, read again for every policy.
var formatCache sync.Map

type formatKey struct {
	text   string
	colons int
}

// formatTokensFrom reads a part of an ARN format that starts after that many colons.
func formatTokensFrom(format string, colons int) []token {
	key := formatKey{format, colons}
	if v, ok := formatCache.Load(key); ok {
		return v.([]token)
	}
	out := tokenizeFormat(format, colons)
	formatCache.Store(key, out)
	return out
}

func tokenizeFormat(format string, colons int) []token {
	var out []token
	for i := 0; i < len(format); i++ {
		if format[i] == '$' && i+1 < len(format) && format[i+1] == '{' {
			if j := strings.IndexByte(format[i:], '}'); j > 0 {
				field := colons < 5
				out = append(out, token{kind: one, field: field}, token{kind: many, field: field})
				i += j
				continue
			}
		}
		if format[i] == ':' {
			colons++
		}
		out = append(out, token{c: lowerASCII(format[i])})
	}
	return out
}

// patternTokens reads a Resource value of a policy: * is any run of characters, ? any one, and a
// policy variable ${...} any run (its value is known only at evaluation), except ${*}, ${?} and
// ${$}, which stand for the character itself.
func patternTokens(pattern string) []token {
	var out []token
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '*':
			out = append(out, token{kind: many})
		case c == '?':
			out = append(out, token{kind: one})
		case c == '$' && i+1 < len(pattern) && pattern[i+1] == '{':
			j := strings.IndexByte(pattern[i:], '}')
			if j < 0 {
				out = append(out, token{c: c})
				continue
			}
			if body := pattern[i+2 : i+j]; body == "*" || body == "?" || body == "$" {
				out = append(out, token{c: body[0]})
			} else {
				out = append(out, token{kind: many})
			}
			i += j
		default:
			out = append(out, token{c: lowerASCII(c)})
		}
	}
	return out
}

// Matcher tells whether the Resource patterns of one policy can match ARN formats of the
// reference, within a budget of steps for the policy, keeping each pattern's tokens.
type Matcher struct {
	// Budget is the steps left; when it runs out, every answer is "may match".
	Budget int
	tokens map[string][]token
	splits map[string]*split // of ARN formats only: a policy may have 500,000 distinct patterns
	last   split             // the pattern split last: callers try one against many formats
	seen   []bool            // scratch space of the search
	stack  []int
}

// split is a format or pattern split into its fields, whether it has all six, and the literal
// text its resource part starts with, lower-cased: a format and a pattern whose leads are not
// one a prefix of the other cannot overlap.
type split struct {
	text   string
	fields [6]string
	ok     bool
	spans  bool // a wildcard before the resource part (spans)
	lead   string
}

func newSplit(s string, format bool) split {
	sp := split{text: s}
	sp.fields, sp.ok = SplitARN(s)
	sp.spans = spans(sp.fields)
	r := sp.fields[5]
	i := strings.Index(r, "${")
	if i < 0 {
		i = len(r)
	}
	if !format {
		if j := strings.IndexAny(r[:i], "*?"); j >= 0 {
			i = j
		}
	}
	sp.lead = strings.ToLower(r[:i])
	return sp
}

// leadsAgree reports whether one lead is a prefix of the other.
func leadsAgree(a, b string) bool {
	n := min(len(a), len(b))
	return a[:n] == b[:n]
}

// NewMatcher returns a matcher with a budget of steps.
func NewMatcher(budget int) *Matcher {
	return &Matcher{Budget: budget, tokens: map[string][]token{}, splits: map[string]*split{}}
}

// Reset readies a matcher for another policy: it forgets the policy's patterns and keeps the
// ARN formats it has split (the catalogue's, a bounded set) and its scratch space, unless that
// grew past what a policy within the limits needs.
func (m *Matcher) Reset() {
	if len(m.tokens) > 1024 {
		m.tokens = map[string][]token{}
	} else {
		clear(m.tokens)
	}
	m.last = split{}
	if cap(m.seen) > 1<<20 {
		m.seen = nil
	}
	if cap(m.stack) > 1<<16 {
		m.stack = nil
	}
}

// format returns an ARN format split, once per matcher.
func (m *Matcher) format(s string) *split {
	sp, ok := m.splits[s]
	if !ok {
		v := newSplit(s, true)
		sp = &v
		m.splits[s] = sp
	}
	return sp
}

// policyPattern returns a Resource pattern split, keeping the last one.
func (m *Matcher) policyPattern(s string) *split {
	if m.last.text != s || s == "" {
		m.last = newSplit(s, false)
	}
	return &m.last
}

// overlapCallSteps is what one Overlap call costs the budget besides its search and one step per
// 16 bytes of the pattern it splits: comparing the fields, a few hundred nanoseconds.
const overlapCallSteps = 10

// Exhausted reports whether the budget ran out, after which answers are not to be trusted.
func (m *Matcher) Exhausted() bool { return m.Budget <= 0 }

// pattern returns the tokens of a policy pattern, once per matcher.
func (m *Matcher) pattern(s string) []token {
	t, ok := m.tokens[s]
	if !ok {
		t = patternTokens(s)
		m.tokens[s] = t
	}
	return t
}

// Overlap reports whether some string matches both an ARN format of the service reference and a
// Resource pattern of a policy, ignoring case. It errs toward a match: a * of the policy may span
// colons (IAM lets a trailing * of a field do so), and so may a placeholder of the resource part. It explores the
// pairs of positions in the two patterns, so its cost is at most len(format)·len(pattern) steps;
// each step is taken from the budget, and when the budget runs out Overlap answers true.
func (m *Matcher) Overlap(format, pattern string) bool {
	if m.Budget -= overlapCallSteps + len(pattern)>>4; m.Budget <= 0 {
		return true
	}
	// Field by field first, which settles most pairs without the search: the service, region
	// and account of a policy ARN are mostly literal, and the resource parts of most formats
	// start with a literal type name (accesspoint/, log-group:).
	fs, ps := m.format(format), m.policyPattern(pattern)
	if fs.ok && ps.ok && !ps.spans {
		if !leadsAgree(fs.lead, ps.lead) {
			return false // such as accesspoint/ against tenant-a/*
		}
		for i := 1; i < 5; i++ {
			if !m.fieldOverlap(fs.fields[i], ps.fields[i]) {
				return false
			}
		}
		return m.OverlapResource(fs.fields[5], ps.fields[5])
	}
	return m.overlap(formatTokens(format), m.pattern(pattern))
}

// SplitARN splits an ARN, an ARN format or a Resource pattern into its six fields (arn,
// partition, service, region, account, resource), not at a colon inside ${...}: the region of
// arn:aws:dynamodb:${aws:RequestedRegion}:... is the variable.
func SplitARN(s string) ([6]string, bool) {
	var out [6]string
	n, start, depth := 0, 0, 0
	for i := 0; i < len(s) && n < 5; i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			out[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	out[5] = s[start:]
	return out, n == 5
}

// spans reports whether a policy ARN has a wildcard in a field before the resource, which IAM may
// let match across colons: the fields are then not compared one by one.
func spans(p [6]string) bool {
	for _, f := range p[1:5] {
		if strings.ContainsAny(f, "*?") {
			return true
		}
	}
	return false
}

// fieldOverlap compares one field before the resource of a format and of a policy ARN without
// wildcards, as literal text, a policy variable or a placeholder.
func (m *Matcher) fieldOverlap(format, pattern string) bool {
	switch {
	case strings.Contains(pattern, "${"):
		return m.overlap(formatTokensFrom(format, 0), m.pattern(pattern))
	case format == "":
		return pattern == ""
	case strings.HasPrefix(format, "${") && strings.HasSuffix(format, "}") && strings.Count(format, "${") == 1:
		return pattern != ""
	case !strings.Contains(format, "${"):
		return strings.EqualFold(format, pattern)
	}
	return m.overlap(formatTokensFrom(format, 0), m.pattern(pattern))
}

// OverlapResource is Overlap on the resource parts of an ARN format and a Resource pattern (what
// follows the fifth colon).
func (m *Matcher) OverlapResource(format, pattern string) bool {
	return m.overlap(formatTokensFrom(format, 5), m.pattern(pattern))
}

func (m *Matcher) overlap(a, b []token) bool {
	// Most pairs differ in a literal before the first wildcard or after the last one: compare
	// the literal ends first, without the search.
	for len(a) > 0 && len(b) > 0 && a[0].kind == lit && b[0].kind == lit {
		if a[0].c != b[0].c {
			return false
		}
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1].kind == lit && b[len(b)-1].kind == lit {
		if a[len(a)-1].c != b[len(b)-1].c {
			return false
		}
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	// The search visits pairs of positions, marked in the matcher's scratch space: cleared for
	// each search as far as it needs, not allocated again.
	w := len(b) + 1
	n := (len(a) + 1) * w
	if n > m.Budget {
		m.Budget = 0 // the search could take more steps than are left: give up now, not after
		return true
	}
	if cap(m.seen) < n {
		m.seen = make([]bool, n)
	}
	seen := m.seen[:n]
	clear(seen)
	stack := append(m.stack[:0], 0)
	defer func() { m.stack = stack[:0] }()
	seen[0] = true
	for len(stack) > 0 {
		if m.Budget <= 0 {
			return true
		}
		m.Budget--
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, j := k/w, k%w
		if i == len(a) && j == len(b) {
			return true
		}
		var next [3]int // the pairs this one leads to, -1 for none
		next[0], next[1], next[2] = -1, -1, -1
		// A run of any characters may also match nothing.
		if i < len(a) && a[i].kind == many {
			next[0] = (i+1)*w + j
		}
		if j < len(b) && b[j].kind == many {
			next[1] = i*w + j + 1
		}
		// Both consume one character they can agree on.
		if i < len(a) && j < len(b) {
			x, y := a[i], b[j]
			if !(x.kind == lit && y.kind == lit && x.c != y.c || x.field && y.kind == lit && y.c == ':') {
				ni, nj := i+1, j+1
				if x.kind == many {
					ni = i
				}
				if y.kind == many {
					nj = j
				}
				next[2] = ni*w + nj
			}
		}
		for _, n := range next {
			if n >= 0 && !seen[n] {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
	return false
}
