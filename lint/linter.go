package lint

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/pack"
)

// MaxInputBytes is the largest file policylint reads. A session policy is at most 2,048
// characters; the largest AWS managed policy is about 150 KB; a request file with a SAML assertion
// is at most about 110 KB. Anything past 8 MiB is neither, and reading it whole would only let a
// bad input cost memory.
const MaxInputBytes = 8 << 20

// Config chooses what a Linter checks.
type Config struct {
	// Disable names rules, by code or slug, that do not run.
	Disable []string
	// Estimates gives each file's Result the packed size estimate of each of its requests, as
	// Linter.Estimates would, computed while the file is linted (for Markdown reports).
	Estimates bool
	// Request holds the parameters sent with every policy file (from command-line flags). A
	// request file carries its own and ignores these, except Operation when set.
	Request Request
	// ReadFile reads a policy named by a request file's "Policy": "file://...". It must refuse
	// what the request cannot be trusted to name: a path outside the repository, a device or
	// FIFO, a file over MaxInputBytes. nil reads through a confined root at the repository of the
	// working folder (internal/fsroot).
	ReadFile func(path string) ([]byte, error)
	// Now is the time tokens and assertions are judged against; zero means the current time.
	Now time.Time
	// RS256Only applies the older rule that a web identity token must be signed with RS256.
	RS256Only bool
	// PackedWarn is the packed size estimate, in percent, from which packed-size warns; 0 means
	// DefaultPackedWarn.
	PackedWarn float64
	// Model is the packed size model; nil means pack.DefaultModel.
	Model *pack.Model
	// Severity re-grades rules, by slug.
	Severity map[string]Severity
	// Ignores silence rules in some files.
	Ignores []Ignore
	// Custom are the user's Rego rules, loaded in rule workers (sandbox.Start); nil for none.
	// The Linter does not close them.
	Custom *sandbox.Rules
	// Lengths overrides the worst-case lengths assumed for GitHub expression values in workflows
	// (workflow.DefaultLengths), by expression ("github.head_ref"); "default" is any other.
	Lengths map[string]int
	// Catalog is AWS's service reference the catalogue checks ask; nil means the embedded one.
	Catalog *catalog.Catalog
}

// Ignore silences one rule in the files a glob matches.
type Ignore struct {
	// Glob is slash-separated and relative to Base; ** matches any number of folders.
	Glob string
	// Base is the folder the glob is relative to.
	Base string
	// Rule is the rule's slug.
	Rule string
}

func (c *Config) model() pack.Model {
	if c.Model == nil {
		return pack.DefaultModel
	}
	return *c.Model
}

// Linter checks documents. It is safe for concurrent use.
type Linter struct {
	rules []*Rule
	cfg   Config
	// ignored counts the findings each of cfg.Ignores silenced.
	ignored []atomic.Int64
	// custom are the enabled custom rules, and allCustom all that were loaded.
	custom, allCustom []*Rule
}

// New returns a Linter for cfg, or an error naming a rule in cfg.Disable that does not exist or
// cannot be disabled (rule-error and rule-timeout, when custom rules are loaded: a broken or
// runaway guardrail must not pass silently), or a request flag that is not valid.
func New(cfg Config) (*Linter, error) {
	l := &Linter{cfg: cfg, ignored: make([]atomic.Int64, len(cfg.Ignores))}
	if cfg.Custom != nil {
		l.allCustom = customRules(cfg.Custom.Loaded)
	}
	off := make(map[*Rule]bool)
	for _, name := range cfg.Disable {
		r := l.RuleByName(name)
		switch {
		case r == nil:
			return nil, errors.New(UnknownRule(name))
		case cfg.Custom != nil && (r.Slug == "rule-error" || r.Slug == "rule-timeout"):
			return nil, fmt.Errorf("rule %s cannot be disabled: a custom rule that fails or runs away must not pass silently; fix or remove the rule, or lower the severity of %s in .policylint.yaml", r.Slug, r.Slug)
		}
		off[r] = true
	}
	if cfg.Request.Operation != "" && OperationByName(string(cfg.Request.Operation)) == "" {
		return nil, fmt.Errorf("unknown operation %q: want %s", cfg.Request.Operation, strings.Join(operationFlagNames(), ", "))
	}
	if cfg.ReadFile == nil {
		fsys, err := fsroot.New(".")
		if err != nil {
			return nil, err
		}
		l.cfg.ReadFile = func(path string) ([]byte, error) { return fsys.ReadFile(path, MaxInputBytes) }
	}
	for _, r := range Rules {
		if !off[r] {
			l.rules = append(l.rules, r)
		}
	}
	for _, r := range l.allCustom {
		if !off[r] {
			l.custom = append(l.custom, r)
		}
	}
	return l, nil
}

