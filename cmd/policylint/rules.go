package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/report"
	"github.com/policylint/policylint/rules"
)

const rulesUsage = `Usage:
  policylint rules                  list every rule: code, slug, severity, title
  policylint rules explain RULE     document a rule (RULE is a code or a slug)
  policylint rules test DIR...       run the _test.rego files of custom rule folders
  policylint rules explain RULE --markdown
                                    the same as the page in docs/rules/
`

func runRules(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tRULE\tSEVERITY\tTITLE")
		for _, r := range lint.Rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Slug, r.Severity, r.Title)
		}
		tw.Flush()
		return exitOK
	case args[0] == "test":
		return runRuleTests(args[1:], stdout, stderr)
	case args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, rulesUsage)
		return exitOK
	case args[0] == "explain" && (len(args) == 2 || len(args) == 3 && args[2] == "--markdown"):
		r := lint.RuleByName(args[1])
		if r == nil {
			fmt.Fprintf(stderr, "policylint: rules explain: unknown rule %q: 'policylint rules' lists them\n", args[1])
			return exitUsage
		}
		if len(args) == 3 {
			explainMarkdown(stdout, r)
		} else {
			explain(stdout, r)
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "policylint: rules: unexpected arguments %q\n%s", args, rulesUsage)
	return exitUsage
}

// explain writes a rule's documentation, with the real output of its bad example.
func explain(w io.Writer, r *lint.Rule) {
	fmt.Fprintf(w, "%s %s (%s)\n\n%s\n\n", r.Code, r.Slug, r.Severity, r.Title)
	fmt.Fprintf(w, "%s\n\n", wrap(r.Rationale, 96))
	fmt.Fprintf(w, "Bad:\n%s", indent(r.Bad))
	if len(r.BadARNs) > 0 {
		fmt.Fprintf(w, "  with --policy-arn %s\n", strings.Join(r.BadARNs, " --policy-arn "))
	}
	if !r.IsConfig() {
		fmt.Fprintf(w, "\nReported as:\n%s", indent(exampleOutput(r)))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Good:\n%s\n", indent(r.Good))
	fmt.Fprintf(w, "AWS source: %s\n", r.Source)
}

// runRuleTests runs the user's Rego tests: exit 0 when all pass, 1 when any fails, 2 when a
// rule file does not compile.
func runRuleTests(args []string, stdout, stderr io.Writer) int {
	verbose := false
	var dirs []string
	for _, a := range args {
		if a == "-v" || a == "--verbose" {
			verbose = true
			continue
		}
		dirs = append(dirs, a)
	}
	if len(dirs) == 0 {
		fmt.Fprintf(stderr, "policylint: rules test: no folder given\n%s", rulesUsage)
		return exitUsage
	}
	passed, failed, err := rules.RunTests(context.Background(), dirs, stdout, verbose)
	if err != nil {
		printError(stderr, "rules test: ", err)
		return exitUsage
	}
	if passed+failed == 0 {
		fmt.Fprintf(stderr, "policylint: rules test: no test rules (test_*) in %s\n", strings.Join(dirs, ", "))
		return exitUsage
	}
	if failed > 0 {
		return exitFindings
	}
	return exitOK
}

// printError writes err to stderr, one line per rule file error at its file:row:col.
func printError(stderr io.Writer, context string, err error) {
	var fileErrs rules.FileErrors
	if errors.As(err, &fileErrs) {
		for _, fe := range fileErrs {
			fmt.Fprintf(stderr, "policylint: %v\n", fe)
		}
		return
	}
	fmt.Fprintf(stderr, "policylint: %s%v\n", context, err)
}

// explainMarkdown writes a rule's page of docs/rules/.
func explainMarkdown(w io.Writer, r *lint.Rule) {
	fmt.Fprintf(w, "# %s %s\n\n", r.Code, r.Slug)
	fmt.Fprintf(w, "%s.\n\n", upperFirst(r.Title))
	fmt.Fprintf(w, "- Severity: **%s**\n", r.Severity)
	if r.AccessAnalyzer != "" {
		fmt.Fprintf(w, "- IAM Access Analyzer check: %s\n", r.AccessAnalyzer)
	}
	fmt.Fprintf(w, "- Source: <%s>\n\n", r.Source)
	fmt.Fprintf(w, "## Why\n\n%s\n\n", wrap(r.Rationale, 100))
	lang := "json"
	switch {
	case strings.HasPrefix(r.Code, "PL9"):
		lang = "rego"
	case r.IsConfig(), strings.HasSuffix(r.File, ".yml"):
		lang = "yaml"
	case strings.HasSuffix(r.File, ".tf"):
		lang = "hcl"
	}
	fmt.Fprintf(w, "## Bad\n\n```%s\n%s```\n\n", lang, ensureNewline(showBytes(r.Bad)))
	if !utf8.ValidString(r.Bad) {
		fmt.Fprintf(w, "(\\xNN stands for a byte that is not UTF-8.)\n\n")
	}
	if len(r.BadARNs) > 0 {
		fmt.Fprintf(w, "Linted with `--policy-arn %s`.\n\n", strings.Join(r.BadARNs, " --policy-arn "))
	}
	if !r.IsConfig() {
		fmt.Fprintf(w, "policylint reports:\n\n```text\n%s```\n\n", exampleOutput(r))
	}
	fmt.Fprintf(w, "## Good\n\n```%s\n%s```\n\n", lang, ensureNewline(r.Good))
	fmt.Fprintf(w, "Disable it with `--disable %s`, or in `.policylint.yaml`: `rules: {%s: {enabled: false}}`.\n", r.Slug, r.Slug)
}

// showBytes writes the bytes of s that are not UTF-8 as \xNN, so the page stays UTF-8.
func showBytes(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, "\\x%02X", s[i])
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func ensureNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// exampleOutput lints the rule's bad example with that rule alone and renders it as text.
func exampleOutput(r *lint.Rule) string {
	var disable []string
	for _, other := range lint.Rules {
		if other != r {
			disable = append(disable, other.Code)
		}
	}
	l, err := lint.New(lint.Config{Disable: disable, Request: r.Example()})
	if err != nil {
		panic(err) // the rule table names only its own rules
	}
	var b strings.Builder
	w, _ := report.New("text", report.Options{})
	if err := w.Write(&b, l.Lint(r.ExampleFile("bad"), []byte(r.Bad))); err != nil {
		panic(err) // a strings.Builder does not fail
	}
	return b.String()
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return "  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n"
}

// wrap breaks text into lines of at most width columns at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	col := 0
	for _, word := range strings.Fields(text) {
		if col > 0 && col+1+len(word) > width {
			b.WriteByte('\n')
			col = 0
		} else if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}
