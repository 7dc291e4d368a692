package jsonpos

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

type parser struct {
	src      []byte
	i        int
	doc      *Document
	depth    int
	maxDepth int
	buf      []byte
	// slab is where new values are carved from, a chunk at a time, rather than one allocation
	// each: a policy is mostly small values.
	slab []Value
}

// newValue returns a value from the slab, set to v.
func (p *parser) newValue(v Value) *Value {
	if len(p.slab) == 0 {
		p.slab = make([]Value, min(max(16, len(p.src)/32), 1024))
	}
	n := &p.slab[0]
	*n = v
	p.slab = p.slab[1:]
	return n
}

func (p *parser) errorf(start, end int, format string, args ...any) *SyntaxError {
	start = max(0, min(start, len(p.src)))
	end = max(start, min(end, len(p.src)))
	return &SyntaxError{Msg: fmt.Sprintf(format, args...), Start: start, End: end}
}

// unexpected describes the byte at p.i as a token that should not be there.
func (p *parser) unexpected(context string) *SyntaxError {
	if p.i >= len(p.src) {
		if p.onlySpaceBefore() {
			return p.errorf(p.i, p.i, "empty document: a policy is one JSON object")
		}
		return p.errorf(p.i, p.i, "unexpected end of input %s", context)
	}
	c := p.src[p.i]
	switch {
	case c == '/' && p.i+1 < len(p.src) && (p.src[p.i+1] == '/' || p.src[p.i+1] == '*'):
		return p.errorf(p.i, p.lineEnd(), "comments are not allowed in JSON %s", context)
	case c == '}' || c == ']':
		return p.errorf(p.i, p.i+1, "unexpected %q %s", c, context)
	case c < 0x20 || c >= utf8.RuneSelf:
		r, n := utf8.DecodeRune(p.src[p.i:])
		return p.errorf(p.i, p.i+n, "unexpected character %U %s", r, context)
	default:
		return p.errorf(p.i, p.tokenEnd(), "unexpected %q %s", p.src[p.i:p.tokenEnd()], context)
	}
}

