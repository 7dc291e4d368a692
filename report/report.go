// Package report writes lint results in the formats policylint offers.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/policylint/policylint/lint"
)

// Writer writes the results of one run.
type Writer interface {
	Write(w io.Writer, results []*lint.Result) error
}

// A Finisher is a Writer that writes something after the last results: a run may hand a writer
// its results in several Write calls, file by file, and then calls Finish once.
type Finisher interface {
	Finish(w io.Writer) error
}

// Formats names the formats New accepts.
var Formats = []string{"text", "json", "sarif", "github", "markdown"}

// Options shape the output.
type Options struct {
	// Snippet adds the source line and a caret under each finding (text).
	Snippet bool
	// Color adds ANSI colours (text).
	Color bool
	// ToolVersion is policylint's version as SARIF names it: a semantic version without the v.
	ToolVersion string
	// Root is the repository's root and WorkDir the folder policylint ran in, both absolute.
	// SARIF and GitHub annotations name files relative to Root, as code scanning and the
	// runner resolve them; with no Root, paths are taken as relative to the repository already.
	Root, WorkDir string
	// Annotations says that the run also writes GitHub annotations (--format github), so the
	// Markdown report tells how many GitHub does not show.
	Annotations bool
	// Estimates gives the packed-size estimates of a result's requests, for the Markdown
	// summary; nil leaves the table out.
	Estimates func(*lint.Result) []lint.RequestEstimate
	// Rules gives the rules of the run, built-in and custom, when the output is written (the
	// custom rules are loaded after the writers are made); nil is lint.Rules.
	Rules func() []*lint.Rule
}

// rules returns the rules of the run.
func (o Options) rules() []*lint.Rule {
	if o.Rules != nil {
		if rs := o.Rules(); rs != nil {
			return rs
		}
	}
	return lint.Rules
}

// New returns the writer for format.
func New(format string, opts Options) (Writer, error) {
	switch format {
	case "text":
		return &textWriter{opts}, nil
	case "json":
		return jsonWriter{}, nil
	case "sarif":
		return sarifWriter{opts}, nil
	case "github":
		return &githubWriter{opts: opts, count: map[string]int{}}, nil
	case "markdown":
		return markdownWriter{opts}, nil
	}
	return nil, fmt.Errorf("unknown format %q: want %s", format, strings.Join(Formats, ", "))
}

// JSONVersion is the version of the JSON output's layout; it changes only when a field changes
// meaning or goes away.
const JSONVersion = 1

