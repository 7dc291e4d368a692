package main

import (
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/ruleproto"
	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/report"
)

const rulesUsage = `Usage:
  policylint rules [--rules DIR]...           list every rule: code, slug, severity, title
  policylint rules explain RULE [--markdown]  document a rule (RULE is a code or a slug); with
                                              --rules DIR, custom rules too
  policylint rules test DIR... [flags]        run the _test.rego files of custom rule folders,
                                              as opa test and conftest verify do

Flags of rules test:
  --run REGEX      run only the tests whose name matches
  --coverage       report the share of rule lines the tests reach, and the lines they miss
  -v, --verbose    list passing tests too
  --data PATH      a JSON or YAML data file, or folder of them (repeatable)
`

func runRules(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "test" {
		return runRuleTests(args[1:], stdout, stderr)
	}
	fl := pflag.NewFlagSet("rules", pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	custom := addCustomFlags(fl)
	markdown := fl.Bool("markdown", false, "with explain: the page of docs/rules/")
	help := fl.BoolP("help", "h", false, "show this help")
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "policylint: rules: %v\n%s", err, rulesUsage)
		return exitUsage
	}
	if *help {
		fmt.Fprint(stdout, rulesUsage)
		return exitOK
	}
	fsys, err := openFS()
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	defer fsys.Close()
	dirs, err := customDirs(fsys, nil, *custom.dirs)
	if err == nil {
		var rs *sandbox.Rules
		if rs, err = loadCustom(fsys, custom, dirs, false, 1, stderr); err == nil && rs != nil {
			defer rs.Close()
		}
		find := lint.Lookup(rs)
		switch rest := fl.Args(); {
		case len(rest) == 0 && !*markdown:
			listRules(stdout, rs)
			return exitOK
		case len(rest) == 2 && rest[0] == "explain" && err == nil:
			r := find(rest[1])
			if r == nil {
				fmt.Fprintf(stderr, "policylint: rules explain: %s\n", lint.UnknownRule(rest[1]))
				return exitUsage
			}
			if *markdown {
				explainMarkdown(stdout, r)
				return exitOK
			}
			cat, warning := activeCatalog(nil, "")
			if warning != "" {
				fmt.Fprintf(stderr, "policylint: %s\n", warning)
			}
			explain(stdout, r, cat)
			return exitOK
		}
	}
	if err != nil {
		if err != errReported {
			fmt.Fprintf(stderr, "policylint: %v\n", err)
		}
		return exitUsage
	}
	hint := ""
	if rest := fl.Args(); len(rest) > 0 {
		if s := lint.Suggest(rest[0], []string{"explain", "test"}); s != "" && s != rest[0] {
			hint = fmt.Sprintf(": did you mean 'policylint rules %s'?", s)
		}
	}
	fmt.Fprintf(stderr, "policylint: rules: unexpected arguments %q%s\n%s", fl.Args(), hint, rulesUsage)
	return exitUsage
}

// listRules writes the rule table, custom rules last.
func listRules(w io.Writer, rs *sandbox.Rules) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tRULE\tSEVERITY\tTITLE")
	l := lint.Rules
	if rs != nil {
		for _, r := range rs.Loaded.Rules {
			if f := lint.Lookup(rs)(r.Slug); f != nil {
				l = append(l[:len(l):len(l)], f)
			}
		}
	}
	for _, r := range l {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Slug, r.Severity, r.Title)
	}
	tw.Flush()
}

