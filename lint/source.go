package lint

import (
	"bytes"
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/internal/source/terraform"
	"github.com/policylint/policylint/internal/source/workflow"
	yamlsource "github.com/policylint/policylint/internal/source/yaml"
	"github.com/policylint/policylint/pack"
)

// The kinds of file policylint reads, told apart by content and name (Classify).
const (
	KindPolicy    = "policy"         // a session policy in JSON, or in YAML
	KindRequest   = "request"        // an STS request in the --cli-input-json or --cli-input-yaml shape
	KindWorkflow  = "workflow"       // a GitHub Actions workflow
	KindTerraform = "terraform"      // a Terraform configuration file (.tf)
	KindPlan      = "terraform-plan" // the JSON of terraform show -json
	kindNone      = ""               // none of these
)

// Candidate reports whether a file found by a directory walk may be of a kind policylint reads,
// by its name alone: JSON, YAML and Terraform files that are not hidden (.pre-commit-config.yaml,
// .policylint.yaml). Lint tells by content.
func Candidate(name string) bool {
	if strings.HasPrefix(filepath.Base(name), ".") {
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".yaml", ".yml", ".tf":
		return true
	}
	return false
}

// Lint checks one file the user named: a session policy or STS request in JSON or YAML, a GitHub
// workflow, a Terraform file or plan. path names it in the results and resolves a request's
// "file://" policy. The first result is the file's own; a request whose policy is another file
// adds that file's result. A file of no kind policylint reads is reported (unknown-document).
func (l *Linter) Lint(path string, src []byte) []*Result {
	results, _ := l.lint(path, src, true)
	return results
}

// LintFound checks a file found by a directory walk or given in a hook's file list, which may be
// any JSON, YAML or Terraform file: one of no kind policylint reads (package.json) returns no
// results and why it was skipped.
func (l *Linter) LintFound(path string, src []byte) ([]*Result, string) {
	return l.lint(path, src, false)
}

func (l *Linter) lint(path string, src []byte, named bool) ([]*Result, string) {
	results, skipped := l.read(path, src, named)
	if skipped != "" && !named {
		return nil, skipped
	}
	for _, r := range results {
		l.configure(r)
	}
	return results, ""
}

// read lints a file by its kind; skipped says why the file is of none.
func (l *Linter) read(path string, src []byte, named bool) ([]*Result, string) {
	r := l.sources(path, src, named)
	switch {
	case r.skipped != "":
		return l.unknown(path, src, r.skipped), r.skipped
	case r.json != nil:
		return l.lintJSON(path, r.json, r.jsonErr), ""
	}
	return l.lintSource(path, r), ""
}

// fileRead is a file as its source reader sees it: a JSON policy or request (json), the
// documents a reader found in another kind of file (host and file), or why it is of no kind.
type fileRead struct {
	json    *jsonpos.Document
	jsonErr error
	host    *jsonpos.Document
	file    source.File
	skipped string
	// syntax is what the user's file is written in, when not JSON: policies in it are strings of
	// that syntax, whose escapes the advice on characters must follow.
	syntax string
}

// The syntaxes of fileRead.syntax. A plan is JSON, but its policies were written in Terraform.
const (
	syntaxYAML = "yaml"
	syntaxHCL  = "hcl"
)

// sources reads a file by its kind, told by its name and content.
func (l *Linter) sources(path string, src []byte, named bool) fileRead {
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".yaml" || ext == ".yml":
		r := l.readYAML(path, src, named)
		r.syntax = syntaxYAML
		return r
	case ext == ".tf":
		f, err := terraform.Read(src, path)
		if err != nil {
			se := err.(*terraform.SyntaxError)
			f = source.File{Findings: []source.Finding{{Rule: "hcl-syntax", Start: se.Start, End: se.End, Message: "the file is not valid HCL: " + se.Msg}}}
		}
		return fileRead{host: jsonpos.Text(src), file: f, syntax: syntaxHCL}
	}
	doc, err := jsonpos.Parse(src, jsonpos.Options{MaxBytes: MaxInputBytes})
	kind, why := jsonKind(doc, err, named)
	switch kind {
	case kindNone:
		return fileRead{skipped: why}
	case KindPlan:
		return fileRead{host: doc, file: terraform.ReadPlan(doc), syntax: syntaxHCL}
	}
	return fileRead{json: doc, jsonErr: err}
}

// prepareFile prepares every policy or request a file holds, in file order, for Estimates.
func (l *Linter) prepareFile(path string, src []byte) []prepared {
	r := l.sources(path, src, true)
	a := newAssembly()
	switch {
	case r.skipped != "":
		return nil
	case r.json != nil:
		a.file(r.json, path)
		return []prepared{l.prepareDoc(a, path, r.json, r.jsonErr, isRequestDocument(r.json), nil)}
	}
	a.file(r.host, path)
	out := make([]prepared, 0, len(r.file.Docs))
	for i := range r.file.Docs {
		out = append(out, l.prepareSource(a, path, r, &r.file.Docs[i]))
	}
	return out
}

