package rules

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/ruleproto"
)

// testSuffix ends the name of a Rego test file.
const testSuffix = "_test.rego"

// reservedRoot is the first package segment kept for policylint's own Rego (the helper library).
const reservedRoot = "policylint"

// Rule names that give findings, exactly as conftest reads them: deny or violation (failures)
// and warn (warnings), each with optional _suffix parts of letters and digits.
var (
	failureName = lazyre.New(`^(deny|violation)(_[a-zA-Z0-9]+)*$`)
	warningName = lazyre.New(`^warn(_[a-zA-Z0-9]+)*$`)
	// codeName is a custom rule's code: capitals and digits, ending with a digit; PL is kept for
	// policylint's own.
	codeName = lazyre.New(`^[A-Z][A-Z0-9]{0,14}[0-9]$`)
	slugName = lazyre.New(`^[a-z][a-z0-9]*([-/][a-z0-9]+)*$`)
)

// Codes and slugs of the findings of rules without METADATA, and of failures.
const (
	CodeCustom       = "PL9000" // a custom rule with no custom.code
	SlugCustomPrefix = "custom/"
)

// compiled is a loaded rule set, ready to evaluate.
type compiled struct {
	compiler *ast.Compiler
	modules  map[string]*ast.Module
	rules    []*rule
	// exceptions are the conftest exception rules, by namespace: data.<ns>.exception.
	exceptions map[string]bool
	// data is the data document of the --data files.
	data   map[string]any
	loaded ruleproto.Loaded
}

// rule is one rule that gives findings.
type rule struct {
	ruleproto.Rule
	namespace string // its package, without "data."
	name      string // deny_s3
	warn      bool   // a warn rule rather than deny or violation
	exception string // the name conftest exceptions use for it: the name less its deny_, violation_ or warn_ prefix
}

// load parses and compiles the rule files of req. Problems in user files come back in
// Loaded.Errors; when there are any, nothing else is set.
func load(req *ruleproto.Load) *compiled {
	c := &compiled{modules: map[string]*ast.Module{}, exceptions: map[string]bool{}}
	var errs []ruleproto.Problem
	for _, f := range req.Rules {
		if strings.HasSuffix(f.Name, testSuffix) && !req.Tests {
			continue
		}
		opts := parserOptions()
		if req.RegoV0 {
			opts.RegoVersion = ast.RegoV0
		}
		mod, err := ast.ParseModuleWithOpts(f.Name, f.Source, opts)
		if err != nil {
			errs = append(errs, problems(err, f.Name)...)
			if !req.RegoV0 && looksV0(err) {
				errs = append(errs, ruleproto.Problem{File: f.Name, Msg: "this looks like Rego v0, the syntax before OPA 1.0: pass --rego-version v0 (as conftest's), or update the rules with opa fmt --v0-v1"})
			}
			continue
		}
		if mod.Package.Path[1].Value.Compare(ast.String(reservedRoot)) == 0 {
			loc := mod.Package.Location
			errs = append(errs, ruleproto.Problem{File: f.Name, Row: loc.Row, Col: loc.Col,
				Msg: fmt.Sprintf("package %s is reserved for policylint's own Rego; rename the package", packagePath(mod))})
			continue
		}
		c.modules[f.Name] = mod
	}
	user := maps.Clone(c.modules)
	lib, err := libModules(req.Tests)
	if err != nil {
		return c.fail([]ruleproto.Problem{{Msg: "policylint's Rego library does not parse: " + err.Error()}})
	}
	maps.Copy(c.modules, lib)
	if len(errs) > 0 {
		return c.fail(errs)
	}
	c.compiler = newCompiler()
	if c.compiler.Compile(c.modules); c.compiler.Failed() {
		return c.fail(problems(c.compiler.Errors, ""))
	}
	data, errs := dataDocument(req.Data)
	if len(errs) > 0 {
		return c.fail(errs)
	}
	c.data = data
	c.loaded.Warnings = append(c.loaded.Warnings, neverFires(c.modules, user)...)
	ns := namespaceFilter(req)
	disabled := map[string]bool{}
	for _, d := range req.Disabled {
		disabled[d] = true
	}
	c.rules, errs = findRules(c.compiler, user, ns)
	if len(errs) > 0 {
		return c.fail(errs)
	}
	for _, r := range c.rules {
		c.loaded.Rules = append(c.loaded.Rules, r.Rule)
		if r.Contract == ruleproto.Conftest {
			c.exceptions[r.namespace] = hasRule(c.compiler, "data."+r.namespace+".exception")
		}
	}
	c.rules = slices.DeleteFunc(c.rules, func(r *rule) bool { return disabled[r.Ref] })
	c.loaded.Warnings = append(c.loaded.Warnings, staticallyNeverFires(user, ns)...)
	sortProblems(c.loaded.Warnings)
	c.loaded.Positions = readsPositions(user)
	return c
}

