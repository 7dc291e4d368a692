package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policylint/policylint/internal/ruleproto"
	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/rules"
)

// TestMain makes the test binary the rule worker that the custom rule tests start, as policylint
// is.
func TestMain(m *testing.M) {
	sandbox.RunIfWorker(rules.Serve)
	os.Exit(m.Run())
}

// oracleSlugs pairs each security rule written in Go with its Rego twin in
// rules/testdata/oracle, written on the helper library users import (policylint.lib.iam).
var oracleSlugs = map[string]string{
	"passrole-star":      "custom/oracle.passrole_star/warn",
	"allow-notaction":    "custom/oracle.allow_notaction/warn",
	"allow-notresource":  "custom/oracle.allow_notresource/warn",
	"full-admin":         "custom/oracle.full_admin/warn",
	"redundant-action":   "custom/oracle.redundant_action/warn",
	"redundant-resource": "custom/oracle.redundant_resource/warn",
}

// TestLibrary_AgreesWithTheGoRules lints the golden policies and the shared corpus with the six
// Go rules and their Rego twins together, and requires the same findings, pointer and message,
// from both: the library users import matches actions and ARNs as policylint does.
func TestLibrary_AgreesWithTheGoRules(t *testing.T) {
	var files []ruleproto.File
	dir := "../rules/testdata/oracle"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, ruleproto.File{Name: e.Name(), Source: string(b)})
	}
	rs, err := sandbox.Start(sandbox.Options{Load: ruleproto.Load{Rules: files, CPU: 30 * time.Second}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	if len(rs.Loaded.Errors) > 0 || len(rs.Loaded.Warnings) > 0 {
		t.Fatalf("the oracle rules do not load cleanly: %+v %+v", rs.Loaded.Errors, rs.Loaded.Warnings)
	}
	var disable []string
	for _, r := range Rules {
		if _, ok := oracleSlugs[r.Slug]; !ok && !r.IsConfig() {
			disable = append(disable, r.Slug)
		}
	}
	l, err := New(Config{Custom: rs, Disable: disable})
	if err != nil {
		t.Fatal(err)
	}
	inputs, _ := filepath.Glob("../testdata/rules/*/*.json")
	if _, err := os.Stat(corpusDir); err == nil {
		inputs = append(inputs, corpusFiles(t, "managed")...)
		inputs = append(inputs, corpusFiles(t, "real")...)
	} else {
		t.Logf("corpus not found at %s: comparing on the golden inputs only", corpusDir)
	}
	compared, findings := 0, 0
	for _, path := range inputs {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res := l.Lint(path, src)
		if len(res) == 0 || res[0].Doc == nil || res[0].Doc.Root == nil || isRequestDocument(res[0].Doc) || strings.Contains(string(src), `\n`) {
			continue // only policy files; the library cannot split entries holding a line break
		}
		compared++
		goSide, regoSide := map[string][]string{}, map[string][]string{}
		for _, d := range res[0].Diagnostics {
			if twin, ok := oracleSlugs[d.Rule]; ok {
				goSide[twin] = append(goSide[twin], d.Pointer+" "+d.Message)
				findings++
			} else if strings.HasPrefix(d.Rule, "custom/oracle.") {
				regoSide[d.Rule] = append(regoSide[d.Rule], d.Pointer+" "+d.Message)
			} else if d.Rule == "rule-error" || d.Rule == "rule-timeout" {
				t.Errorf("%s: %s", path, d.Message)
			}
		}
		for _, twin := range oracleSlugs {
			g, r := goSide[twin], regoSide[twin]
			slices.Sort(g)
			slices.Sort(r)
			if capped(g) || capped(r) {
				continue // past the cap, each side keeps its first findings
			}
			if !slices.Equal(g, r) {
				t.Errorf("%s: %s differs\n  Go:   %q\n  Rego: %q", path, twin, g, r)
			}
		}
	}
	t.Logf("%d policies compared, %d findings of the six rules agree", compared, findings)
}

// capped reports whether findings include the cap's count of the rest.
func capped(findings []string) bool {
	return slices.ContainsFunc(findings, func(f string) bool { return strings.Contains(f, " findings in this file are not reported one by one") })
}
