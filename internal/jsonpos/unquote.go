package jsonpos

import (
	"sort"
	"unicode/utf8"
)

// StringMap maps byte offsets of a derived text back to the text it came from, so that a
// document held in another reports its findings at the right place of the file that holds it.
// Unquote derives the decoded text of a JSON string (the Policy parameter of a request file);
// the source readers derive YAML scalars after folding, HCL templates, and whole documents
// rendered as JSON from YAML or HCL, with NewStringMap, Literal and Atom.
type StringMap struct {
	segs []segment
	end  int // source offset of the closing quote
}

// segment is a run of decoded text that starts at dec and comes from source offset src. A literal
// run maps byte for byte; an escape or an invalid byte maps every decoded byte to its start.
type segment struct {
	dec, src int
	literal  bool
}

// NewStringMap returns a map with no runs yet whose end (the offset one past the derived text)
// maps to the source offset end.
func NewStringMap(end int) *StringMap { return &StringMap{end: end} }

// Literal records that the derived text from offset dec on is the source text from offset src on,
// byte for byte, up to the next run. Runs are recorded in increasing dec; their sources may be in
// any order (a rendered document need not follow the file it was rendered from).
func (m *StringMap) Literal(dec, src int) { m.mark(segment{dec: dec, src: src, literal: true}) }

// Atom records that the derived text from offset dec on, up to the next run, stands for the
// source text from src to the next run's source, as a whole: an escape, a folded line break, a
// substituted placeholder. Its first byte maps to src and the others to the next run's source.
func (m *StringMap) Atom(dec, src int) { m.mark(segment{dec: dec, src: src}) }

func (m *StringMap) mark(s segment) {
	if n := len(m.segs); n > 0 && m.segs[n-1].dec >= s.dec {
		m.segs[n-1] = s // an empty run: the later mark wins
		return
	}
	m.segs = append(m.segs, s)
}

// Unquote decodes a String value and maps its decoded offsets to the source. It returns false for
// a value that is not a string.
func (d *Document) Unquote(v *Value) (string, *StringMap, bool) {
	if v == nil || v.Kind != String {
		return "", nil, false
	}
	m := &StringMap{end: v.End - 1}
	out := make([]byte, 0, v.End-v.Start)
	src := d.Src
	literal := false
	for i := v.Start + 1; i < v.End-1; {
		c := src[i]
		if c == '\\' {
			r, n, ok := decodeEscape(src, i)
			if !ok { // cannot happen in a parsed string; stop rather than loop
				break
			}
			m.segs = append(m.segs, segment{dec: len(out), src: i})
			out = utf8.AppendRune(out, r)
			i += n
			literal = false
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			m.segs = append(m.segs, segment{dec: len(out), src: i})
			out = utf8.AppendRune(out, r)
			i++
			literal = false
			continue
		}
		if !literal {
			m.segs = append(m.segs, segment{dec: len(out), src: i, literal: true})
			literal = true
		}
		out = append(out, src[i:i+n]...)
		i += n
	}
	return string(out), m, true
}

// Source returns the source offset of the decoded byte offset off; the end of the decoded text
// maps to the closing quote.
func (m *StringMap) Source(off int) int {
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].dec > off }) - 1
	if i < 0 {
		return m.end
	}
	s := m.segs[i]
	if !s.literal {
		if off == s.dec {
			return s.src
		}
		// Inside an escape's decoded bytes: the escape's end is the next segment's start.
		if i+1 < len(m.segs) {
			return m.segs[i+1].src
		}
		return m.end
	}
	src := s.src + off - s.dec
	if i+1 < len(m.segs) || s.src > m.end {
		return src // off is inside the run: before the next run's dec
	}
	return min(src, m.end)
}
