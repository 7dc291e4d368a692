package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/policylint/policylint/lint"
)

type githubWriter struct{}

// Write writes one GitHub Actions workflow command per diagnostic, which the runner turns into an
// annotation on the file:
//
//	::error file=p.json,line=2,col=11,endLine=2,endColumn=12,title=PL2002 policy-charset::character ...
//
// warning is ::warning and info ::notice. Columns count code points and endColumn is one past the
// last character, as in lint.Range; GitHub takes columns on one line only, so a range over several
// lines gives line and endLine alone.
func (githubWriter) Write(w io.Writer, results []*lint.Result) error {
	var b strings.Builder
	for _, r := range results {
		for _, d := range r.Diagnostics {
			rg := d.Range
			fmt.Fprintf(&b, "::%s file=%s,line=%d", githubCommand(d.Severity), escapeProperty(r.Path), rg.Start.Line)
			if rg.Start.Line == rg.End.Line {
				fmt.Fprintf(&b, ",col=%d,endLine=%d,endColumn=%d", rg.Start.Column, rg.End.Line, rg.End.Column)
			} else {
				fmt.Fprintf(&b, ",endLine=%d", rg.End.Line)
			}
			fmt.Fprintf(&b, ",title=%s::%s\n", escapeProperty(d.Code+" "+d.Rule), escapeData(d.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// githubCommand is the workflow command of a severity.
func githubCommand(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

// The escapes of the GitHub Actions toolkit (@actions/core): a command's data keeps % and line
// breaks from ending or corrupting the command; a property value also keeps : and , from ending
// the value.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's data, the text after ::; other control characters
// than CR and LF (an escape sequence in a file name or a quoted value) are written as \xNN, so
// that the log shows them as text.
func escapeData(s string) string { return dataEscaper.Replace(controls(s)) }

// escapeProperty escapes the value of a workflow command's property.
func escapeProperty(s string) string { return propertyEscaper.Replace(controls(s)) }

// controls writes the control characters of s but CR and LF, which GitHub's escaping covers,
// as \xNN.
func controls(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != '\r' && r != '\n' && isControl(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r != '\r' && r != '\n' && isControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
