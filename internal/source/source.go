// Package source holds what the source readers share: a Doc is a session policy or STS request
// found in a user's file, as the JSON text the checks read, with a map from that text back into
// the user's file. The readers (source/yaml, source/workflow, source/terraform) build documents
// from Values and Texts, so that every finding lands at its line and column in the file the user
// wrote, whatever shape the policy had there: a JSON string, a YAML block scalar after folding,
// an HCL heredoc or a jsonencode expression.
package source

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/jsonpos"
)

// Kind says what a document is.
type Kind uint8

// The document kinds.
const (
	// Policy is a session policy document.
	Policy Kind = iota + 1
	// Request is an STS request in the AWS CLI's --cli-input-json shape.
	Request
)

// Doc is a policy or request found in a user's file.
type Doc struct {
	Kind Kind
	// JSON is the document as the checks read it; Map maps its offsets into the user's file.
	JSON []byte
	Map  Mapper
	// At is where the document is in the file, for findings: a JSON Pointer into the file's data
	// ("/jobs/deploy/steps/1"), or a Terraform address; "" is the whole file.
	At string
	// PolicyAt is where a request's policy is in the file, when not At + "/Policy".
	PolicyAt string
	// Operation is the STS operation the consumer calls; "" infers it from the parameters.
	Operation string
	// Runtime names required parameters the consumer supplies at run time, such as the
	// WebIdentityToken GitHub's OIDC provider issues: the checks take them as given.
	Runtime []string
	// Retry names the session tags the consumer drops, retrying once, when STS answers
	// PackedPolicyTooLarge; Sender names the consumer for messages.
	Retry  []string
	Sender string
	// Chained says why the consumer calls with a role session's credentials (role chaining,
	// which caps DurationSeconds at an hour), for messages: "role-chaining: true on this step";
	// "" when the file does not say so.
	Chained string
	// Assumed says what the document was checked with that the file does not fix, for findings
	// to say so: placeholders substituted by their worst case, tag values at assumed lengths.
	Assumed []Assumption
}

// Assumption is a value the file does not fix, as the checks take it.
type Assumption struct {
	// Start and End are its range in the user's file.
	Start, End int
	// What says it for a message: "${{ github.head_ref }} as 100 characters".
	What string
	// Counts says what size it counts toward: CountsPolicy (the policy's length and the packed
	// size), CountsTags (the packed size), or neither.
	Counts uint8
}

// What an Assumption counts toward.
const (
	CountsPolicy uint8 = iota + 1
	CountsTags
)

// File is what a reader found in a user's file: its documents and the problems it found itself.
type File struct {
	Docs     []Doc
	Findings []Finding
	// Unread counts the documents past MaxDocs, not read; UnreadAt is where the first is.
	Unread   int
	UnreadAt int
}

// MaxDocs bounds the documents a reader takes from one file. Each is a whole STS request, with
// the session tags its consumer adds, made from a few lines of the file (a workflow step, a
// provider block): far more than any real file has, few enough that a hostile one cannot make
// the checks cost a thousand times its size.
const MaxDocs = 1000

// Add adds a document that starts at start, unless the file already has MaxDocs: every reader
// adds its documents here, so no path of a reader gets past the cap.
func (f *File) Add(d Doc, start int) {
	if !f.Full(start) {
		f.Docs = append(f.Docs, d)
	}
}

// Full reports whether the file has MaxDocs documents, and then counts the document at start
// as unread: a reader asks before it builds one, to skip its work (Add enforces the cap).
func (f *File) Full(start int) bool {
	if len(f.Docs) < MaxDocs {
		return false
	}
	if f.Unread == 0 {
		f.UnreadAt = start
	}
	f.Unread++
	return true
}

// Finding is a problem a reader found itself, with its range in the user's file. Rule is the
// slug of a rule of lint's table.
type Finding struct {
	Rule       string
	Start, End int
	Message    string
	// At is where the document it is about is in the file, as Doc.At.
	At string
	// Warning makes an error rule's finding a warning: what a value the file does not fix may
	// hold, not what it holds.
	Warning bool
}