// explain writes a rule's documentation, with the real output of its bad example against the
// catalogue in use.
func explain(w io.Writer, r *lint.Rule, cat *catalog.Catalog) {
	fmt.Fprintf(w, "%s %s (%s)\n\n%s\n\n", r.Code, r.Slug, r.Severity, r.Title)
	fmt.Fprintf(w, "%s\n\n", wrap(r.Rationale, 96))
	if r.Catalog {
		fmt.Fprintf(w, "%s\n\n", wrap("Data: "+cat.Describe()+".", 96))
	}
	if r.IsCustom() {
		fmt.Fprintf(w, "Custom rule, defined at %s.\n", r.DefinedAt())
		if r.Source != "" {
			fmt.Fprintf(w, "Documentation: %s\n", r.Source)
		}
		return
	}
	fmt.Fprintf(w, "Bad:\n%s", indent(r.Bad))
	if flags := exampleFlags(r); flags != "" {
		fmt.Fprintf(w, "  with %s\n", flags)
	}
	if !r.IsConfig() {
		fmt.Fprintf(w, "\nReported as:\n%s", indent(exampleOutput(r, cat)))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Good:\n%s\n", indent(r.Good))
	fmt.Fprintf(w, "AWS source: %s\n", r.Source)
}

// runRuleTests runs the user's Rego tests in a rule worker: exit 0 when all pass, 1 when any
// fails, 2 when a rule file does not compile.
func runRuleTests(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("rules test", pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	custom := addCustomFlags(fl)
	run := fl.String("run", "", "run only the tests whose name matches this regular expression")
	coverage := fl.Bool("coverage", false, "report the share of rule lines the tests reach")
	verbose := fl.BoolP("verbose", "v", false, "list passing tests too")
	help := fl.BoolP("help", "h", false, "show this help")
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "policylint: rules test: %v\n%s", err, rulesUsage)
		return exitUsage
	}
	if *help {
		fmt.Fprint(stdout, rulesUsage)
		return exitOK
	}
	dirs := append(fl.Args(), *custom.dirs...)
	if len(dirs) == 0 {
		fmt.Fprintf(stderr, "policylint: rules test: no folder given\n%s", rulesUsage)
		return exitUsage
	}
	fsys, err := openFS()
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	defer fsys.Close()
	for _, d := range dirs {
		if err := fsys.Allow(d); err != nil {
			fmt.Fprintf(stderr, "policylint: rules test: %v\n", pathError(d, err))
			return exitUsage
		}
	}
	rs, err := loadCustom(fsys, custom, dirs, true, 1, stderr)
	if err != nil {
		if err != errReported {
			fmt.Fprintf(stderr, "policylint: rules test: %v\n", err)
		}
		return exitUsage
	}
	defer rs.Close()
	for _, w := range rs.Loaded.Warnings {
		fmt.Fprintf(stderr, "policylint: warning: %s\n", problemText(w))
	}
	res, failure := rs.Test(&ruleproto.Test{Run: *run, Coverage: *coverage, Verbose: *verbose}, time.Minute)
	if failure != nil {
		fmt.Fprintf(stderr, "policylint: rules test: %s\n", failure.Msg)
		return exitFindings
	}
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			fmt.Fprintf(stderr, "policylint: %s\n", problemText(e))
		}
		return exitUsage
	}
	fmt.Fprint(stdout, res.Output)
	if res.Coverage != nil {
		writeCoverage(stdout, res.Coverage)
	}
	if res.Passed+res.Failed == 0 {
		fmt.Fprintf(stderr, "policylint: rules test: no test rules (test_*) in %s\n", strings.Join(dirs, ", "))
		return exitUsage
	}
	if res.Failed > 0 {
		return exitFindings
	}
	return exitOK
}

// writeCoverage writes the share of rule lines the tests reach, per file, with the lines they
// miss.
func writeCoverage(w io.Writer, c *ruleproto.Coverage) {
	fmt.Fprintf(w, "coverage: %.1f%% of rule lines\n", c.Percent)
	for _, f := range c.Files {
		missed := ""
		if len(f.Missed) > 0 {
			var parts []string
			for _, m := range f.Missed {
				if m[0] == m[1] {
					parts = append(parts, strconv.Itoa(m[0]))
				} else {
					parts = append(parts, fmt.Sprintf("%d-%d", m[0], m[1]))
				}
			}
			missed = "; not reached: lines " + strings.Join(parts, ", ")
		}
		fmt.Fprintf(w, "  %s: %.1f%%%s\n", f.File, f.Percent, missed)
	}
}

// explainMarkdown writes a rule's page of docs/rules/.
func explainMarkdown(w io.Writer, r *lint.Rule) {
	fmt.Fprintf(w, "# %s %s\n\n", r.Code, r.Slug)
	fmt.Fprintf(w, "%s.\n\n", upperFirst(r.Title))
	fmt.Fprintf(w, "- Severity: **%s**\n", r.Severity)
	if r.AccessAnalyzer != "" {
		fmt.Fprintf(w, "- IAM Access Analyzer issue code: %s\n", codeList(r.AccessAnalyzer))
	}
	if r.Catalog {
		// The pages document the released binary, so they name the built-in data.
		fmt.Fprintf(w, "- Data: %s\n", catalog.Embedded().Describe())
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
	if flags := exampleFlags(r); flags != "" {
		fmt.Fprintf(w, "Linted with `%s`.\n\n", flags)
	}
	if !r.IsConfig() {
		fmt.Fprintf(w, "policylint reports:\n\n```text\n%s```\n\n", exampleOutput(r, catalog.Embedded()))
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

// exampleFlags writes the command-line flags its bad example is linted with.
func exampleFlags(r *lint.Rule) string {
	var flags []string
	for _, a := range r.BadARNs {
		flags = append(flags, "--policy-arn "+a)
	}
	for _, t := range r.BadInherited {
		flags = append(flags, "--inherited-tag "+t.Key+"="+t.Value)
	}
	return strings.Join(flags, " ")
}

// codeList writes comma-separated issue codes as code spans.
func codeList(codes string) string {
	parts := strings.Split(codes, ", ")
	for i, c := range parts {
		parts[i] = "`" + c + "`"
	}
	return strings.Join(parts, ", ")
}

// exampleOutput lints the rule's bad example with that rule alone, against a catalogue, and
// renders it as text.
func exampleOutput(r *lint.Rule, cat *catalog.Catalog) string {
	var disable []string
	for _, other := range lint.Rules {
		if other != r && !other.IsConfig() {
			disable = append(disable, other.Code)
		}
	}
	// The example reads no file: a file:// Policy in it names none of the user's.
	noFiles := func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	l, err := lint.New(lint.Config{Disable: disable, Request: r.Example(), ReadFile: noFiles, Catalog: cat})
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