type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, results []*lint.Result) error {
	out := struct {
		Version int            `json:"version"`
		Files   []*lint.Result `json:"files"`
	}{JSONVersion, results}
	for _, r := range results {
		if r.Diagnostics == nil {
			r.Diagnostics = []lint.Diagnostic{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type textWriter struct{ opts Options }

const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiRed   = "\x1b[31m"
	ansiYel   = "\x1b[33m"
	ansiCyan  = "\x1b[36m"
)

func (t *textWriter) paint(s, color string) string {
	if !t.opts.Color {
		return s
	}
	return color + s + ansiReset
}

func (t *textWriter) Write(w io.Writer, results []*lint.Result) error {
	var b strings.Builder
	for _, r := range results {
		for _, d := range r.Diagnostics {
			color := ansiCyan
			switch d.Severity {
			case lint.Error:
				color = ansiRed
			case lint.Warning:
				color = ansiYel
			}
			fmt.Fprintf(&b, "%s: %s %s\n",
				t.paint(fmt.Sprintf("%s:%d:%d", escapeControls(r.Path), d.Range.Start.Line, d.Range.Start.Column), ansiBold),
				escapeControls(d.Message),
				t.paint(fmt.Sprintf("[%s %s]", d.Code, d.Rule), color))
			if t.opts.Snippet && r.Doc != nil {
				t.snippet(&b, r, d.Range, color)
				for _, rel := range d.Related {
					fmt.Fprintf(&b, "  %s %s\n", t.paint(fmt.Sprintf("%s:%d:%d:", escapeControls(r.Path), rel.Range.Start.Line, rel.Range.Start.Column), ansiDim), escapeControls(rel.Message))
					t.snippet(&b, r, rel.Range, ansiDim)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxSnippetColumns keeps a snippet of a minified one-line policy readable: the window of a line
// it shows, around the finding.
const maxSnippetColumns = 120

// unparsedColumns is the window of a line shown for a file that is not valid JSON: what does not
// parse may not be a policy at all, so only a few characters around the error are quoted.
const unparsedColumns = 24

// snippet writes the window of rg's start line around it, with carets under the range (or one
// caret at its start when the range goes on to other lines), secrets masked. It reads only the
// window's bytes, so a finding on an 8 MiB line costs what a short line does.
func (t *textWriter) snippet(b *strings.Builder, r *lint.Result, rg lint.Range, color string) {
	src := r.Doc.Src
	width := maxSnippetColumns
	if r.Doc.Root == nil {
		width = unparsedColumns
	}
	at := min(max(rg.Start.Offset, 0), len(src))
	// Back to the line's start, at most half the window.
	from, back := at, 0
	for from > 0 && src[from-1] != '\n' && src[from-1] != '\r' && back < width/2 {
		_, size := utf8.DecodeLastRune(src[:from])
		from -= size
		back++
	}
	cutStart := from > 0 && src[from-1] != '\n' && src[from-1] != '\r'
	// On to the line's end, within the window.
	to, cols := from, 0
	for to < len(src) && src[to] != '\n' && src[to] != '\r' && cols < width {
		_, size := utf8.DecodeRune(src[to:])
		to += size
		cols++
	}
	runes := []rune(string(src[from:to]))
	for i := range runes {
		runes[i] = visible(runes[i])
	}
	maskWindow(runes, src, from, to, r.Secrets)
	prefix := ""
	if cutStart {
		prefix = "…"
	}
	suffix := ""
	if to < len(src) && src[to] != '\n' && src[to] != '\r' {
		suffix = "…"
	}
	caret := 1
	if rg.End.Line == rg.Start.Line {
		caret = max(1, rg.End.Column-rg.Start.Column)
	}
	caret = max(1, min(caret, len(runes)-back))
	gutter := fmt.Sprintf("%d", rg.Start.Line)
	pad := strings.Repeat(" ", len(gutter))
	fmt.Fprintf(b, " %s |\n %s | %s%s%s\n", pad, gutter, prefix, string(runes), suffix)
	fmt.Fprintf(b, " %s | %s%s\n", pad, strings.Repeat(" ", utf8.RuneCountInString(prefix)+back), t.paint(strings.Repeat("^", caret), color))
}

// maskWindow hides the secrets within the window [from, to) of the source, past their first
// SecretShown characters, keeping every column in place. secrets are sorted by start
// (Result.Secrets is).
func maskWindow(runes []rune, src []byte, from, to int, secrets []lint.Range) {
	// Secrets that end before the window cannot touch it; those after it neither.
	first := sort.Search(len(secrets), func(i int) bool { return secrets[i].Start.Offset >= from })
	for first > 0 && secrets[first-1].End.Offset > from {
		first--
	}
	for _, s := range secrets[first:] {
		if s.Start.Offset >= to {
			break
		}
		start, end := s.Start.Offset, s.End.Offset
		// The first characters of a secret stay visible.
		for n := 0; n < lint.SecretShown && start < end; n++ {
			_, size := utf8.DecodeRune(src[start:])
			start += size
		}
		off := from
		for i := range runes {
			if off >= start && off < end {
				runes[i] = '•'
			}
			if off < len(src) {
				_, size := utf8.DecodeRune(src[off:])
				off += size
			}
		}
	}
}

// visible shows tabs as one space, so the caret lines up, and control characters (C0, C1, DEL)
// and format characters (bidirectional overrides, zero-width characters) as a dot, one column
// each, so that a snippet can neither drive the terminal nor reorder what it shows.
func visible(r rune) rune {
	switch {
	case r == '\t':
		return ' '
	case isControl(r) || isFormat(r):
		return '·'
	}
	return r
}

// escapeControls writes what a terminal, a log or a problem matcher would not take as itself as
// an escape, for every writer:
// control characters as oneLine does (\n, \r, \t, \x1b), and also Unicode format characters
// (bidirectional overrides, zero-width characters) and line and paragraph separators as \u202e,
// and bytes that are not UTF-8 as \xff.
func escapeControls(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, isFormat) {
		return oneLine(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isFormat(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return oneLine(b.String())
}

// isFormat reports a Unicode format character or a line or paragraph separator.
func isFormat(r rune) bool { return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) }

// oneLine keeps a message or a path on its line and out of the terminal's control: a message
// never holds a line break or an escape sequence, but quoted user data and file names are not
// trusted to, so control characters are written as escapes (\n, \r, \t, \x1b).
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isControl reports a C0 or C1 control character, or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }
