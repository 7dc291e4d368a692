package rules

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policylint/policylint/internal/ruleproto"
)

const testPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`

// loaded compiles sources (file name → Rego) as the worker does.
func loaded(t *testing.T, req ruleproto.Load, sources map[string]string) (*compiled, *evaluator) {
	t.Helper()
	for name, src := range sources {
		req.Rules = append(req.Rules, ruleproto.File{Name: name, Source: src})
	}
	slices.SortFunc(req.Rules, func(a, b ruleproto.File) int { return strings.Compare(a.Name, b.Name) })
	if req.CPU == 0 {
		req.CPU = 5 * time.Second
	}
	c := load(&req)
	if len(c.loaded.Errors) > 0 {
		return c, nil
	}
	e, err := newEvaluator(c, req.CPU)
	if err != nil {
		t.Fatal(err)
	}
	return c, e
}

// evalPolicy evaluates on a policy with an empty request context.
func evalPolicy(t *testing.T, e *evaluator, policy string) *ruleproto.Evaluated {
	t.Helper()
	return e.eval(&ruleproto.Eval{Policy: json.RawMessage(policy), Context: json.RawMessage(`{"path":"p.json","kind":"policy","request":{"operation":"AssumeRole","tags":[]}}`), Path: "p.json"})
}

func lines(findings []ruleproto.Finding) []string {
	var out []string
	for _, f := range findings {
		parts := []string{f.Ref}
		if f.Pointer != "" {
			parts = append(parts, f.Pointer)
		}
		out = append(out, strings.Join(append(parts, f.Message), " "))
	}
	return out
}

func TestConftestContract_InputIsThePolicy(t *testing.T) {
	_, e := loaded(t, ruleproto.Load{}, map[string]string{"main.rego": `package main

deny contains msg if {
	some s in input.Statement
	s.Effect == "Allow"
	s.Resource == "*"
	msg := sprintf("statement %s allows on every resource", [s.Sid])
}

violation_admin contains {"msg": "no admin", "details": {"why": "x"}} if input.Statement[_].Action == "iam:*"

warn_s3 contains {"msg": "s3 wildcard", "pointer": "/Statement/0/Action"} if input.Statement[0].Action == "s3:*"

# deny_x is excepted below, so it gives nothing.
deny_x contains "excepted" if true

exception contains rules if {
	input.Version == "2012-10-17"
	rules := ["x"]
}

# Not a finding rule: a helper.
helper := 1
`})
	got := lines(evalPolicy(t, e, testPolicy).Findings)
	want := []string{
		"data.main.deny /Statement/0 statement a allows on every resource",
		"data.main.violation_admin /Statement/1/Action no admin",
		"data.main.warn_s3 /Statement/0/Action s3 wildcard",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestConftestContract_Namespaces(t *testing.T) {
	sources := map[string]string{
		"main.rego":  "package main\n\ndeny contains \"main\" if true\n",
		"other.rego": "package team.s3\n\ndeny contains \"other\" if true\n",
	}
	for _, tc := range []struct {
		req  ruleproto.Load
		want []string
	}{
		{ruleproto.Load{}, []string{"data.main.deny main"}},
		{ruleproto.Load{Namespaces: []string{"team.s3"}}, []string{"data.team.s3.deny other"}},
		{ruleproto.Load{AllNamespaces: true}, []string{"data.main.deny main", "data.team.s3.deny other"}},
	} {
		c, e := loaded(t, tc.req, sources)
		if got := lines(evalPolicy(t, e, testPolicy).Findings); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %q, want %q", tc.req, got, tc.want)
		}
		// The rules of a package that is not evaluated are reported as never firing.
		if !tc.req.AllNamespaces && len(c.loaded.Warnings) != 1 {
			t.Errorf("%+v: warnings %+v, want one for the package left out", tc.req, c.loaded.Warnings)
		}
	}
}

func TestPolicylintContract(t *testing.T) {
	c, e := loaded(t, ruleproto.Load{}, map[string]string{"tenant.rego": `# METADATA
# schemas:
#   - input: schema.policylint
package tenant

deny contains {"msg": msg, "pointer": sprintf("/Statement/%d", [i])} if {
	some i, s in input.policy.Statement
	s.Effect == "Allow"
	input.request.operation == "AssumeRole"
	msg := sprintf("%s: statement %d allows", [input.path, i])
}

