package lint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/placeholder"
	"github.com/policylint/policylint/internal/quote"
)

// problem is a finding of one of the param-* rules, found in one walk of the request.
type problem struct {
	slug string
	at   place
	msg  string
	// warning reports the problem at warning severity: IAM accepts what it describes.
	warning bool
}

// paramProblems walks the request's parameters once against the operation's table and returns
// what is wrong, for the param-* rules to report their own.
func (p *Pass) paramProblems() []problem {
	r := p.req
	if r.problems != nil {
		return *r.problems
	}
	w := &paramWalker{req: r}
	if r.doc != nil {
		w.walkRequestFile()
	} else {
		w.walkFlags()
	}
	r.problems = &w.out
	return w.out
}

type paramWalker struct {
	req *request
	out []problem
}

func (w *paramWalker) add(slug string, at place, format string, args ...any) {
	w.out = append(w.out, problem{slug: slug, at: at, msg: fmt.Sprintf(format, args...)})
}

// opContext says which operation a message is about, and why when it was inferred.
func (w *paramWalker) opContext() string {
	if w.req.inferBy != "" {
		return fmt.Sprintf("%s (inferred: %s)", w.req.op, w.req.inferBy)
	}
	return string(w.req.op)
}

func (w *paramWalker) walkRequestFile() {
	d := w.req.doc
	root := d.Root
	spec := operations[w.req.op]
	live := w.liveMembers(root)
	for i, m := range root.Members {
		if !live[i] {
			continue // the AWS CLI keeps the last of duplicate keys: duplicate-key warns
		}
		keyAt := place{d, m.KeyStart, m.KeyEnd}
		pm := spec.param(m.Key)
		if pm == nil {
			w.unknownParam(m.Key, keyAt, spec)
			continue
		}
		w.value(pm, m.Value, m.Key)
	}
	for _, name := range spec.required {
		if _, ok := root.Get(name); !ok && !w.req.suppliedAtRunTime(name) {
			w.add("param-required", place{d, root.Start, root.Start + 1}, "%s is required by %s: add it", name, w.opContext())
		}
	}
	// Tags and source identities from the token or assertion obey the same shapes as the
	// parameters (the SourceIdentity parameter, first, is checked above).
	for _, t := range w.req.fedTags {
		w.str(pTagKey, t.key.s, t.key.at, t.key.name+t.origin(), nil)
		w.str(pTagValue, t.value.s, t.value.at, t.value.name+t.origin(), nil)
	}
	for _, id := range w.req.sourceIDs {
		if id.name != pSourceID.name {
			w.str(pSourceID, id.s, id.at, id.name, nil)
		}
	}
	if n := len(w.req.fedTransitive); n > pTransitive.max {
		w.add("param-length", w.req.fedTransitive[0].at, "%d transitive tag keys; STS accepts at most %d", n, pTransitive.max)
	}
}

func (w *paramWalker) unknownParam(key string, at place, spec operationSpec) {
	if others := otherOperations(key, w.req.op); len(others) > 0 {
		hint := ""
		if w.req.op == GetFederationToken && key == "TransitiveTagKeys" {
			hint = ": GetFederationToken cannot set session tags as transitive"
		}
		takes := "only " + others[0] + " takes it"
		if len(others) > 1 {
			takes = strings.Join(others, " and ") + " take it"
		}
		w.add("param-unknown", at, "%s is not a parameter of %s; %s%s", key, w.opContext(), takes, hint)
		return
	}
	if s := suggest(key, paramNames(spec.params)); s != "" {
		w.add("param-unknown", at, "unknown parameter %s for %s: did you mean %q?", quoteShort(key), w.req.op, s)
		return
	}
	w.add("param-unknown", at, "unknown parameter %s for %s: it takes %s", quoteShort(key), w.req.op, strings.Join(paramNames(spec.params), ", "))
}

