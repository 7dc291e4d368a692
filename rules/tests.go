package rules

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/policylint/policylint/internal/ruleproto"
)

// TestTimeout is the deadline of one Rego test case.
const TestTimeout = 5 * time.Second

// runTests runs the tests (rules named test_*) of the loaded modules with OPA's tester, as opa
// test and conftest verify do: one line per failed test ("file:row: FAIL data.pkg.test_name",
// then its print output and error, indented), per passed test too when verbose, a last line "N
// passed, M failed", and with coverage the share of rule lines the tests reach.
func runTests(c *compiled, req *ruleproto.Test) *ruleproto.Tested { return testsOf(c, req, false) }

// testsOf runs the tests, those of the library too when lib is set.
func testsOf(c *compiled, req *ruleproto.Test, lib bool) *ruleproto.Tested {
	out := &ruleproto.Tested{}
	if req.Run != "" {
		if _, err := regexp.Compile(req.Run); err != nil {
			out.Errors = []ruleproto.Problem{{Msg: fmt.Sprintf("--run %q is not a regular expression: %v", req.Run, err)}}
			return out
		}
	}
	runner := tester.NewRunner().
		SetCompiler(newCompiler()).
		SetModules(c.modules).
		SetStore(newStore(c)).
		CapturePrintOutput(true).
		SetTimeout(TestTimeout).
		Filter(req.Run)
	var cov *cover.Cover
	if req.Coverage {
		cov = cover.New()
		runner = runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(context.Background(), nil)
	if err != nil {
		out.Errors = problems(err, "")
		sortProblems(out.Errors)
		return out
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	slices.SortFunc(results, func(a, b *tester.Result) int {
		return cmp.Or(strings.Compare(a.Location.File, b.Location.File), cmp.Compare(a.Location.Row, b.Location.Row), strings.Compare(a.Name, b.Name))
	})
	var b strings.Builder
	for _, r := range results {
		switch {
		case r.Skip || !lib && strings.HasPrefix(r.Location.File, libPrefix):
			continue
		case r.Pass():
			out.Passed++
			if !req.Verbose {
				continue
			}
		default:
			out.Failed++
		}
		outcome := "PASS"
		if !r.Pass() {
			outcome = "FAIL"
		}
		fmt.Fprintf(&b, "%s:%d: %s %s.%s\n", r.Location.File, r.Location.Row, outcome, r.Package, r.Name)
		if r.Pass() {
			continue
		}
		for line := range strings.Lines(string(r.Output)) {
			fmt.Fprintf(&b, "    %s\n", shorten(strings.TrimSuffix(line, "\n"), 500))
		}
		if r.Error != nil {
			fmt.Fprintf(&b, "    error: %s\n", shorten(oneLine(r.Error.Error()), 500))
		}
	}
	fmt.Fprintf(&b, "%d passed, %d failed\n", out.Passed, out.Failed)
	out.Output = b.String()
	if cov != nil {
		out.Coverage = coverage(cov.Report(c.modules), userModules(c.modules))
	}
	return out
}

// userModules leaves out the library and the test files: coverage is of the rules.
func userModules(modules map[string]*ast.Module) map[string]*ast.Module {
	out := maps.Clone(modules)
	maps.DeleteFunc(out, func(name string, _ *ast.Module) bool {
		return strings.HasPrefix(name, libPrefix) || strings.HasSuffix(name, testSuffix)
	})
	return out
}

// coverage keeps the report's files of the user's rules, and their share of lines covered.
func coverage(r cover.Report, files map[string]*ast.Module) *ruleproto.Coverage {
	out := &ruleproto.Coverage{}
	covered, total := 0, 0
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f, ok := r.Files[name]
		if !ok {
			f = &cover.FileReport{}
		}
		covered += f.CoveredLines
		total += f.CoveredLines + f.NotCoveredLines
		fc := ruleproto.FileCoverage{File: name, Percent: f.Coverage}
		for _, rg := range f.NotCovered {
			fc.Missed = append(fc.Missed, [2]int{rg.Start.Row, rg.End.Row})
		}
		out.Files = append(out.Files, fc)
	}
	if total > 0 {
		out.Percent = 100 * float64(covered) / float64(total)
	}
	return out
}
