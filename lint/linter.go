package lint

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/pack"
	"github.com/policylint/policylint/rules"
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
	// Request holds the parameters sent with every policy file (from command-line flags). A
	// request file carries its own and ignores these, except Operation when set.
	Request Request
	// ReadFile reads a policy named by a request file's "Policy": "file://..."; nil reads the file
	// system, up to MaxInputBytes.
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
	// Severity re-grades rules, by code.
	Severity map[string]Severity
	// Ignores silence rules in some files.
	Ignores []Ignore
	// RulesDirs are folders of custom Rego rules (the conftest convention: deny, violation, warn).
	RulesDirs []string
	// RuleTimeout bounds the Rego rules' evaluation of one document; 0 means rules.DefaultTimeout.
	RuleTimeout time.Duration
	// Lengths overrides the worst-case lengths assumed for GitHub expression values in workflows
	// (workflow.DefaultLengths), by expression ("github.head_ref"); "default" is any other.
	Lengths map[string]int
}

// Ignore silences one rule in the files a glob matches.
type Ignore struct {
	// Glob is slash-separated and relative to Base; ** matches any number of folders.
	Glob string
	// Base is the folder the glob is relative to.
	Base string
	// Code is the rule's code.
	Code string
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
	engine  *rules.Engine
}

// New returns a Linter for cfg, or an error naming a rule in cfg.Disable that does not exist or a
// request flag that is not valid.
func New(cfg Config) (*Linter, error) {
	off := make(map[*Rule]bool)
	for _, name := range cfg.Disable {
		r := RuleByName(name)
		if r == nil {
			return nil, fmt.Errorf("unknown rule %q: `policylint rules` lists them", name)
		}
		off[r] = true
	}
	if cfg.Request.Operation != "" && OperationByName(string(cfg.Request.Operation)) == "" {
		return nil, fmt.Errorf("unknown operation %q: want %s", cfg.Request.Operation, strings.Join(operationFlagNames(), ", "))
	}
	if cfg.ReadFile == nil {
		cfg.ReadFile = ReadFile
	}
	l := &Linter{cfg: cfg, ignored: make([]atomic.Int64, len(cfg.Ignores))}
	disabled := map[string]bool{}
	for _, r := range Rules {
		if !off[r] {
			l.rules = append(l.rules, r)
		} else {
			disabled[r.Slug] = true
		}
	}
	engine, err := rules.New(rules.Options{Dirs: cfg.RulesDirs, Timeout: cfg.RuleTimeout, Disabled: disabled})
	if err != nil {
		return nil, err
	}
	l.engine = engine
	return l, nil
}

// ReadFile reads a regular file of at most MaxInputBytes. A FIFO or device would block or never
// end, and a larger file is not a policy or request: both are errors.
func ReadFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file; use - to read standard input")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimited(f)
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
				p.rule = r
				r.check(p)
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
		if i := l.ignoreFor(abs, d.Code); i >= 0 {
			l.ignored[i].Add(1)
			continue
		}
		if sev, ok := l.cfg.Severity[d.Code]; ok {
			d.Severity = sev
		}
		kept = append(kept, d)
	}
	r.Diagnostics = kept
}

