package terraform

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// HCL's parser recurses once per level of an expression's nesting: brackets, templates and
// their directives, and each unary operator, conditional, binary operator, index and attribute
// access of a chain (evaluating and walking the tree recurse once per operator of x+x+...+x
// too). 100,000 levels overflow the stack, a crash no recover can catch, and a file needs only
// one byte a level (!!!!...!x). Before HCL parses a file, bound measures that nesting in one
// pass, erring on the deep side, and counts the file's tokens, whose cost is HCL's: about
// 370 bytes of memory each.
const (
	// maxNesting bounds the nesting bound measures; real configurations have a few dozen
	// levels at most (a policy in jsonencode, a long condition).
	maxNesting = 500
	// maxTokens bounds a file's tokens: a few MiB of configuration, about 370 MB to parse.
	maxTokens = 1_000_000
)

// frame is an open construct of the file as bound reads it.
type frame struct {
	kind byte
	// ops counts the operators read in the frame since its last item boundary (a comma, or a
	// newline where newlines end items): each nests one level deeper.
	ops int
	// first says no token has been read in the frame yet (a brace whose first is for opens a
	// for expression, in which newlines do not end items).
	first bool
	// dir is, for an interpolation opened by %{, +1 for an if or for directive and -1 for
	// their ends.
	dir int
	// marker is a heredoc's closing marker; lineStart says its next byte starts a line.
	marker    []byte
	lineStart bool
}

// The kinds of frame. Quotes, heredocs and directives hold template text; the others code.
const (
	fRoot      = 'r'
	fParen     = '('
	fBrack     = '['
	fBrace     = '{'
	fFor       = 'f' // a brace that opens a for expression
	fInterp    = '$' // ${ ... } or %{ ... }
	fQuote     = '"'
	fHeredoc   = '<'
	fDirective = 'd' // the body of %{ if } or %{ for }
)

// boundError is why bound refuses a file: it nests too deeply, has too many tokens, or (which
// HCL would refuse too) closes a bracket it never opened.
type boundError struct {
	at  int
	msg string
}

// bound reads src as HCL's scanner does and reports the first place where its nesting passes
// maxNesting or its tokens maxTokens, or nil. Where the scanner's modes are ambiguous to a
// reader simpler than HCL's (a heredoc marker of characters other than ASCII), it refuses:
// reading template text as code could let closing brackets in the text hide real nesting.
func bound(src []byte) *boundError {
	_, err := measure(src)
	return err
}

// measure is bound, with the deepest nesting it measured.
func measure(src []byte) (int, *boundError) {
	b := &bounder{src: src, stack: []frame{{kind: fRoot}}}
	err := b.run()
	return b.deepest, err
}

type bounder struct {
	src     []byte
	stack   []frame
	depth   int // len(stack)-1 plus every frame's ops
	deepest int
	tokens  int
}

func (b *bounder) top() *frame { return &b.stack[len(b.stack)-1] }

func (b *bounder) push(f frame, at int) *boundError {
	b.stack = append(b.stack, f)
	b.depth++
	return b.check(at)
}

func (b *bounder) pop() frame {
	f := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	b.depth -= 1 + f.ops
	return f
}

// op counts an operator in the current frame.
func (b *bounder) op(at int) *boundError {
	b.top().ops++
	b.depth++
	return b.check(at)
}

// boundary ends an item of the current frame: its operators nest no further.
func (b *bounder) boundary() {
	t := b.top()
	b.depth -= t.ops
	t.ops = 0
}

func (b *bounder) check(at int) *boundError {
	b.deepest = max(b.deepest, b.depth)
	if b.depth > maxNesting {
		return &boundError{at, fmt.Sprintf("expressions nest more than %d levels deep (brackets, templates and operators): no Terraform configuration does, and policylint does not parse it", maxNesting)}
	}
	return nil
}

// count counts a token starting at at.
func (b *bounder) count(at int) *boundError {
	b.tokens++
	if b.tokens > maxTokens {
		return &boundError{at, "the file has more than 1,000,000 tokens: policylint reads Terraform files up to that size, a few MiB of configuration"}
	}
	return nil
}

