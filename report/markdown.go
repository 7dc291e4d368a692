package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/policylint/policylint/lint"
)

// maxMarkdownFindings caps the table of every finding: GitHub takes at most 1 MiB of job summary
// per step, and a reader nothing past a few hundred rows.
const maxMarkdownFindings = 300

type markdownWriter struct{ opts Options }

// Write writes a GitHub-flavoured Markdown report, made for a job summary
// ($GITHUB_STEP_SUMMARY) or a pull request comment: the counts, findings per rule and per file,
// the packed-size estimate of each policy or request (when Options.Estimate is set), and every
// finding at its place. Text from the input (paths, messages) is escaped, so that it shows as
// written and cannot add links, images or HTML.
func (m markdownWriter) Write(w io.Writer, results []*lint.Result) error {
	var b strings.Builder
	type ruleKey struct {
		code, slug string
		sev        lint.Severity
	}
	perRule := map[ruleKey]int{}
	var bySev [3]int
	files := 0
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			files++
		}
		for _, d := range r.Diagnostics {
			perRule[ruleKey{d.Code, d.Rule, d.Severity}]++
			bySev[d.Severity]++
		}
	}
	total := bySev[lint.Error] + bySev[lint.Warning] + bySev[lint.Info]

	b.WriteString("### policylint\n\n")
	if total == 0 {
		fmt.Fprintf(&b, "No findings in %s.\n\n", plural(len(results), "file"))
	} else {
		fmt.Fprintf(&b, "**%s** in %d of %s: %s, %s, %d info.\n\n", plural(total, "finding"), files, plural(len(results), "file"),
			plural(bySev[lint.Error], "error"), plural(bySev[lint.Warning], "warning"), bySev[lint.Info])
	}
	if m.opts.Annotations {
		if note := AnnotationLimitNote(bySev[lint.Error], bySev[lint.Warning], bySev[lint.Info]); note != "" {
			fmt.Fprintf(&b, "> [!NOTE]\n> %s; all are listed below.\n\n", mdText(note))
		}
	}

	if total > 0 {
		keys := make([]ruleKey, 0, len(perRule))
		for k := range perRule {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b ruleKey) int {
			return cmp.Or(cmp.Compare(b.sev, a.sev), cmp.Compare(a.code, b.code), cmp.Compare(a.slug, b.slug))
		})
		b.WriteString("| Rule | Severity | Findings |\n|---|---|--:|\n")
		for _, k := range keys {
			name := mdText(k.code + " " + k.slug)
			if lint.RuleByName(k.code) != nil {
				name = fmt.Sprintf("[%s](%s%s.md)", name, ruleDocURI, k.slug)
			}
			fmt.Fprintf(&b, "| %s | %s | %d |\n", name, k.sev, perRule[k])
		}
		b.WriteString("\n| File | Errors | Warnings | Info |\n|---|--:|--:|--:|\n")
		for _, r := range results {
			if len(r.Diagnostics) == 0 {
				continue
			}
			var n [3]int
			for _, d := range r.Diagnostics {
				n[d.Severity]++
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", m.path(r), n[lint.Error], n[lint.Warning], n[lint.Info])
		}
		b.WriteString("\n")
	}

	if m.opts.Estimates != nil {
		var rows []string
		for _, r := range results {
			for _, e := range m.opts.Estimates(r) {
				if e.None != "" {
					continue
				}
				verdict := "accepted"
				switch {
				case e.TooLong != "":
					verdict = "**rejected** (over 2,048 characters, before packing)"
				case e.Percent > 100:
					verdict = "**rejected** (PackedPolicyTooLarge)"
				}
				where := m.path(r)
				if e.Line > 0 {
					where += fmt.Sprintf(":%d", e.Line) // a workflow's step, a Terraform block
				}
				rows = append(rows, fmt.Sprintf("| %s | %g%% | %g–%g%% | %s | %s |", where, e.Percent, e.Low, e.High, verdict, mdText(e.Model)))
			}
		}
		if len(rows) > 0 {
			b.WriteString("#### Packed size (estimated)\n\n| Policy or request | Estimate | Band | STS | Model |\n|---|--:|---|---|---|\n")
			b.WriteString(strings.Join(rows, "\n") + "\n\n")
		}
	}

	if total > 0 {
		fmt.Fprintf(&b, "<details><summary>Every finding</summary>\n\n| Place | Rule | Severity | Message |\n|---|---|---|---|\n")
		shown := 0
		for _, r := range results {
			for _, d := range r.Diagnostics {
				if shown == maxMarkdownFindings {
					break
				}
				shown++
				fmt.Fprintf(&b, "| %s:%d:%d | %s | %s | %s |\n", m.path(r), d.Range.Start.Line, d.Range.Start.Column,
					mdText(d.Code+" "+d.Rule), d.Severity, mdText(d.Message))
			}
		}
		if shown < total {
			fmt.Fprintf(&b, "\n%d more are in the log and the SARIF file.\n", total-shown)
		}
		b.WriteString("\n</details>\n\n")
	}
	if m.opts.ToolVersion != "" {
		fmt.Fprintf(&b, "<sub>policylint %s</sub>\n", mdText(m.opts.ToolVersion))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// path is the result's file as the repository names it, escaped.
func (m markdownWriter) path(r *lint.Result) string {
	p, _ := m.opts.repoPath(r.Path)
	return mdText(p)
}

// markdownSpecial are the characters GitHub's Markdown gives a meaning to inside a table cell:
// emphasis, code, links and images, HTML and entities, cells, math, and the : and . of
// autolinked URLs and domains.
const markdownSpecial = "\\`*_[]()<>#!|~&:.$"

// mdText escapes s for a Markdown table cell: each of markdownSpecial gets a backslash
// (CommonMark allows one before any ASCII punctuation), and control and format characters show
// as \xNN or \uNNNN, line breaks included.
func mdText(s string) string {
	s = escapeControls(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
