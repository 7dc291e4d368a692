package lint

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/lazyre"
)

// The checks of Resource ARNs: their account, region and service fields, and, with the catalogue,
// whether they can be a resource of their service and of the statement's actions.

// splitARN splits a Resource ARN into its fields, once; ok is false for "*" and for what
// invalid-arn reports.
func splitARN(s string) (arnFields, bool) {
	if s == "*" {
		return arnFields{}, false
	}
	f, problem := arnProblemFields(s)
	if problem != "" {
		return arnFields{}, false
	}
	return fieldsOf(f), true
}

// resourceARNs calls fn for each Resource and NotResource value of a statement that is an ARN.
func (p *Pass) resourceARNs(s stmt, fn func(element string, v *jsonpos.Value, a arnFields)) {
	for _, el := range []string{"Resource", "NotResource"} {
		if v, ok := s.v.Get(el); ok {
			for r := range elementStrings(v) {
				if a := p.arn(r); a != nil {
					fn(el, r, *a)
				}
			}
		}
	}
}

// arn returns a Resource value split into its fields, or nil when it is not an ARN. Values are
// split once per pass: five checks ask.
func (p *Pass) arn(v *jsonpos.Value) *arnFields {
	sem := p.sem()
	if sem.arns == nil {
		sem.arns = map[*jsonpos.Value]*arnFields{}
	}
	a, seen := sem.arns[v]
	if !seen {
		if parts, ok := splitARN(v.Str); ok {
			a = &parts
		}
		sem.arns[v] = a
	}
	return a
}

// patterned reports whether an ARN field holds a wildcard or a policy variable, so that its value
// is not known from the policy.
func patterned(field string) bool {
	return strings.ContainsAny(field, "*?") || strings.Contains(field, "${")
}

// validAccount is an AWS account ID, 12 digits (accountID: AWS General Reference, AWS account
// identifiers), or "aws", which stands for AWS itself in the ARNs of AWS managed policies.
func validAccount(a string) bool { return a == "aws" || accountID.MatchString(a) }

// checkInvalidARNAccount reports an account field that is neither empty, a pattern, 12 digits
// nor "aws".
var checkInvalidARNAccount = checkARNField(func(a arnFields) string { return a.account }, validAccount,
	"%s %s has account %s; an account ID is 12 digits (or empty, for services whose ARNs have none), so the ARN matches no resource")

// regionPattern is the form of AWS Region codes: us-east-1, us-gov-west-1, cn-north-1,
// eu-isoe-west-1 (AWS General Reference, Regions and endpoints).
var regionPattern = lazyre.New(`^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$`)

// checkInvalidARNRegion reports a region field that is not the form of a Region code.
var checkInvalidARNRegion = checkARNField(func(a arnFields) string { return a.region }, regionPattern.MatchString,
	"%s %s has region %s, which is not a Region code such as us-east-1, so the ARN matches no resource")

// checkARNField is a check of one field of the Resource ARNs: a value that is not empty, not a
// pattern and not valid is reported with the message, given the element, the ARN and the value.
func checkARNField(field func(arnFields) string, valid func(string) bool, message string) func(*Pass) {
	return func(p *Pass) {
		p.eachNonEmptyStatement(func(s stmt) {
			p.resourceARNs(s, func(el string, v *jsonpos.Value, a arnFields) {
				if f := field(a); f != "" && !patterned(f) && !valid(f) {
					p.reportf(p.valueAt(v), message, el, quoteShort(v.Str), quoteShort(f))
				}
			})
		})
	}
}

// checkARNServiceCase reports a service field with upper-case letters: service names in ARNs are
// lower-case.
func checkARNServiceCase(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		p.resourceARNs(s, func(el string, v *jsonpos.Value, a arnFields) {
			if lower := strings.ToLower(a.service); lower != a.service && !strings.Contains(a.service, "${") {
				p.reportf(p.valueAt(v), "%s %s has service %s in upper case; ARNs name services in lower case, so the ARN matches no resource: write %s", el, quoteShort(v.Str), quoteShort(a.service), quoteShort(lower))
			}
		})
	})
}

// overlapBudget bounds the steps each check spends matching ARNs against ARN formats in one
// policy. The most a policy of the corpus takes is 14,000; past the budget the check gives up
// silently rather than cost more than linear time on a hostile policy. Each check has its own, so
// that one that spends it all leaves the other its findings.
const overlapBudget = 4_000_000

// matcher returns the pass's matcher of Resource patterns against ARN formats, with the running
// check's budget: a check calls it once. Matchers are pooled across passes, with the scratch
// space their searches have grown.
func (p *Pass) matcher() *catalog.Matcher {
	sem := p.sem()
	if sem.matcher == nil {
		sem.matcher = matchers.Get().(*catalog.Matcher)
	}
	sem.matcher.Budget = sem.overlapBudget
	return sem.matcher
}

var matchers = sync.Pool{New: func() any { return catalog.NewMatcher(overlapBudget) }}