// value checks one value against its shape; name is how messages call it.
func (w *paramWalker) value(pm *param, v *jsonpos.Value, name string) {
	d := w.req.doc
	at := place{d, v.Start, v.End}
	switch pm.kind {
	case kString:
		if v.Kind != jsonpos.String {
			w.add("param-type", at, "%s must be a string; got %s", name, v.Kind)
			return
		}
		if w.fileURI(pm, v.Str, at, name) {
			return
		}
		_, m, _ := d.Unquote(v)
		w.str(pm, v.Str, at, name, m)
	case kPolicy:
		switch {
		case v.Kind == jsonpos.Object:
			w.add("param-type", at, "%s must be a string holding the policy JSON, not an object: write the policy as one JSON string", name)
		case v.Kind != jsonpos.String:
			w.add("param-type", at, "%s must be a string holding the policy JSON; got %s", name, v.Kind)
		case v.Str == "":
			w.add("param-length", at, "%s is empty (as --generate-cli-skeleton leaves it); STS needs at least 1 character: remove it or give the policy", name)
		default:
			w.fileURI(pm, v.Str, at, name)
		}
	case kInteger:
		if v.Kind == jsonpos.String && placeholder.Contains(v.Str) {
			return // unrendered-template reports it
		}
		n, err := strconv.Atoi(v.Str)
		switch {
		case v.Kind == jsonpos.Number && err != nil && integerLiteral.MatchString(v.Str):
			// Python's json keeps any integer exactly, and STS range-checks it.
			w.add("param-range", at, "%s is %s; %s accepts %s to %s (%s)", name, shortNumber(v.Str), w.req.op, thousands(pm.min), thousands(pm.max), humanDuration(pm.max))
		case v.Kind != jsonpos.Number || err != nil:
			w.add("param-type", at, "%s must be a whole number; got %s", name, describeValue(v))
		case n == 0:
			w.add("param-range", at, "%s is 0 (as --generate-cli-skeleton leaves it); %s accepts %s to %s (%s): set it or remove it", name, w.req.op, thousands(pm.min), thousands(pm.max), humanDuration(pm.max))
		default:
			w.integer(pm, n, at, name)
		}
	case kList, kListStrings:
		if v.Kind != jsonpos.Array {
			w.add("param-type", at, "%s must be a list; got %s", name, v.Kind)
			return
		}
		// Tags over 50 are tag-count's: it counts the token's and assertion's tags too.
		if n := len(v.Elems); pm != pTags && (n < pm.min || pm.max > 0 && n > pm.max) {
			w.add("param-length", at, "%s has %d items; STS accepts %s", name, n, bounds(pm.min, pm.max, "items"))
		}
		for i, e := range v.Elems {
			w.value(pm.elem, e, fmt.Sprintf("%s[%d]", name, i))
		}
	case kStruct:
		if v.Kind != jsonpos.Object {
			w.add("param-type", at, "%s must be an object with %s; got %s", name, strings.Join(paramNames(pm.fields), " and "), v.Kind)
			return
		}
		live := w.liveMembers(v)
		for i, m := range v.Members {
			if !live[i] {
				continue
			}
			f := fieldByName(pm.fields, m.Key)
			if f == nil {
				keyAt := place{d, m.KeyStart, m.KeyEnd}
				if s := suggest(m.Key, paramNames(pm.fields)); s != "" {
					w.add("param-unknown", keyAt, "unknown member %s in %s: did you mean %q?", quoteShort(m.Key), name, s)
				} else {
					w.add("param-unknown", keyAt, "unknown member %s in %s: it takes %s", quoteShort(m.Key), name, strings.Join(paramNames(pm.fields), " and "))
				}
				continue
			}
			w.value(f, m.Value, name+"."+m.Key)
		}
		for _, f := range pm.fields {
			if _, ok := v.Get(f.name); !ok && f.required {
				w.add("param-required", place{d, v.Start, v.Start + 1}, "%s needs %s", name, f.name)
			}
		}
	}
}

// fileURI records a value that begins with file:// or fileb://, which the AWS CLI sends as that
// text from a request file (request-file-uri reports it), and reports whether s is one, so that
// no other check judges the path as the value.
func (w *paramWalker) fileURI(pm *param, s string, at place, name string) bool {
	if w.req.doc == nil || !isFileURI(s) {
		return false
	}
	n := utf8.RuneCountInString(s)
	rejected := pm.kind == kPolicy || slices.Contains(structuredParams, pm.name) ||
		n < pm.min || pm.max > 0 && n > pm.max || pm.pattern != nil && !pm.pattern.MatchString(s)
	w.req.fileURIs = append(w.req.fileURIs, fileURIValue{sv{s: s, at: at, name: name}, rejected})
	return true
}

// structuredParams are the string parameters whose value STS parses (an ARN, a token, an
// assertion, a host name): a file path is never one.
var structuredParams = []string{"RoleArn", "PrincipalArn", "arn", "ProviderArn", "WebIdentityToken", "SAMLAssertion", "ContextAssertion", "ProviderId"}