func (p *parser) onlySpaceBefore() bool {
	start := 0
	if p.doc.BOM {
		start = 3
	}
	for _, c := range p.src[start:p.i] {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

func (p *parser) lineEnd() int {
	j := p.i
	for j < len(p.src) && p.src[j] != '\n' && p.src[j] != '\r' {
		j++
	}
	return j
}

// tokenEnd is the end of the bare word starting at p.i, at most 32 bytes.
func (p *parser) tokenEnd() int {
	j := p.i + 1
	for j < len(p.src) && j-p.i < 32 && isWordByte(p.src[j]) && isWordByte(p.src[p.i]) {
		j++
	}
	return j
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c == '+' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() {
	for p.i < len(p.src) && isSpace(p.src[p.i]) {
		p.i++
	}
}

func (p *parser) document() (*Value, error) {
	p.skipSpace()
	v, err := p.value("at the start of the document")
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.src) {
		if c := p.src[p.i]; c < 0x20 || c >= utf8.RuneSelf {
			return nil, p.unexpected("after the end of the JSON document")
		}
		return nil, p.errorf(p.i, len(p.src), "unexpected data after the end of the JSON document")
	}
	return v, nil
}

func (p *parser) value(context string) (*Value, error) { return p.valueIn(context, "", false) }

// valueIn reads a value; when keyed, it is the value of an object member named key, and an error
// says so (the context is worded only then: most values are read without one).
func (p *parser) valueIn(context, key string, keyed bool) (*Value, error) {
	where := func() string {
		if keyed {
			return fmt.Sprintf("where the value of %q was expected", key)
		}
		return context
	}
	if p.i >= len(p.src) {
		return nil, p.unexpected(where())
	}
	switch c := p.src[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		start := p.i
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return p.newValue(Value{Kind: String, Start: start, End: p.i, Str: s}), nil
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", p.newValue(Value{Kind: Bool, Bool: true}))
	case c == 'f':
		return p.literal("false", p.newValue(Value{Kind: Bool}))
	case c == 'n':
		return p.literal("null", p.newValue(Value{Kind: Null}))
	case c == '\'':
		return nil, p.errorf(p.i, p.i+1, "strings must use double quotes, not single quotes")
	default:
		return nil, p.unexpected(where())
	}
}

func (p *parser) literal(word string, v *Value) (*Value, error) {
	if len(p.src)-p.i < len(word) || string(p.src[p.i:p.i+len(word)]) != word {
		return nil, p.errorf(p.i, p.tokenEnd(), "invalid literal %q: expected %s", p.src[p.i:p.tokenEnd()], word)
	}
	v.Start, v.End = p.i, p.i+len(word)
	p.i += len(word)
	return v, nil
}

func (p *parser) number() (*Value, error) {
	start := p.i
	bad := func() (*Value, error) {
		// The offending byte is p.i's, or none when the number ends the input ("1.").
		end := min(max(p.i+1, p.tokenEndFrom(start)), len(p.src))
		return nil, p.errorf(start, end, "invalid number %q", p.src[start:end])
	}
	if p.src[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.src) && p.src[p.i] == '0':
		p.i++
	case p.i < len(p.src) && '1' <= p.src[p.i] && p.src[p.i] <= '9':
		p.digits()
	default:
		return bad()
	}
	if p.i < len(p.src) && p.src[p.i] == '.' {
		p.i++
		if !p.digits() {
			return bad()
		}
	}
	if p.i < len(p.src) && (p.src[p.i] == 'e' || p.src[p.i] == 'E') {
		p.i++
		if p.i < len(p.src) && (p.src[p.i] == '+' || p.src[p.i] == '-') {
			p.i++
		}
		if !p.digits() {
			return bad()
		}
	}
	if p.i < len(p.src) && isWordByte(p.src[p.i]) {
		return bad()
	}
	return p.newValue(Value{Kind: Number, Start: start, End: p.i, Str: string(p.src[start:p.i])}), nil
}

func (p *parser) tokenEndFrom(start int) int {
	j := start
	for j < len(p.src) && j-start < 32 && isWordByte(p.src[j]) {
		j++
	}
	return j
}

func (p *parser) digits() bool {
	start := p.i
	for p.i < len(p.src) && '0' <= p.src[p.i] && p.src[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

func (p *parser) enter(open int) error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.errorf(open, open+1, "nesting is deeper than %d levels", p.maxDepth)
	}
	return nil
}

func (p *parser) object() (*Value, error) {
	v := p.newValue(Value{Kind: Object, Start: p.i})
	if err := p.enter(p.i); err != nil {
		return nil, err
	}
	p.i++
	var seen map[string]int // key → index of its first member
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == '}' {
		p.i++
		v.End = p.i
		p.depth--
		return v, nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] != '"' {
			if p.i < len(p.src) && p.src[p.i] == '}' && len(v.Members) > 0 {
				return nil, p.errorf(p.i, p.i+1, "trailing comma before '}'")
			}
			if p.i < len(p.src) && p.src[p.i] == '\'' {
				return nil, p.errorf(p.i, p.i+1, "object keys must use double quotes, not single quotes")
			}
			if p.i < len(p.src) && isWordByte(p.src[p.i]) {
				return nil, p.errorf(p.i, p.tokenEnd(), "object key %q must be a quoted string", p.src[p.i:p.tokenEnd()])
			}
			return nil, p.unexpected("where an object key was expected")
		}
		keyStart := p.i
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		keyEnd := p.i
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] != ':' {
			return nil, p.unexpected(fmt.Sprintf("after object key %q: expected ':'", key))
		}
		p.i++
		p.skipSpace()
		val, err := p.valueIn("", key, true)
		if err != nil {
			return nil, err
		}
		first, dup := p.firstMember(v, &seen, key)
		if dup {
			f := v.Members[first]
			p.doc.Duplicates = append(p.doc.Duplicates, Duplicate{
				Key: key, FirstStart: f.KeyStart, FirstEnd: f.KeyEnd, SecondStart: keyStart, SecondEnd: keyEnd,
				object: v.Start,
			})
		} else if seen != nil {
			seen[key] = len(v.Members)
		}
		v.Members = append(v.Members, Member{Key: key, KeyStart: keyStart, KeyEnd: keyEnd, Value: val})
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.src) && p.src[p.i] == '}' {
			p.i++
			v.End = p.i
			p.depth--
			return v, nil
		}
		if p.i < len(p.src) && p.src[p.i] == '"' {
			return nil, p.errorf(p.i, p.i+1, "missing ',' between object members")
		}
		return nil, p.unexpected("after an object member: expected ',' or '}'")
	}
}

func (p *parser) array() (*Value, error) {
	v := p.newValue(Value{Kind: Array, Start: p.i})
	if err := p.enter(p.i); err != nil {
		return nil, err
	}
	p.i++
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == ']' {
		p.i++
		v.End = p.i
		p.depth--
		return v, nil
	}
	for {
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == ']' && len(v.Elems) > 0 {
			return nil, p.errorf(p.i, p.i+1, "trailing comma before ']'")
		}
		e, err := p.value("where an array element was expected")
		if err != nil {
			return nil, err
		}
		v.Elems = append(v.Elems, e)
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.src) && p.src[p.i] == ']' {
			p.i++
			v.End = p.i
			p.depth--
			return v, nil
		}
		return nil, p.unexpected("after an array element: expected ',' or ']'")
	}
}

// smallObject is the number of members below which duplicates are found by comparing keys,
// without a map.
const smallObject = 16

// firstMember returns the index of the first member of v named key, if there is one: by a scan
// of v's members while they are few, then in *seen, built at the smallObject'th member.
func (p *parser) firstMember(v *Value, seen *map[string]int, key string) (int, bool) {
	if *seen == nil {
		if len(v.Members) < smallObject {
			for i, m := range v.Members {
				if m.Key == key {
					return i, true
				}
			}
			return 0, false
		}
		*seen = make(map[string]int, 2*len(v.Members))
		for i := len(v.Members) - 1; i >= 0; i-- { // the first of duplicates wins
			(*seen)[v.Members[i].Key] = i
		}
	}
	i, ok := (*seen)[key]
	return i, ok
}

