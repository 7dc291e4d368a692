package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/policylint/policylint/lint"
)

// AnnotationsPerStep is how many annotations of each kind (error, warning, notice) GitHub keeps
// for one step; the runner drops the rest and logs only their message (actions/runner,
// ExecutionContext.AddIssue: _maxCountPerIssueType). A composite action's steps share one count.
const AnnotationsPerStep = 10

// githubWriter counts the commands of each kind over every Write of a run, and Finish says how
// many GitHub does not annotate.
type githubWriter struct {
	opts   Options
	count  map[string]int // commands written, by kind
	hidden int            // past AnnotationsPerStep of their kind
}

// Write writes one GitHub Actions workflow command per diagnostic, which the runner turns into an
// annotation on the file:
//
//	::error file=p.json,line=2,col=11,endLine=2,endColumn=12,title=PL2002 policy-charset::character ...
//
// warning is ::warning and info ::notice. Columns count code points and endColumn is one past the
// last character, as in lint.Range; GitHub takes columns on one line only, so a range over several
// lines gives line and endLine alone. Files are named relative to the repository's root.
//
// Past AnnotationsPerStep commands of one kind, the runner shows no annotation and logs the
// message alone, so the message of each further command starts with its file:line:col, and
// Finish writes a last plain line that says how many findings are not annotated. Every finding
// is one line that starts with "::error ", "::warning " or "::notice ": the Action counts them so.
func (g *githubWriter) Write(w io.Writer, results []*lint.Result) error {
	var b strings.Builder
	for _, r := range results {
		path, _ := g.opts.repoPath(r.Path)
		for _, d := range r.Diagnostics {
			rg := d.Range
			cmd := githubCommand(d.Severity)
			g.count[cmd]++
			fmt.Fprintf(&b, "::%s file=%s,line=%d", cmd, escapeProperty(path), rg.Start.Line)
			if rg.Start.Line == rg.End.Line {
				fmt.Fprintf(&b, ",col=%d,endLine=%d,endColumn=%d", rg.Start.Column, rg.End.Line, rg.End.Column)
			} else {
				fmt.Fprintf(&b, ",endLine=%d", rg.End.Line)
			}
			msg := d.Message
			if g.count[cmd] > AnnotationsPerStep {
				g.hidden++
				msg = fmt.Sprintf("%s:%d:%d: %s", path, rg.Start.Line, rg.Start.Column, msg)
			}
			fmt.Fprintf(&b, ",title=%s::%s\n", escapeProperty(d.Code+" "+d.Rule), escapeData(msg))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Finish writes the line that counts the findings GitHub does not annotate, if there are any.
func (g *githubWriter) Finish(w io.Writer) error {
	if g.hidden == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "policylint: %s\n", AnnotationLimitNote(g.count["error"], g.count["warning"], g.count["notice"]))
	return err
}

// AnnotationLimitNote says how many of the findings GitHub shows as annotations, or "" when it
// shows them all.
func AnnotationLimitNote(errors, warnings, notices int) string {
	hidden := 0
	for _, n := range []int{errors, warnings, notices} {
		hidden += max(0, n-AnnotationsPerStep)
	}
	if hidden == 0 {
		return ""
	}
	return fmt.Sprintf("%s, %s and %s: GitHub shows at most %d annotations of each kind per step, so %s not annotated; each is in the log with its file:line:col",
		plural(errors, "error"), plural(warnings, "warning"), plural(notices, "notice"), AnnotationsPerStep,
		map[bool]string{true: "1 finding is", false: fmt.Sprintf("%d findings are", hidden)}[hidden == 1])
}

// plural is "1 error" or "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
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

// The escapes of the GitHub Actions toolkit (@actions/core): a command's data keeps % from being
// read as an escape; a property value also keeps : and , from ending the value. The toolkit's
// %0D and %0A are never needed: escapeControls writes line breaks as \n and \r first, so that
// nothing from the input can start a line of the log, whether the runner decodes %0A or not.
var (
	dataEscaper     = strings.NewReplacer("%", "%25")
	propertyEscaper = strings.NewReplacer("%", "%25", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's data, the text after ::.
func escapeData(s string) string { return dataEscaper.Replace(escapeControls(s)) }

// escapeProperty escapes the value of a workflow command's property.
func escapeProperty(s string) string { return propertyEscaper.Replace(escapeControls(s)) }
