package lint

import (
	"encoding/json"
	"fmt"
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

// TestCapFile: across a file's documents each rule keeps maxPerRule findings, by slug, so two
// custom rules sharing PL9000 are capped apart; the rest, the counts of the documents' own
// summaries included, become one finding.
func TestCapFile(t *testing.T) {
	var diags []Diagnostic
	for i := range maxPerRule + 5 {
		diags = append(diags, Diagnostic{Code: CustomCode, Rule: "custom/main/deny_a", Message: fmt.Sprint("a", i)})
		if i < 5 {
			diags = append(diags, Diagnostic{Code: CustomCode, Rule: "custom/main/deny_b", Message: fmt.Sprint("b", i)})
		}
	}
	diags = append(diags, Diagnostic{Code: CustomCode, Rule: "custom/main/deny_a", Message: capMessage(7, "custom/main/deny_a"), more: 7})
	got := map[string]int{}
	var summary string
	for _, d := range capFile(diags) {
		got[d.Rule]++
		if d.more > 0 {
			summary = d.Message
		}
	}
	if got["custom/main/deny_a"] != maxPerRule+1 || got["custom/main/deny_b"] != 5 {
		t.Errorf("kept %v, want %d of deny_a (with its summary) and 5 of deny_b", got, maxPerRule+1)
	}
	if want := capMessage(12, "custom/main/deny_a"); summary != want {
		t.Errorf("summary %q, want %q", summary, want)
	}
}