func (c *compiled) fail(errs []ruleproto.Problem) *compiled {
	sortProblems(errs)
	c.loaded = ruleproto.Loaded{Errors: errs}
	c.rules = nil
	return c
}

// newCompiler compiles Rego v1 with the sandbox's capabilities, keeping print() calls, whose
// output the worker hands back line by line.
func newCompiler() *ast.Compiler {
	return ast.NewCompiler().
		WithCapabilities(capabilities()).
		WithDefaultRegoVersion(ast.RegoV1).
		WithEnablePrintStatements(true)
}

// packagePath returns the package path of mod without the "data." prefix.
func packagePath(mod *ast.Module) string {
	return strings.TrimPrefix(mod.Package.Path.String(), "data.")
}

// namespaceFilter says which packages' rules give findings under the conftest contract.
func namespaceFilter(req *ruleproto.Load) func(string) bool {
	if req.AllNamespaces {
		return func(string) bool { return true }
	}
	ns := req.Namespaces
	if len(ns) == 0 {
		ns = []string{"main"}
	}
	return func(pkg string) bool { return slices.Contains(ns, pkg) }
}

// contract returns the input contract a module declares: policylint when its METADATA says
// schemas: [{input: schema.policylint}], conftest otherwise.
func contract(mod *ast.Module) string {
	for _, a := range mod.Annotations {
		for _, s := range a.Schemas {
			if s.Path.Equal(ast.InputRootRef) && s.Schema.Equal(policylintSchemaRef) {
				return ruleproto.Policylint
			}
		}
	}
	return ruleproto.Conftest
}

// findingRules calls fn for each rule of the user modules whose name gives findings, once per
// rule (a rule may have several definitions), in file order.
func findingRules(user map[string]*ast.Module, fn func(mod *ast.Module, r *ast.Rule, name string)) {
	seen := map[string]bool{}
	for _, file := range slices.Sorted(maps.Keys(user)) {
		mod := user[file]
		for _, r := range mod.Rules {
			ref := r.Head.Ref()
			if len(ref) != 1 || len(r.Head.Args) > 0 {
				continue
			}
			v, ok := ref[0].Value.(ast.Var)
			if !ok {
				continue
			}
			name := string(v)
			if !failureName.MatchString(name) && !warningName.MatchString(name) {
				continue
			}
			full := packagePath(mod) + "." + name
			if seen[full] {
				continue
			}
			seen[full] = true
			fn(mod, r, name)
		}
	}
}

// findRules returns the rules that give findings, with their METADATA: for the conftest
// contract those of the namespaces ns accepts, for the policylint contract those of any package.
func findRules(compiler *ast.Compiler, user map[string]*ast.Module, ns func(string) bool) ([]*rule, []ruleproto.Problem) {
	var out []*rule
	var errs []ruleproto.Problem
	codes, slugs := map[string]*rule{}, map[string]*rule{}
	annotations := compiler.GetAnnotationSet()
	findingRules(user, func(mod *ast.Module, r *ast.Rule, name string) {
		pkg := packagePath(mod)
		con := contract(mod)
		if con == ruleproto.Conftest && !ns(pkg) {
			return
		}
		ru := &rule{namespace: pkg, name: name, warn: warningName.MatchString(name), exception: exceptionName(name)}
		ru.Ref = "data." + pkg + "." + name
		ru.Contract = con
		ru.File, ru.Row = r.Location.File, r.Location.Row
		ru.Code, ru.Slug, ru.Severity = CodeCustom, SlugCustomPrefix+pkg+"/"+name, "error"
		if ru.warn {
			ru.Severity = "warning"
		}
		if p := ru.metadata(annotations.Chain(r)); p != nil {
			errs = append(errs, *p)
			return
		}
		if other, dup := codes[ru.Code]; dup && ru.Code != CodeCustom {
			errs = append(errs, ruleproto.Problem{File: ru.File, Row: ru.Row, Msg: fmt.Sprintf("custom.code %s is also the code of %s (%s:%d): give each rule its own", ru.Code, other.Ref, other.File, other.Row)})
			return
		}
		if other, dup := slugs[ru.Slug]; dup {
			errs = append(errs, ruleproto.Problem{File: ru.File, Row: ru.Row, Msg: fmt.Sprintf("custom.slug %s is also the slug of %s (%s:%d): give each rule its own", ru.Slug, other.Ref, other.File, other.Row)})
			return
		}
		codes[ru.Code], slugs[ru.Slug] = ru, ru
		out = append(out, ru)
	})
	slices.SortFunc(out, func(a, b *rule) int { return strings.Compare(a.Ref, b.Ref) })
	return out, errs
}

