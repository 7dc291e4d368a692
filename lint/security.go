package lint

import (
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
)

// The security and redundancy checks (PL6002–PL6007). They were Rego until issue 15; the Rego
// helper library users import (rules/lib, package policylint.lib.iam) keeps the same matching,
// and a test holds the two to the same findings.

const srcPassRole = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"

var rulePassRoleStar = &Rule{
	Code: "PL6002", Slug: "passrole-star", Severity: Warning, check: checkPassRoleStar, AccessAnalyzer: "PASS_ROLE_WITH_STAR_IN_RESOURCE, PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE, PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION, PASS_ROLE_WITH_NOT_RESOURCE, PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE, PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
	Title: "iam:PassRole, directly or by wildcard, on every role",
	Rationale: "A session that may pass any role to any service can hand a service a role more powerful than its own: " +
		"the classic privilege escalation. The finding fires when an Allow statement grants iam:PassRole (by name, by a " +
		"wildcard such as iam:* or *, or through a NotAction that does not exclude it) on every role (Resource \"*\", a " +
		"role/* ARN, or a NotResource that does not exclude every role) without an iam:PassedToService condition that " +
		"restricts it. A condition restricts only with StringEquals or StringLike (ForAnyValue: or not), without IfExists, " +
		"and values other than \"*\": an ...IfExists operator passes when the key is absent, so the statement's other " +
		"actions are not restricted by it, and AWS documents the key as present only when a role is passed; ForAllValues: " +
		"passes when the key is absent; a negated operator allows every other service. Access Analyzer reports the same " +
		"risk as PASS_ROLE_WITH_STAR_IN_RESOURCE, ..._AND_NOT_ACTION, PASS_ROLE_WITH_NOT_RESOURCE and " +
		"PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE. Name the roles the session may pass in Resource, and limit the " +
		"services with iam:PassedToService.",
	Bad:  statementPolicy(`{"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:Pass*"], "Resource": "*"}`),
	Good: goodPolicy, Source: srcPassRole,
}

var ruleAllowNotAction = &Rule{
	Code: "PL6003", Slug: "allow-notaction", Severity: Warning, check: checkAllowNotAction,
	Title: "Allow with NotAction",
	Rationale: "Allow with NotAction grants every action except those listed, including actions of every service and " +
		"actions AWS adds later. In a session policy that is rarely meant: list the actions the session needs, and keep " +
		"NotAction for Deny statements.",
	Bad:  statementPolicy(`{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}`),
	Good: goodPolicy, Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
}

var ruleAllowNotResource = &Rule{
	Code: "PL6004", Slug: "allow-notresource", Severity: Warning, check: checkAllowNotResource,
	Title: "Allow with NotResource",
	Rationale: "Allow with NotResource grants the actions on every resource except those listed, including resources of " +
		"other services and resources created later. Name the resources instead, and keep NotResource for Deny statements.",
	Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"}`),
	Good: goodPolicy, Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
}

var ruleFullAdmin = &Rule{
	Code: "PL6005", Slug: "full-admin", Severity: Warning, check: checkFullAdmin,
	Title: "Action \"*\" on Resource \"*\" without a condition",
	Rationale: "A session policy exists to narrow a role's permissions; one that allows every action (\"*\" or \"*:*\") on " +
		"every resource with no condition narrows nothing, and the session keeps all of the role's permissions. Grant only " +
		"the actions and resources the session needs.",
	Bad:  statementPolicy(`{"Effect": "Allow", "Action": "*", "Resource": "*"}`),
	Good: goodPolicy, Source: srcSession,
}

var ruleRedundantAction = &Rule{
	Code: "PL6006", Slug: "redundant-action", Severity: Info, check: checkRedundantAction, AccessAnalyzer: "REDUNDANT_ACTION",
	Title: "an action already covered by another action of the statement",
	Rationale: "s3:GetObject next to s3:Get* adds nothing but characters, and characters count toward the 2,048 limit " +
		"and the packed size. An entry is redundant when another entry of the same Action or NotAction array matches " +
		"every action it matches (action names are case-insensitive, so a repeat in another case counts); of two " +
		"identical entries the later one is reported. Remove the covered one.",
	Bad:  statementPolicy(`{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}`),
	Good: goodPolicy, Source: srcElements,
}

