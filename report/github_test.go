package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/policylint/policylint/lint"
)

func TestGitHub_Golden(t *testing.T) {
	got := write(t, "github", lintFiles(t, goldenInputs))
	compareGolden(t, "testdata/report/github.golden", got)
}

// rangeOn is the range [from, to) of line n.
func rangeOn(n, from, to int) lint.Range {
	return lint.Range{Start: lint.Pos{Line: n, Column: from}, End: lint.Pos{Line: n, Column: to}}
}

// TestGitHub_Escaping pins the toolkit's escapes: % in the message, also : and , in property
// values (the file and the title); CR and LF from the input are written as \r and \n, so that
// no line of the annotation or the log comes from the input.
func TestGitHub_Escaping(t *testing.T) {
	results := []*lint.Result{{
		Path: "dir,v2/a:b%20.json",
		Diagnostics: []lint.Diagnostic{{
			Code: "PL2001", Rule: "policy-length", Severity: lint.Error, Range: rangeOn(3, 5, 9),
			Message: "100% of it, here: \"a\r\nb\"\nand %0A",
		}},
	}}
	got := string(write(t, "github", results))
	want := "::error file=dir%2Cv2/a%3Ab%2520.json,line=3,col=5,endLine=3,endColumn=9,title=PL2001 policy-length::" +
		"100%25 of it, here: \"a\\r\\nb\"\\nand %250A\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("one command spans lines: %q", got)
	}
}

func TestGitHub_SeveritiesAndRanges(t *testing.T) {
	results := []*lint.Result{
		{Path: "clean.json"},
		{Path: "p.json", Diagnostics: []lint.Diagnostic{
			{Code: "PL6001", Rule: "no-allow", Severity: lint.Warning, Message: "w",
				Range: lint.Range{Start: lint.Pos{Line: 3, Column: 16}, End: lint.Pos{Line: 6, Column: 4}}},
			{Code: "PL2003", Rule: "policy-charset-escape", Severity: lint.Info, Message: "i", Range: rangeOn(1, 7, 7)},
		}},
	}
	got := string(write(t, "github", results))
	want := "::warning file=p.json,line=3,endLine=6,title=PL6001 no-allow::w\n" +
		"::notice file=p.json,line=1,col=7,endLine=1,endColumn=7,title=PL2003 policy-charset-escape::i\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// matcherFile is the problem matcher a workflow registers with
// echo "::add-matcher::.github/policylint-matcher.json".
const matcherFile = "../.github/policylint-matcher.json"

// problemPattern is one pattern of a GitHub problem matcher: capture group numbers, 0 for none.
type problemPattern struct {
	Regexp                            string
	File, Line, Column, Message, Code int
}

func loadMatcher(t *testing.T) (*regexp.Regexp, problemPattern) {
	t.Helper()
	raw, err := os.ReadFile(matcherFile)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ProblemMatcher []struct {
			Owner    string
			Severity string
			Pattern  []problemPattern
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.ProblemMatcher) != 1 || len(m.ProblemMatcher[0].Pattern) != 1 {
		t.Fatalf("want one matcher with one pattern: %s", raw)
	}
	pm := m.ProblemMatcher[0]
	if pm.Owner != "policylint" || pm.Severity != "error" {
		t.Errorf("owner %q, severity %q", pm.Owner, pm.Severity)
	}
	p := pm.Pattern[0]
	// The runner's engine is .NET's, not RE2: keep to what both read alike (no (?...) groups,
	// no lookaround, no named groups).
	if strings.Contains(p.Regexp, "(?") {
		t.Errorf("the pattern has a (? group, which engines read differently: %s", p.Regexp)
	}
	re, err := regexp.Compile(p.Regexp)
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]int{"file": p.File, "line": p.Line, "column": p.Column, "message": p.Message, "code": p.Code} {
		if g < 1 || g > re.NumSubexp() {
			t.Errorf("%s is group %d of %d", name, g, re.NumSubexp())
		}
	}
	return re, p
}