func fieldByName(fields []*param, name string) *param {
	for _, f := range fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// str checks a string's length and pattern. m maps the decoded string into the request file so
// a bad character is reported at its own place; nil places it on the whole value.
func (w *paramWalker) str(pm *param, s string, at place, name string, m *jsonpos.StringMap) {
	if placeholder.Contains(s) {
		return // unrendered-template reports it: the value it will have is unknown
	}
	quoted := func() string {
		if pm.sensitive {
			return ""
		}
		return " " + quoteShort(s)
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && pm.min > 0 && m != nil: // a value of the request file itself
		fix := "fill it in or remove it"
		if slices.Contains(operations[w.req.op].required, name) {
			fix = "fill it in"
		}
		w.add("param-length", at, "%s is empty (as --generate-cli-skeleton leaves it); STS accepts %s: %s", name, bounds(pm.min, pm.max, "characters"), fix)
		return
	case n < pm.min || pm.max > 0 && n > pm.max:
		w.add("param-length", at, "%s%s is %s; STS accepts %s", name, quoted(), plural(n, "character"), bounds(pm.min, pm.max, "characters"))
	}
	if pm.pattern == nil || pm.pattern.MatchString(s) {
		return
	}
	// Find the first character the pattern rejects, to point at it.
	for i, r := range s {
		if pm.pattern.MatchString(string(r)) {
			continue
		}
		charAt := at
		if m != nil {
			charAt = place{at.doc, m.Source(i), m.Source(i + utf8.RuneLen(r))}
		}
		what := describeRune(r)
		if pm.sensitive {
			what = "a character"
		}
		if pm == pSourceID && hasReservedPrefix(s) {
			// sourceIdentityType cannot hold ':', so the reserved prefix is always a pattern error:
			// "You cannot use a value that begins with the text aws:." (STS API Reference,
			// AssumeRole, SourceIdentity)
			w.add("param-pattern", at, "%s%s begins with %q, which AWS reserves, and STS accepts only %s in a source identity: choose another value", name, quoted(), s[:len(reservedTagPrefix)], pm.patternText)
			return
		}
		w.add("param-pattern", charAt, "%s%s contains %s; STS accepts only %s", name, quoted(), what, pm.patternText)
		return
	}
}

func (w *paramWalker) integer(pm *param, n int, at place, name string) {
	if n < pm.min || n > pm.max {
		w.add("param-range", at, "%s is %s; %s accepts %s to %s (%s)", name, thousands(n), w.req.op, thousands(pm.min), thousands(pm.max), humanDuration(pm.max))
	}
}

// walkFlags checks the parameters that flags gave: they have no file, so findings are placed at
// the start of the policy, named after their flag.
func (w *paramWalker) walkFlags() {
	r := w.req
	for _, a := range r.arns {
		w.str(pARN, a.s, a.at, a.name, nil)
	}
	for _, t := range r.tags {
		w.str(pTagKey, t.key.s, t.key.at, t.key.name, nil)
		w.str(pTagValue, t.value.s, t.value.at, t.value.name, nil)
	}
	for _, k := range r.transitive {
		w.str(pTagKey, k.s, k.at, k.name, nil)
	}
	if len(r.transitive) > pTransitive.max {
		w.add("param-length", place{}, "%d transitive tag keys; STS accepts at most %d", len(r.transitive), pTransitive.max)
	}
	if r.roleARN != nil {
		w.str(pRoleArn, r.roleARN.s, r.roleARN.at, r.roleARN.name, nil)
	}
	if r.duration != nil {
		pm := pDuration
		if r.op == GetFederationToken {
			pm = pDurationGFT
		}
		w.integer(pm, r.duration.n, r.duration.at, "--duration-seconds")
	}
	if r.op == GetFederationToken && len(r.transitive) > 0 {
		w.add("param-unknown", place{}, "--transitive-tag-key is not a parameter of GetFederationToken: it cannot set session tags as transitive")
	}
	// AssumeRoleWithSAML and AssumeRoleWithWebIdentity have neither Tags nor TransitiveTagKeys:
	// their session tags come from the identity provider (STS API Reference, both operations).
	if from, ok := map[Operation]string{
		AssumeRoleWithSAML:        "the assertion's PrincipalTag and TransitiveTagKeys attributes",
		AssumeRoleWithWebIdentity: "the token's https://aws.amazon.com/tags claim",
	}[r.op]; ok {
		for _, f := range []struct {
			flag string
			n    int
		}{{"--tag", len(r.tags)}, {"--transitive-tag-key", len(r.transitive)}} {
			if f.n > 0 {
				w.add("param-unknown", place{}, "%s is not a parameter of %s: its session tags come from %s, not from the request", f.flag, r.op, from)
			}
		}
	}
}

// quoteShort quotes user data for a message, cut to 64 characters.
func quoteShort(s string) string { return quote.Short(s) }

// integerLiteral is a JSON number without fraction or exponent: Python's json reads it as an
// int of any size, so the AWS CLI sends it whole.
var integerLiteral = lazyre.New(`^-?[0-9]+$`)

// shortNumber writes a number literal for a message, cut when it is long.
func shortNumber(lit string) string {
	const most = 24
	if len(lit) <= most {
		return lit
	}
	return fmt.Sprintf("%s… (%d digits)", lit[:most], len(strings.TrimPrefix(lit, "-")))
}

// liveMembers says, for each member of obj, whether it is the last of its key. The AWS CLI reads
// a request file with Python's json, which keeps the last, so STS never sees the others.
func (w *paramWalker) liveMembers(obj *jsonpos.Value) []bool {
	live := make([]bool, len(obj.Members))
	if len(w.req.doc.Duplicates) == 0 {
		for i := range live {
			live[i] = true
		}
		return live
	}
	seen := map[string]bool{}
	for i := len(obj.Members) - 1; i >= 0; i-- {
		k := obj.Members[i].Key
		live[i] = !seen[k]
		seen[k] = true
	}
	return live
}

// plural writes n and the unit, with an s when n is not 1.
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return thousands(n) + " " + unit + "s"
}