// metadata reads the rule's documentation from the first annotations of its chain (the rule,
// then its document, package and parent packages) that set each field, and returns a problem
// when a custom field is malformed.
func (r *rule) metadata(chain ast.AnnotationsRefSet) *ruleproto.Problem {
	bad := func(a *ast.Annotations, format string, args ...any) *ruleproto.Problem {
		p := &ruleproto.Problem{File: r.File, Row: r.Row, Msg: fmt.Sprintf(format, args...)}
		if a.Location != nil {
			p.File, p.Row, p.Col = a.Location.File, a.Location.Row, a.Location.Col
		}
		return p
	}
	var haveCode, haveSlug, haveSeverity bool
	for _, ref := range chain {
		a := ref.Annotations
		if a == nil {
			continue
		}
		// Title, description and link belong to the rule or its document, not to a package.
		if a.Scope == "rule" || a.Scope == "document" {
			if r.Title == "" {
				r.Title = oneLine(a.Title)
			}
			if r.Description == "" {
				r.Description = oneLine(a.Description)
			}
			if r.URL == "" && len(a.RelatedResources) > 0 {
				r.URL = a.RelatedResources[0].Ref.String()
			}
		}
		custom := func(key string) (string, bool, *ruleproto.Problem) {
			v, ok := a.Custom[key]
			if !ok {
				return "", false, nil
			}
			s, isString := v.(string)
			if !isString {
				return "", false, bad(a, "custom.%s must be a string; got %s", key, jsonText(v))
			}
			return s, true, nil
		}
		if !haveCode && (a.Scope == "rule" || a.Scope == "document") {
			if code, ok, p := custom("code"); p != nil {
				return p
			} else if ok {
				if !codeName.MatchString(code) || strings.HasPrefix(code, "PL") {
					return bad(a, "custom.code %q must be capitals and digits ending with a digit, such as ACME001, and not begin with PL, which policylint keeps for its own rules", code)
				}
				r.Code, haveCode = code, true
			}
		}
		if !haveSlug && (a.Scope == "rule" || a.Scope == "document") {
			if slug, ok, p := custom("slug"); p != nil {
				return p
			} else if ok {
				if !slugName.MatchString(slug) {
					return bad(a, "custom.slug %q must be lower-case words joined by - (or /), such as s3-tenant-prefix", slug)
				}
				r.Slug, haveSlug = slug, true
			}
		}
		if !haveSeverity {
			if sev, ok, p := custom("severity"); p != nil {
				return p
			} else if ok {
				if sev != "error" && sev != "warning" && sev != "info" {
					return bad(a, "custom.severity %q must be error, warning or info", sev)
				}
				r.Severity, haveSeverity = sev, true
			}
		}
	}
	return nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// exceptionName is the name conftest's exception rules use for a rule: its name less the deny_,
// violation_ or warn_ prefix, or "" for plain deny, violation and warn.
func exceptionName(name string) string {
	for _, prefix := range []string{"deny", "violation", "warn"} {
		if name == prefix {
			return ""
		}
		if rest, ok := strings.CutPrefix(name, prefix+"_"); ok {
			return rest
		}
	}
	return name
}

// hasRule reports whether the compiled rules define ref.
func hasRule(compiler *ast.Compiler, ref string) bool {
	r, err := ast.ParseRef(ref)
	return err == nil && len(compiler.GetRulesExact(r)) > 0
}

// staticallyNeverFires warns about deny, violation and warn rules that can never give a
// finding whatever the input: those in packages that neither the conftest namespaces select nor
// the policylint contract declares, which never run, and complete rules (deny := "x", deny if
// ...), whose value conftest, and so policylint, does not read: only a set of messages counts.
func staticallyNeverFires(user map[string]*ast.Module, ns func(string) bool) []ruleproto.Problem {
	var out []ruleproto.Problem
	findingRules(user, func(mod *ast.Module, r *ast.Rule, name string) {
		pkg := packagePath(mod)
		at := ruleproto.Problem{File: r.Location.File, Row: r.Location.Row, Col: r.Location.Col}
		switch {
		case contract(mod) != ruleproto.Policylint && !ns(pkg):
			at.Msg = fmt.Sprintf("rule %s can never fire: package %s is not a namespace policylint evaluates (main, as in conftest; choose others with --namespace or --all-namespaces), and the module does not declare the policylint input (METADATA schemas: [{input: schema.policylint}])", name, pkg)
		case r.Head.Key == nil:
			at.Msg = fmt.Sprintf("rule %s can never fire: it is a complete rule (%s := ... or %s if ...), and only a set of messages gives findings, as in conftest: write %s contains msg if { ... }", name, name, name, name)
		default:
			return
		}
		out = append(out, at)
	})
	return out
}

// readsPositions reports whether a user module may read the positions table: it names
// input.positions or data.policylint.context.positions, or reads data, data.policylint or
// data.policylint.context whole, or input whole under the policylint contract.
func readsPositions(user map[string]*ast.Module) bool {
	for _, mod := range user {
		native := contract(mod) == ruleproto.Policylint
		found := false
		// The rules only: the package clause names data too.
		for _, r := range mod.Rules {
			ast.WalkTerms(r, func(t *ast.Term) bool {
				var ref ast.Ref
				switch v := t.Value.(type) {
				case ast.Ref:
					ref = v
				case ast.Var:
					ref = ast.Ref{t} // a root document read whole: input, data
				default:
					return found
				}
				found = found || ref.HasPrefix(positionsRef) || ref.HasPrefix(contextPositionsRef) ||
					ref.Equal(contextRef) || ref.Equal(policylintDataRef) || ref.Equal(ast.DefaultRootRef) ||
					native && ref.Equal(ast.InputRootRef)
				// A reference's terms are not read on their own: data in data.x is not data whole.
				return true
			})
		}
		if found {
			return true
		}
	}
	return false
}

var (
	positionsRef        = ast.MustParseRef("input.positions")
	contextRef          = ast.MustParseRef("data.policylint.context")
	contextPositionsRef = ast.MustParseRef("data.policylint.context.positions")
	policylintDataRef   = ast.MustParseRef("data.policylint")
)

// problems converts OPA's errors to problems; file names one for errors without a location.
func problems(err error, file string) []ruleproto.Problem {
	errs, ok := err.(ast.Errors)
	if !ok {
		return []ruleproto.Problem{{File: file, Msg: oneLine(err.Error())}}
	}
	out := make([]ruleproto.Problem, 0, len(errs))
	for _, e := range errs {
		p := ruleproto.Problem{File: file, Msg: oneLine(e.Code + ": " + e.Message)}
		if e.Location != nil {
			p.File, p.Row, p.Col = e.Location.File, e.Location.Row, e.Location.Col
		}
		out = append(out, p)
	}
	return out
}

// sortProblems orders problems by file, row, column and message.
func sortProblems(ps []ruleproto.Problem) {
	slices.SortStableFunc(ps, func(a, b ruleproto.Problem) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		if a.Col != b.Col {
			return a.Col - b.Col
		}
		return strings.Compare(a.Msg, b.Msg)
	})
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// looksV0 reports whether a parse error is one Rego v1 gives a v0 module: a rule without if or
// contains.
func looksV0(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "`if` keyword is required") || strings.Contains(msg, "`contains` keyword is required")
}
