// Package placeholder finds unrendered templating placeholders in text: GitHub Actions
// expressions (${{ github.ref }}) and the double-brace placeholders of Go templates, Helm, Jinja,
// Mustache and Handlebars ({{ .Tenant }}). A file that still holds one is a template, not what
// will be sent to STS.
//
// Find is one linear pass over the text and imports nothing of policylint, so that every reader
// of a source (a JSON file, a workflow, a Terraform file) can call it.
package placeholder

import "strings"

// Kind tells the templating syntax of a placeholder.
type Kind uint8

// The placeholder kinds.
const (
	// GitHub is a GitHub Actions expression, ${{ ... }}. GitHub substitutes expressions only in
	// the workflow file itself, never inside a file that a step reads.
	GitHub Kind = iota + 1
	// Template is a double-brace placeholder, {{ ... }} (or {{{ ... }}}), of a template engine that
	// renders the file before use.
	Template
)

// Span is one placeholder: the bytes [Start, End) of the text. End is past the closing braces,
// or at the end of the line when the placeholder never closes (Closed is false then).
type Span struct {
	Start, End int
	Kind       Kind
	Closed     bool
}

// Find returns the placeholders of s, in order and without overlap.
func Find(s string) []Span {
	var out []Span
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			break
		}
		j += i
		sp := Span{Start: j, Kind: Template}
		if j > i && s[j-1] == '$' {
			sp.Start, sp.Kind = j-1, GitHub
		}
		closing := "}}"
		if sp.Kind == Template && strings.HasPrefix(s[j:], "{{{") {
			closing = "}}}"
		}
		// A placeholder does not span lines: the search for its end stops at the line's end, so
		// each byte is looked at a bounded number of times.
		open, eol := j+len(closing), len(s)
		if nl := strings.IndexByte(s[j:], '\n'); nl >= 0 {
			eol = j + nl
		}
		if k := strings.Index(s[open:eol], closing); k >= 0 {
			sp.End, sp.Closed = open+k+len(closing), true
		} else {
			sp.End = eol
		}
		out = append(out, sp)
		i = sp.End
	}
	return out
}

// Contains reports whether s holds a placeholder.
func Contains(s string) bool {
	return strings.Contains(s, "{{")
}