warn contains sprintf("starts at line %d", [input.positions[""].line]) if input.positions[""]
`})
	if !c.loaded.Positions {
		t.Error("a rule reading input.positions does not ask for them")
	}
	got := lines(e.eval(&ruleproto.Eval{
		Policy:  json.RawMessage(testPolicy),
		Context: json.RawMessage(`{"path":"p.json","kind":"policy","request":{"operation":"AssumeRole"},"positions":{"":{"line":3,"column":1}}}`),
	}).Findings)
	want := []string{"data.tenant.deny /Statement/0 p.json: statement 0 allows", "data.tenant.warn starts at line 3"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

func TestContext_ForTheConftestContract(t *testing.T) {
	c, e := loaded(t, ruleproto.Load{}, map[string]string{"main.rego": `package main

deny contains sprintf("%s %s %s", [data.policylint.context.kind, data.policylint.context.request.operation, data.conftest.file.name]) if true
`})
	if c.loaded.Positions {
		t.Error("a rule that reads no positions asks for them")
	}
	if got := lines(evalPolicy(t, e, testPolicy).Findings); !slices.Equal(got, []string{"data.main.deny policy AssumeRole p.json"}) {
		t.Errorf("findings %q", got)
	}
}

func TestMetadata(t *testing.T) {
	c, _ := loaded(t, ruleproto.Load{}, map[string]string{"main.rego": `package main

# METADATA
# title: S3 stays in the tenant prefix
# description: Every S3 grant names the tenant's prefix.
# related_resources:
#   - ref: https://example.com/rules/s3-tenant
# custom:
#   code: ACME001
#   slug: s3-tenant-prefix
#   severity: warning
deny_s3 contains "x" if false

warn contains "y" if false
`})
	if len(c.loaded.Errors) > 0 {
		t.Fatal(c.loaded.Errors)
	}
	got := c.loaded.Rules
	if len(got) != 2 {
		t.Fatalf("rules %+v", got)
	}
	s3 := got[0]
	if s3.Code != "ACME001" || s3.Slug != "s3-tenant-prefix" || s3.Severity != "warning" || s3.Title != "S3 stays in the tenant prefix" ||
		s3.Description != "Every S3 grant names the tenant's prefix." || s3.URL != "https://example.com/rules/s3-tenant" || s3.File != "main.rego" || s3.Row != 12 {
		t.Errorf("deny_s3: %+v", s3)
	}
	if w := got[1]; w.Code != CodeCustom || w.Slug != "custom/main/warn" || w.Severity != "warning" {
		t.Errorf("warn: %+v", w)
	}
}

func TestMetadata_Errors(t *testing.T) {
	for src, want := range map[string]string{
		"# METADATA\n# custom:\n#   code: PL6001\ndeny contains 1 if false\n":                                                                    `custom.code "PL6001" must be capitals and digits`,
		"# METADATA\n# custom:\n#   code: 7\ndeny contains 1 if false\n":                                                                         "custom.code must be a string; got 7",
		"# METADATA\n# custom:\n#   severity: fatal\ndeny contains 1 if false\n":                                                                 `custom.severity "fatal" must be error, warning or info`,
		"# METADATA\n# custom:\n#   slug: Has Spaces\ndeny contains 1 if false\n":                                                                `custom.slug "Has Spaces" must be lower-case words`,
		"# METADATA\n# custom:\n#   code: ACME1\ndeny contains 1 if false\n\n# METADATA\n# custom:\n#   code: ACME1\nwarn contains 1 if false\n": "custom.code ACME1 is also the code of data.main.deny",
	} {
		c, _ := loaded(t, ruleproto.Load{}, map[string]string{"m.rego": "package main\n\n" + src})
		if len(c.loaded.Errors) != 1 || !strings.Contains(c.loaded.Errors[0].Msg, want) || c.loaded.Errors[0].Row == 0 {
			t.Errorf("%q: errors %+v, want one at its row with %q", src, c.loaded.Errors, want)
		}
	}
}

func TestNeverFires(t *testing.T) {
	c, _ := loaded(t, ruleproto.Load{}, map[string]string{
		"conftest.rego": `package main

deny contains "a" if input.policy.Statement[_].Effect == "Allow"

warn contains "b" if input.statement

violation contains "c" if input.Statement[_].Action == "s3:*"

deny_complete := "d"
`,
		"native.rego": `# METADATA
# schemas:
#   - input: schema.policylint
package native

deny contains "e" if input.Statement[_].Effect == "Allow"

