package yaml

import (
	"fmt"
	"strings"
	"testing"
)

// TestText_PlacesEveryByte reads scalars of every style and checks that each byte of the value
// maps to a place in the file holding the same character (or, for an escape or a folded line
// break, the text that stands for it).
func TestText_PlacesEveryByte(t *testing.T) {
	cases := []struct {
		name, src, key, want string
		// at lists decoded characters with the text the file has at their place.
		at [][2]string
	}{
		{"plain", "p: arn:aws:s3:::b/*\n", "p", "arn:aws:s3:::b/*", [][2]string{{"b", "b/*"}}},
		{"plain folded", "p: a b\n  c\n", "p", "a b c", [][2]string{{"c", "c\n"}}},
		{"single", "p: 'it''s {\"A\": 1}'\n", "p", `it's {"A": 1}`, [][2]string{{"'", "''"}, {"A", `A"`}}},
		{"double", "p: \"{\\\"Action\\\": \\\"s3:*\\\"}\"\n", "p", `{"Action": "s3:*"}`, [][2]string{{`"`, `\"Action`}, {"A", `Action\"`}, {"s", `s3:*`}}},
		{"double folded", "p: \"a\n  b\\\n  c\"\n", "p", "a bc", [][2]string{{"b", "b\\"}, {"c", "c\""}}},
		{"literal", "p: |\n  {\n    \"Version\": \"2012-10-17\"\n  }\n", "p", "{\n  \"Version\": \"2012-10-17\"\n}\n", [][2]string{{"V", "Version"}, {"2", "2012"}, {"}", "}\n"}}},
		{"literal strip", "k:\n  p: |-\n    {\"A\":\n     \"B\"}\n  q: 1\n", "p", "{\"A\":\n \"B\"}", [][2]string{{"B", `B"}`}}},
		{"folded", "p: >-\n  {\"Version\":\n  \"2012-10-17\"}\n", "p", `{"Version": "2012-10-17"}`, [][2]string{{"2", "2012"}, {" ", "\n"}}},
		{"unicode", "p: \"é\\u2013x\"\n", "p", "é–x", [][2]string{{"–", `\u2013`}, {"x", `x"`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse([]byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			n := findKey(f.Root, c.key)
			if n == nil {
				t.Fatalf("no key %q", c.key)
			}
			txt := f.Text(n)
			if txt.S != c.want {
				t.Fatalf("value %q, want %q", txt.S, c.want)
			}
			if _, coarse := txt.Map.(interface{ Source(int) int }); !coarse {
				t.Fatal("no map")
			}
			for _, a := range c.at {
				i := strings.Index(txt.S, a[0])
				got := c.src[txt.Source(i):]
				if !strings.HasPrefix(got, a[1]) {
					t.Errorf("%q maps to %q, want %q", a[0], got, a[1])
				}
			}
		})
	}
}

func findKey(n *Node, key string) *Node {
	if n == nil {
		return nil
	}
	if v := Get(n, key); v != nil {
		return v
	}
	for _, c := range n.Content {
		if v := findKey(c, key); v != nil {
			return v
		}
	}
	return nil
}

// FuzzText reads any YAML: no panic, every scalar's value is yaml's, every byte's place and
// every node's range inside the file, and Value terminates within its node budget.
func FuzzText(f *testing.F) {
	for _, s := range []string{"p: |\n  {\"a\": 1}\n", "p: >-\n  a\n\n  b\n", "p: \"a\\u2013\\\n  b\"\n", "p: 'it''s'\n", "a: &x [1, 2]\nb: *x\nc: {<<: {d: 1}}\n", "- !!str 0x10\n- ~\n- .inf\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse([]byte(src))
		if err != nil || file.Root == nil {
			return
		}
		var walk func(n *Node, depth int)
		walk = func(n *Node, depth int) {
			if depth > 64 {
				return
			}
			if n.Kind == ScalarNode {
				txt := file.Text(n)
				if txt.S != n.Value {
					t.Fatalf("value %q, want %q", txt.S, n.Value)
				}
				for i := 0; i <= len(txt.S); i++ {
					if off := txt.Source(i); off < 0 || off > len(src) {
						t.Fatalf("byte %d of %q placed at %d, outside the file", i, txt.S, off)
					}
				}
			}
			if s, e := file.Start(n), file.End(n); s < 0 || e > len(src)+1 || s > e {
				t.Fatalf("node range [%d, %d) outside the file of %d bytes", s, e, len(src))
			}
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		walk(file.Root, 0)
		_, _ = file.Value(file.Root)
	})
}

// TestStart_Columns: a node's column counts characters; on a long line of multi-byte
// characters each node still starts at its own bytes (found in constant time, from an index).
func TestStart_Columns(t *testing.T) {
	var b strings.Builder
	b.WriteString("k: [")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("é–x")
	}
	b.WriteString("]\nnext: \"ü\"\n")
	src := b.String()
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	seq := Get(f.Root, "k")
	if len(seq.Content) != 1000 {
		t.Fatalf("%d elements", len(seq.Content))
	}
	for i, e := range seq.Content {
		if got := src[f.Start(e):f.End(e)]; got != "é–x" {
			t.Fatalf("element %d is at %q", i, got)
		}
	}
	if got := src[f.Start(Get(f.Root, "next")):]; got != "\"ü\"\n" {
		t.Errorf("next is at %q", got)
	}
}

// TestParse_Marks: a file of more lines and node indicators than maxMarks is not parsed (yaml
// would spend seconds and hundreds of megabytes on it); one just under is.
func TestParse_Marks(t *testing.T) {
	under := strings.Repeat("- a\n", maxMarks/2-1)
	if _, err := Parse([]byte(under)); err != nil {
		t.Fatalf("under the limit: %v", err)
	}
	_, err := Parse([]byte(under + "- [a, b]\n"))
	if se, ok := err.(*SyntaxError); !ok || !strings.Contains(se.Msg, "node indicators") || se.Line != maxMarks/2 {
		t.Errorf("over the limit: %#v", err)
	}
}

// TestValue_Bounds: aliases that name aliases nest values past yaml's own limit, and a file
// can name more values than any policy has; Value refuses both, and merges keep the first of
// each key.
func TestValue_Bounds(t *testing.T) {
	var chain strings.Builder
	chain.WriteString("a0: &a0 [x]\n")
	for i := 1; i <= maxDepth+1; i++ {
		fmt.Fprintf(&chain, "a%d: &a%d [*a%d]\n", i, i, i-1)
	}
	fmt.Fprintf(&chain, "last: *a%d\n", maxDepth+1)
	wide := "k: [" + strings.Repeat("x, ", maxNodes) + "x]\n"
	for _, c := range []struct{ src, key, want string }{{chain.String(), "last", "levels deep"}, {wide, "k", "more than 131072 values"}} {
		f, err := Parse([]byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Value(Get(f.Root, c.key)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	f, err := Parse([]byte("base: &b {Effect: Deny, Sid: base}\np:\n  <<: [*b, {Action: x, Sid: other}]\n  Sid: own\n"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Value(Get(f.Root, "p"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range v.Members {
		keys = append(keys, m.Key.S+"="+m.Value.Text.S)
	}
	if got := strings.Join(keys, " "); got != "Sid=own Effect=Deny Action=x" {
		t.Errorf("merged %s", got)
	}
}