// ignoreFor returns the index of the first ignore that silences code in the file, or -1.
func (l *Linter) ignoreFor(abs, code string) int {
	for i, ig := range l.cfg.Ignores {
		if ig.Code != code {
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
// of folders and * and ? do not cross a slash.
func matchGlob(glob, path string) bool {
	return matchParts(strings.Split(glob, "/"), strings.Split(path, "/"))
}

func matchParts(glob, path []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(path); i++ {
				if matchParts(glob[1:], path[i:]) {
					return true
				}
			}
			return false
		}
		if len(path) == 0 {
			return false
		}
		if ok, err := filepath.Match(glob[0], path[0]); err != nil || !ok {
			return false
		}
		glob, path = glob[1:], path[1:]
	}
	return len(path) == 0
}

// Estimate returns the packed size estimate of a file's request, as the packed-size check makes
// it, and false when the request has nothing that counts toward it.
func (l *Linter) Estimate(path string, src []byte) (pack.Estimate, bool) {
	pr, ok := l.prepareFile(path, src)
	if !ok {
		return pack.Estimate{}, false
	}
	p := &Pass{Doc: pr.policy, req: pr.req, cfg: &l.cfg}
	r := p.packRequest()
	if packEmpty(r) {
		return pack.Estimate{}, false
	}
	return l.cfg.model().Estimate(r), true
}

// prepared is a file read as a request: its policy document, if any, and its parameters.
type prepared struct {
	a         *assembly
	policy    *jsonpos.Document
	policyErr *jsonpos.SyntaxError
	in        string // "/Policy" for a policy held in the request file's string
	reqIn     string // where the request is in the user's file, for a request a source found
	req       *request
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
	case req.policyFile != "":
		target := req.policyFile
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		src, err := l.cfg.ReadFile(target)
		if err != nil {
			req.policyFileErr = err
			break
		}
		var perr error
		pr.policy, perr = jsonpos.Parse(src, jsonpos.Options{MaxBytes: MaxInputBytes})
		pr.policyErr = syntaxError(perr)
		a.file(pr.policy, filepath.ToSlash(target))
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
	p := &Pass{Doc: doc, SyntaxError: pr.policyErr, req: req, cfg: &l.cfg, in: pr.in, reqIn: pr.reqIn, engine: l.engine, path: pr.a.byDoc[pr.a.order[0]].Path}
	if e, ok := pr.a.embeds[doc]; ok {
		p.host = &e
	}
	for _, r := range l.rules {
		if r.check == nil || doc == nil && (r.scope == policyScope || r.scope == documentScope) {
			continue
		}
		p.rule = r
		r.check(p)
	}
	if doc != nil {
		p.reportUserFindings()
	}
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
	grammar *[]problem       // the schema validation, done once
	value   any              // the policy converted to Go values, once (policyValue)
	rego    *[]rules.Finding // the Rego rules' findings, evaluated once
	engine  *rules.Engine
	path    string     // the file as the user named it, for Rego's input.path
	host    *embedding // the request file holding Doc, for an embedded policy
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

// Report records a finding about the value at pointer of the policy document.
func (p *Pass) Report(pointer, msg string) {
	start, end := 0, len(p.Doc.Src)
	if v, ok := p.Doc.Lookup(pointer); ok {
		start, end = v.Start, v.End
	}
	p.add(place{p.Doc, start, end}, pointer, p.in, msg, nil)
}

// ReportSpan records a finding about the bytes [start, end) of the policy document; its pointer
// is that of the innermost value holding start.
func (p *Pass) ReportSpan(start, end int, msg string, related ...pendingRelated) {
	ptr, _, _ := p.Doc.Enclosing(start)
	p.add(place{p.Doc, start, end}, ptr, p.in, msg, related)
}

// reportAt records a finding about a request parameter written at pl.
func (p *Pass) reportAt(pl place, msg string, related ...pendingRelated) {
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
	p.add(pl, ptr, in, msg, related)
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
	p.diags = append(p.diags, pending{
		at: pl, pointer: pointer, in: in, related: related,
		diag: Diagnostic{Code: p.rule.Code, Rule: p.rule.Slug, Severity: p.rule.Severity, Message: msg},
	})
}

// maxPerRule caps the findings of one rule in one file; past it, one more finding counts the
// rest. A file pasted from a word processor can hold hundreds of bad characters, and a hostile one
// millions of duplicate keys.
const maxPerRule = 20

// capped reports findings of one kind up to maxPerRule, then counts them.
type capped struct {
	p    *Pass
	what string
	n    int
	at   place // the first finding not reported one by one
}

// capped starts counting findings of a kind, named in the plural for the closing count.
func (p *Pass) capped(what string) *capped { return &capped{p: p, what: what} }

func (c *capped) report(at place, msg string, related ...pendingRelated) {
	c.n++
	switch {
	case c.n <= maxPerRule:
		c.p.reportAt(at, msg, related...)
	case c.n == maxPerRule+1:
		c.at = at
	}
}

// flush reports how many findings were left out, if any.
func (c *capped) flush() {
	if c.n > maxPerRule {
		c.p.reportAt(c.at, fmt.Sprintf("%d more %s follow; they are not reported one by one", c.n-maxPerRule, c.what))
	}
}

// span is a place in the policy document.
func (p *Pass) span(start, end int) place { return place{p.Doc, start, end} }

// statements returns the statement objects with their pointers: Statement may be one object or
// an array of them.
func (p *Pass) statements() []stmt {
	st, ok := p.Doc.Root.Get("Statement")
	if !ok {
		return nil
	}
	if st.Kind == jsonpos.Object {
		return []stmt{{"/Statement", st}}
	}
	var out []stmt
	for i, e := range st.Elems {
		if e.Kind == jsonpos.Object {
			out = append(out, stmt{fmt.Sprintf("/Statement/%d", i), e})
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

func (a *assembly) file(doc *jsonpos.Document, path string) {
	a.order = append(a.order, doc)
	a.byDoc[doc] = &Result{Path: path, Doc: doc}
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
		out = append(out, r)
	}
	return out
}