warn contains "f" if input.request.tags[_].key == "team"
`,
	})
	var got []string
	for _, w := range c.loaded.Warnings {
		got = append(got, fmt.Sprintf("%s:%d: %s", w.File, w.Row, w.Msg))
	}
	for _, want := range []string{
		"conftest.rego:3: this rule can never fire: it reads input.policy.Statement[_].Effect, but under the conftest contract input is the policy document",
		"conftest.rego:5: this rule can never fire: it reads input.statement, but under the conftest contract",
		"conftest.rego:9: rule deny_complete can never fire: it is a complete rule",
		"native.rego:6: this rule can never fire: it reads input.Statement[_].Effect, which the policylint input never has",
	} {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, want) }) {
			t.Errorf("no warning %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if len(got) != 4 {
		t.Errorf("%d warnings, want 4 (the rules on lines 7 and 8 can fire):\n%s", len(got), strings.Join(got, "\n"))
	}
}

func TestSandbox_OnlyAllowedBuiltins(t *testing.T) {
	for _, call := range []string{
		`http.send({"method": "GET", "url": "http://169.254.169.254/"})`,
		`opa.runtime()`,
		`time.now_ns()`,
		`bits.lsh(1, 100000000)`,
		`strings.render_template("{{.x}}", {"x": 1})`,
		`graph.reachable_paths({}, {})`,
		`graphql.parse_query("{ a }")`,
		`net.cidr_expand("0.0.0.0/0")`,
		`crypto.sha256("x")`,
	} {
		name := call[:strings.IndexByte(call, '(')]
		c, _ := loaded(t, ruleproto.Load{}, map[string]string{"s.rego": "package main\n\ndeny contains msg if {\n\tmsg := sprintf(\"%v\", [" + call + "])\n}\n"})
		if len(c.loaded.Errors) != 1 || c.loaded.Errors[0].Msg != "rego_type_error: undefined function "+name || c.loaded.Errors[0].Row != 4 {
			t.Errorf("%s: errors %+v, want one at row 4", name, c.loaded.Errors)
		}
	}
}

func TestLoad_Errors(t *testing.T) {
	c, _ := loaded(t, ruleproto.Load{}, map[string]string{
		"a.rego": "package broken\n\ndeny contains msg if {\n\tmsg := \"x\" +\n}\n",
		"b.rego": "package policylint.mine\n\ndeny contains 1 if true\n",
	})
	var got []string
	for _, e := range c.loaded.Errors {
		got = append(got, fmt.Sprintf("%s:%d:%d: %s", e.File, e.Row, e.Col, e.Msg))
	}
	want := []string{
		"a.rego:5:1: rego_parse_error: unexpected } token",
		"b.rego:1:1: package policylint.mine is reserved for policylint's own Rego; rename the package",
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEval_ResultShapes(t *testing.T) {
	_, e := loaded(t, ruleproto.Load{}, map[string]string{"m.rego": `package main

deny contains 42 if true

deny contains {"message": "no msg key"} if true

deny contains {"msg": "at a line", "_loc": {"file": "p.json", "line": 3}} if true

warn contains {"msg": "ok", "pointer": "/Statement"} if true

# A conflict: two values for a complete rule.
violation_conflict := "a" if true

violation_conflict := "b" if true
`})
	got := evalPolicy(t, e, testPolicy)
	if f := lines(got.Findings); !slices.Equal(f, []string{"data.main.deny at a line", "data.main.warn /Statement ok"}) {
		t.Errorf("findings %q", f)
	}
	if got.Findings[0].Line != 3 {
		t.Errorf("_loc line %d, want 3", got.Findings[0].Line)
	}
	var errs []string
	for _, e := range got.Errors {
		errs = append(errs, e.Msg)
	}
	for _, want := range []string{
		"rule data.main.deny returned 42, which is not a message string",
		`rule data.main.deny returned {"message":"no msg key"}, which is not a message string`,
		"rule data.main.violation_conflict failed: ",
	} {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, want) }) {
			t.Errorf("no error %q in %q", want, errs)
		}
	}
}

func TestEval_CPUBudget(t *testing.T) {
	_, e := loaded(t, ruleproto.Load{CPU: 100 * time.Millisecond}, map[string]string{"m.rego": `package main

deny contains "unreachable" if {
	some i in numbers.range(1, 2000)
	some j in numbers.range(1, 2000)
	some k in numbers.range(1, 2000)
	i + j + k < 0
}
`})
	start := time.Now()
	got := evalPolicy(t, e, testPolicy)
	if !got.Timeout {
		t.Fatalf("a loop over 8e9 combinations finished: %+v", got)
	}
	t.Logf("stopped after %s of wall-clock time", time.Since(start))
	// The worker goes on with the next document.
	if got := evalPolicy(t, e, testPolicy); !got.Timeout {
		t.Error("the second document did not run out too")
	}
}

func TestEval_Print(t *testing.T) {
	_, e := loaded(t, ruleproto.Load{}, map[string]string{"m.rego": `package main

