package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPos_LinesAndColumns(t *testing.T) {
	src := []byte("{\n  \"é\": \"x\",\r\n\t\"k\": 1\r}")
	d, err := Parse(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		offset       int
		line, column int
	}{
		{0, 1, 1},
		{1, 1, 2},   // the LF itself ends line 1
		{2, 2, 1},   // first space of line 2
		{4, 2, 3},   // the quote before é
		{7, 2, 5},   // the quote after é: é is two bytes, one column
		{14, 2, 12}, // the CR of CR LF
		{16, 3, 1},  // tab
		{17, 3, 2},
		{24, 4, 1}, // after a lone CR
	}
	for _, tt := range tests {
		got := d.Pos(tt.offset)
		if got.Line != tt.line || got.Column != tt.column || got.Offset != tt.offset {
			t.Errorf("Pos(%d) = %+v, want line %d column %d", tt.offset, got, tt.line, tt.column)
		}
	}
}

func TestPos_BOMIsNotAColumn(t *testing.T) {
	d, err := Parse([]byte("\xEF\xBB\xBF{}"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.BOM {
		t.Fatal("BOM not detected")
	}
	if got := d.Pos(3); got.Column != 1 {
		t.Errorf("column after BOM = %d, want 1", got.Column)
	}
	if d.Root.Start != 3 {
		t.Errorf("root starts at %d, want 3", d.Root.Start)
	}
}

func TestLookup(t *testing.T) {
	src := `{"Statement":[{"Effect":"Allow"},{"a/b":{"c~d":true}}],"k":1,"k":2}`
	d, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ptr  string
		want string // source text of the value
		ok   bool
	}{
		{"", src, true},
		{"/Statement/0/Effect", `"Allow"`, true},
		{"/Statement/1/a~1b/c~0d", "true", true},
		{"/k", "2", true}, // the last of duplicates, as encoding/json keeps
		{"/Statement/2", "", false},
		{"/Statement/01", "", false},
		{"/Statement/-1", "", false},
		{"/nope", "", false},
		{"Statement", "", false},
	}
	for _, tt := range tests {
		v, ok := d.Lookup(tt.ptr)
		if ok != tt.ok {
			t.Errorf("Lookup(%q) ok = %v, want %v", tt.ptr, ok, tt.ok)
			continue
		}
		if ok && string(d.Src[v.Start:v.End]) != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.ptr, d.Src[v.Start:v.End], tt.want)
		}
	}
}

func TestDuplicates(t *testing.T) {
	src := `{"a":1,"b":{"x":1,"x":2,"x":3},"a":2}`
	d, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	type dup struct{ ptr, key, first, second string }
	var got []dup
	for _, x := range d.Duplicates {
		got = append(got, dup{x.Pointer, x.Key, src[x.FirstStart:x.FirstEnd], strconv.Itoa(x.SecondStart)})
	}
	want := []dup{
		{"/b", "x", `"x"`, strconv.Itoa(strings.Index(src, `"x":2`))},
		{"/b", "x", `"x"`, strconv.Itoa(strings.Index(src, `"x":3`))},
		{"", "a", `"a"`, strconv.Itoa(strings.LastIndex(src, `"a"`))},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("duplicates = %v, want %v", got, want)
	}
}

// TestDuplicates_LargeObject checks duplicates past smallObject members, where they are found
// through a map rather than by comparing keys: each names the first member, before and after.
func TestDuplicates_LargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 2 * smallObject {
		fmt.Fprintf(&b, `"k%d":%d,`, i, i)
		if i == smallObject/2 || i == smallObject+3 {
			fmt.Fprintf(&b, `"k1":"again%d",`, i)
		}
	}
	b.WriteString(`"k30":true}`)
	src := b.String()
	d, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range d.Duplicates {
		got = append(got, fmt.Sprintf("%s@%d first@%d", x.Key, x.SecondStart, x.FirstStart))
	}
	first := strings.Index(src, `"k1"`)
	want := []string{
		fmt.Sprintf("k1@%d first@%d", strings.Index(src, `"k1":"again8"`), first),
		fmt.Sprintf("k1@%d first@%d", strings.Index(src, `"k1":"again19"`), first),
		fmt.Sprintf("k30@%d first@%d", strings.LastIndex(src, `"k30"`), strings.Index(src, `"k30"`)),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("duplicates = %v, want %v", got, want)
	}
	if v, _ := d.Root.Get("k1"); v.Str != "again19" {
		t.Errorf("Get(k1) = %+v, want the last member", v)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		src     string
		msg     string
		at      string // the source text the error's range covers
		atStart int    // -1: compute from at
	}{
		{"", "empty document", "", 0},
		{"  \n ", "empty document", "", 4},
		{`{"a":1,}`, "trailing comma before '}'", "}", -1},
		{`["a",]`, "trailing comma before ']'", "]", -1},
		{"{\"a\": // c\n 1}", "comments are not allowed", "// c", -1},
		{`{"a":1} x`, "unexpected data after the end", "x", -1},
		{`{"a" 1}`, `after object key "a": expected ':'`, "1", -1},
		{`{a:1}`, `object key "a" must be a quoted string`, "a", -1},
		{`{"a":tru}`, `invalid literal "tru"`, "tru", -1},
		{`{"a":01}`, `invalid number "01"`, "01", -1},
		{`{"a":"x`, "unterminated string", `"x`, -1},
		{"{\"a\":\"x\ny\"}", "unterminated string", "\"x", -1},
		{"{\"a\":\"\x01\"}", "control character U+0001", "\x01", -1},
		{`{"a":"\x"}`, `invalid escape "\\x"`, `\x`, -1},
		{`{"a":"\u12"}`, `invalid \u escape`, `\u12"}`, -1},
		{`{'a':1}`, "single quotes", "'", 1},
		{`{"a":1 "b":2}`, "missing ','", `"`, 7},
		{`[1 2]`, "expected ',' or ']'", "2", -1},
		{`{"a":1`, "unexpected end of input", "", 6},
		{strings.Repeat("[", 65) + strings.Repeat("]", 65), "deeper than 64", "[", 64},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src), Options{})
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q) = %q, want it to contain %q", tt.src, se.Msg, tt.msg)
		}
		start := tt.atStart
		if start < 0 {
			start = strings.LastIndex(tt.src, tt.at)
		}
		if se.Start != start || tt.src[se.Start:se.End] != tt.at {
			t.Errorf("Parse(%q) error at [%d,%d) %q, want [%d,...) %q", tt.src, se.Start, se.End, tt.src[se.Start:se.End], start, tt.at)
		}
	}
}