// Mapper maps byte offsets of a derived text to offsets of the text it came from.
type Mapper interface {
	Source(off int) int
}

// Text is a string read from a user's file: its value and where each of its bytes was written.
type Text struct {
	S string
	// Map maps offsets of S into the file; nil places every byte at Start.
	Map Mapper
	// Start and End are the range of the value as written, quotes and indicators included.
	Start, End int
}

// Source returns the file offset of byte i of t.S.
func (t Text) Source(i int) int {
	if t.Map == nil {
		if i >= len(t.S) && len(t.S) > 0 {
			return t.End
		}
		return t.Start
	}
	return t.Map.Source(i)
}

// At is a Text of s that stands for the file's range [start, end) as a whole.
func At(s string, start, end int) Text { return Text{S: s, Start: start, End: end} }

// Slice returns t.S[i:j] with its places.
func (t Text) Slice(i, j int) Text {
	var b TextBuilder
	b.Copy(t, i, j)
	return b.Text(t.Source(i), t.Source(j))
}

// TrimSpace drops leading and trailing white space, as the GitHub Actions toolkit's getInput
// does with JavaScript's String.prototype.trim.
func (t Text) TrimSpace() Text {
	s := strings.TrimLeftFunc(t.S, jsSpace)
	i := len(t.S) - len(s)
	s = strings.TrimRightFunc(s, jsSpace)
	if len(s) == len(t.S) {
		return t
	}
	return t.Slice(i, i+len(s))
}

// jsSpace reports what JavaScript's trim removes: its WhiteSpace and LineTerminator, which are
// Go's white space but for U+0085, and with U+FEFF.
func jsSpace(r rune) bool {
	return r == 0xFEFF || r != 0x85 && unicode.IsSpace(r)
}

// composed maps offsets of a text derived from another through both maps.
type composed struct {
	inner Mapper // derived offsets to offsets of outer's text
	outer Text
}

func (c composed) Source(off int) int { return c.outer.Source(c.inner.Source(off)) }

// Within returns the text s, whose offsets m maps into t.S, with places in t's file: a JSON
// string inside a YAML scalar, mapped through both.
func Within(t Text, s string, m Mapper, start, end int) Text {
	return Text{S: s, Map: composed{m, t}, Start: t.Source(start), End: t.Source(end)}
}

// TextBuilder builds a Text from pieces of others, keeping each byte's place.
type TextBuilder struct {
	b    []byte
	m    *jsonpos.StringMap
	next int  // file offset a literal run would continue at; -1 after an atom
	html bool // render strings with HTML characters escaped
}

func (tb *TextBuilder) init() {
	if tb.m == nil {
		tb.m = jsonpos.NewStringMap(0)
		tb.next = -1
	}
}

// Copy appends t.S[i:j], each byte mapped where t maps it.
func (tb *TextBuilder) Copy(t Text, i, j int) {
	tb.init()
	if t.Map == nil {
		tb.Atom(t.S[i:j], t.Start)
		return
	}
	for k := i; k < j; {
		_, n := utf8.DecodeRuneInString(t.S[k:])
		src := t.Source(k)
		if src != tb.next {
			tb.m.Literal(len(tb.b), src)
		}
		tb.b = append(tb.b, t.S[k:k+n]...)
		tb.next = src + n
		k += n
	}
}

// Atom appends s standing as a whole for the file text at [start, ...).
func (tb *TextBuilder) Atom(s string, start int) {
	tb.init()
	tb.m.Atom(len(tb.b), start)
	tb.b = append(tb.b, s...)
	tb.next = -1
}

// Mark makes the next byte appended map to file offset src.
func (tb *TextBuilder) Mark(src int) {
	tb.init()
	tb.m.Atom(len(tb.b), src)
	tb.next = -1
}

// Len is the length of what was built so far.
func (tb *TextBuilder) Len() int { return len(tb.b) }

// Text returns what was built, as the value written at [start, end) of the file.
func (tb *TextBuilder) Text(start, end int) Text {
	tb.init()
	tb.m.Atom(len(tb.b), end)
	return Text{S: string(tb.b), Map: tb.m, Start: start, End: end}
}

