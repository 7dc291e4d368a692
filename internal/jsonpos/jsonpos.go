// Package jsonpos is a position-aware JSON reader. It parses a document into a tree in which every
// key and value carries its byte range, resolves JSON Pointers (RFC 6901) to those ranges, converts
// byte offsets to line and column, and records what encoding/json silently accepts or rejects
// without a place: duplicate keys, invalid UTF-8, a byte-order mark, escapes and nesting depth.
//
// The reader never panics and never recurses deeper than Options.MaxDepth, so any input, however
// hostile, ends in a tree or a *SyntaxError in time linear in its size.
package jsonpos

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Pos is a place in a source text.
type Pos struct {
	// Line is 1-based. LF, CR LF and a lone CR each end a line.
	Line int `json:"line"`
	// Column is 1-based and counts code points (an invalid UTF-8 byte counts as one); a leading
	// byte-order mark is not counted.
	Column int `json:"column"`
	// Offset is the 0-based byte offset.
	Offset int `json:"offset"`
}

// Range is the half-open span [Start, End) of a source text.
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

var kindNames = [...]string{"null", "boolean", "number", "string", "object", "array"}

func (k Kind) String() string { return kindNames[k] }

// Value is a node of the tree. Start and End are byte offsets of the value's text, End exclusive.
type Value struct {
	Kind       Kind
	Start, End int
	// Str is the decoded string of a String, with invalid UTF-8 replaced by U+FFFD as
	// encoding/json does. For a Number it is the literal text.
	Str string
	// Bool is the value of a Bool.
	Bool bool
	// Members of an Object in source order, duplicates included.
	Members []Member
	// Elems of an Array.
	Elems []*Value
}

// Member is one key and value of an object.
type Member struct {
	Key string
	// KeyStart and KeyEnd are the byte offsets of the key's quoted text.
	KeyStart, KeyEnd int
	Value            *Value
}

// Get returns the value of the last member named key, as encoding/json would keep it.
func (v *Value) Get(key string) (*Value, bool) {
	m, ok := v.Member(key)
	return m.Value, ok
}

// Member returns the last member named key, with its key's place.
func (v *Value) Member(key string) (Member, bool) {
	if v == nil || v.Kind != Object {
		return Member{}, false
	}
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Key == key {
			return v.Members[i], true
		}
	}
	return Member{}, false
}

// Duplicate is a key given twice in one object.
type Duplicate struct {
	// Pointer is the JSON Pointer of the object holding both keys.
	Pointer string
	Key     string
	// First and Second are the byte ranges of the two keys' quoted text.
	FirstStart, FirstEnd   int
	SecondStart, SecondEnd int

	object int // start offset of the object, resolved to Pointer once the tree exists
}

// Escape is a \u escape inside a string, decoded to Rune (a surrogate pair counts as one escape).
type Escape struct {
	Start, End int
	Rune       rune
}

// Document is a parsed source text.
type Document struct {
	Src []byte
	// Root is nil when the text is not valid JSON.
	Root *Value
	// BOM reports a UTF-8 byte-order mark at the start; it is skipped, not parsed.
	BOM bool
	// InvalidUTF8 holds the offset of every byte that is not part of valid UTF-8.
	InvalidUTF8 []int
	// Duplicates lists every key given again in the same object, in source order.
	Duplicates []Duplicate
	// Escapes lists every \u escape, in source order.
	Escapes []Escape

	lines []int // byte offset at which each line starts

	checkpointsOnce sync.Once
	checkpoints     []checkpoint
}

// checkpoint counts the code points before a byte offset that starts one.
type checkpoint struct{ offset, runes int }

// checkpointEvery is the spacing of checkpoints in bytes: a column is found by counting at most
// this many bytes, however long the line (a minified policy is one line).
const checkpointEvery = 4096

// Options bound the reader.
type Options struct {
	// MaxDepth is the deepest nesting of objects and arrays accepted; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxBytes, when positive, rejects a longer input without parsing it.
	MaxBytes int
}

// DefaultMaxDepth is far beyond any IAM policy (whose deepest element, a condition value list,
// is at depth 5) and far below what could exhaust a goroutine stack.
const DefaultMaxDepth = 64

// SyntaxError is why a text is not valid JSON, at the offending token.
type SyntaxError struct {
	Msg        string
	Start, End int
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse reads src. It always returns a Document (with positions usable for raw-text checks);
// the error, a *SyntaxError, is non-nil when src is not one valid JSON value.
func Parse(src []byte, opts Options) (*Document, error) {
	d := &Document{Src: src}
	d.indexLines()
	if opts.MaxBytes > 0 && len(src) > opts.MaxBytes {
		return d, &SyntaxError{Msg: fmt.Sprintf("input is %d bytes; at most %d are read", len(src), opts.MaxBytes), Start: opts.MaxBytes, End: len(src)}
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	p := &parser{src: src, doc: d, maxDepth: opts.MaxDepth}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		d.BOM = true
		p.i = 3
	}
	d.scanUTF8(p.i)
	root, err := p.document()
	if err != nil {
		return d, err
	}
	d.Root = root
	for i := range d.Duplicates {
		d.Duplicates[i].Pointer, _, _ = d.Enclosing(d.Duplicates[i].object)
	}
	return d, nil
}

// Text returns a document of a text that is not read as JSON (a YAML or HCL file that holds
// policies): Root is nil, and only positions and lines are available.
func Text(src []byte) *Document {
	d := &Document{Src: src}
	d.indexLines()
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		d.BOM = true
	}
	return d
}