var ruleRedundantResource = &Rule{
	Code: "PL6007", Slug: "redundant-resource", Severity: Info, check: checkRedundantResource, AccessAnalyzer: "REDUNDANT_RESOURCE",
	Title: "a resource already covered by another resource of the statement",
	Rationale: "arn:aws:s3:::tenant-a/reports/* next to arn:aws:s3:::tenant-a/* adds nothing but characters. An entry is " +
		"redundant when another entry of the same Resource or NotResource array matches every ARN it matches: wildcards " +
		"are compared as patterns, so *DeepRacer* covers *DeepRacer*/* and log-group:app* covers its log streams. As in " +
		"IAM, a wildcard stays in its ARN segment, except in the resource part, where * spans / and :. Remove the " +
		"covered one.",
	Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::tenant-a/*", "arn:aws:s3:::tenant-a/reports/*"]}`),
	Good: goodPolicy, Source: srcElements,
}

// allowStatements calls fn for each statement with "Effect": "Allow".
func (p *Pass) allowStatements(fn func(stmt)) {
	if p.policyObject() == nil {
		return
	}
	for _, s := range p.statements() {
		if e, ok := s.v.Get("Effect"); ok && e.Kind == jsonpos.String && e.Str == "Allow" {
			fn(s)
		}
	}
}

// hasValue reports whether an element is the string want or a list holding it.
func hasValue(v *jsonpos.Value, ok bool, want string) bool {
	if !ok {
		return false
	}
	for s := range elementStrings(v) {
		if s.Str == want {
			return true
		}
	}
	return false
}

func checkAllowNotAction(p *Pass) {
	p.allowStatements(func(s stmt) {
		if _, ok := s.v.Get("NotAction"); ok {
			p.Report(s.pointer+"/NotAction", "allow with NotAction grants every action not listed, including actions AWS adds later; list the allowed actions in Action instead")
		}
	})
}

func checkAllowNotResource(p *Pass) {
	p.allowStatements(func(s stmt) {
		if _, ok := s.v.Get("NotResource"); ok {
			p.Report(s.pointer+"/NotResource", "allow with NotResource grants access to every resource not listed, including resources created later; list the allowed resources in Resource instead")
		}
	})
}

func checkFullAdmin(p *Pass) {
	p.allowStatements(func(s stmt) {
		a, okA := s.v.Get("Action")
		r, okR := s.v.Get("Resource")
		if !hasValue(r, okR, "*") || !hasValue(a, okA, "*") && !hasValue(a, okA, "*:*") {
			return
		}
		if c, ok := s.v.Get("Condition"); ok && (c.Kind != jsonpos.Object || len(c.Members) > 0) {
			return
		}
		p.Report(s.pointer, "statement allows every action on every resource with no condition; grant only the actions and resources the session needs")
	})
}

// allRoles is a role ARN pattern a role must match to be passed: "*" and role/* of any account
// match every role.
const allRoles = "arn:aws:iam::*:role/*"

// coversAllRoles reports whether a resource pattern matches every role of an account.
func (m *matcher) coversAllRoles(r string) bool {
	if r == "*" {
		return true
	}
	segs, ok := catalog.SplitARN(r)
	if !ok {
		return false
	}
	return m.globCovers(strings.ToLower(segs[2]), "iam") && m.globCovers(segs[5], "role/*")
}

// checkPassRoleStar reports an Allow statement that grants iam:PassRole on every role without an
// iam:PassedToService condition that restricts it.
func checkPassRoleStar(p *Pass) {
	m := p.wildcards()
	p.allowStatements(func(s stmt) {
		if restrictsPassedToService(s.v) {
			return
		}
		// On which roles: every role through Resource, or through a NotResource that leaves one.
		var onEvery string
		if r, ok := s.v.Get("Resource"); ok {
			for e := range elementStrings(r) {
				if m.coversAllRoles(e.Str) {
					onEvery = fmt.Sprintf("on every role (Resource %s)", quoteShort(e.Str))
					break
				}
			}
		} else if nr, ok := s.v.Get("NotResource"); ok {
			excluded := false
			for e := range elementStrings(nr) {
				if m.resourceCovers(e.Str, allRoles) {
					excluded = true
				}
			}
			if !excluded {
				onEvery = "on every role not listed in NotResource"
			}
		}
		if onEvery == "" {
			return
		}
		const fix = "; list the role ARNs the session may pass in Resource, or add an iam:PassedToService condition (StringEquals, without IfExists)"
		if a, ok := s.v.Get("Action"); ok {
			for i, v := range elementEntries(a) {
				if mayPassRole(v.Str) && m.actionCovers(v.Str, "iam:PassRole") {
					p.Report(entryPointer(s.pointer+"/Action", i), fmt.Sprintf("action %s allows iam:PassRole %s%s", quoteShort(v.Str), onEvery, fix))
				}
			}
			return
		}
		if na, ok := s.v.Get("NotAction"); ok {
			for e := range elementStrings(na) {
				if m.actionCovers(e.Str, "iam:PassRole") {
					return
				}
			}
			p.Report(s.pointer+"/NotAction", "NotAction does not exclude iam:PassRole, so the statement allows it "+onEvery+fix)
		}
	})
}

// elementEntries yields the strings of an element with their index in its list, -1 for an
// element that is a string; entryPointer words the pointer of one, so that only what is
// reported costs one.
func elementEntries(v *jsonpos.Value) iter.Seq2[int, *jsonpos.Value] {
	return func(yield func(int, *jsonpos.Value) bool) {
		switch v.Kind {
		case jsonpos.String:
			yield(-1, v)
		case jsonpos.Array:
			for i, e := range v.Elems {
				if e.Kind == jsonpos.String && !yield(i, e) {
					return
				}
			}
		}
	}
}

// entryPointer is the pointer of the entry elementEntries yields at index i of the element at
// pointer.
func entryPointer(pointer string, i int) string {
	if i < 0 {
		return pointer
	}
	return pointer + "/" + strconv.Itoa(i)
}

// mayPassRole is a quick filter before matching: an iam action, or one with a wildcard in its
// service name.
func mayPassRole(action string) bool {
	svc, _, _ := strings.Cut(action, ":")
	return strings.EqualFold(svc, "iam") || hasWildcard(svc)
}

// restrictsPassedToService reports whether a statement's Condition restricts iam:PassedToService
// to some services: a StringEquals or StringLike test (also with ForAnyValue:, or IgnoreCase),
// without IfExists, with a value other than "*".
func restrictsPassedToService(s *jsonpos.Value) bool {
	c, ok := s.Get("Condition")
	if !ok || c.Kind != jsonpos.Object {
		return false
	}
	for _, op := range c.Members {
		set, base, ifExists := parseOperator(op.Key)
		if ifExists || set == "ForAllValues:" || op.Value.Kind != jsonpos.Object {
			continue
		}
		switch base {
		case "StringEquals", "StringEqualsIgnoreCase", "StringLike":
		default:
			continue
		}
		for _, key := range op.Value.Members {
			if !strings.EqualFold(key.Key, "iam:PassedToService") {
				continue
			}
			for v := range elementStrings(key.Value) {
				if v.Str != "*" {
					return true
				}
			}
		}
	}
	return false
}

func checkRedundantAction(p *Pass) { p.reportRedundant([]string{"Action", "NotAction"}, false) }

func checkRedundantResource(p *Pass) { p.reportRedundant([]string{"Resource", "NotResource"}, true) }

// reportRedundant reports the redundant entries of the array elements fields of every statement.
func (p *Pass) reportRedundant(fields []string, resource bool) {
	if p.policyObject() == nil {
		return
	}
	what := map[bool]string{false: "action", true: "resource"}[resource]
	m := p.wildcards()
	for _, s := range p.statements() {
		for _, field := range fields {
			v, ok := s.v.Get(field)
			if !ok || v.Kind != jsonpos.Array || len(v.Elems) < 2 {
				continue
			}
			keys := make([]string, len(v.Elems))
			for i, e := range v.Elems {
				if e.Kind != jsonpos.String {
					keys = nil
					break
				}
				keys[i] = e.Str
				if !resource {
					keys[i] = strings.ToLower(e.Str)
				}
			}
			if keys == nil {
				continue // not a list of strings: element-type reports it
			}
			found := m.redundantEntries(keys, resource)
			for j, e := range v.Elems {
				r, ok := found[j]
				if !ok {
					continue
				}
				verb := "repeats"
				if r.covered {
					verb = "is already covered by"
				}
				p.Report(fmt.Sprintf("%s/%s/%d", s.pointer, field, j), fmt.Sprintf("%s %s %s %s in the same statement; remove it", what, quoteShort(e.Str), verb, quoteShort(v.Elems[r.by].Str)))
			}
		}
	}
}

// wildcards returns the pass's matcher, whose budget all matching in one document shares.
func (p *Pass) wildcards() *matcher {
	if p.match == nil {
		p.match = newMatcher()
	}
	return p.match
}