deny contains "huge" if {
	print("condition value is", input.Statement[0].Condition.NumericLessThan.n)
	input.Statement[0].Condition.NumericLessThan.n > 1
}
`})
	got := evalPolicy(t, e, `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"n":1e300}}}]}`)
	if f := lines(got.Findings); !slices.Equal(f, []string{"data.main.deny /Statement/0/Condition/NumericLessThan/n huge"}) || len(got.Errors) > 0 {
		t.Errorf("findings %q, errors %+v", f, got.Errors)
	}
	if !slices.Equal(got.Prints, []string{"m.rego:4: condition value is 1e300"}) {
		t.Errorf("prints %q", got.Prints)
	}
}

func TestData(t *testing.T) {
	_, e := loaded(t, ruleproto.Load{Data: []ruleproto.File{{Name: "allowed.yaml", Source: "allowed_actions: [\"s3:GetObject\"]\n"}}},
		map[string]string{"m.rego": "package main\n\ndeny contains a if {\n\ta := input.Statement[_].Action\n\tnot a in data.allowed_actions\n}\n"})
	if got := lines(evalPolicy(t, e, testPolicy).Findings); !slices.Equal(got, []string{"data.main.deny /Statement/0/Action s3:*", "data.main.deny /Statement/1/Action iam:*"}) {
		t.Errorf("findings %q", got)
	}
	c, _ := loaded(t, ruleproto.Load{Data: []ruleproto.File{{Name: "d.json", Source: `{"policylint": 1}`}, {Name: "e.json", Source: `[1]`}}}, map[string]string{"m.rego": "package main\n"})
	if len(c.loaded.Errors) != 2 {
		t.Errorf("reserved and non-object data: %+v", c.loaded.Errors)
	}
}

func TestRunTests(t *testing.T) {
	sources := map[string]string{
		"rule.rego": "package failing\n\ndeny contains \"always\" if true\n\nwarn contains \"never\" if {\n\tinput.x == 1\n\tinput.y == 2\n}\n",
		"rule_test.rego": `package failing_test

import data.failing

test_passes if failing.deny == {"always"}

test_fails if {
	print("deny is", failing.deny)
	failing.deny == {"never"}
}
`,
	}
	c, _ := loaded(t, ruleproto.Load{Tests: true}, sources)
	got := runTests(c, &ruleproto.Test{Coverage: true})
	if got.Passed != 1 || got.Failed != 1 || !strings.Contains(got.Output, "rule_test.rego:7: FAIL data.failing_test.test_fails\n    deny is {\"always\"}") {
		t.Errorf("%d passed, %d failed:\n%s", got.Passed, got.Failed, got.Output)
	}
	if got.Coverage == nil || len(got.Coverage.Files) != 1 || got.Coverage.Files[0].File != "rule.rego" || len(got.Coverage.Files[0].Missed) == 0 {
		t.Errorf("coverage %+v: want rule.rego with the warn body missed", got.Coverage)
	}
	if got := runTests(c, &ruleproto.Test{Run: "passes"}); got.Passed != 1 || got.Failed != 0 {
		t.Errorf("--run passes: %d passed, %d failed", got.Passed, got.Failed)
	}
}

// TestLibrary_RegoTests runs the library's own tests, which a user's report leaves out.
func TestLibrary_RegoTests(t *testing.T) {
	c, _ := loaded(t, ruleproto.Load{Tests: true}, nil)
	res := testsOf(c, &ruleproto.Test{}, true)
	if res.Failed > 0 || res.Passed == 0 || len(res.Errors) > 0 {
		t.Errorf("library tests: %d passed, %d failed, %+v:\n%s", res.Passed, res.Failed, res.Errors, res.Output)
	}
	t.Logf("%d library tests passed", res.Passed)
}

// TestServe speaks the worker's protocol end to end, in process.
func TestServe(t *testing.T) {
	var in bytes.Buffer
	w := bufio.NewWriter(&in)
	for _, req := range []ruleproto.Request{
		{Load: &ruleproto.Load{Rules: []ruleproto.File{{Name: "m.rego", Source: "package main\n\ndeny contains \"x\" if input.Version\n"}}, CPU: time.Second}},
		{Eval: &ruleproto.Eval{Policy: json.RawMessage(testPolicy), Context: json.RawMessage(`{}`)}},
		{Test: &ruleproto.Test{}},
	} {
		if err := ruleproto.WriteRequest(w, &req); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := Serve(&in, &out); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(&out)
	var replies []ruleproto.Reply
	for {
		var reply ruleproto.Reply
		if err := ruleproto.ReadReply(r, &reply); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, reply)
	}
	if len(replies) != 3 || replies[0].Loaded == nil || len(replies[0].Loaded.Rules) != 1 ||
		replies[1].Evaluated == nil || len(replies[1].Evaluated.Findings) != 1 || replies[2].Tested == nil {
		t.Errorf("replies %+v", replies)
	}
}