func (d *Document) scanUTF8(from int) {
	if utf8.Valid(d.Src[from:]) {
		return
	}
	for i := from; i < len(d.Src); {
		if d.Src[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(d.Src[i:])
		if r == utf8.RuneError && n == 1 {
			d.InvalidUTF8 = append(d.InvalidUTF8, i)
		}
		i += n
	}
}

func (d *Document) indexLines() {
	d.lines = append(d.lines, 0)
	src := d.Src
	if bytes.IndexByte(src, '\r') < 0 {
		for i := 0; ; {
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				return
			}
			i += j + 1
			d.lines = append(d.lines, i)
		}
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			d.lines = append(d.lines, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			d.lines = append(d.lines, i+1)
		}
	}
}

// Pos converts a byte offset (clamped to [0, len(Src)]) to a position.
func (d *Document) Pos(offset int) Pos {
	offset = max(0, min(offset, len(d.Src)))
	lo, hi := 0, len(d.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := d.lines[lo]
	if lo == 0 && d.BOM {
		start = min(3, offset)
	}
	var col int
	if offset-start <= checkpointEvery {
		col = utf8.RuneCount(d.Src[start:offset])
	} else {
		col = d.runesBefore(offset) - d.runesBefore(start)
	}
	return Pos{Line: lo + 1, Column: col + 1, Offset: offset}
}

// runesBefore counts the code points before offset, an invalid byte counting as one.
func (d *Document) runesBefore(offset int) int {
	d.checkpointsOnce.Do(func() {
		d.checkpoints = append(d.checkpoints, checkpoint{})
		runes, next := 0, checkpointEvery
		for i := 0; i < len(d.Src); runes++ {
			if i >= next {
				d.checkpoints = append(d.checkpoints, checkpoint{i, runes})
				next = i + checkpointEvery
			}
			_, n := utf8.DecodeRune(d.Src[i:])
			i += n
		}
	})
	i := sort.Search(len(d.checkpoints), func(i int) bool { return d.checkpoints[i].offset > offset }) - 1
	c := d.checkpoints[i]
	return c.runes + utf8.RuneCount(d.Src[c.offset:offset])
}

// Range converts byte offsets to a range.
func (d *Document) Range(start, end int) Range {
	return Range{Start: d.Pos(start), End: d.Pos(end)}
}

// LineStart returns the byte offset at which 1-based line n starts, and false when the document
// has no such line.
func (d *Document) LineStart(n int) (int, bool) {
	if n < 1 || n > len(d.lines) {
		return 0, false
	}
	return d.lines[n-1], true
}

// Lookup resolves a JSON Pointer. The empty pointer is the root; a pointer ending in a key
// resolves to that key's last value.
func (d *Document) Lookup(pointer string) (*Value, bool) {
	v, exact := d.LookupDeepest(pointer)
	if !exact {
		return nil, false
	}
	return v, true
}

// LookupDeepest resolves a JSON Pointer as far as the document has it: the deepest value on its
// path (the root when not even its first token resolves, or when it is not a pointer) and
// whether that is the value the whole pointer names. It is nil only for a document without a
// root.
func (d *Document) LookupDeepest(pointer string) (*Value, bool) {
	v := d.Root
	if v == nil || pointer == "" {
		return v, v != nil
	}
	if pointer[0] != '/' {
		return v, false
	}
	for tok := range strings.SplitSeq(pointer[1:], "/") {
		tok = unescapeToken(tok)
		var next *Value
		switch v.Kind {
		case Object:
			next, _ = v.Get(tok)
		case Array:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(v.Elems) && strconv.Itoa(i) == tok {
				next = v.Elems[i]
			}
		}
		if next == nil {
			return v, false
		}
		v = next
	}
	return v, true
}

// Enclosing returns the pointer of the innermost value whose text contains the byte at offset,
// and that value; the root's pointer is "". It returns false when offset is outside the root.
func (d *Document) Enclosing(offset int) (string, *Value, bool) {
	v := d.Root
	if v == nil || offset < v.Start || offset >= v.End {
		return "", nil, false
	}
	var b strings.Builder
	for {
		switch v.Kind {
		case Object:
			// Members are in source order: find the last one whose key starts at or before offset.
			i := sort.Search(len(v.Members), func(i int) bool { return v.Members[i].KeyStart > offset }) - 1
			if i >= 0 && offset < v.Members[i].Value.End {
				m := v.Members[i]
				b.WriteByte('/')
				b.WriteString(EscapeToken(m.Key))
				v = m.Value
				continue
			}
		case Array:
			i := sort.Search(len(v.Elems), func(i int) bool { return v.Elems[i].Start > offset }) - 1
			if i >= 0 && offset < v.Elems[i].End {
				b.WriteByte('/')
				b.WriteString(strconv.Itoa(i))
				v = v.Elems[i]
				continue
			}
		}
		return b.String(), v, true
	}
}

// EscapeToken escapes a key for use as a JSON Pointer reference token.
func EscapeToken(key string) string {
	if !strings.ContainsAny(key, "~/") {
		return key
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
}

func unescapeToken(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
}

// Walk calls fn for every value in document order with its JSON Pointer; fn returns false to
// skip the value's children.
func (d *Document) Walk(fn func(pointer string, v *Value) bool) {
	if d.Root != nil {
		walk("", d.Root, fn)
	}
}

func walk(ptr string, v *Value, fn func(string, *Value) bool) {
	if !fn(ptr, v) {
		return
	}
	switch v.Kind {
	case Object:
		for _, m := range v.Members {
			walk(ptr+"/"+EscapeToken(m.Key), m.Value, fn)
		}
	case Array:
		for i, e := range v.Elems {
			walk(ptr+"/"+strconv.Itoa(i), e, fn)
		}
	}
}