// TestMatcher_TextFormat runs the problem matcher over real text output: every finding line
// must match with the right groups, and nothing else (snippets, related places) may.
func TestMatcher_TextFormat(t *testing.T) {
	re, p := loadMatcher(t)
	type want struct{ file, line, col, message, code string }
	results := []*lint.Result{
		{Path: `C:\work\policies\tenant.json`, Diagnostics: []lint.Diagnostic{{
			Code: "PL4010", Rule: "tag-reserved", Severity: lint.Error, Range: rangeOn(4, 20, 30),
			Message: `Tags[0].Key "aws:team" begins with "aws:": rename it [see docs]`,
		}}},
		{Path: "policies/a b:c.json", Diagnostics: []lint.Diagnostic{{
			Code: "PL6001", Rule: "no-allow", Severity: lint.Warning, Range: rangeOn(12, 3, 9),
			Message: "no statement allows anything: 3:4: [x y]",
		}}},
	}
	wants := []want{
		{`C:\work\policies\tenant.json`, "4", "20", `Tags[0].Key "aws:team" begins with "aws:": rename it [see docs]`, "PL4010"},
		{"policies/a b:c.json", "12", "3", "no statement allows anything: 3:4: [x y]", "PL6001"},
	}
	// Real findings, written with snippets and related places, whose extra lines must not match.
	src := "{\n  \"Version\": \"2012-10-17\",\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"a–b\"}\n}\n"
	linted := lintSrc(t, "p.json", src)
	for _, d := range linted[0].Diagnostics {
		wants = append(wants, want{"p.json", strconv.Itoa(d.Range.Start.Line), strconv.Itoa(d.Range.Start.Column), d.Message, d.Code})
	}
	if len(linted[0].Diagnostics) < 2 {
		t.Fatalf("want findings with related places: %+v", linted[0].Diagnostics)
	}
	w, err := New("text", Options{Snippet: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := w.Write(&b, append(results, linted...)); err != nil {
		t.Fatal(err)
	}
	var matched int
	for line := range strings.Lines(b.String()) {
		line = strings.TrimSuffix(line, "\n")
		m := re.FindStringSubmatch(line)
		if m == nil {
			if strings.Contains(line, "[PL") && strings.Contains(line, ": ") && !strings.HasPrefix(line, " ") {
				t.Errorf("a finding does not match: %q", line)
			}
			continue
		}
		if matched >= len(wants) {
			t.Errorf("an extra line matches: %q", line)
			continue
		}
		got := want{m[p.File], m[p.Line], m[p.Column], m[p.Message], m[p.Code]}
		if got != wants[matched] {
			t.Errorf("line %q:\ngot  %+v\nwant %+v", line, got, wants[matched])
		}
		matched++
	}
	if matched != len(wants) {
		t.Errorf("%d lines matched, want %d:\n%s", matched, len(wants), b.String())
	}
}

// TestGitHub_ControlCharacters pins that nothing from the input reaches the log as a control
// character: an escape sequence, a NUL, a C1 control, a bidirectional override, a line separator,
// CR, LF or a byte that is not UTF-8, in the file name or in the message, is written as \r, \n,
// \xNN or \uNNNN.
func TestGitHub_ControlCharacters(t *testing.T) {
	results := []*lint.Result{{
		Path: "evil\x1b[2K\r\n::error file=x.json::\u202e.json",
		Diagnostics: []lint.Diagnostic{{
			Code: "PL9000", Rule: "custom/x\x07y", Severity: lint.Error, Range: rangeOn(1, 1, 2),
			Message: "a\x00b\x1b]8;;http://x\x07c\u0085d\u2028e\u2029f\ufeffg\xffh\ti",
		}},
	}}
	got := string(write(t, "github", results))
	want := `::error file=evil\x1b[2K\r\n%3A%3Aerror file=x.json%3A%3A\u202e.json,line=1,col=1,endLine=1,endColumn=2,title=PL9000 custom/x\x07y::` +
		`a\x00b\x1b]8;;http://x\x07c\x85d\u2028e\u2029f\ufeffg\xffh\ti` + "\n"
	if got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	for _, r := range got[:len(got)-1] {
		if r < 0x20 || r >= 0x7F && r < 0xA0 || r == '\u2028' || r == '\u2029' || r == '\u202e' {
			t.Errorf("control character %U in the output", r)
		}
	}
}

// TestGitHub_AnnotationLimit pins what happens past GitHub's 10 annotations of a kind per step:
// each further command's message starts with its place, since the runner logs only the message,
// and a last plain line counts what is not annotated. Every finding stays one command.
func TestGitHub_AnnotationLimit(t *testing.T) {
	var diags []lint.Diagnostic
	for i := range 12 {
		diags = append(diags, lint.Diagnostic{Code: "PL2002", Rule: "policy-charset", Severity: lint.Error, Message: "e", Range: rangeOn(i+1, 3, 4)})
	}
	for i := range 10 {
		diags = append(diags, lint.Diagnostic{Code: "PL6001", Rule: "no-allow", Severity: lint.Warning, Message: "w", Range: rangeOn(i+1, 1, 2)})
	}
	diags = append(diags, lint.Diagnostic{Code: "PL2003", Rule: "policy-charset-escape", Severity: lint.Info, Message: "i", Range: rangeOn(1, 1, 2)})
	got := string(write(t, "github", []*lint.Result{{Path: "p.json", Diagnostics: diags}}))
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != len(diags)+1 {
		t.Fatalf("%d lines for %d findings:\n%s", len(lines), len(diags), got)
	}
	commands := 0
	for _, l := range lines {
		if regexp.MustCompile(`^::(error|warning|notice) `).MatchString(l) {
			commands++
		}
	}
	if commands != len(diags) {
		t.Errorf("%d commands for %d findings", commands, len(diags))
	}
	if !strings.HasSuffix(lines[9], "::e") || !strings.HasSuffix(lines[10], "::p.json:11:3: e") || !strings.HasSuffix(lines[11], "::p.json:12:3: e") {
		t.Errorf("the 10th, 11th and 12th errors:\n%s\n%s\n%s", lines[9], lines[10], lines[11])
	}
	if !strings.HasSuffix(lines[21], "::w") {
		t.Errorf("the 10th warning is annotated, so its message stays as it is: %s", lines[21])
	}
	want := "policylint: 12 errors, 10 warnings and 1 notice: GitHub shows at most 10 annotations of each kind per step, so 2 findings are not annotated; each is in the log with its file:line:col"
	if lines[len(lines)-1] != want {
		t.Errorf("last line:\n%s\nwant:\n%s", lines[len(lines)-1], want)
	}
	if n := AnnotationLimitNote(10, 10, 10); n != "" {
		t.Errorf("a note at the limit: %q", n)
	}
}

// TestGitHub_RepositoryRelativePaths pins that annotations name files from the repository's
// root, which is how the runner attaches them, whatever folder policylint ran in.
func TestGitHub_RepositoryRelativePaths(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	opts := Options{Root: root, WorkDir: filepath.Join(root, "infra")}
	d := lint.Diagnostic{Code: "PL6001", Rule: "no-allow", Severity: lint.Warning, Message: "w", Range: rangeOn(1, 1, 2)}
	results := []*lint.Result{
		{Path: filepath.Join("policies", "p.json"), Diagnostics: []lint.Diagnostic{d}},
		{Path: filepath.Join(root, "top.json"), Diagnostics: []lint.Diagnostic{d}},
		{Path: "<stdin>", Diagnostics: []lint.Diagnostic{d}},
	}
	got := string(writeWith(t, "github", opts, results))
	for _, want := range []string{"file=infra/policies/p.json,", "file=top.json,", "file=<stdin>,"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
}

// TestGitHub_AnnotationLimitAcrossWrites pins that the count runs over the whole run when the
// results come file by file, as policylint streams them, and that Finish writes the note once.
func TestGitHub_AnnotationLimitAcrossWrites(t *testing.T) {
	w, err := New("github", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range 12 {
		d := lint.Diagnostic{Code: "PL2002", Rule: "policy-charset", Severity: lint.Error, Message: "e", Range: rangeOn(1, 1, 2)}
		if err := w.Write(&b, []*lint.Result{{Path: fmt.Sprintf("p%02d.json", i), Diagnostics: []lint.Diagnostic{d}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.(Finisher).Finish(&b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.Contains(got, "::p10.json:1:1: e\n") || !strings.Contains(got, "title=PL2002 policy-charset::e\n") || strings.Contains(got, "::p09.json:1:1: e") {
		t.Errorf("the 11th file's command does not carry its place, or the 10th does:\n%s", got)
	}
	if strings.Count(got, "policylint: 12 errors, 0 warnings and 0 notices") != 1 || !strings.HasSuffix(got, "so 2 findings are not annotated; each is in the log with its file:line:col\n") {
		t.Errorf("no single closing note:\n%s", got)
	}
}