// Value is a JSON value to render, with its place in the user's file.
type Value struct {
	Kind jsonpos.Kind
	// Text is a string's value; for a number or boolean, its JSON text.
	Text    Text
	Members []Member
	Elems   []Value
	// Start and End are the value's range in the file.
	Start, End int
}

// Member is one key and value of an object.
type Member struct {
	Key   Text
	Value Value
}

// String is a string Value.
func String(t Text) Value { return Value{Kind: jsonpos.String, Text: t, Start: t.Start, End: t.End} }

// Literal is a number, boolean or null Value written as json at [start, end).
func Literal(kind jsonpos.Kind, json string, start, end int) Value {
	return Value{Kind: kind, Text: At(json, start, end), Start: start, End: end}
}

// Get returns the value of the member named key.
func (v *Value) Get(key string) (*Value, bool) {
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Key.S == key {
			return &v.Members[i].Value, true
		}
	}
	return nil, false
}

// Render writes v as minified JSON and maps every byte of it into the file: each string's bytes
// to where the file holds them, each value's start and end to the value's range.
func Render(v Value) ([]byte, Mapper) {
	return renderAll(v, false)
}

// RenderHTMLEscaped is Render with <, >, & and U+2028, U+2029 written as \u escapes, as Go's
// encoding/json and so Terraform's jsonencode write them.
func RenderHTMLEscaped(v Value) ([]byte, Mapper) {
	return renderAll(v, true)
}

func renderAll(v Value, html bool) ([]byte, Mapper) {
	b := TextBuilder{html: html}
	render(&b, v)
	t := b.Text(v.Start, v.End)
	return []byte(t.S), t.Map
}

func render(b *TextBuilder, v Value) {
	switch v.Kind {
	case jsonpos.Object:
		b.Atom("{", v.Start)
		for i, m := range v.Members {
			if i > 0 {
				b.b = append(b.b, ',')
			}
			renderString(b, m.Key)
			b.b = append(b.b, ':')
			render(b, m.Value)
		}
		b.Atom("}", max(v.Start, v.End-1))
	case jsonpos.Array:
		b.Atom("[", v.Start)
		for i, e := range v.Elems {
			if i > 0 {
				b.b = append(b.b, ',')
			}
			render(b, e)
		}
		b.Atom("]", max(v.Start, v.End-1))
	case jsonpos.String:
		renderString(b, v.Text)
	case jsonpos.Null:
		b.Atom("null", v.Start)
	default:
		b.Atom(v.Text.S, v.Start)
	}
	b.Mark(v.End)
}

// renderString writes t as a JSON string. An escape maps to the character it writes; runs of
// plain characters map byte for byte, each run copied whole, so that a long value costs one
// piece of the map, not one a character.
func renderString(b *TextBuilder, t Text) {
	b.Atom(`"`, t.Start)
	s := t.S
	run := 0 // where the run of plain characters being read started
	for k := 0; k < len(s); {
		r, n := utf8.DecodeRuneInString(s[k:])
		if esc, ok := escape(r, b.html); ok {
			if run < k {
				b.Copy(t, run, k)
			}
			b.Atom(esc, t.Source(k))
			run = k + n
		}
		k += n
	}
	if run < len(s) {
		b.Copy(t, run, len(s))
	}
	b.Atom(`"`, t.Source(len(s)))
	b.Mark(t.End)
}

// escape returns how encoding/json writes r in a string, when it does not write it as it is.
func escape(r rune, html bool) (string, bool) {
	switch r {
	case '<', '>', '&', 0x2028, 0x2029:
		if html {
			return fmt.Sprintf(`\u%04x`, r), true
		}
		return "", false
	case '"':
		return `\"`, true
	case '\\':
		return `\\`, true
	case '\n':
		return `\n`, true
	case '\r':
		return `\r`, true
	case '\t':
		return `\t`, true
	}
	if r < 0x20 {
		return `\u00` + strconv.FormatInt(int64(r)>>4, 16) + strconv.FormatInt(int64(r)&15, 16), true
	}
	return "", false
}