// RuleByName finds a rule, built-in or custom, by code or slug, ignoring case, or returns nil.
// RunsCustomRules reports whether the linter evaluates custom rules, in rule workers.
func (l *Linter) RunsCustomRules() bool { return len(l.custom) > 0 }

// A custom rule without a code of its own shares PL9000 with the others: it is found by slug.
func (l *Linter) RuleByName(name string) *Rule {
	if r := RuleByName(name); r != nil {
		return r
	}
	for _, r := range l.allCustom {
		if strings.EqualFold(r.Slug, name) || r.Code != CustomCode && strings.EqualFold(r.Code, name) {
			return r
		}
	}
	return nil
}

// AllRules returns the built-in rules and the custom ones, enabled or not.
func (l *Linter) AllRules() []*Rule {
	return append(slices.Clone(Rules), l.allCustom...)
}

// ReadLimited reads r whole, failing past MaxInputBytes rather than reading without end.
func ReadLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxInputBytes {
		return nil, fmt.Errorf("larger than %d MiB; a session policy is at most 2,048 characters, so this is not one", MaxInputBytes>>20)
	}
	return b, nil
}

// lintJSON checks a JSON file, a session policy or a request file (told apart by its keys). path
// names it in the results and resolves a request's "file://" policy. The first result is the
// file's own; a request whose policy is another file adds that file's result.
func (l *Linter) lintJSON(path string, doc *jsonpos.Document, err error) []*Result {
	a := newAssembly()
	a.file(doc, path)
	return l.lintPrepared(l.prepareDoc(a, path, doc, err, isRequestDocument(doc), nil))
}

// lintPrepared runs the checks on a prepared request and assembles its results.
func (l *Linter) lintPrepared(pr prepared) []*Result {
	if pr.req.doc != nil {
		// The request file is a JSON document too: its encoding and duplicate keys.
		p := &Pass{Doc: pr.req.doc, req: pr.req, cfg: &l.cfg, in: pr.reqIn, reqIn: pr.reqIn}
		for _, r := range l.rules {
			if r.scope == documentScope {
				p.runRule(r)
			}
		}
		for _, d := range p.diags {
			pr.a.add(d, pr.req.doc)
		}
	}
	l.run(pr)
	return pr.a.results()
}

// configure applies the ignores and severity overrides of the configuration to a result.
func (l *Linter) configure(r *Result) {
	if len(l.cfg.Ignores) == 0 && len(l.cfg.Severity) == 0 {
		return
	}
	abs, _ := filepath.Abs(r.Path)
	kept := r.Diagnostics[:0]
	for _, d := range r.Diagnostics {
		if i := l.ignoreFor(abs, d.Rule); i >= 0 {
			l.ignored[i].Add(1)
			continue
		}
		if sev, ok := l.cfg.Severity[d.Rule]; ok {
			d.Severity = sev
		}
		kept = append(kept, d)
	}
	r.Diagnostics = kept
}

// ignoreFor returns the index of the first ignore that silences a rule (by slug) in the file, or
// -1.
func (l *Linter) ignoreFor(abs, slug string) int {
	for i, ig := range l.cfg.Ignores {
		if ig.Rule != slug {
			continue
		}
		rel, err := filepath.Rel(ig.Base, abs)
		if err == nil && matchGlob(ig.Glob, filepath.ToSlash(rel)) {
			return i
		}
	}
	return -1
}

// UnusedIgnores returns the indexes of the configured ignores that have silenced nothing so far.
func (l *Linter) UnusedIgnores() []int {
	var out []int
	for i := range l.ignored {
		if l.ignored[i].Load() == 0 {
			out = append(out, i)
		}
	}
	return out
}