// token counts a token starting at at that is not a line break: the first in a brace may
// make it a for expression (HCL looks past line breaks and comments for the keyword).
func (b *bounder) token(at int) *boundError {
	if err := b.count(at); err != nil {
		return err
	}
	t := b.top()
	if t.first {
		t.first = false
		if t.kind == fBrace && isKeyword(b.src[at:], "for") {
			t.kind = fFor
		}
	}
	return nil
}

func (b *bounder) run() *boundError {
	src := b.src
	for i := 0; i < len(src); {
		var err *boundError
		switch b.top().kind {
		case fQuote, fHeredoc, fDirective:
			i, err = b.text(i)
		default:
			i, err = b.code(i)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// text reads template text from src[i]: a quoted string's or a heredoc's (a directive's body is
// the text of the template it is in).
func (b *bounder) text(i int) (int, *boundError) {
	src := b.src
	tmpl := len(b.stack) - 1
	for b.stack[tmpl].kind == fDirective {
		tmpl--
	}
	quoted := b.stack[tmpl].kind == fQuote
	if !quoted && b.stack[tmpl].lineStart {
		// A line of only white space and the marker ends the heredoc, as HCL's scanner
		// checks at the start of each line of heredoc text.
		b.stack[tmpl].lineStart = false
		if nl := bytes.IndexByte(src[i:], '\n'); nl >= 0 && bytes.Equal(bytes.TrimSpace(src[i:i+nl]), b.stack[tmpl].marker) {
			for len(b.stack)-1 > tmpl {
				b.pop()
			}
			b.pop()
			return i + nl, b.count(i) // the line break is a newline of code
		}
	}
	c := src[i]
	switch {
	case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
		return i + 3, nil // $${ and %%{ are literal
	case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
		f := frame{kind: fInterp, first: true}
		if c == '%' {
			f.dir = directive(src[i+2:])
		}
		if err := b.token(i); err != nil {
			return i, err
		}
		return i + 2, b.push(f, i)
	case quoted && c == '\\':
		if i+1 < len(src) && src[i+1] != '\n' && src[i+1] != '\r' {
			_, n := utf8.DecodeRune(src[i+1:])
			return i + 1 + n, nil
		}
		return i + 1, nil
	case quoted && c == '"':
		for len(b.stack)-1 > tmpl {
			b.pop()
		}
		b.pop()
		return i + 1, nil
	case !quoted && c == '\n':
		b.stack[tmpl].lineStart = true
		return i + 1, b.count(i)
	}
	return i + 1, nil
}

// code reads HCL code from src[i]: one token, or white space or a comment.
func (b *bounder) code(i int) (int, *boundError) {
	src := b.src
	c := src[i]
	switch {
	case c == ' ' || c == '\t' || c == '\r':
		return i + 1, nil
	case c == '\n':
		if k := b.top().kind; k == fRoot || k == fBrace {
			b.boundary() // a newline ends an attribute, block or object item
		}
		return i + 1, b.count(i)
	case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
		nl := bytes.IndexByte(src[i:], '\n')
		if nl < 0 {
			return len(src), nil
		}
		return i + nl, nil // the line break is a token of its own
	case c == '/' && i+1 < len(src) && src[i+1] == '*':
		if end := bytes.Index(src[i+2:], []byte("*/")); end >= 0 {
			return i + 2 + end + 2, nil
		}
		// Without its end it is no comment, for HCL's scanner either: / and * follow.
	}
	if err := b.token(i); err != nil {
		return i, err
	}
	switch {
	case c == '"':
		return i + 1, b.push(frame{kind: fQuote}, i)
	case c == '<' && i+1 < len(src) && src[i+1] == '<':
		if j, marker, ok, err := b.heredoc(i); err != nil || ok {
			if err != nil {
				return i, err
			}
			return j, b.push(frame{kind: fHeredoc, marker: marker, lineStart: true}, i)
		}
		return i + 2, b.op(i)
	case c == '(':
		return i + 1, b.push(frame{kind: fParen, first: true}, i)
	case c == '[':
		// An index nests the expression it follows one level deeper, a tuple sits at its
		// place: counting both as an operator only errs on the deep side.
		if err := b.op(i); err != nil {
			return i, err
		}
		return i + 1, b.push(frame{kind: fBrack, first: true}, i)
	case c == '{':
		return i + 1, b.push(frame{kind: fBrace, first: true}, i)
	case c == ')' || c == ']':
		want := byte(fParen)
		if c == ']' {
			want = fBrack
		}
		if b.top().kind != want {
			return i, &boundError{i, fmt.Sprintf("%q does not match the bracket open here", c)}
		}
		b.pop()
		return i + 1, nil
	case c == '}':
		switch b.top().kind {
		case fBrace, fFor:
			b.pop()
		case fInterp:
			f := b.pop()
			if f.dir > 0 {
				return i + 1, b.push(frame{kind: fDirective}, i)
			}
			if f.dir < 0 && b.top().kind == fDirective {
				b.pop()
			}
		default:
			return i, &boundError{i, "\"}\" does not match the bracket open here"}
		}
		return i + 1, nil
	case c == ',':
		b.boundary()
		return i + 1, nil
	case c >= '0' && c <= '9':
		return number(src, i), nil
	case c == '=':
		if i+1 < len(src) && src[i+1] == '=' {
			return i + 2, b.op(i)
		}
		return i + 1, nil
	case bytes.IndexByte([]byte("!-+*/%<>&|?."), c) >= 0:
		return i + 1, b.op(i)
	}
	if r, n := utf8.DecodeRune(src[i:]); c == '_' || isLetter(r) {
		return ident(src, i+n), nil
	} else {
		return i + n, nil
	}
}

// heredoc reads the <<EOT or <<-EOT and line break that open a heredoc at src[i], as HCL's
// scanner does: its marker and where its text starts. A marker that is not ASCII is refused.
func (b *bounder) heredoc(i int) (int, []byte, bool, *boundError) {
	src := b.src
	j := i + 2
	if j < len(src) && src[j] == '-' {
		j++
	}
	start := j
	for j < len(src) && (isASCIILetter(src[j]) || src[j] == '_' || j > start && (src[j] == '-' || src[j] >= '0' && src[j] <= '9')) {
		j++
	}
	if j < len(src) && src[j] >= utf8.RuneSelf {
		return 0, nil, false, &boundError{i, "a heredoc marker of characters other than ASCII letters, digits, - and _: policylint does not parse it"}
	}
	if j == start {
		return 0, nil, false, nil
	}
	marker := src[start:j]
	switch {
	case j < len(src) && src[j] == '\n':
		return j + 1, marker, true, nil
	case j+1 < len(src) && src[j] == '\r' && src[j+1] == '\n':
		return j + 2, marker, true, nil
	}
	return 0, nil, false, nil
}

// directive reads the keyword after %{: +1 for if and for, -1 for endif and endfor.
func directive(src []byte) int {
	if len(src) > 0 && src[0] == '~' {
		src = src[1:]
	}
	src = bytes.TrimLeft(src, " \t\r\n")
	switch {
	case isKeyword(src, "if"), isKeyword(src, "for"):
		return 1
	case isKeyword(src, "endif"), isKeyword(src, "endfor"):
		return -1
	}
	return 0
}

// isKeyword reports whether src starts with the identifier word.
func isKeyword(src []byte, word string) bool {
	return bytes.HasPrefix(src, []byte(word)) && ident(src, len(word)) == len(word)
}

// ident returns where the identifier continued at src[i] ends: letters, digits, _ and -.
func ident(src []byte, i int) int {
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) && (c < '0' || c > '9') && c != '_' && c != '-' {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if !isLetter(r) && !unicode.In(r, unicode.Nd, unicode.Mn, unicode.Mc, unicode.Pc) {
			return i
		}
		i += n
	}
	return i
}

// number returns where the number literal at src[i] ends, as HCL's scanner reads one: digits,
// points and exponents.
func number(src []byte, i int) int {
	for i < len(src) {
		c := src[i]
		switch {
		case c >= '0' && c <= '9', c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			i++
		case (c == 'e' || c == 'E') && i+1 < len(src):
			j := i + 1
			if src[j] == '+' || src[j] == '-' {
				j++
			}
			if j >= len(src) || src[j] < '0' || src[j] > '9' {
				return i
			}
			i = j
		default:
			return i
		}
	}
	return i
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isLetter(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) }