// prepareSource prepares a document a source reader found in a file of another kind: parsed,
// embedded in the user's file, and placed in it (at, line, and the syntax it is written in).
func (l *Linter) prepareSource(a *assembly, path string, r fileRead, d *source.Doc) prepared {
	doc, err := jsonpos.Parse(d.JSON, jsonpos.Options{MaxBytes: MaxInputBytes})
	a.embed(doc, r.host, d.Map)
	pr := l.prepareDoc(a, path, doc, err, d.Kind == source.Request, d)
	pr.at, pr.line, pr.syntax = d.At, r.host.Pos(d.Map.Source(0)).Line, r.syntax
	return pr
}

// unknown is the result for a named file of no kind policylint reads.
func (l *Linter) unknown(path string, src []byte, why string) []*Result {
	host := jsonpos.Text(src)
	res := &Result{Path: path, Doc: host}
	l.addFindings(res, host, []source.Finding{{Rule: "unknown-document", Start: 0, End: 0,
		Message: why + ": policylint lints session policies and STS requests in JSON or YAML, GitHub workflows, Terraform files and plans; name only those"}})
	return []*Result{res}
}

// policyElements are the names of IAM policy and statement elements; a JSON object with one at
// its top is a policy, however broken.
var policyElements = []string{"Version", "Statement", "Id", "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"}

// jsonKind tells a policy from a request and from JSON of neither kind (package.json): a policy
// has an IAM element at its top (Statement in any case, Version with a policy version), a request
// an STS parameter that names an operation or two of any (a named file: one, written exactly as
// STS names it, or two in any case). A named file that is not JSON is read
// as a broken policy, and so is a named array, string or empty object; a found file is read only
// when its text mentions Statement or an STS parameter.
func jsonKind(doc *jsonpos.Document, err error, named bool) (string, string) {
	if plan(doc) {
		return KindPlan, ""
	}
	root := doc.Root
	if err != nil || root == nil {
		if named || lexicalPolicy(doc.Src) || lexicalRequest(doc.Src) {
			return KindPolicy, ""
		}
		return kindNone, "not valid JSON, and nothing in it looks like a policy or an STS request"
	}
	if root.Kind != jsonpos.Object || named && len(root.Members) == 0 {
		if named {
			return KindPolicy, "" // reported for what it is: not a policy object
		}
		return kindNone, fmt.Sprintf("a JSON %s, not an object with policy elements or request parameters", root.Kind)
	}
	exact, folded := 0, 0
	for _, m := range root.Members {
		if slices.Contains(policyElements, m.Key) || strings.EqualFold(m.Key, "Statement") ||
			strings.EqualFold(m.Key, "Version") && (m.Value.Str == "2012-10-17" || m.Value.Str == "2008-10-17") {
			return kindOf(doc), ""
		}
		if p := paramByName(m.Key, false); p != nil {
			exact++
			if slices.Contains(operationKeys, m.Key) {
				exact++
			}
		} else if paramByName(m.Key, true) != nil {
			folded++
		}
	}
	if exact >= 2 || exact+folded >= 2 || named && exact == 1 {
		return kindOf(doc), ""
	}
	return kindNone, "a JSON object with neither an IAM policy element (Statement, Version) nor STS request parameters (RoleArn, RoleSessionName)"
}

// operationKeys are the parameters that name the operation of a request on their own.
var operationKeys = []string{"RoleArn", "RoleSessionName", "WebIdentityToken", "SAMLAssertion", "PrincipalArn"}

func kindOf(doc *jsonpos.Document) string {
	if isRequestDocument(doc) {
		return KindRequest
	}
	return KindPolicy
}

// lexicalPolicy reports text that has a Statement or Effect key, or a policy version.
func lexicalPolicy(src []byte) bool {
	return bytes.Contains(src, []byte(`"Statement"`)) || bytes.Contains(src, []byte(`"Effect"`)) ||
		bytes.Contains(src, []byte(`"2012-10-17"`)) || bytes.Contains(src, []byte(`"2008-10-17"`))
}

