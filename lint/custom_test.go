package lint

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/ruleproto"
)

// TestAppendString checks the JSON strings given to custom rules: plain ASCII written as it is,
// everything else escaped, and each read back as the string (invalid UTF-8 as U+FFFD).
func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"s3:GetObject": "s3:GetObject", "": "", `a"b`: `a"b`, `a\b`: `a\b`, "<&>": "<&>",
		"tab\there": "tab\there", "\x00\x1f\x7f": "\x00\x1f\x7f", "Préfixe–x": "Préfixe–x",
		"bad\xffbyte": "bad\ufffdbyte", "${aws:username}": "${aws:username}",
	} {
		got := appendString(nil, in)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != want {
			t.Errorf("appendString(%q) = %s, reads back as %q (%v), want %q", in, got, back, err, want)
		}
	}
	for _, plain := range []string{"s3:GetObject", "", "<&>", "${aws:username}", "arn:aws:s3:::tenant-a/*"} {
		if got := string(appendString(nil, plain)); got != `"`+plain+`"` {
			t.Errorf("appendString(%q) = %s: a plain string is written as it is", plain, got)
		}
	}
}

// TestCustomPlace: a custom rule's pointer, which the rule writes, is placed at its deepest
// existing value; one that is not a pointer ("Statement") falls back to the document, and
// nothing the rule writes can crash the linter.
func TestCustomPlace(t *testing.T) {
	src := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	doc, err := jsonpos.Parse([]byte(src), jsonpos.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := &Pass{Doc: doc}
	for _, tc := range []struct {
		f     ruleproto.Finding
		text  string
		exact bool
	}{
		{ruleproto.Finding{Pointer: "/Statement/0/Action"}, `"s3:*"`, true},
		{ruleproto.Finding{Pointer: "/Statement/0/Condition"}, src[strings.Index(src, `{"Effect"`) : len(src)-2], false},
		{ruleproto.Finding{Pointer: "Statement"}, src, false},
		{ruleproto.Finding{Pointer: "/"}, src, false},
		{ruleproto.Finding{}, src, false},
	} {
		at, exact := p.customPlace(tc.f)
		if got := src[at.start:at.end]; got != tc.text || exact != tc.exact {
			t.Errorf("customPlace(%q) = %s, %v; want %s, %v", tc.f.Pointer, got, exact, tc.text, tc.exact)
		}
	}
}