func TestEscapesAndInvalidUTF8(t *testing.T) {
	src := []byte("{\"a\":\"\\u0100\\ud83d\\ude00\\ud800x\xff\"}")
	d, err := Parse(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var runes []rune
	for _, e := range d.Escapes {
		runes = append(runes, e.Rune)
	}
	if want := []rune{0x100, 0x1F600, utf8.RuneError}; !reflect.DeepEqual(runes, want) {
		t.Errorf("escapes = %U, want %U", runes, want)
	}
	if want := []int{len(src) - 3}; !reflect.DeepEqual(d.InvalidUTF8, want) {
		t.Errorf("InvalidUTF8 = %v, want %v", d.InvalidUTF8, want)
	}
	var std map[string]string
	if err := json.Unmarshal(src, &std); err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Lookup("/a"); v.Str != std["a"] {
		t.Errorf("decoded %q, encoding/json %q", v.Str, std["a"])
	}
}

func TestEnclosing(t *testing.T) {
	src := `{"Statement":[{"Action":["s3:Get","ec2:*"]}]}`
	d, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ptr, _, ok := d.Enclosing(strings.Index(src, "ec2"))
	if !ok || ptr != "/Statement/0/Action/1" {
		t.Errorf("Enclosing = %q, %v", ptr, ok)
	}
	ptr, _, _ = d.Enclosing(strings.Index(src, `"Action"`))
	if ptr != "/Statement/0/Action" {
		t.Errorf("Enclosing(key) = %q, want the member's pointer", ptr)
	}
}

// FuzzParse checks the reader's invariants on any input: no panic, ranges inside the input,
// every pointer resolves to its value, and values equal encoding/json's when there are no
// duplicate keys.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `{"a":1,"a":2}`, "\xEF\xBB\xBF{\"x\":\"\\u00e9\"}", `[1e5,-0.5,"\ud83d\ude00"]`, `{"a":"\xff"}`} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../../testdata/rules/*/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		src = src[:len(src):len(src)] // no spare capacity: a slice past the end panics, not reads on
		d, err := Parse(src, Options{})
		if d == nil {
			t.Fatal("nil document")
		}
		if err != nil {
			se := err.(*SyntaxError)
			if se.Start < 0 || se.End < se.Start || se.End > len(src) {
				t.Fatalf("error range [%d,%d) outside input of %d bytes", se.Start, se.End, len(src))
			}
			d.Pos(se.Start)
			if json.Valid(bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))) && !strings.Contains(se.Msg, "deeper than") {
				t.Fatalf("jsonpos rejects what encoding/json accepts: %v", se)
			}
			return
		}
		d.Walk(func(ptr string, v *Value) bool {
			if v.Start < 0 || v.End > len(src) || v.Start >= v.End {
				t.Fatalf("%q: range [%d,%d) outside input", ptr, v.Start, v.End)
			}
			got, ok := d.Lookup(ptr)
			switch {
			case hasDuplicateAlong(d, ptr):
				// Lookup follows the last of duplicate keys, as encoding/json keeps it, so a
				// shadowed value has no pointer of its own.
			case !ok:
				t.Fatalf("pointer %q does not resolve", ptr)
			case got != v:
				t.Fatalf("pointer %q resolves to another value", ptr)
			}
			if p := d.Pos(v.End); p.Line < 1 || p.Column < 1 {
				t.Fatalf("bad position %+v", p)
			}
			if text, m, ok := d.Unquote(v); ok {
				if text != v.Str {
					t.Fatalf("%q: Unquote = %q, parser decoded %q", ptr, text, v.Str)
				}
				for off, last := 0, v.Start; off <= len(text); off++ {
					at := m.Source(off)
					if at < last || at > v.End-1 {
						t.Fatalf("%q: decoded offset %d maps to %d, outside (%d, %d] or backwards", ptr, off, at, last, v.End-1)
					}
					last = at
				}
			}
			return true
		})
		body := bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
		if !json.Valid(body) {
			t.Fatal("jsonpos accepts what encoding/json rejects")
		}
		var std any
		if err := json.Unmarshal(body, &std); err != nil {
			return // valid JSON that does not fit Go's types, such as 1E1000
		}
		if len(d.Duplicates) == 0 && !reflect.DeepEqual(toAny(d.Root), std) {
			t.Fatalf("decoded %#v, encoding/json %#v", toAny(d.Root), std)
		}
	})
}

