package lint

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
)

// The checks that ask AWS's service reference (internal/catalog) about the actions of a policy.
// The catalogue is always older than AWS, so a name it does not know is a warning, never an error:
// IAM accepts unknown actions, and the action may simply be newer than the data.

// catalog is the service reference the checks ask: the configured one, or the embedded one.
func (p *Pass) catalog() *catalog.Catalog {
	if p.cfg.Catalog != nil {
		return p.cfg.Catalog
	}
	return catalog.Embedded()
}

// inCatalog names the data in messages: "AWS's service reference of 2026-02-13".
func (p *Pass) inCatalog() string {
	c := p.catalog()
	return c.Source + " of " + c.Date
}

// semantics holds what the catalogue checks of one pass share, computed once.
type semantics struct {
	actions map[string]*resolved // by the action string as written
	// steps is what is left of actionBudget.
	steps   int
	matcher *catalog.Matcher
	// overlapBudget is the matcher's budget for each check: overlapBudget but in tests.
	overlapBudget int
	keys          map[string]*keyInfo // by the condition key as written
	used          map[*catalog.Service]map[string]bool
	stmts         []stmt                           // the non-empty statements, listed once
	conds         []condEntry                      // the keys of the statements' conditions, listed once
	arns          map[*jsonpos.Value]*arnFields    // Resource values split, nil when not ARNs
	entries       map[*jsonpos.Value][]actionEntry // by statement, its actions resolved
	// slab is where resolved values are carved from, a chunk at a time.
	slab []resolved
}

// newResolved returns a zero resolved value from the slab.
func (sem *semantics) newResolved() *resolved {
	if len(sem.slab) == 0 {
		sem.slab = make([]resolved, min(max(8, 2*len(sem.actions)), 256))
	}
	r := &sem.slab[0]
	sem.slab = sem.slab[1:]
	return r
}

func (p *Pass) sem() *semantics {
	if p.semantics == nil {
		p.semantics = &semantics{actions: map[string]*resolved{}, steps: actionBudget, overlapBudget: overlapBudget}
	}
	return p.semantics
}

// resolved is what the catalogue says of one Action value.
type resolved struct {
	prefix, name string // as written
	// services are the services the prefix names (several for a prefix with wildcards).
	services []*catalog.Service
	// unknownPrefix is set when no service matches the prefix; retired, when it is a retired one.
	unknownPrefix bool
	retired       *catalog.Retired
	// partial is set when a service is known only from the supplement of newer action names:
	// its list of actions is incomplete, so a missing action proves nothing.
	partial bool
	// actions are the actions the value matches.
	actions []*catalog.Action
	// wildcard: the action name has * or ?; serviceWildcard: the prefix has.
	wildcard, serviceWildcard bool

	// oneService and oneAction back services and actions for the common case of one each, so
	// that resolving s3:GetObject allocates only the resolved value.
	oneService [1]*catalog.Service
	oneAction  [1]*catalog.Action
}

// resolve looks an action value up, once per pass. It returns nil for "*", a malformed value
// (invalid-action reports it) or one with a policy variable (policy-variable reports it).
func (p *Pass) resolve(action string) *resolved {
	sem := p.sem()
	if r, ok := sem.actions[action]; ok {
		return r
	}
	var r *resolved
	if action != "*" && wellFormedAction(action) {
		r = p.resolveCached(action)
	}
	sem.actions[action] = r
	return r
}

// resolveCached is resolveAction through actionCache.
func (p *Pass) resolveCached(action string) *resolved {
	if len(action) > maxCachedAction {
		return p.resolveAction(action)
	}
	sem := p.sem()
	key := exactKey{p.catalog(), action}
	if e, ok := actionCache.Load(key); ok {
		c := e.(cachedAction)
		if c.cost > 0 && sem.steps < c.cost {
			sem.steps = -1 // as resolving it again would leave it: the budget runs out on the way
			return nil
		}
		sem.steps -= c.cost
		return c.r
	}
	action = strings.Clone(action) // the value may share its file's text: the cache must not keep it
	before := sem.steps
	r := p.resolveAction(action)
	if r != nil && actionCacheBytes.Add(int64(len(action)+8*len(r.actions)+cachedActionOverhead)) <= maxActionCacheBytes {
		key.action = action
		actionCache.Store(key, cachedAction{detach(r), before - sem.steps})
	}
	return r
}

// detach copies r out of its pass's slab, so that the cache keeps r alone, not the chunk of
// other values (and the strings they hold, of any length) the slab carved it from.
func detach(r *resolved) *resolved {
	c := new(resolved)
	*c = *r
	if len(r.services) == 1 && &r.services[0] == &r.oneService[0] {
		c.services = c.oneService[:]
	}
	if len(r.actions) == 1 && &r.actions[0] == &r.oneAction[0] {
		c.actions = c.oneAction[:]
	}
	return c
}

