// Package yaml reads YAML files with positions: go.yaml.in/yaml/v3 parses them into nodes, and
// this package gives each node its byte range and each scalar its value with a place for every
// byte, after YAML's folding rules (plain and quoted scalars folded across lines, escapes, the
// literal | and folded > block scalars with their chomping). A policy held in a YAML string is
// then checked as its consumer receives it, and its findings land in the scalar.
package yaml

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	goyaml "go.yaml.in/yaml/v3"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/quote"
	"github.com/policylint/policylint/internal/source"
)

// Node is a node of the YAML tree.
type Node = goyaml.Node

// The node kinds and styles, re-exported for readers of this package's trees.
const (
	DocumentNode = goyaml.DocumentNode
	MappingNode  = goyaml.MappingNode
	SequenceNode = goyaml.SequenceNode
	ScalarNode   = goyaml.ScalarNode
	AliasNode    = goyaml.AliasNode
)

// File is a parsed YAML file.
type File struct {
	Src []byte
	// Root is the first document's top node, nil for an empty file.
	Root *Node
	// Documents counts the documents of the stream; only the first is read.
	Documents int

	lines []int // byte offset at which each line starts
	ends  []int // byte offset of each line's break (or of the file's end)
	// runes holds the byte offset of each character of a file that is not all ASCII, and
	// lineRunes the index of each line's first character in it, so that a node's column (in
	// characters) is found in constant time; both are built on first use.
	runes, lineRunes []int32
	ascii            bool
	texts            map[*Node]source.Text
	nodeEnds         map[*Node]int
	budget           int // nodes Value may still render, against alias bombs
}

// SyntaxError is why a text is not YAML, at a line, or (Limit) why it is not parsed.
type SyntaxError struct {
	Line  int // 1-based; 0 when the parser gave none
	Msg   string
	Limit bool
}

func (e *SyntaxError) Error() string { return e.Msg }

// maxNodes bounds the nodes Value renders: aliases can make a small file name a huge tree, and
// no session policy or STS request has more than a few thousand values.
const maxNodes = 1 << 17

// maxDepth bounds how deeply Value nests: as deep as yaml's own limit on a file's nesting,
// which aliases that name aliases could otherwise pass.
const maxDepth = 10_000

// maxMarks bounds the lines and node indicators (flow brackets and commas, "- ", ": ", "? ")
// of a file yaml parses, which bound its nodes: yaml spends about 3 µs and 300 bytes on each,
// and no workflow, policy or request has more than a few thousand.
const maxMarks = 1 << 19

// Parse reads src. A syntax error is a *SyntaxError; so is a file of more than maxMarks lines
// and node indicators, which is not parsed.
func Parse(src []byte) (*File, error) {
	f := &File{Src: src, texts: map[*Node]source.Text{}, nodeEnds: map[*Node]int{}, budget: maxNodes, ascii: true}
	f.lines = append(f.lines, 0)
	marks := 0
	for i := 0; i < len(src); i++ { // LF, CR LF and a lone CR end a line, as in YAML
		switch c := src[i]; c {
		case '\r':
			f.ends = append(f.ends, i)
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			f.lines = append(f.lines, i+1)
		case '\n':
			f.ends = append(f.ends, i)
			f.lines = append(f.lines, i+1)
		case '[', ']', '{', '}', ',':
			marks++
		case '-', ':', '?':
			if i+1 == len(src) || isBlank(src[i+1]) {
				marks++
			}
		default:
			if c >= utf8.RuneSelf {
				f.ascii = false
			}
		}
		if marks+len(f.lines) > maxMarks {
			return f, &SyntaxError{Line: len(f.lines), Limit: true, Msg: fmt.Sprintf("the file has more than %d lines and node indicators, more than any workflow, session policy or STS request; policylint does not parse it", maxMarks)}
		}
	}
	f.ends = append(f.ends, len(src))
	dec := goyaml.NewDecoder(strings.NewReader(string(src)))
	for {
		var doc Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f, syntaxError(err)
		}
		f.Documents++
		if f.Documents == 1 && len(doc.Content) > 0 {
			f.Root = doc.Content[0]
		}
		if f.Documents > 1 {
			break
		}
	}
	return f, nil
}

// syntaxError reads yaml's "yaml: line N: msg".
func syntaxError(err error) *SyntaxError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var te *goyaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = strings.TrimPrefix(te.Errors[0], "yaml: ")
	}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return &SyntaxError{Line: n, Msg: strings.TrimSpace(rest[i+1:])}
			}
		}
	}
	return &SyntaxError{Msg: msg}
}

// LineStart returns the byte offset of a 1-based line, clamped to the file.
func (f *File) LineStart(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Src)
	}
	return f.lines[line-1]
}