func hasDuplicateAlong(d *Document, ptr string) bool {
	for _, x := range d.Duplicates {
		if strings.HasPrefix(ptr, x.Pointer+"/"+EscapeToken(x.Key)) {
			return true
		}
	}
	return false
}

// toAny converts a tree to what encoding/json decodes into an interface.
func toAny(v *Value) any {
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		f, _ := strconv.ParseFloat(v.Str, 64)
		return f
	case String:
		return v.Str
	case Array:
		a := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			a[i] = toAny(e)
		}
		return a
	case Object:
		m := make(map[string]any, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = toAny(mem.Value)
		}
		return m
	}
	return nil
}

// TestPos_LongLines compares checkpointed columns with a plain count on long lines mixing
// ASCII, two-, three- and four-byte characters and invalid bytes.
func TestPos_LongLines(t *testing.T) {
	var b bytes.Buffer
	for i := range 5000 {
		b.WriteString([]string{"a", "é", "–", "😀", "\xff"}[i*7%5])
		b.WriteString(strings.Repeat("x", i%13))
		if i%1500 == 1499 {
			b.WriteByte('\n') // lines of about 12 KB
		}
	}
	src := b.Bytes()
	d, _ := Parse(src, Options{})
	for off := 0; off <= len(src); off += 97 {
		lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
		want := utf8.RuneCount(src[lineStart:off]) + 1
		if got := d.Pos(off); got.Column != want || got.Line != bytes.Count(src[:off], []byte("\n"))+1 {
			t.Fatalf("Pos(%d) = %+v, want column %d", off, got, want)
		}
	}
}

// TestLookupDeepest: a pointer resolves as far as the document has it, and what is not a
// pointer resolves to the root, never past it.
func TestLookupDeepest(t *testing.T) {
	src := `{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"]}]}`
	d, err := Parse([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for ptr, want := range map[string]struct {
		text  string
		exact bool
	}{
		"":                         {src, true},
		"/Statement/0/Action/0":    {`"s3:GetObject"`, true},
		"/Statement/0/Resource":    {`{"Effect":"Allow","Action":["s3:GetObject"]}`, false},
		"/Statement/7/Effect":      {`[{"Effect":"Allow","Action":["s3:GetObject"]}]`, false},
		"/Statement/0/Effect/x":    {`"Allow"`, false},
		"Statement":                {src, false},
		"/Version":                 {src, false},
		"/Statement/00":            {`[{"Effect":"Allow","Action":["s3:GetObject"]}]`, false},
		"/Statement/0/Action/0/~1": {`"s3:GetObject"`, false},
	} {
		v, exact := d.LookupDeepest(ptr)
		if v == nil || src[v.Start:v.End] != want.text || exact != want.exact {
			t.Errorf("LookupDeepest(%q) = %v, %v; want %s, %v", ptr, v, exact, want.text, want.exact)
		}
		if lv, ok := d.Lookup(ptr); ok != want.exact || ok && lv != v {
			t.Errorf("Lookup(%q) = %v, %v; want the exact value only", ptr, lv, ok)
		}
	}
}

// TestParse_ErrorsStayInTheInput: an error at the end of the input ("1000000.", "-", "1e+")
// quotes and places only the input's bytes; the input is given with no spare capacity, so that
// a slice past its end panics instead of reading what lies beyond (a fuzzed plan found it: the
// CLI quoted a byte past the file).
func TestParse_ErrorsStayInTheInput(t *testing.T) {
	for _, s := range []string{"1000000.", "-", "1e", "1e+", "-0.", "[1.", `{"a":1.`, "0.e1", `"\`, `"\u12`, "tru", "[", `{"a"`} {
		src := []byte(s)[:len(s):len(s)]
		_, err := Parse(src, Options{})
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: %v, want a syntax error", s, err)
			continue
		}
		if se.Start < 0 || se.End > len(s) || se.Start > se.End {
			t.Errorf("%q: error at [%d, %d), outside the input of %d bytes: %v", s, se.Start, se.End, len(s), se)
		}
		if strings.ContainsRune(se.Msg, 0) || strings.Contains(se.Msg, `\x00`) {
			t.Errorf("%q: %q quotes a byte past the input", s, se.Msg)
		}
	}
}