func bounds(lo, hi int, unit string) string {
	switch {
	case hi == 0:
		return fmt.Sprintf("at least %s %s", thousands(lo), unit)
	case lo == hi:
		return fmt.Sprintf("exactly %s %s", thousands(lo), unit)
	case lo == 0:
		return fmt.Sprintf("at most %s %s", thousands(hi), unit)
	}
	return fmt.Sprintf("%s to %s %s", thousands(lo), thousands(hi), unit)
}

// humanDuration writes a number of seconds as hours.
func humanDuration(seconds int) string {
	return fmt.Sprintf("%g hours", float64(seconds)/3600)
}

// describeValue names a JSON value's type, quoting a short number or string.
func describeValue(v *jsonpos.Value) string {
	switch v.Kind {
	case jsonpos.Number:
		return "the number " + shortNumber(v.Str)
	case jsonpos.String:
		if len(v.Str) <= 32 {
			return fmt.Sprintf("the string %q", v.Str)
		}
		return "a string"
	}
	if v.Kind == jsonpos.Object || v.Kind == jsonpos.Array {
		return "an " + v.Kind.String()
	}
	return "a " + v.Kind.String()
}

// reportProblems reports the walk's problems of the running rule.
func (p *Pass) reportProblems() {
	if p.req == nil {
		return
	}
	p.reportSlug(p.paramProblems())
}

// reportSlug reports the problems of the running rule.
func (p *Pass) reportSlug(problems []problem) {
	for _, pr := range problems {
		switch {
		case pr.slug != p.rule.Slug:
		case pr.warning:
			p.reportAtSeverity(Warning, pr.at, pr.msg)
		default:
			p.reportAt(pr.at, pr.msg)
		}
	}
}

// maxChainedDuration: "Role chaining limits your AWS CLI or AWS API role session to a maximum
// of one hour. ... if you assume a role using role chaining and provide a DurationSeconds
// parameter value greater than one hour, the operation fails." (STS API Reference, AssumeRole,
// DurationSeconds)
const maxChainedDuration = 3600

// checkChainedDuration reports a DurationSeconds over an hour in a chained AssumeRole. Beyond
// 43,200 it is param-range's.
func checkChainedDuration(p *Pass) {
	d := p.req.duration
	if !p.chained() || d == nil || d.n <= maxChainedDuration || d.n > pDuration.max {
		return
	}
	why := "--inherited-tag says the caller is a role session"
	switch {
	case p.req.src != nil && p.req.src.Chained != "":
		why = p.req.src.Chained
	case p.cfg.Request.Chained:
		why = "--chained"
	}
	p.reportAt(d.at, fmt.Sprintf("DurationSeconds is %s, but the call is role chaining (%s): STS caps a chained session at %s seconds (1 hour) and rejects more; ask for %s or less",
		thousands(d.n), why, thousands(maxChainedDuration), thousands(maxChainedDuration)))
}