// matchGlob reports whether a slash-separated path matches a glob in which ** matches any number
// of folders and * and ? do not cross a slash. It runs in time proportional to the number of glob
// parts times path parts, whatever the number of **: a set of positions reached, not backtracking.
func matchGlob(glob, path string) bool {
	g, p := strings.Split(glob, "/"), strings.Split(path, "/")
	// at[j] reports whether the glob parts matched so far can end just before path part j.
	at := make([]bool, len(p)+1)
	at[0] = true
	next := make([]bool, len(p)+1)
	for _, part := range g {
		clear(next)
		if part == "**" {
			// ** matches zero or more parts: every position from the first reached on.
			reached := false
			for j := range at {
				reached = reached || at[j]
				next[j] = reached
			}
		} else {
			for j := 0; j < len(p); j++ {
				if at[j] {
					if ok, err := filepath.Match(part, p[j]); err == nil && ok {
						next[j+1] = true
					}
				}
			}
		}
		at, next = next, at
	}
	return at[len(p)]
}

// prepared is a file read as a request: its policy document, if any, and its parameters.
type prepared struct {
	a         *assembly
	policy    *jsonpos.Document
	policyErr *jsonpos.SyntaxError
	in        string // "/Policy" for a policy held in the request file's string
	reqIn     string // where the request is in the user's file, for a request a source found
	req       *request
	// at and line are where the source document is in the user's file ("" and 0 for a JSON
	// file that is one policy or request), for the estimates of each request; syntax is what
	// that file is written in (fileRead.syntax).
	at     string
	line   int
	syntax string
}

// prepareDoc reads a parsed document as a request: for a request document, its parameters, its
// policy (from the Policy string or a file:// path) and its token and assertion; a policy
// document goes with the request the flags describe. d is the source document it was rendered
// from, nil for a JSON file.
func (l *Linter) prepareDoc(a *assembly, path string, doc *jsonpos.Document, err error, isRequest bool, d *source.Doc) prepared {
	if !isRequest {
		pr := prepared{a: a, policy: doc, policyErr: syntaxError(err), req: l.flagRequest()}
		if d != nil {
			pr.in = d.At
		}
		return pr
	}
	op := l.cfg.Request.Operation
	if d != nil && d.Operation != "" {
		op = Operation(d.Operation)
	}
	pr := prepared{a: a, req: parseRequest(doc, op)}
	pr.req.src = d
	for _, v := range secretValues(doc) {
		a.secret(place{doc, v.Start + 1, v.End - 1})
	}
	req := pr.req
	switch {
	case req.policyFile != "" && (d == nil || d.Sender == ""):
		// Only the AWS CLI could be meant to read it; a workflow's or Terraform's consumer
		// sends the text as it is (request-file-uri says so).
		target := policyFilePath(path, req.policyFile)
		pr.policy, req.policyFileErr = readPolicyFile(l.cfg.ReadFile, target)
		if pr.policy != nil {
			a.file(pr.policy, filepath.ToSlash(target))
		}
	case req.policyText != nil:
		var perr error
		pr.policy, perr = jsonpos.Parse([]byte(*req.policyText), jsonpos.Options{MaxBytes: MaxInputBytes})
		pr.policyErr = syntaxError(perr)
		a.embed(pr.policy, doc, req.policyMap)
		pr.in = "/Policy"
	}
	if d != nil {
		pr.reqIn = d.At
		if req.policyText != nil {
			pr.in = d.At + "/Policy"
			if d.PolicyAt != "" {
				pr.in = d.PolicyAt
			}
		}
	}
	return pr
}

// unwrapPathError drops the operation and path Go's file errors repeat.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func syntaxError(err error) *jsonpos.SyntaxError {
	se, _ := err.(*jsonpos.SyntaxError)
	return se
}