// offset converts a node's 1-based line and column (in characters) to a byte offset, clamped
// to the line, in constant time: a file of one long line has as many nodes as characters.
func (f *File) offset(line, column int) int {
	if line < 1 || line > len(f.lines) {
		return f.LineStart(line)
	}
	start, end := f.lines[line-1], f.ends[line-1]
	if column <= 1 {
		return start
	}
	if f.ascii {
		return min(start+column-1, end)
	}
	if f.runes == nil {
		f.indexRunes()
	}
	i := int(f.lineRunes[line-1]) + column - 1
	if i >= len(f.runes) {
		return end
	}
	return min(int(f.runes[i]), end)
}

// indexRunes records where each character of the file starts, and each line's first character.
func (f *File) indexRunes() {
	f.runes = make([]int32, 0, len(f.Src))
	f.lineRunes = make([]int32, len(f.lines))
	line := 0
	for off := 0; off < len(f.Src); {
		for line < len(f.lines) && f.lines[line] <= off {
			f.lineRunes[line] = int32(len(f.runes))
			line++
		}
		f.runes = append(f.runes, int32(off))
		_, n := utf8.DecodeRune(f.Src[off:])
		off += n
	}
	for ; line < len(f.lines); line++ {
		f.lineRunes[line] = int32(len(f.runes))
	}
}

// Start returns the byte offset at which n is written (for a block scalar, its indicator).
func (f *File) Start(n *Node) int {
	if n.Kind == ScalarNode {
		return f.Text(n).Start
	}
	return f.offset(n.Line, n.Column)
}

// End returns the byte offset just past n as written.
func (f *File) End(n *Node) int {
	if end, ok := f.nodeEnds[n]; ok {
		return end
	}
	end := f.end(n)
	f.nodeEnds[n] = end
	return end
}

// end is End, found from the end of n's last child: remembered, so that every node of a deep
// tree is not walked down again.
func (f *File) end(n *Node) int {
	switch n.Kind {
	case ScalarNode:
		return f.Text(n).End
	case MappingNode, SequenceNode:
		end := f.offset(n.Line, n.Column) + 1
		if len(n.Content) > 0 {
			end = max(end, f.End(n.Content[len(n.Content)-1]))
		}
		if n.Style&goyaml.FlowStyle != 0 {
			closer := byte('}')
			if n.Kind == SequenceNode {
				closer = ']'
			}
			for j := end; j < len(f.Src); j++ {
				if f.Src[j] == closer {
					return j + 1
				}
				if !strings.ContainsRune(" \t\r\n,", rune(f.Src[j])) {
					break
				}
			}
		}
		return end
	case AliasNode:
		return f.offset(n.Line, n.Column) + 1 + len(n.Value)
	}
	return f.offset(n.Line, n.Column)
}

// Text returns a scalar's value with the place of each byte. The scalar is read as written, by
// its style, in step with the value yaml decoded; where they part (a form the reader does not
// know), the whole value is placed at the scalar's start, so a place may be coarse but the value
// is always yaml's.
func (f *File) Text(n *Node) source.Text {
	if t, ok := f.texts[n]; ok {
		return t
	}
	start := f.offset(n.Line, n.Column)
	start = skipProperties(f.Src, start)
	t, ok := align(f.Src, start, n.Value, n.Style)
	if !ok {
		t = source.At(n.Value, start, min(len(f.Src), start+max(1, len(n.Value))))
	}
	f.texts[n] = t
	return t
}