// common are strings most policies hold many times, the element names above all: str returns
// them without allocating a copy each.
var common = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"Version", "2012-10-17", "2008-10-17", "Statement", "Sid", "Effect", "Allow", "Deny",
		"Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition",
		"*", "AWS", "Service", "Federated", "StringEquals", "StringNotEquals", "StringLike",
		"StringNotLike", "ArnLike", "ArnEquals", "ArnNotLike", "Bool", "Null", "IpAddress",
		"NumericLessThanEquals", "ForAnyValue:StringEquals", "ForAllValues:StringEquals",
		"ForAnyValue:StringLike", "ForAllValues:StringLike", "aws:SourceIp", "aws:SourceVpce",
		"aws:SourceVpc", "aws:SourceAccount", "aws:SourceArn", "aws:PrincipalOrgID", "aws:RequestedRegion",
		"aws:SecureTransport", "aws:ViaAWSService", "aws:CalledVia", "aws:TagKeys", "aws:PrincipalArn",
		"aws:ResourceAccount", "iam:PassedToService", "iam:AWSServiceName", "true", "false",
		"RoleArn", "RoleSessionName", "Policy", "PolicyArns", "arn", "Tags", "Key", "Value",
		"DurationSeconds", "TransitiveTagKeys", "ExternalId", "SourceIdentity",
	} {
		m[s] = s
	}
	return m
}()

// maxCommon is the length of the longest of common.
var maxCommon = func() int {
	n := 0
	for s := range common {
		n = max(n, len(s))
	}
	return n
}()

// str reads a quoted string at p.i and returns it decoded.
func (p *parser) str() (string, error) {
	start := p.i
	p.i++
	// Fast path: no escapes, no control characters, valid UTF-8.
	for j := p.i; j < len(p.src); j++ {
		c := p.src[j]
		if c == '"' {
			s := p.src[p.i:j]
			if len(s) <= maxCommon {
				if interned, ok := common[string(s)]; ok { // no allocation: the conversion is only looked up
					p.i = j + 1
					return interned, nil
				}
			}
			if utf8.Valid(s) {
				p.i = j + 1
				return string(s), nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	p.buf = p.buf[:0]
	for {
		if p.i >= len(p.src) {
			return "", p.errorf(start, p.i, "unterminated string")
		}
		c := p.src[p.i]
		switch {
		case c == '"':
			p.i++
			return string(p.buf), nil
		case c == '\\':
			if err := p.escape(); err != nil {
				return "", err
			}
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return "", p.errorf(start, p.i, "unterminated string: a line break inside a string must be written \\n")
			}
			return "", p.errorf(p.i, p.i+1, "control character %U inside a string must be escaped", rune(c))
		case c < utf8.RuneSelf:
			p.buf = append(p.buf, c)
			p.i++
		default:
			r, n := utf8.DecodeRune(p.src[p.i:])
			p.buf = utf8.AppendRune(p.buf, r) // U+FFFD for an invalid byte, as encoding/json does
			p.i += n
		}
	}
}

func (p *parser) escape() error {
	start := p.i
	r, n, ok := decodeEscape(p.src, start)
	if !ok {
		switch {
		case start+1 >= len(p.src):
			return p.errorf(start, len(p.src), "unterminated string")
		case p.src[start+1] == 'u':
			return p.errorf(start, min(start+6, len(p.src)), "invalid \\u escape: expected four hexadecimal digits")
		default:
			return p.errorf(start, start+2, "invalid escape %q in string", p.src[start:start+2])
		}
	}
	p.i += n
	p.buf = utf8.AppendRune(p.buf, r)
	if p.src[start+1] == 'u' {
		p.doc.Escapes = append(p.doc.Escapes, Escape{Start: start, End: p.i, Rune: r})
	}
	return nil
}

// decodeEscape decodes the escape at src[i] (a backslash) to the character it stands for and the
// length of its text. A high surrogate followed by a low one is one character; any other
// surrogate decodes to U+FFFD, as in encoding/json.
func decodeEscape(src []byte, i int) (r rune, n int, ok bool) {
	if i+1 >= len(src) {
		return 0, 0, false
	}
	switch e := src[i+1]; e {
	case '"', '\\', '/':
		return rune(e), 2, true
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'u':
		r, ok := hex4(src, i+2)
		if !ok {
			return 0, 0, false
		}
		if !utf16.IsSurrogate(r) {
			return r, 6, true
		}
		if i+7 < len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
			if low, ok := hex4(src, i+8); ok && utf16.DecodeRune(r, low) != utf8.RuneError {
				return utf16.DecodeRune(r, low), 12, true
			}
		}
		return utf8.RuneError, 6, true
	}
	return 0, 0, false
}

// hex4 decodes the four hexadecimal digits at src[i:].
func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