// run checks a policy document (nil when the request has none) and its request.
func (l *Linter) run(pr prepared) {
	doc, req := pr.policy, pr.req
	p := &Pass{Doc: doc, SyntaxError: pr.policyErr, req: req, cfg: &l.cfg, in: pr.in, reqIn: pr.reqIn, path: pr.a.byDoc[pr.a.order[0]].Path, syntax: pr.syntax}
	if e, ok := pr.a.embeds[doc]; ok {
		p.host = &e
	}
	for _, r := range l.rules {
		if r.check == nil || doc == nil && (r.scope == policyScope || r.scope == documentScope) {
			continue
		}
		p.runRule(r)
	}
	if doc != nil && len(l.custom) > 0 {
		p.checkCustom(l.custom)
	}
	p.release()
	res := pr.a.byDoc[pr.a.order[0]]
	if l.cfg.Estimates && pr.policyErr == nil && (pr.req.doc == nil || pr.req.doc.Root != nil) {
		if e := p.requestEstimate(pr); e.None == "" {
			res.Estimates = append(res.Estimates, e)
		}
	}
	res.Prints = p.prints
	primary := doc
	if primary == nil {
		primary = req.doc
	}
	for _, d := range p.diags {
		pr.a.add(d, primary)
	}
}

// Pass is one check's view of one request: its policy document, the parameters around it, and
// the place to report findings. Checks give JSON Pointers, byte offsets or the place a parameter
// was written; the Pass turns them into ranges, so no check computes a line or column.
type Pass struct {
	// Doc is the policy document, or nil when the request has no Policy.
	Doc *jsonpos.Document
	// SyntaxError is why the policy is not valid JSON; Doc.Root is nil then.
	SyntaxError *jsonpos.SyntaxError

	req     *request
	cfg     *Config
	in      string // JSON Pointer of the request parameter holding Doc, for an embedded policy
	reqIn   string // where the request is in the user's file, for a request a source found
	rule    *Rule
	diags   []pending
	grammar *[]problem // the grammar check, done once
	path    string     // the file as the user named it, for the custom rules' context
	syntax  string     // what the user's file is written in, for a policy embedded in YAML or HCL
	host    *embedding // the request file holding Doc, for an embedded policy
	match   *matcher   // wildcard matching, with one budget for the document
	prints  []string   // what custom rules' print() wrote
	stmts   *[]stmt    // the statements of stmtsOf, found once (statements)
	stmtsOf *jsonpos.Document
	// n counts the running rule's findings, over is where the first one past maxPerRule
	// would have been, and overSev the highest severity of those past it.
	n       int
	over    place
	overSev Severity

	semantics *semantics // what the catalogue checks share (catalog.go)
}

// place is where a value was written: a byte range of a document, or the command line (doc nil).
type place struct {
	doc        *jsonpos.Document
	start, end int
}

// pending is a finding whose range is still in byte offsets of the document it was found in.
type pending struct {
	at      place
	pointer string
	in      string
	diag    Diagnostic
	related []pendingRelated
}

type pendingRelated struct {
	at      place
	pointer string
	message string
}

// full counts a finding of severity sev past the running rule's cap, and reports whether it is
// one, before a check's place is resolved to a pointer: a hostile file may hold millions.
func (p *Pass) full(sev Severity, pl place) bool {
	if p.n < maxPerRule {
		return false
	}
	p.countOver(sev, pl)
	return true
}

// countOver counts a finding past the cap: where the first was, and the highest severity, which
// the finding that stands for them all takes (109 info findings past the cap are no warning).
func (p *Pass) countOver(sev Severity, pl place) {
	if p.n++; p.n == maxPerRule+1 {
		p.over, p.overSev = pl, sev
	}
	p.overSev = max(p.overSev, sev)
}

// Report records a finding about the value at pointer of the policy document.
func (p *Pass) Report(pointer, msg string) {
	if p.full(p.rule.Severity, place{p.Doc, 0, 0}) {
		return
	}
	start, end := 0, len(p.Doc.Src)
	if v, ok := p.Doc.Lookup(pointer); ok {
		start, end = v.Start, v.End
	}
	p.add(place{p.Doc, start, end}, pointer, p.in, msg, nil)
}

// ReportSpan records a finding about the bytes [start, end) of the policy document; its pointer
// is that of the innermost value holding start.
func (p *Pass) ReportSpan(start, end int, msg string, related ...pendingRelated) {
	if p.full(p.rule.Severity, place{p.Doc, start, end}) {
		return
	}
	ptr, _, _ := p.Doc.Enclosing(start)
	p.add(place{p.Doc, start, end}, ptr, p.in, msg, related)
}