// skipProperties steps over a node's tag (!foo) and anchor (&a) to its content.
func skipProperties(src []byte, j int) int {
	for j < len(src) && (src[j] == '!' || src[j] == '&') {
		for j < len(src) && !isBlank(src[j]) {
			j++
		}
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
	}
	return j
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// align reads the scalar written at src[j:] in step with its decoded value v.
func align(src []byte, j int, v string, style goyaml.Style) (source.Text, bool) {
	start := j
	m := jsonpos.NewStringMap(0)
	block := style&(goyaml.LiteralStyle|goyaml.FoldedStyle) != 0
	var quote byte
	switch {
	case style&goyaml.DoubleQuotedStyle != 0:
		quote = '"'
	case style&goyaml.SingleQuotedStyle != 0:
		quote = '\''
	}
	if quote != 0 {
		if j >= len(src) || src[j] != quote {
			return source.Text{}, false
		}
		j++
	}
	indent := 0
	lineStart := false
	if block {
		if j >= len(src) || src[j] != '|' && src[j] != '>' {
			return source.Text{}, false
		}
		explicit := 0
		for j++; j < len(src) && src[j] != '\n' && src[j] != '\r'; j++ {
			if c := src[j]; c >= '1' && c <= '9' && explicit == 0 {
				explicit = int(c - '0')
			}
		}
		j = skipBreak(src, j)
		if explicit > 0 {
			indent = leadingSpaces(src, lineStartOf(src, start)) + explicit
		} else {
			indent = contentIndent(src, j)
		}
		lineStart = true
	}
	i := 0
	litDec, litSrc := -1, -1 // where a literal run would continue
	for i < len(v) {
		if j >= len(src) {
			return source.Text{}, false
		}
		c := src[j]
		if lineStart {
			lineStart = false
			if block {
				k := 0
				for k < indent && j < len(src) && src[j] == ' ' {
					j++
					k++
				}
			} else {
				for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
					j++
				}
			}
			continue
		}
		if c == '\n' || c == '\r' {
			if v[i] == '\n' || v[i] == ' ' && style&goyaml.LiteralStyle == 0 {
				m.Atom(i, j)
				i++
			}
			j = skipBreak(src, j)
			lineStart = true
			continue
		}
		if quote == '"' && c == '\\' {
			r, n, brk := unescape(src, j)
			switch {
			case n == 0:
				return source.Text{}, false
			case brk:
				j = skipBreak(src, j+1)
				lineStart = true
				continue
			}
			var buf [utf8.UTFMax]byte
			w := utf8.EncodeRune(buf[:], r)
			if !strings.HasPrefix(v[i:], string(buf[:w])) {
				return source.Text{}, false
			}
			m.Atom(i, j)
			i += w
			j += n
			continue
		}
		if quote == '\'' && c == '\'' && j+1 < len(src) && src[j+1] == '\'' && v[i] == '\'' {
			m.Atom(i, j)
			i++
			j += 2
			continue
		}
		_, n := utf8.DecodeRune(src[j:])
		if quote != 0 && c == quote {
			return source.Text{}, false // the closing quote before the value's end
		}
		if strings.HasPrefix(v[i:], string(src[j:j+n])) {
			if i != litDec || j != litSrc {
				m.Literal(i, j)
			}
			i += n
			j += n
			litDec, litSrc = i, j
			continue
		}
		if c == ' ' || c == '\t' {
			j++ // white space folded away before a line break
			continue
		}
		return source.Text{}, false
	}
	contentEnd := j
	m.Atom(len(v), contentEnd)
	end := j
	if quote != 0 {
		for end < len(src) && isBlank(src[end]) {
			end++
		}
		if end >= len(src) || src[end] != quote {
			return source.Text{}, false
		}
		end++
	}
	if end == start {
		end = start + 1 // an empty plain scalar still has a place
	}
	return source.Text{S: v, Map: m, Start: start, End: min(end, len(src))}, true
}

func skipBreak(src []byte, j int) int {
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j < len(src) && src[j] == '\n' {
		j++
	}
	return j
}

func lineStartOf(src []byte, j int) int {
	for j > 0 && src[j-1] != '\n' {
		j--
	}
	return j
}

func leadingSpaces(src []byte, j int) int {
	n := 0
	for j+n < len(src) && src[j+n] == ' ' {
		n++
	}
	return n
}

// contentIndent is the indentation of a block scalar's first non-empty line at or after j.
func contentIndent(src []byte, j int) int {
	for j < len(src) {
		n := leadingSpaces(src, j)
		k := j + n
		if k < len(src) && src[k] != '\n' && src[k] != '\r' {
			return n
		}
		j = skipBreak(src, k)
		if j == k {
			break
		}
	}
	return 0
}

// unescape decodes the double-quoted escape at src[j] ('\\'): the rune and the escape's length,
// or brk for an escaped line break; n is 0 for an escape YAML does not define.
func unescape(src []byte, j int) (r rune, n int, brk bool) {
	if j+1 >= len(src) {
		return 0, 0, false
	}
	simple := map[byte]rune{'0': 0, 'a': 7, 'b': 8, 't': 9, '\t': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13, 'e': 0x1b,
		' ': ' ', '"': '"', '/': '/', '\\': '\\', 'N': 0x85, '_': 0xa0, 'L': 0x2028, 'P': 0x2029}
	c := src[j+1]
	if c == '\n' || c == '\r' {
		return 0, 1, true
	}
	if r, ok := simple[c]; ok {
		return r, 2, false
	}
	width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
	if width == 0 || j+2+width > len(src) {
		return 0, 0, false
	}
	x, err := strconv.ParseUint(string(src[j+2:j+2+width]), 16, 32)
	if err != nil {
		return 0, 0, false
	}
	return rune(x), 2 + width, false
}

// Value converts n to a JSON value with places, as a YAML-reading consumer (the AWS CLI's
// --cli-input-yaml) decodes it: integers and floats to numbers, true and false to booleans, null
// and ~ to null, anything else to a string; aliases and << merge keys expanded.
func (f *File) Value(n *Node) (source.Value, error) {
	return f.value(n, 0)
}