// release returns what the pass took from pools; the pass is done.
func (p *Pass) release() {
	if p.semantics != nil && p.semantics.matcher != nil {
		p.semantics.matcher.Reset()
		matchers.Put(p.semantics.matcher)
		p.semantics.matcher = nil
	}
}

// checkARNResourceType reports an ARN of a known service that matches none of that service's
// resource types, and says when the cause is a region or an account the service's ARNs do not
// have, or lack.
func checkARNResourceType(p *Pass) {
	m := p.matcher()
	p.eachNonEmptyStatement(func(s stmt) {
		p.resourceARNs(s, func(el string, v *jsonpos.Value, a arnFields) {
			if patterned(a.service) || strings.ToLower(a.service) != a.service {
				return
			}
			formats := p.arnFormats(a.service)
			if len(formats) == 0 || awsOwned(a) {
				return
			}
			for _, f := range formats {
				if m.Overlap(f, v.Str) {
					return
				}
			}
			if m.Exhausted() {
				return
			}
			at := p.valueAt(v)
			if p.full(p.rule.Severity, at) {
				return // past the rule's cap: counted, not explained (arnMismatch matches again)
			}
			p.reportf(at, "%s %s %s", el, quoteShort(v.Str), arnMismatch(m, a, formats, p.inCatalog()))
		})
	})
}

// awsOwnedResources are resources AWS owns whose ARNs the service reference's formats do not
// describe: SSM's public documents, parameters and runbooks have no account
// (arn:aws:ssm:us-east-1::document/AWS-RunShellScript, ::parameter/aws/service/...), where the
// formats name ${Account}, and CloudFormation's transforms have the account "aws"
// (arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31), a resource type the
// reference lacks. AWS's data-perimeter examples scope endpoint policies to them.
var awsOwnedResources = []struct{ service, account, prefix string }{
	{"ssm", "", "document/"},
	{"ssm", "", "parameter/aws/"},
	{"ssm", "", "automation-definition/"},
	{"cloudformation", "aws", "transform/"},
}

// awsOwned reports whether an ARN names one of awsOwnedResources: the checks against the
// reference's formats do not judge it.
func awsOwned(a arnFields) bool {
	for _, o := range awsOwnedResources {
		if a.account == o.account && strings.EqualFold(a.service, o.service) && strings.HasPrefix(a.resource, o.prefix) {
			return true
		}
	}
	return false
}

// arnFormats returns the ARN formats whose service field is service; none for a service the
// catalogue does not know fully.
func (p *Pass) arnFormats(service string) []string {
	formats, _ := p.catalog().ARNFormats(service)
	return formats
}

// arnService is the service field of an ARN format.
func arnService(format string) string {
	parts, _ := catalog.SplitARN(format)
	return strings.ToLower(parts[2])
}

// arnMismatch words why an ARN matches none of its service's formats: when its resource part
// fits some of them, it says which of the region and account fields is wrong.
func arnMismatch(m *catalog.Matcher, a arnFields, formats []string, data string) string {
	var near [][]string
	for _, f := range formats {
		if parts, ok := catalog.SplitARN(f); ok && m.OverlapResource(parts[5], a.resource) {
			near = append(near, parts[:])
		}
	}
	for _, field := range []struct {
		name, value string
		index       int
	}{{"region", a.region, 3}, {"account", a.account, 4}} {
		if len(near) == 0 || patterned(field.value) {
			break
		}
		empty := 0
		for _, parts := range near {
			if parts[field.index] == "" {
				empty++
			}
		}
		example := strings.Join(near[0], ":")
		switch {
		case field.value != "" && empty == len(near):
			return fmt.Sprintf("has %s %s, but %s ARNs of that form have none (%s: %s): leave the %s empty", field.name, quoteShort(field.value), a.service, data, example, field.name)
		case field.value == "" && empty == 0:
			return fmt.Sprintf("has no %s, but %s ARNs of that form have one (%s: %s): add the %s, or * for any", field.name, a.service, data, example, field.name)
		}
	}
	example := formats[0]
	for _, f := range formats {
		if len(f) < len(example) {
			example = f
		}
	}
	return fmt.Sprintf("matches none of the %s ARN formats in %s (such as %s): unless its resource type is newer than the data, check the resource part", a.service, data, example)
}