// actionCache holds what the catalogue says of action values for every pass of the process: the
// same values come back in file after file (s3:GetObject, ec2:Describe*), and the answer is the
// same in every pass. A wildcard's answer costs budget steps (actionBudget); a pass that takes it
// from the cache is charged the steps resolving it took, and gets nil when its budget is short
// of them, exactly as resolving it again would (a name that took no steps, such as s3:GetObject,
// is judged on any budget): a file's findings never depend on which files were linted before
// it. A cached value is copied out of its pass's slab. Values longer than maxCachedAction (no
// IAM action is near it) are not kept, and the whole cache holds at most maxActionCacheBytes, so
// that a hostile tree of distinct names costs no more memory than its passes.
var (
	actionCache      sync.Map // exactKey → cachedAction
	actionCacheBytes atomic.Int64
)

type cachedAction struct {
	r    *resolved
	cost int // the budget steps resolving it took
}

const (
	maxCachedAction      = 256
	maxActionCacheBytes  = 32 << 20
	cachedActionOverhead = 256 // the entry, its key and its resolved value, roughly
)

type exactKey struct {
	cat    *catalog.Catalog
	action string
}

// actionBudget bounds the steps (bytes of names compared) spent matching wildcard actions against
// the catalogue in one policy. The most any policy of the corpus takes is 190,000
// (SageMakerStudioAdminIAMDefaultExecutionPolicy); past the budget the wildcards not yet matched
// are left unjudged, so that a policy of 500,000 distinct wildcards costs milliseconds, not 20 s.
const actionBudget = 4_000_000

// resolveAction looks an action up in the catalogue; nil when the budget ran out on its
// wildcards.
func (p *Pass) resolveAction(action string) *resolved {
	c := p.catalog()
	sem := p.sem()
	prefix, name, _ := strings.Cut(action, ":")
	r := sem.newResolved()
	*r = resolved{prefix: prefix, name: name, wildcard: strings.ContainsAny(name, "*?"), serviceWildcard: strings.ContainsAny(prefix, "*?")}
	if r.serviceWildcard {
		var ok bool
		if r.services, ok = c.MatchServicesWithin(prefix, &sem.steps); !ok {
			return nil
		}
	} else if s := c.Service(prefix); s != nil {
		r.oneService[0] = s
		r.services = r.oneService[:]
	}
	if len(r.services) == 0 {
		r.unknownPrefix = true
		if ret, ok := catalog.RetiredService(prefix); ok && !r.serviceWildcard {
			r.retired = &ret
		}
		return r
	}
	for _, s := range r.services {
		r.partial = r.partial || s.Partial
		if !r.wildcard && !r.serviceWildcard {
			if a := s.Action(name); a != nil {
				r.oneAction[0] = a
				r.actions = r.oneAction[:]
			}
			continue
		}
		matched, ok := s.MatchWithin(name, &sem.steps)
		if !ok {
			return nil
		}
		r.actions = append(r.actions, matched...)
	}
	return r
}

// actionValues calls fn for each string of a statement's Action and NotAction.
func actionValues(s stmt, fn func(element string, v *jsonpos.Value)) {
	for _, el := range []string{"Action", "NotAction"} {
		if v, ok := s.v.Get(el); ok {
			for a := range elementStrings(v) {
				fn(el, a)
			}
		}
	}
}

// actionEntry is one Action or NotAction value of a statement with what the catalogue says of
// it; r is nil when the catalogue cannot judge it.
type actionEntry struct {
	element string
	v       *jsonpos.Value
	r       *resolved
}

// actionEntries returns the Action and NotAction values of a statement, resolved, once per pass:
// half a dozen checks walk them, and a policy may hold 500,000.
func (p *Pass) actionEntries(s stmt) []actionEntry {
	sem := p.sem()
	if e, ok := sem.entries[s.v]; ok {
		return e
	}
	var out []actionEntry
	actionValues(s, func(el string, v *jsonpos.Value) {
		out = append(out, actionEntry{el, v, p.resolve(v.Str)})
	})
	if sem.entries == nil {
		sem.entries = map[*jsonpos.Value][]actionEntry{}
	}
	sem.entries[s.v] = out
	return out
}

// eachResolved calls fn for each Action and NotAction value of each statement that the catalogue
// can judge, with what it says of the value.
func (p *Pass) eachResolved(fn func(element string, v *jsonpos.Value, r *resolved)) {
	p.eachNonEmptyStatement(func(s stmt) {
		for _, e := range p.actionEntries(s) {
			if e.r != nil {
				fn(e.element, e.v, e.r)
			}
		}
	})
}