func (f *File) value(n *Node, depth int) (source.Value, error) {
	f.budget--
	switch {
	case f.budget < 0:
		return source.Value{}, fmt.Errorf("it holds more than %d values once its aliases are expanded; no session policy or STS request has so many", maxNodes)
	case depth > maxDepth:
		return source.Value{}, fmt.Errorf("its aliases nest values more than %d levels deep", maxDepth)
	}
	start, end := f.Start(n), f.End(n)
	switch n.Kind {
	case AliasNode:
		if n.Alias == nil {
			return source.Value{}, fmt.Errorf("alias *%s names no anchor", quote.Cut(n.Value))
		}
		return f.value(n.Alias, depth+1)
	case MappingNode:
		v := source.Value{Kind: jsonpos.Object, Start: start, End: end}
		var merges []*Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == ScalarNode && k.ShortTag() == "!!merge" {
				merges = append(merges, val)
				continue
			}
			mv, err := f.value(val, depth+1)
			if err != nil {
				return v, err
			}
			v.Members = append(v.Members, source.Member{Key: f.keyText(k), Value: mv})
		}
		if len(merges) > 0 {
			keys := map[string]bool{}
			for _, m := range v.Members {
				keys[m.Key.S] = true
			}
			for _, m := range merges {
				if err := f.merge(&v, keys, m, depth+1); err != nil {
					return v, err
				}
			}
		}
		return v, nil
	case SequenceNode:
		v := source.Value{Kind: jsonpos.Array, Start: start, End: end}
		for _, e := range n.Content {
			ev, err := f.value(e, depth+1)
			if err != nil {
				return v, err
			}
			v.Elems = append(v.Elems, ev)
		}
		return v, nil
	}
	t := f.Text(n)
	switch n.ShortTag() {
	case "!!null":
		return source.Literal(jsonpos.Null, "null", t.Start, t.End), nil
	case "!!bool":
		return source.Literal(jsonpos.Bool, strconv.FormatBool(strings.EqualFold(n.Value, "true")), t.Start, t.End), nil
	case "!!int":
		if s, ok := jsonInt(n.Value); ok {
			return source.Literal(jsonpos.Number, s, t.Start, t.End), nil
		}
	case "!!float":
		if s, ok := jsonFloat(n.Value); ok {
			return source.Literal(jsonpos.Number, s, t.Start, t.End), nil
		}
	}
	return source.String(t), nil
}

// keyText is a mapping key's text; a key that is not a scalar is written as yaml decodes it.
func (f *File) keyText(k *Node) source.Text {
	if k.Kind == ScalarNode {
		return f.Text(k)
	}
	return source.At(k.Value, f.Start(k), f.End(k))
}

// merge adds the members of the mapping (or mappings) m names that v does not have; keys holds
// v's keys.
func (f *File) merge(v *source.Value, keys map[string]bool, m *Node, depth int) error {
	if m.Kind == SequenceNode {
		for _, e := range m.Content {
			if e.Kind == SequenceNode {
				continue // YAML merges mappings, or a list of mappings
			}
			if err := f.merge(v, keys, e, depth); err != nil {
				return err
			}
		}
		return nil
	}
	mv, err := f.value(m, depth)
	if err != nil {
		return err
	}
	if mv.Kind != jsonpos.Object {
		return nil
	}
	for _, mm := range mv.Members {
		if !keys[mm.Key.S] {
			keys[mm.Key.S] = true
			v.Members = append(v.Members, mm)
		}
	}
	return nil
}

// jsonInt writes a YAML integer (decimal, 0x, 0o, with an optional sign) in JSON.
func jsonInt(s string) (string, bool) {
	t := strings.ReplaceAll(s, "_", "")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimLeft(t, "+-")
	base := 10
	switch {
	case strings.HasPrefix(t, "0x"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "0o"):
		base, t = 8, t[2:]
	case strings.HasPrefix(t, "0b"):
		base, t = 2, t[2:]
	}
	n, ok := new(big.Int).SetString(t, base)
	if !ok {
		return "", false
	}
	if neg {
		n.Neg(n)
	}
	return n.String(), true
}

// jsonFloat writes a YAML float in JSON; .inf and .nan have no JSON form.
func jsonFloat(s string) (string, bool) {
	x, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return "", false
	}
	return strconv.FormatFloat(x, 'g', -1, 64), true
}

// Get returns the value of key in a mapping node, or nil.
func Get(n *Node, key string) *Node {
	if n == nil {
		return nil
	}
	if n.Kind == AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != MappingNode {
		return nil
	}
	for i := len(n.Content) - 2; i >= 0; i -= 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			if v.Kind == AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// Key returns the key node of key in a mapping node, or nil.
func Key(n *Node, key string) *Node {
	if n == nil || n.Kind != MappingNode {
		return nil
	}
	for i := len(n.Content) - 2; i >= 0; i -= 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}