// checkActionResourceMismatch reports an action of a statement that can apply to none of the
// statement's resources: its resource types' ARN formats match none of them, or it supports only
// "Resource": "*". The statement then grants (or denies) nothing for that action.
func checkActionResourceMismatch(p *Pass) {
	m := p.matcher()
	resources := statementResources{byService: map[string][]string{}, overlaps: map[string]bool{}} // one statement's at a time
	p.eachNonEmptyStatement(func(s stmt) {
		res, ok := s.v.Get("Resource")
		if !ok {
			return
		}
		resources.reset()
		for r := range elementStrings(res) {
			a := p.arn(r)
			if a == nil || awsOwned(*a) {
				return // "*", a value other checks report, or a resource the reference does not describe: anything may match
			}
			service := strings.ToLower(a.service)
			if patterned(service) {
				service = "" // compared with every format
			}
			resources.byService[service] = append(resources.byService[service], r.Str)
		}
		if len(resources.byService) == 0 {
			return
		}
		effect := "grants"
		if e, _ := s.v.Get("Effect"); e != nil && e.Str == "Deny" {
			effect = "denies"
		}
		for _, ent := range p.actionEntries(s) {
			v, r := ent.v, ent.r
			if ent.element != "Action" || r == nil || r.unknownPrefix || r.partial || len(r.actions) == 0 {
				continue
			}
			if matchesAny(m, r.actions, resources) || m.Exhausted() {
				continue
			}
			at := p.valueAt(v)
			// When the only evidence is an empty column of the reference (AWS's own managed
			// policies often scope such actions to ARNs), it is advice, not a warning.
			sev := p.rule.Severity
			if starOnly(r.actions) {
				sev = Info
			}
			if p.full(sev, at) {
				continue // past the rule's cap: counted, not worded
			}
			p.reportAtSeverity(sev, at, actionMismatch(v.Str, r, effect, p.inCatalog()))
		}
	})
}

// statementResources are the Resource ARNs of one statement by their service field ("" for one
// with a wildcard or variable), and which ARN formats overlap one of them, found once per format.
type statementResources struct {
	byService map[string][]string
	overlaps  map[string]bool
}

// reset empties sr for the next statement: maps that stayed small are cleared and kept, a
// large one is replaced, since clearing costs its capacity (a statement of 100,000 resources
// followed by 100,000 small ones would otherwise be quadratic).
func (sr *statementResources) reset() {
	if len(sr.byService) > 64 {
		sr.byService = map[string][]string{}
	} else {
		clear(sr.byService)
	}
	if len(sr.overlaps) > 64 {
		sr.overlaps = map[string]bool{}
	} else {
		clear(sr.overlaps)
	}
}

// overlap reports whether an ARN format can match one of the statement's resources. A format is
// compared only with the resources of its service, once per statement: an action's formats are
// looked up, not matched again for every action.
func (sr statementResources) overlap(m *catalog.Matcher, format string) bool {
	if known, ok := sr.overlaps[format]; ok {
		return known
	}
	found := false
	if service := arnService(format); patterned(service) { // such as AWS Backup's arn:${Partition}:${Vendor}:...
		for _, rs := range sr.byService {
			found = found || overlapsOne(m, format, rs)
		}
	} else {
		found = overlapsOne(m, format, sr.byService[service]) || overlapsOne(m, format, sr.byService[""])
	}
	sr.overlaps[format] = found
	return found
}

func overlapsOne(m *catalog.Matcher, format string, resources []string) bool {
	for _, r := range resources {
		if m.Overlap(format, r) {
			return true
		}
	}
	return false
}

// matchesAny reports whether one of the actions can apply to one of the resources, or may: an
// action whose resources the catalogue does not fully know counts as a match.
func matchesAny(m *catalog.Matcher, actions []*catalog.Action, resources statementResources) bool {
	for _, a := range actions {
		if a.Supplement {
			return true
		}
		for _, ar := range a.Resources {
			if ar.Resource == nil {
				return true
			}
			for _, f := range ar.Resource.ARNFormats {
				if resources.overlap(m, f) {
					return true
				}
			}
		}
	}
	return false
}

// starOnly reports whether every action has no resource types, so supports only "Resource": "*".
func starOnly(actions []*catalog.Action) bool {
	for _, a := range actions {
		if len(a.Resources) > 0 {
			return false
		}
	}
	return true
}

// actionMismatch words why an action applies to none of the statement's resources.
func actionMismatch(written string, r *resolved, effect, data string) string {
	if r.wildcard || r.serviceWildcard {
		return fmt.Sprintf("%s matches %s in %s, none of which applies to the statement's resources: the statement %s nothing for them; give them their own statement with the resources they act on", quoteShort(written), plural(len(r.actions), "action"), data, effect)
	}
	a := r.actions[0]
	if len(a.Resources) == 0 {
		return fmt.Sprintf("%s supports only \"Resource\": \"*\" (it has no resource types in %s), so with these resources the statement %s nothing for it; move it to a statement with \"Resource\": \"*\"", quoteShort(written), data, effect)
	}
	var types []string
	example := ""
	for _, ar := range a.Resources {
		if !slices.Contains(types, ar.Resource.Name) {
			types = append(types, ar.Resource.Name)
		}
		for _, f := range ar.Resource.ARNFormats {
			if example == "" || len(f) < len(example) {
				example = f
			}
		}
	}
	names := strings.Join(types, ", ")
	if len(types) > 3 {
		names = strings.Join(types[:3], ", ") + fmt.Sprintf(" and %d more", len(types)-3)
	}
	return fmt.Sprintf("%s applies to %s resources (such as %s) in %s; none of the statement's resources can be one, so, unless the action gained a resource type after the data, the statement %s nothing for it: add a resource of that type", quoteShort(written), names, example, data, effect)
}
