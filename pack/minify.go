package pack

import "encoding/json"

// Minify returns policy without insignificant JSON whitespace (space, tab, CR
// and LF outside strings, RFC 8259 §2): the form the estimator packs, since STS
// does not pack whitespace. Strings, including their escapes, are kept byte for
// byte. A policy that is not valid JSON is returned unchanged.
func Minify(policy string) string {
	if !json.Valid([]byte(policy)) {
		return policy
	}
	out, _ := appendPolicy(make([]byte, 0, len(policy)), policy)
	if len(out) == len(policy) {
		return policy
	}
	return string(out)
}

// appendPolicy appends policy to dst without whitespace outside strings, and
// counts the entries of every Action and NotAction member (a string value
// counts one, an array counts its string elements). It does not validate the
// policy: for valid JSON the result is [Minify]'s; invalid JSON, which STS
// rejects anyway, is still stripped and counted as far as it goes.
func appendPolicy(dst []byte, policy string) ([]byte, int) {
	start := len(dst)
	dst = append(dst, policy...)
	var sc actionScanner
	w := start
	inString, escaped := false, false
	for r := start; r < len(dst); r++ {
		c := dst[r]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				sc.string(dst[w-(r-sc.open)+1 : w])
			}
		case c == '"':
			inString = true
			sc.open = r
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		default:
			sc.punct(c)
		}
		dst[w] = c
		w++
	}
	return dst[:w], sc.actions
}

// actionScanner follows JSON structure just far enough to count Action and
// NotAction entries. Nesting deeper than maxDepth is tracked but not inspected.
type actionScanner struct {
	stack   [maxDepth]frame
	depth   int
	open    int // read index of the current string's opening quote
	actions int
}

// maxDepth bounds the frames actionScanner inspects; IAM policies nest at most
// five levels (Statement, statement, Condition, operator, key).
const maxDepth = 16

type frame struct {
	object    bool // an object, else an array
	wantKey   bool // object: the next string is a member name
	actionKey bool // object: the current member is Action or NotAction
	action    bool // array: the value of an Action or NotAction member
}

func (s *actionScanner) top() *frame {
	if s.depth == 0 || s.depth > maxDepth {
		return nil
	}
	return &s.stack[s.depth-1]
}

// string handles a complete string token with the given contents.
func (s *actionScanner) string(tok []byte) {
	f := s.top()
	switch {
	case f == nil:
	case f.object && f.wantKey:
		f.wantKey = false
		f.actionKey = string(tok) == "Action" || string(tok) == "NotAction"
	case f.object && f.actionKey, !f.object && f.action:
		s.actions++
	}
}

// punct handles a byte outside strings.
func (s *actionScanner) punct(c byte) {
	switch c {
	case '{', '[':
		parent := s.top()
		s.depth++
		if f := s.top(); f != nil {
			*f = frame{object: c == '{', wantKey: c == '{', action: c == '[' && parent != nil && parent.object && parent.actionKey}
		}
	case '}', ']':
		if s.depth > 0 {
			s.depth--
		}
	case ',':
		if f := s.top(); f != nil && f.object {
			f.wantKey, f.actionKey = true, false
		}
	}
}
