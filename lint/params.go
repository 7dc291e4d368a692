package lint

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/jsonpos"
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
	for _, m := range root.Members {
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
	// Tags from the token or assertion obey the same shapes as the Tags parameter.
	for _, t := range w.req.fedTags {
		w.str(pTagKey, t.key.s, t.key.at, t.key.name+t.origin(), nil)
		w.str(pTagValue, t.value.s, t.value.at, t.value.name+t.origin(), nil)
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
		w.add("param-unknown", at, "unknown parameter %q for %s: did you mean %q?", key, w.req.op, s)
		return
	}
	w.add("param-unknown", at, "unknown parameter %q for %s: it takes %s", key, w.req.op, strings.Join(paramNames(spec.params), ", "))
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
		_, m, _ := d.Unquote(v)
		w.str(pm, v.Str, at, name, m)
	case kPolicy:
		switch {
		case v.Kind == jsonpos.Object:
			w.add("param-type", at, "%s must be a string holding the policy JSON, not an object: write it as a JSON string, or as \"file://policy.json\"", name)
		case v.Kind != jsonpos.String:
			w.add("param-type", at, "%s must be a string holding the policy JSON; got %s", name, v.Kind)
		case v.Str == "":
			w.add("param-length", at, "%s is empty; STS needs at least 1 character: remove the parameter or give a policy", name)
		}
	case kInteger:
		n, err := strconv.Atoi(v.Str)
		if v.Kind != jsonpos.Number || err != nil {
			w.add("param-type", at, "%s must be a whole number; got %s", name, describeValue(v))
			return
		}
		w.integer(pm, n, at, name)
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
		for _, m := range v.Members {
			f := fieldByName(pm.fields, m.Key)
			if f == nil {
				keyAt := place{d, m.KeyStart, m.KeyEnd}
				if s := suggest(m.Key, paramNames(pm.fields)); s != "" {
					w.add("param-unknown", keyAt, "unknown member %q in %s: did you mean %q?", m.Key, name, s)
				} else {
					w.add("param-unknown", keyAt, "unknown member %q in %s: it takes %s", m.Key, name, strings.Join(paramNames(pm.fields), " and "))
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
	quoted := func() string {
		if pm.sensitive {
			return ""
		}
		return " " + quoteShort(s)
	}
	if n := utf8.RuneCountInString(s); n < pm.min || pm.max > 0 && n > pm.max {
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
}

// quoteShort quotes user data for a message, cut to 64 characters.
func quoteShort(s string) string {
	const most = 64
	if utf8.RuneCountInString(s) <= most {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q…", string([]rune(s)[:most]))
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
		return "the number " + v.Str
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