// checkUnknownService reports an action whose service prefix is not in the catalogue, with the
// closest prefix, or the product when AWS retired the service.
func checkUnknownService(p *Pass) {
	p.eachResolved(func(_ string, v *jsonpos.Value, r *resolved) {
		if !r.unknownPrefix {
			return
		}
		at := p.valueAt(v)
		if p.full(p.rule.Severity, at) {
			return // past the rule's cap: counted, not worded (a suggestion costs an edit distance per service)
		}
		var msg string
		switch {
		case r.retired != nil:
			msg = fmt.Sprintf("%s names %s (prefix %s), a retired service that is no longer in %s: the action matches nothing; remove it", quoteShort(v.Str), r.retired.Product, quoteShort(r.prefix), p.inCatalog())
		case r.serviceWildcard:
			msg = fmt.Sprintf("%s: no service prefix in %s matches %s, so the action matches nothing", quoteShort(v.Str), p.inCatalog(), quoteShort(r.prefix))
		default:
			msg = fmt.Sprintf("%s names service %s, which is not in %s: if it is not a service newer than the data, the action matches nothing", quoteShort(v.Str), quoteShort(r.prefix), p.inCatalog())
			if alt := p.suggestService(r); alt != "" {
				msg += fmt.Sprintf("; did you mean %q?", alt)
			}
		}
		p.reportAt(at, msg)
	})
}

// suggestService proposes the closest known prefix, with the action when that service has it.
func (p *Pass) suggestService(r *resolved) string {
	cat := p.catalog()
	alt := suggest(r.prefix, cat.Names())
	if alt == "" {
		return ""
	}
	if s := cat.Service(alt); s != nil && !r.wildcard {
		if a := s.Action(r.name); a != nil {
			return alt + ":" + a.Name
		}
	}
	return alt + ":" + r.name
}

// checkUnknownAction reports an action its service does not have, and a wildcard that matches
// none of its actions.
func checkUnknownAction(p *Pass) {
	p.eachResolved(func(el string, v *jsonpos.Value, r *resolved) {
		if r.unknownPrefix || r.partial || len(r.actions) > 0 {
			return
		}
		at := p.valueAt(v)
		if p.full(p.rule.Severity, at) {
			return // past the rule's cap: counted, not worded
		}
		where := "of " + r.services[0].Name
		if r.serviceWildcard {
			where = fmt.Sprintf("of the services matching %s", quoteShort(r.prefix))
		}
		effect := "the action matches nothing"
		if el == "NotAction" {
			effect = "it excludes nothing"
		}
		var msg string
		if r.wildcard {
			msg = fmt.Sprintf("%s matches no action %s in %s: %s", quoteShort(v.Str), where, p.inCatalog(), effect)
		} else {
			msg = fmt.Sprintf("%s is not an action %s in %s: if it is not newer than the data, %s", quoteShort(v.Str), where, p.inCatalog(), effect)
			if !r.serviceWildcard {
				if alt := suggestAction(r.services[0], r.name); alt != "" {
					msg += fmt.Sprintf("; did you mean %q?", r.services[0].Name+":"+alt)
				}
			}
		}
		p.reportAt(at, msg)
	})
}

// suggestAction proposes the action of the service closest to name by edit distance.
func suggestAction(s *catalog.Service, name string) string {
	names := make([]string, len(s.Actions))
	for i := range s.Actions {
		names[i] = s.Actions[i].Name
	}
	return suggest(name, names)
}

// checkWildcardService reports a wildcard in the service prefix of an action or in the service of
// a resource ARN: IAM accepts it, and it grants the actions of every service whose name matches,
// including services AWS adds later.
func checkWildcardService(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		actionValues(s, func(el string, v *jsonpos.Value) {
			prefix, _, ok := strings.Cut(v.Str, ":")
			if ok && v.Str != "*" && strings.ContainsAny(prefix, "*?") && !strings.Contains(prefix, "${") {
				p.reportf(p.valueAt(v), "%s has a wildcard in its service prefix: it covers every service whose prefix matches %s, including ones AWS adds later; name the services", quoteShort(v.Str), quoteShort(prefix))
			}
		})
		p.resourceARNs(s, func(_ string, v *jsonpos.Value, a arnFields) {
			if strings.ContainsAny(a.service, "*?") && a.service != "*" {
				p.reportf(p.valueAt(v), "%s has a wildcard in its service (%s): it matches the resources of every service whose name matches, including ones AWS adds later; name the service", quoteShort(v.Str), quoteShort(a.service))
			}
		})
	})
}

// reportf records a finding worded by fmt.Sprintf, and words it only when it is not past the
// running rule's cap: the catalogue checks may find one in each of 500,000 values of a hostile
// policy, and wording each would cost more than finding it.
func (p *Pass) reportf(at place, format string, args ...any) {
	p.reportSeverityf(p.rule.Severity, at, format, args...)
}

// reportSeverityf is reportf at another severity than the rule's.
func (p *Pass) reportSeverityf(sev Severity, at place, format string, args ...any) {
	if !p.full(sev, at) {
		p.reportAtSeverity(sev, at, fmt.Sprintf(format, args...))
	}
}