// reportAt records a finding about a request parameter written at pl.
func (p *Pass) reportAt(pl place, msg string, related ...pendingRelated) {
	p.reportAtSeverity(p.rule.Severity, pl, msg, related...)
}

// reportAtSeverity records a finding about a request parameter at another severity than its
// rule's default.
func (p *Pass) reportAtSeverity(sev Severity, pl place, msg string, related ...pendingRelated) {
	if p.full(sev, pl) {
		return
	}
	ptr := ""
	if pl.doc != nil {
		ptr, _, _ = pl.doc.Enclosing(pl.start)
	}
	in := ""
	switch {
	case pl.doc == p.Doc:
		in = p.in
	case pl.doc != nil && pl.doc == p.req.doc:
		in = p.reqIn
	}
	p.addSeverity(sev, pl, ptr, in, msg, related)
}

// relatedAt describes another place that explains a finding.
func (p *Pass) relatedAt(pl place, msg string) pendingRelated {
	ptr := ""
	if pl.doc != nil {
		ptr, _, _ = pl.doc.Enclosing(pl.start)
	}
	return pendingRelated{at: pl, pointer: ptr, message: msg}
}

// related describes another place of the policy document, given by byte offsets.
func (p *Pass) related(start, end int, msg string) pendingRelated {
	return p.relatedAt(place{p.Doc, start, end}, msg)
}

func (p *Pass) add(pl place, pointer, in, msg string, related []pendingRelated) {
	p.addSeverity(p.rule.Severity, pl, pointer, in, msg, related)
}

// addSeverity records a finding of the running rule, up to maxPerRule of them; past that it
// only counts them, for flushCap. Every finding goes through here, so that no check can flood
// the output: a hostile file costs at most maxPerRule findings of maxMessage bytes per rule.
func (p *Pass) addSeverity(sev Severity, pl place, pointer, in, msg string, related []pendingRelated) {
	if p.n >= maxPerRule {
		p.countOver(sev, pl)
		return
	}
	p.n++
	if len(related) > maxPerRule {
		related = related[:maxPerRule]
	}
	p.diags = append(p.diags, pending{
		at: pl, pointer: pointer, in: in, related: related,
		diag: Diagnostic{Code: p.rule.Code, Rule: p.rule.Slug, Severity: sev, Message: cutMessage(redact(msg))},
	})
}

// runRule runs one rule's check, then reports how many of its findings were left out.
func (p *Pass) runRule(r *Rule) {
	p.rule = r
	r.check(p)
	p.flushCap()
}

// flushCap reports how many findings of the running rule went past maxPerRule, and starts the
// count again.
func (p *Pass) flushCap() {
	if p.n > maxPerRule {
		n, at := p.n-maxPerRule, p.over
		p.n = 0
		ptr, in := "", ""
		if at.doc != nil {
			ptr, _, _ = at.doc.Enclosing(at.start)
		}
		if at.doc == p.Doc {
			in = p.in
		}
		p.addSeverity(p.overSev, at, ptr, in, capMessage(n, p.rule.Slug), nil)
		p.diags[len(p.diags)-1].diag.more = n
	}
	p.n = 0
}

// capMessage is the finding that stands for n findings of a rule past its cap.
func capMessage(n int, slug string) string {
	return fmt.Sprintf("%s more %s findings in this file are not reported one by one", thousands(n), slug)
}

// maxPerRule caps the findings of one rule in one file; past it, one more finding counts the
// rest. A file pasted from a word processor can hold hundreds of bad characters, and a hostile one
// millions of duplicate keys.
const maxPerRule = 20

// maxMessage bounds a message in bytes: messages quote user data (quoteShort cuts each quote),
// and this is the backstop for a check that quotes more than one.
const maxMessage = 1000

// cutMessage cuts a message to maxMessage bytes on a character boundary.
func cutMessage(msg string) string {
	if len(msg) <= maxMessage {
		return msg
	}
	n := maxMessage
	for n > 0 && !utf8.RuneStart(msg[n]) {
		n--
	}
	return msg[:n] + "…"
}

// span is a place in the policy document.
func (p *Pass) span(start, end int) place { return place{p.Doc, start, end} }