// lexicalRequest reports text that names an STS parameter as a JSON key.
func lexicalRequest(src []byte) bool {
	for _, k := range operationKeys {
		if bytes.Contains(src, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

// plan reports the JSON of terraform show -json: format_version with planned_values.
func plan(doc *jsonpos.Document) bool {
	if doc.Root == nil {
		return false
	}
	_, v := doc.Root.Get("format_version")
	_, p := doc.Root.Get("planned_values")
	return v && p
}

// readYAML reads a YAML file: a GitHub workflow, or a policy or request in YAML.
func (l *Linter) readYAML(path string, src []byte, named bool) fileRead {
	host := jsonpos.Text(src)
	f, err := yamlsource.Parse(src)
	if err != nil {
		se := err.(*yamlsource.SyntaxError)
		if !named && !workflowPath(path) {
			return fileRead{skipped: "not read as YAML: " + cutMessage(se.Msg)}
		}
		at := f.LineStart(se.Line)
		msg := "the file is not valid YAML: " + se.Msg
		if se.Limit {
			msg = "the file cannot be read: " + se.Msg
		}
		return fileRead{host: host, file: source.File{Findings: []source.Finding{{Rule: "yaml-syntax", Start: at, End: at, Message: msg}}}}
	}
	if f.Root == nil {
		return fileRead{skipped: "an empty YAML file"}
	}
	if workflow.Is(f, path) {
		return fileRead{host: host, file: workflow.Read(f, workflow.Options{Path: path, Lengths: l.cfg.Lengths})}
	}
	v, err := f.Value(f.Root)
	if err != nil && !named {
		// A large YAML file found by a walk (a chart's values, an API description) is not
		// a policy or request; it is no error of the user's either.
		return fileRead{skipped: "a YAML file too large to be a session policy or STS request: " + err.Error()}
	}
	if err != nil {
		at := f.Start(f.Root)
		return fileRead{host: host, file: source.File{Findings: []source.Finding{{Rule: "yaml-syntax", Start: at, End: at, Message: "the file cannot be read: " + err.Error()}}}}
	}
	js, m := source.Render(v)
	doc, perr := jsonpos.Parse(js, jsonpos.Options{MaxBytes: MaxInputBytes})
	switch kind, _ := jsonKind(doc, perr, false); kind {
	case KindPolicy:
		return fileRead{host: host, file: source.File{Docs: []source.Doc{{Kind: source.Policy, JSON: js, Map: m}}}}
	case KindRequest:
		return fileRead{host: host, file: source.File{Docs: []source.Doc{{Kind: source.Request, JSON: js, Map: m}}}}
	}
	return fileRead{skipped: "a YAML file that is neither a session policy, an STS request nor a GitHub workflow"}
}

// workflowPath reports a file in a repository's .github/workflows folder.
func workflowPath(path string) bool {
	return strings.Contains(filepath.ToSlash(filepath.Dir(path))+"/", ".github/workflows/")
}

// lintSource lints the documents a source reader found in a file, each rendered as JSON and
// embedded in the file through its map, and gives their findings, and the reader's own, to the
// file's result.
func (l *Linter) lintSource(path string, r fileRead) []*Result {
	host, f := r.host, r.file
	res := &Result{Path: path, Doc: host}
	for _, s := range secretSpans(host.Src) {
		res.Secrets = append(res.Secrets, host.Range(s[0], s[1]))
	}
	out := []*Result{res}
	for i := range f.Docs {
		d := &f.Docs[i]
		// The file's own secrets are found once above, not once per document: a workflow
		// may have thousands of steps.
		a := newAssembly()
		a.order = append(a.order, host)
		a.byDoc[host] = &Result{Path: path, Doc: host}
		rs := l.lintPrepared(l.prepareSource(a, path, r, d))
		res.Estimates = append(res.Estimates, rs[0].Estimates...)
		for _, diag := range rs[0].Diagnostics {
			if annotate(&diag, d) {
				res.Diagnostics = append(res.Diagnostics, diag)
			}
		}
		res.Secrets = append(res.Secrets, rs[0].Secrets...)
		out = append(out, rs[1:]...)
	}
	if f.Unread > 0 {
		f.Findings = append(f.Findings, source.Finding{Rule: "not-checkable", Start: f.UnreadAt, End: f.UnreadAt,
			Message: fmt.Sprintf("%s more requests in this file (from here on) are not checked: policylint checks the first %s of a file", thousands(f.Unread), thousands(source.MaxDocs))})
	}
	l.addFindings(res, host, f.Findings)
	slices.SortStableFunc(res.Diagnostics, func(x, y Diagnostic) int {
		return cmp.Or(cmp.Compare(x.Range.Start.Offset, y.Range.Start.Offset), strings.Compare(x.Code, y.Code))
	})
	res.Diagnostics = capFile(res.Diagnostics)
	slices.SortFunc(res.Secrets, func(x, y Range) int { return cmp.Compare(x.Start.Offset, y.Start.Offset) })
	return out
}

// capFile keeps maxPerRule findings of each rule in a file of several documents, each of
// which a Pass capped on its own, and makes the rest one finding that counts them, at the place
// of the first left out, as a Pass does. diags are in the order of their places.
func capFile(diags []Diagnostic) []Diagnostic {
	kept := map[string]int{} // by slug: custom rules share a code (PL9000), never a slug
	over := map[string]int{} // index in out of the finding that counts a rule's rest
	count := map[string]int{}
	out := diags[:0]
	for _, d := range diags {
		if d.more == 0 && kept[d.Rule] < maxPerRule {
			kept[d.Rule]++
			out = append(out, d)
			continue
		}
		if _, ok := over[d.Rule]; !ok {
			over[d.Rule] = len(out)
			d.Related = nil
			out = append(out, d)
		}
		count[d.Rule] += max(d.more, 1)
	}
	for rule, i := range over {
		out[i].Message = capMessage(count[rule], rule)
		out[i].more = count[rule]
	}
	return out
}

// addFindings gives a reader's findings of enabled rules to the result, their messages redacted
// and cut as a Pass does.
func (l *Linter) addFindings(res *Result, host *jsonpos.Document, fs []source.Finding) {
	for _, f := range fs {
		r := RuleByName(f.Rule)
		if r == nil {
			panic("source finding of no rule: " + f.Rule)
		}
		if !slices.Contains(l.rules, r) {
			continue
		}
		sev := r.Severity
		if f.Warning {
			sev = min(sev, Warning)
		}
		res.Diagnostics = append(res.Diagnostics, Diagnostic{Code: r.Code, Rule: r.Slug, Severity: sev,
			Message: cutMessage(redact(f.Message)), In: f.At, Range: host.Range(f.Start, f.End)})
	}
}

// sizeRules are the rules whose verdict depends on the length of what the request holds, which
// is what a placeholder's stand-in models; lengthRules, those that judge one value's length.
var (
	sizeRules   = []string{"PL2001", "PL3001"}
	lengthRules = []string{"PL2001", "PL3001", "PL4004"}
)

// annotate says in a finding which values the file does not fix it was checked with: the
// placeholders inside its range, and for a size finding every placeholder and assumed tag. A
// finding of another rule inside a placeholder judges the stand-in, not the value: it is dropped.
func annotate(d *Diagnostic, doc *source.Doc) bool {
	var what []string
	seen := map[string]bool{}
	size := slices.Contains(sizeRules, d.Code)
	length := slices.Contains(lengthRules, d.Code)
	for _, a := range doc.Assumed {
		inside := a.Start < d.Range.End.Offset && d.Range.Start.Offset < a.End || a.Start == d.Range.Start.Offset
		if inside && !length {
			return false
		}
		sized := a.Counts == source.CountsPolicy && size || a.Counts == source.CountsTags && d.Code == "PL3001"
		if (inside || sized) && !seen[a.What] {
			seen[a.What] = true
			what = append(what, a.What)
		}
	}
	if len(what) == 0 {
		return true
	}
	const most = 4
	more := ""
	if len(what) > most {
		more = fmt.Sprintf(" and %d more", len(what)-most)
		what = what[:most]
	}
	d.Message += "; assumed worst case of what the file does not fix: " + strings.Join(what, ", ") + more +
		" (workflows.lengths in .policylint.yaml sets them)"
	return true
}

// sender names the consumer that sends the request when it is not the AWS CLI
// (configure-aws-credentials, the AWS provider), or "".
func (r *request) sender() string {
	if r.src == nil {
		return ""
	}
	return r.src.Sender
}

// suppliedAtRunTime reports a required parameter the request's consumer supplies itself.
func (r *request) suppliedAtRunTime(name string) bool {
	return r.src != nil && slices.Contains(r.src.Runtime, name)
}

// retried is what a consumer that drops tags and retries once on PackedPolicyTooLarge makes of a
// request estimated at 100% or more: a warning when the retry fits (the session then lacks those
// tags), the error otherwise.
func (p *Pass) retried(r pack.Request, msg string) (Severity, string) {
	src := p.req.src
	if src == nil || len(src.Retry) == 0 {
		return Error, msg
	}
	kept := r
	kept.Tags = nil
	var dropped []string
	for _, t := range r.Tags {
		if slices.Contains(src.Retry, t.Key) {
			dropped = append(dropped, t.Key)
		} else {
			kept.Tags = append(kept.Tags, t)
		}
	}
	if len(dropped) == 0 {
		return Error, msg
	}
	e := p.cfg.model().EstimateTotal(kept)
	retry := fmt.Sprintf("; %s then drops the tags %s and retries once, at about %g%%", src.Sender, strings.Join(dropped, ", "), e.Percent)
	if e.Percent > pack.MaxAccepted {
		return Error, msg + retry + ", which fails too"
	}
	return Warning, msg + retry + ", which passes, and the session then lacks those tags"
}
