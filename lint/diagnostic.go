// Package lint checks AWS STS session policies before any call is made. A Linter runs the checks
// of the rule table (rules.go) over one document at a time; each check reports through a Pass,
// which turns JSON Pointers and byte offsets into line and column.
package lint

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
)

// Pos is a place in a file: Line and Column are 1-based, Column counts code points, Offset is the
// 0-based byte offset.
type Pos = jsonpos.Pos

// Range is a half-open span [Start, End) of a file.
type Range = jsonpos.Range

// Severity says what AWS will do with the request as written.
type Severity uint8

// The severities, least severe first.
const (
	// Info is advice.
	Info Severity = iota
	// Warning: STS accepts the request, but it is likely wrong or near a limit.
	Warning
	// Error: STS or IAM rejects the request as written.
	Error
)

var severityNames = [...]string{"info", "warning", "error"}

func (s Severity) String() string { return severityNames[s] }

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: want error, warning or info", name)
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity's name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	*s = v
	return err
}

// Diagnostic is one finding.
type Diagnostic struct {
	Code     string   `json:"code"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Pointer is the JSON Pointer of the innermost value the finding is about ("" is the whole
	// document, or a document that is not valid JSON).
	Pointer string `json:"pointer"`
	// In is set when the finding is inside a policy held in a request file's string parameter:
	// the JSON Pointer of that parameter ("/Policy"). Pointer is then relative to the policy,
	// while Range is in the request file.
	In      string    `json:"in,omitempty"`
	Range   Range     `json:"range"`
	Related []Related `json:"related,omitempty"`

	// more is set on the finding that stands for a rule's findings past its cap in the file
	// (capMessage): how many it stands for.
	more int
}

// Related is another place that explains a diagnostic, such as the first of two duplicate keys.
type Related struct {
	Message string `json:"message"`
	Pointer string `json:"pointer"`
	Range   Range  `json:"range"`
}

// Result is what linting one file found.
type Result struct {
	Path        string       `json:"path"`
	Diagnostics []Diagnostic `json:"diagnostics"`
	// Doc is the parsed source, for writers that quote it.
	Doc *jsonpos.Document `json:"-"`
	// Secrets are the ranges of Doc that hold a token, an assertion or what looks like a secret,
	// sorted by start: a writer that quotes the source must mask them past SecretShown
	// characters.
	Secrets []Range `json:"-"`
	// Prints are the lines custom rules' print() calls wrote for this file ("rule.rego:7: ..."),
	// which go to standard error, never into the findings.
	Prints []string `json:"-"`
	// Estimates are the packed size estimates of the file's requests, as Linter.Estimates gives
	// them, when Config.Estimates asks for them: those STS would report one for, in file order.
	Estimates []RequestEstimate `json:"-"`
}

// Max returns the highest severity among the diagnostics, and false when there are none.
func (r *Result) Max() (Severity, bool) {
	var top Severity
	for _, d := range r.Diagnostics {
		top = max(top, d.Severity)
	}
	return top, len(r.Diagnostics) > 0
}

// FileFindings collects the findings of one rule about one file that the command line finds
// itself (links not followed, ignores that silenced nothing, custom rules that never fire), with
// the bounds every finding has: at most maxPerRule of them, then one that counts the rest, and
// messages cut to maxMessage bytes with secrets redacted.
type FileFindings struct {
	res  *Result
	rule *Rule
	sev  Severity
	n    int
	over Range
}

// NewFileFindings starts the findings of rule, at severity sev, about the file at path.
func NewFileFindings(path string, rule *Rule, sev Severity) *FileFindings {
	return &FileFindings{res: &Result{Path: path}, rule: rule, sev: sev}
}

// Add records a finding at rg.
func (f *FileFindings) Add(rg Range, msg string) {
	if f.n++; f.n > maxPerRule {
		if f.n == maxPerRule+1 {
			f.over = rg
		}
		return
	}
	f.res.Diagnostics = append(f.res.Diagnostics, Diagnostic{Code: f.rule.Code, Rule: f.rule.Slug, Severity: f.sev, Range: rg, Message: cutMessage(redact(msg))})
}

// Result returns the findings, with the count of those past the cap; nil when there are none.
func (f *FileFindings) Result() *Result {
	if f.n == 0 {
		return nil
	}
	if f.n > maxPerRule {
		f.res.Diagnostics = append(f.res.Diagnostics, Diagnostic{Code: f.rule.Code, Rule: f.rule.Slug, Severity: f.sev, Range: f.over,
			Message: capMessage(f.n-maxPerRule, f.rule.Slug), more: f.n - maxPerRule})
	}
	return f.res
}