// statements returns the statement objects with their pointers: Statement may be one object or
// an array of them.
// They are found once per pass: every statement rule walks them.
func (p *Pass) statements() []stmt {
	if p.stmts != nil && p.stmtsOf == p.Doc {
		return *p.stmts
	}
	var out []stmt
	p.stmts, p.stmtsOf = &out, p.Doc
	st, ok := p.Doc.Root.Get("Statement")
	if !ok {
		return nil
	}
	if st.Kind == jsonpos.Object {
		out = []stmt{{"/Statement", st}}
		return out
	}
	out = make([]stmt, 0, len(st.Elems))
	buf := []byte("/Statement/")
	for i, e := range st.Elems {
		if e.Kind == jsonpos.Object {
			out = append(out, stmt{string(strconv.AppendInt(buf, int64(i), 10)), e})
		}
	}
	return out
}

type stmt struct {
	pointer string
	v       *jsonpos.Value
}

// assembly turns pending findings into results, one per file, mapping a policy embedded in a
// request file's string back to that file.
type assembly struct {
	order  []*jsonpos.Document
	byDoc  map[*jsonpos.Document]*Result
	embeds map[*jsonpos.Document]embedding
}

// embedding maps a document derived from another (a policy decoded from a request's string, a
// request rendered from a workflow step) into its host.
type embedding struct {
	host *jsonpos.Document
	m    source.Mapper
}

func newAssembly() *assembly {
	return &assembly{byDoc: map[*jsonpos.Document]*Result{}, embeds: map[*jsonpos.Document]embedding{}}
}

// file adds a file the user sees, with what looks like a secret in its text marked, whatever
// state the file is in.
func (a *assembly) file(doc *jsonpos.Document, path string) {
	a.order = append(a.order, doc)
	r := &Result{Path: path, Doc: doc}
	for _, s := range secretSpans(doc.Src) {
		r.Secrets = append(r.Secrets, doc.Range(s[0], s[1]))
	}
	a.byDoc[doc] = r
}

func (a *assembly) embed(doc, host *jsonpos.Document, m source.Mapper) {
	a.embeds[doc] = embedding{host, m}
}

// secret marks a place that holds a token or an assertion, in the file that holds it.
func (a *assembly) secret(pl place) {
	doc, rg := a.locate(pl, pl.doc)
	a.byDoc[doc].Secrets = append(a.byDoc[doc].Secrets, rg)
}

// locate turns a place into a document and range; the command line is placed at the start of
// primary's root, with an empty range.
func (a *assembly) locate(pl place, primary *jsonpos.Document) (*jsonpos.Document, Range) {
	if pl.doc == nil {
		start := 0
		if primary.Root != nil {
			start = primary.Root.Start
		}
		pl = place{primary, start, start}
	}
	doc, start, end := pl.doc, pl.start, pl.end
	for e, ok := a.embeds[doc]; ok; e, ok = a.embeds[doc] {
		doc, start, end = e.host, e.m.Source(start), e.m.Source(end)
	}
	return doc, doc.Range(start, end)
}

func (a *assembly) add(pd pending, primary *jsonpos.Document) {
	doc, rg := a.locate(pd.at, primary)
	d := pd.diag
	d.Pointer, d.In, d.Range = pd.pointer, pd.in, rg
	for _, r := range pd.related {
		_, rrg := a.locate(r.at, primary)
		d.Related = append(d.Related, Related{Message: r.message, Pointer: r.pointer, Range: rrg})
	}
	res := a.byDoc[doc]
	res.Diagnostics = append(res.Diagnostics, d)
}

func (a *assembly) results() []*Result {
	out := make([]*Result, 0, len(a.order))
	for _, doc := range a.order {
		r := a.byDoc[doc]
		slices.SortStableFunc(r.Diagnostics, func(x, y Diagnostic) int {
			return cmp.Or(cmp.Compare(x.Range.Start.Offset, y.Range.Start.Offset), strings.Compare(x.Code, y.Code))
		})
		slices.SortFunc(r.Secrets, func(x, y Range) int { return cmp.Compare(x.Start.Offset, y.Start.Offset) })
		out = append(out, r)
	}
	return out
}
