package report

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/policylint/policylint/lint"
)

// lintText lints src with only the named rules and writes the text format.
func lintText(t *testing.T, src string, opts Options, only ...string) string {
	t.Helper()
	var disable []string
	for _, r := range lint.Rules {
		if !slices.Contains(only, r.Slug) {
			disable = append(disable, r.Slug)
		}
	}
	l, err := lint.New(lint.Config{Disable: disable})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New("text", opts)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := w.Write(&b, l.Lint("p.json", []byte(src))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestText_Snippet(t *testing.T) {
	src := "{\n\t\"Sid\": \"é–x\",\n\t\"Statement\": {\"Effect\": \"Allow\"}\n}\n"
	got := lintText(t, src, Options{Snippet: true}, "policy-charset")
	want := `p.json:2:11: character U+2013 '–' is outside what STS accepts in a policy (U+0020–U+00FF, tab, LF, CR): replace it, or, if the value must hold it, write it as \u2013 [PL2002 policy-charset]
   |
 2 |  "Sid": "é–x",
   |           ^
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestText_SnippetOfALongLineIsCut(t *testing.T) {
	src := `{"Statement":{"Effect":"Allow","Resource":"` + strings.Repeat("a", 300) + `Ā"}}`
	got := lintText(t, src, Options{Snippet: true}, "policy-charset")
	lines := strings.Split(got, "\n")
	if len(lines) < 4 {
		t.Fatalf("output:\n%s", got)
	}
	source, caret := []rune(lines[2]), []rune(lines[3])
	if len(source) > maxSnippetColumns+10 || !strings.Contains(lines[2], "…") {
		t.Errorf("source line not cut: %q", lines[2])
	}
	at := strings.IndexRune(string(caret), '^')
	if at < 0 || source[len([]rune(string(caret)[:at]))] != 'Ā' {
		t.Errorf("caret does not point at the character:\n%s\n%s", lines[2], lines[3])
	}
}

func TestText_Color(t *testing.T) {
	got := lintText(t, `{"Version":"2012-10-17","Statement":[]}`, Options{Color: true}, "no-allow")
	if !strings.Contains(got, "\x1b[33m[PL6001 no-allow]\x1b[0m") {
		t.Errorf("warning not yellow: %q", got)
	}
	if plain := lintText(t, `{"Version":"2012-10-17","Statement":[]}`, Options{}, "no-allow"); strings.Contains(plain, "\x1b") {
		t.Errorf("colour without Color: %q", plain)
	}
}

func TestNew_UnknownFormat(t *testing.T) {
	if _, err := New("yaml", Options{}); err == nil || !strings.Contains(err.Error(), "text, json") {
		t.Errorf("err = %v", err)
	}
}

func TestText_SnippetMasksSecrets(t *testing.T) {
	token := "Atza|IwEBIKt7opaque-SECRET-access-token"
	src := `{"RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "b", "WebIdentityToken": "` + token + `"}`
	got := lintText(t, src, Options{Snippet: true}, "token-format")
	if strings.Contains(got, "SECRET") || !strings.Contains(got, "Atza|I•••") {
		t.Errorf("the token is not masked:\n%s", got)
	}
}

// TestText_ControlCharacters: the text writer, which reaches a terminal, escapes what the GitHub
// writer escapes in paths and messages, and shows control and format characters of a snippet as
// a dot each, so that no file can drive the terminal or reorder a line on it.
func TestText_ControlCharacters(t *testing.T) {
	src := "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"a\u202eb\u009bc\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Principal\":\"*\"}]}"
	got := lintText(t, src, Options{Snippet: true}, "session-principal", "invalid-sid")
	results := []*lint.Result{{
		Path:        "evil\u202e.json\x1b[2K",
		Diagnostics: []lint.Diagnostic{{Code: "PL9000", Rule: "custom/x", Severity: lint.Error, Range: rangeOn(1, 1, 2), Message: "a\u2028b\xffc\u009bd"}},
	}}
	got += string(write(t, "text", results))
	for _, r := range got {
		if r == '\u202e' || r == '\u009b' || r == '\u2028' || r == 0x1b || r == utf8.RuneError {
			t.Errorf("%U in the text output:\n%q", r, got)
		}
	}
	if !strings.Contains(got, `evil\u202e.json\x1b[2K`) || !strings.Contains(got, `a\u2028b\xffc\x9bd`) || !strings.Contains(got, `"Sid":"a·b·c"`) {
		t.Errorf("escapes missing:\n%s", got)
	}
}
