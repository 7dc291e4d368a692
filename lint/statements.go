package lint

import (
	"encoding/base64"
	"fmt"
	"iter"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/placeholder"
)

// The grammar checks the schema cannot express, over each statement of the policy tree.

// policyObject returns the policy's root object, or nil when it is not one.
func (p *Pass) policyObject() *jsonpos.Value {
	if r := p.Doc.Root; r != nil && r.Kind == jsonpos.Object {
		return r
	}
	return nil
}

// valueAt is the place of a value of the policy.
func (p *Pass) valueAt(v *jsonpos.Value) place { return place{p.Doc, v.Start, v.End} }

// keyAt is the place of a member's key.
func (p *Pass) keyAt(m jsonpos.Member) place { return place{p.Doc, m.KeyStart, m.KeyEnd} }

// elementStrings yields the strings of an element that is a string or a list of them, with
// their values, without allocating: the checks call it on every Action and Resource.
func elementStrings(v *jsonpos.Value) iter.Seq[*jsonpos.Value] {
	return func(yield func(*jsonpos.Value) bool) {
		switch v.Kind {
		case jsonpos.String:
			yield(v)
		case jsonpos.Array:
			for _, e := range v.Elems {
				if e.Kind == jsonpos.String && !yield(e) {
					return
				}
			}
		}
	}
}

// checkMissingVersion warns about a policy without Version: IAM applies 2008-10-17, in which
// policy variables are plain text.
func checkMissingVersion(p *Pass) {
	root := p.policyObject()
	if root == nil {
		return
	}
	if _, ok := root.Get("Version"); !ok {
		p.reportAt(place{p.Doc, root.Start, root.Start + 1}, `the policy has no Version, so IAM applies "2008-10-17", in which policy variables such as ${aws:username} are plain text: add "Version": "2012-10-17"`)
	}
}

// checkEmptyStatement reports a Statement list or statement with nothing in it.
func checkEmptyStatement(p *Pass) {
	root := p.policyObject()
	if root == nil {
		return
	}
	st, ok := root.Get("Statement")
	if !ok {
		return
	}
	if st.Kind == jsonpos.Array && len(st.Elems) == 0 {
		p.reportAt(p.valueAt(st), "Statement is an empty list: IAM rejects a policy without statements; add one")
	}
	for _, s := range p.statements() {
		if len(s.v.Members) == 0 {
			p.reportAt(p.valueAt(s.v), "statement is empty: IAM rejects it; give it Effect, Action and Resource, or remove it")
		}
	}
}

// checkMissingAction reports a statement with neither Action nor NotAction.
func checkMissingAction(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		_, a := s.v.Get("Action")
		_, na := s.v.Get("NotAction")
		if !a && !na {
			p.reportAt(place{p.Doc, s.v.Start, s.v.Start + 1}, "statement has no Action or NotAction: IAM rejects it; name the actions it allows or denies")
		}
	})
}

// checkMissingResource reports a statement with neither Resource nor NotResource: an
// identity-based policy must name them.
func checkMissingResource(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		_, r := s.v.Get("Resource")
		_, nr := s.v.Get("NotResource")
		if !r && !nr {
			p.reportAt(place{p.Doc, s.v.Start, s.v.Start + 1}, `statement has no Resource or NotResource: a session policy is identity-based and IAM rejects it; add "Resource" (use "*" for all)`)
		}
	})
}

// eachNonEmptyStatement calls fn for each statement with members. The statements are listed once
// per pass: some twenty checks walk them.
func (p *Pass) eachNonEmptyStatement(fn func(stmt)) {
	if p.policyObject() == nil {
		return
	}
	sem := p.sem()
	if sem.stmts == nil {
		sem.stmts = []stmt{}
		for _, s := range p.statements() {
			if len(s.v.Members) > 0 {
				sem.stmts = append(sem.stmts, s)
			}
		}
	}
	for _, s := range sem.stmts {
		fn(s)
	}
}

// checkExclusive reports a statement with both of two mutually exclusive elements.
func checkExclusive(a, b string) func(*Pass) {
	return func(p *Pass) {
		p.eachNonEmptyStatement(func(s stmt) {
			ma, okA := s.v.Member(a)
			mb, okB := s.v.Member(b)
			if okA && okB {
				p.reportAt(p.keyAt(mb), fmt.Sprintf("statement has both %s and %s: IAM rejects it; keep one", a, b), p.relatedAt(p.keyAt(ma), a+" is here"))
			}
		})
	}
}

// sidPattern: "For IAM policies, basic alphanumeric characters (A-Z,a-z,0-9) are the only
// allowed characters in the Sid value." (IAM User Guide, Sid element)
var sidPattern = lazyre.New(`^[A-Za-z0-9]*$`)

// checkInvalidSid reports a Sid with characters IAM rejects in an identity policy.
func checkInvalidSid(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		if v, ok := s.v.Get("Sid"); ok && v.Kind == jsonpos.String && !sidPattern.MatchString(v.Str) {
			p.reportAt(p.valueAt(v), fmt.Sprintf("Sid %s has characters IAM rejects in an identity policy: only A–Z, a–z and 0–9", quoteShort(v.Str)))
		}
	})
}

// checkDuplicateSid reports a Sid given to two statements.
func checkDuplicateSid(p *Pass) {
	first := map[string]*jsonpos.Value{}
	p.eachNonEmptyStatement(func(s stmt) {
		v, ok := s.v.Get("Sid")
		if !ok || v.Kind != jsonpos.String || v.Str == "" {
			return
		}
		if f, dup := first[v.Str]; dup {
			p.reportAt(p.valueAt(v), fmt.Sprintf("Sid %s is used by another statement: IAM requires unique Sids; rename one", quoteShort(v.Str)), p.relatedAt(p.valueAt(f), "first used here"))
			return
		}
		first[v.Str] = v
	})
}

// An action is service:action, the service a prefix of letters, digits and hyphens, the action
// letters, digits and underscores, both with * and ? wildcards (IAM User Guide, Action element):
// IAM accepts a wildcard in the prefix, as in "s*:GetObject" (wildcard-service advises against
// it). wellFormedAction matches ^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_-]+$ by hand: on a managed
// policy's 1,500 actions a regular expression was a tenth of the Go checks' time.
func wellFormedAction(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || colon == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '*', c == '?':
		case i > colon && c == '_':
		case i == colon:
		default:
			return false
		}
	}
	return true
}

// checkInvalidAction reports an Action or NotAction value that is not service:action or "*".
func checkInvalidAction(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		for _, el := range []string{"Action", "NotAction"} {
			v, ok := s.v.Get(el)
			if !ok {
				continue
			}
			for a := range elementStrings(v) {
				switch {
				case a.Str == "*" || wellFormedAction(a.Str):
				case strings.Contains(a.Str, "${"):
					// policy-variable reports variables in actions.
				default:
					p.reportAt(p.valueAt(a), fmt.Sprintf("%s %s is not of the form service:action (like \"s3:GetObject\" or \"s3:Get*\"): IAM rejects it", el, quoteShort(a.Str)))
				}
			}
		}
	})
}

// validPartition reports whether s is a partition of an ARN in a policy: aws, aws-cn,
// aws-us-gov, aws-iso..., or a wildcard or variable (the regular expression
// ^(aws(-[a-z]+)*|\*|\$\{.*\})$).
func validPartition(s string) bool {
	if s == "*" || strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
		return true
	}
	rest, ok := strings.CutPrefix(s, "aws")
	if !ok {
		return false
	}
	for rest != "" {
		part, ok := strings.CutPrefix(rest, "-")
		if !ok {
			return false
		}
		i := 0
		for i < len(part) && part[i] >= 'a' && part[i] <= 'z' {
			i++
		}
		if i == 0 {
			return false
		}
		rest = part[i:]
	}
	return true
}

// checkInvalidARN reports a Resource or NotResource value that is neither "*" nor an ARN.
func checkInvalidARN(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		for _, el := range []string{"Resource", "NotResource"} {
			v, ok := s.v.Get(el)
			if !ok {
				continue
			}
			for r := range elementStrings(v) {
				if msg := arnProblem(r.Str); msg != "" {
					p.reportAt(p.valueAt(r), fmt.Sprintf("%s %s %s", el, quoteShort(r.Str), msg))
				}
			}
		}
	})
}

// arnProblem says what is wrong with a resource ARN in a policy, or "".
func arnProblem(s string) string {
	if s == "*" {
		return ""
	}
	_, problem := arnProblemFields(s)
	return problem
}

// arnProblemFields splits a resource ARN and says what is wrong with it, or "".
func arnProblemFields(s string) (parts [6]string, problem string) {
	if !strings.HasPrefix(s, "arn:") {
		return parts, `is not an ARN: IAM rejects it; write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, or "*" for all resources`
	}
	parts, ok := catalog.SplitARN(s)
	if !ok {
		return parts, "has too few parts: an ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (empty parts stay, as in arn:aws:s3:::bucket)"
	}
	if !validPartition(parts[1]) {
		return parts, fmt.Sprintf("has partition %s; IAM knows aws, aws-cn, aws-us-gov and the aws-iso ones", quoteShort(parts[1]))
	}
	if parts[2] == "" {
		return parts, "has no service: write arn:PARTITION:SERVICE:..."
	}
	return parts, ""
}

// Condition operators (IAM User Guide, Condition operators), by the type their values must have.
var conditionOperators = map[string]string{
	"StringEquals": "string", "StringNotEquals": "string", "StringEqualsIgnoreCase": "string",
	"StringNotEqualsIgnoreCase": "string", "StringLike": "string", "StringNotLike": "string",
	"NumericEquals": "numeric", "NumericNotEquals": "numeric", "NumericLessThan": "numeric",
	"NumericLessThanEquals": "numeric", "NumericGreaterThan": "numeric", "NumericGreaterThanEquals": "numeric",
	"DateEquals": "date", "DateNotEquals": "date", "DateLessThan": "date", "DateLessThanEquals": "date",
	"DateGreaterThan": "date", "DateGreaterThanEquals": "date",
	"Bool": "bool", "BinaryEquals": "binary", "IpAddress": "ip", "NotIpAddress": "ip",
	"ArnEquals": "arn", "ArnLike": "arn", "ArnNotEquals": "arn", "ArnNotLike": "arn",
	"Null": "null",
}

func operatorNames() []string {
	out := make([]string, 0, len(conditionOperators))
	for k := range conditionOperators {
		out = append(out, k)
	}
	return out
}

// parseOperator splits a condition operator into its set prefix, base and IfExists suffix.
func parseOperator(op string) (set, base string, ifExists bool) {
	for _, pre := range []string{"ForAllValues:", "ForAnyValue:"} {
		if strings.HasPrefix(op, pre) {
			set, op = pre, op[len(pre):]
			break
		}
	}
	if strings.HasSuffix(op, "IfExists") {
		op, ifExists = strings.TrimSuffix(op, "IfExists"), true
	}
	return set, op, ifExists
}

// conditions calls fn for each operator of each statement's Condition block.
func (p *Pass) conditions(fn func(op jsonpos.Member, block *jsonpos.Value)) {
	p.eachNonEmptyStatement(func(s stmt) {
		c, ok := s.v.Get("Condition")
		if !ok || c.Kind != jsonpos.Object {
			return
		}
		for _, m := range c.Members {
			fn(m, m.Value)
		}
	})
}

// checkConditionOperator reports an unknown condition operator, and NullIfExists: Null takes no
// IfExists. A set prefix on a single-valued key is set-operator-single-valued-key's.
func checkConditionOperator(p *Pass) {
	p.conditions(func(m jsonpos.Member, _ *jsonpos.Value) {
		set, base, ifExists := parseOperator(m.Key)
		if _, ok := conditionOperators[base]; !ok {
			msg := fmt.Sprintf("unknown condition operator %s: IAM rejects it", quoteShort(m.Key))
			if s := suggest(base, operatorNames()); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", set+s+map[bool]string{true: "IfExists"}[ifExists])
			}
			p.reportAt(p.keyAt(m), msg)
			return
		}
		if base == "Null" && ifExists {
			p.reportAt(p.keyAt(m), "NullIfExists is not an operator: Null already tests whether the key exists; use Null")
		}
	})
}

// checkConditionType reports condition values that cannot match their operator's type, and
// condition values that are not strings, numbers or booleans (from the schema).
func checkConditionType(p *Pass) {
	p.reportGrammar()
	p.conditions(func(m jsonpos.Member, block *jsonpos.Value) {
		_, base, _ := parseOperator(m.Key)
		typ, ok := conditionOperators[base]
		if !ok || block.Kind != jsonpos.Object {
			return
		}
		for _, key := range block.Members {
			values := []*jsonpos.Value{key.Value}
			if key.Value.Kind == jsonpos.Array {
				values = key.Value.Elems
			}
			for _, v := range values {
				if why := conditionValueProblem(typ, v); why != "" {
					p.reportAt(p.valueAt(v), fmt.Sprintf("%s value %s for %s %s: %s", m.Key, describeValue(v), key.Key, why, uncomparable(base)))
				}
			}
		}
	})
}

var dateLayouts = []string{"2006-01-02", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04"}

// uncomparable says what a value its operator cannot compare does to the condition: a positive
// operator never matches it; a negated one (NotIpAddress, NumericNotEquals, ArnNotLike) does
// not test what the value was meant to exclude.
func uncomparable(base string) string {
	if strings.Contains(base, "Not") {
		return base + " cannot compare it, so the condition does not exclude what it was written to"
	}
	if base == "Null" {
		return "Null tests only true or false"
	}
	return base + " never matches it"
}

// conditionValueProblem says why v cannot match an operator of type typ, or "".
func conditionValueProblem(typ string, v *jsonpos.Value) string {
	text := v.Str
	if v.Kind == jsonpos.String && strings.Contains(text, "${") {
		var ok bool
		if text, ok = withoutVariables(text); !ok {
			// A policy variable: IAM substitutes it under String and Arn operators only
			// (policy-variable reports it elsewhere). An ARN needs its "arn:" before the variable.
			if typ == "arn" && !strings.HasPrefix(v.Str, "arn:") && !strings.HasPrefix(v.Str, "${") {
				return "is not an ARN, whatever its policy variables hold"
			}
			return ""
		}
	}
	switch typ {
	case "numeric":
		if _, err := strconv.ParseFloat(text, 64); err != nil || v.Kind == jsonpos.Bool {
			return "is not a number"
		}
	case "date":
		if v.Kind == jsonpos.Number {
			return ""
		}
		if _, err := strconv.ParseInt(text, 10, 64); err == nil {
			return "" // epoch seconds
		}
		for _, l := range dateLayouts {
			if _, err := time.Parse(l, text); err == nil {
				return ""
			}
		}
		return "is not an ISO 8601 date (2026-11-23 or 2026-11-23T10:00:00Z) or epoch time"
	case "bool", "null":
		if v.Kind == jsonpos.Bool || strings.EqualFold(text, "true") || strings.EqualFold(text, "false") {
			return ""
		}
		return "is not true or false"
	case "ip":
		if net.ParseIP(text) != nil {
			return ""
		}
		if _, _, err := net.ParseCIDR(text); err == nil {
			return ""
		}
		return "is not an IP address or CIDR range (203.0.113.0/24)"
	case "arn":
		if v.Kind == jsonpos.String && (text == "*" || strings.HasPrefix(text, "arn:")) {
			return ""
		}
		return "is not an ARN"
	case "binary":
		if _, err := base64.StdEncoding.DecodeString(text); err == nil && v.Kind == jsonpos.String {
			return ""
		}
		return "is not base64"
	}
	return ""
}

// withoutVariables resolves the escapes ${*}, ${?} and ${$} to their characters; ok is false when
// the text holds a real policy variable, whose value is known only at evaluation.
func withoutVariables(s string) (string, bool) {
	if !strings.Contains(s, "${") {
		return s, true // most values: no copy
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		switch body := s[i+2 : i+j]; body {
		case "*", "?", "$":
			b.WriteString(s[:i] + body)
		default:
			return "", false
		}
		s = s[i+j+1:]
	}
}

// variableKey is the key of a policy variable: namespace:name, such as aws:PrincipalTag/team,
// saml:sub or www.amazon.com:user_id (IAM User Guide, Policy variables).
var variableKey = lazyre.New(`^[A-Za-z0-9_.-]+:[A-Za-z0-9_][A-Za-z0-9_./:-]*$`)

// checkPolicyVariable reports malformed ${...} policy variables, variables where IAM does not
// substitute them, and (as a warning) variables under Version 2008-10-17.
func checkPolicyVariable(p *Pass) {
	root := p.policyObject()
	if root == nil {
		return
	}
	version, _ := root.Get("Version")
	legacy := version == nil || version.Kind == jsonpos.String && version.Str == "2008-10-17"
	p.eachNonEmptyStatement(func(s stmt) {
		for _, m := range s.v.Members {
			switch m.Key {
			case "Resource", "NotResource":
				p.walkStrings(m.Value, func(v *jsonpos.Value) { p.checkVariables(v, legacy) })
			case "Condition":
				p.conditionVariables(m.Value, legacy)
			case "Action", "NotAction":
				for a := range elementStrings(m.Value) {
					if strings.Contains(a.Str, "${") {
						p.reportAt(p.valueAt(a), fmt.Sprintf("%s %s holds a policy variable: IAM substitutes them only in Resource and Condition values", m.Key, quoteShort(a.Str)))
					}
				}
			}
		}
	})
}

// substitutes are the operator types under which IAM replaces policy variables: "Conditions
// support variables when you use string operators or ARN operators" (IAM Access Analyzer policy
// check reference, Invalid variable for operator; IAM User Guide, Policy variables).
var substitutes = map[string]bool{"string": true, "arn": true}

// conditionVariables checks the policy variables of a Condition element: their form under String
// and Arn operators, and, under the others, that they are not substituted at all.
func (p *Pass) conditionVariables(cond *jsonpos.Value, legacy bool) {
	if cond.Kind != jsonpos.Object {
		p.walkStrings(cond, func(v *jsonpos.Value) { p.checkVariables(v, legacy) })
		return
	}
	for _, op := range cond.Members {
		_, base, _ := parseOperator(op.Key)
		family, known := conditionOperators[base]
		p.walkStrings(op.Value, func(v *jsonpos.Value) {
			if !known || substitutes[family] {
				p.checkVariables(v, legacy)
				return
			}
			if _, plain := withoutVariables(v.Str); !plain {
				p.reportAtSeverity(Warning, p.valueAt(v), fmt.Sprintf("%s value %s holds a policy variable, but IAM substitutes variables only under String and Arn operators: %s compares the text as written, which never matches as meant", op.Key, quoteShort(v.Str), op.Key))
			}
		})
	}
}

func (p *Pass) walkStrings(v *jsonpos.Value, fn func(*jsonpos.Value)) {
	switch v.Kind {
	case jsonpos.String:
		fn(v)
	case jsonpos.Array:
		for _, e := range v.Elems {
			p.walkStrings(e, fn)
		}
	case jsonpos.Object:
		for _, m := range v.Members {
			p.walkStrings(m.Value, fn)
		}
	}
}

// checkVariables checks the ${...} of one string value.
func (p *Pass) checkVariables(v *jsonpos.Value, legacy bool) {
	s := v.Str
	if placeholder.Contains(s) {
		return // unrendered-template reports ${{ }} and {{ }}
	}
	for i := strings.Index(s, "${"); i >= 0; {
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			p.reportAt(p.valueAt(v), fmt.Sprintf("%s opens a policy variable with ${ and never closes it: write ${namespace:key}, or ${$} for a literal $", quoteShort(s)))
			return
		}
		body := s[i+2 : i+end]
		key := strings.TrimSpace(body)
		if k, def, ok := strings.Cut(body, ","); ok { // ${aws:PrincipalTag/team, 'default'}
			key = strings.TrimSpace(k)
			if d := strings.TrimSpace(def); len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
				p.reportAt(p.valueAt(v), fmt.Sprintf("policy variable ${%s} has a default value that is not in single quotes: write ${%s, 'default'}", body, key))
				return
			}
		}
		switch {
		case key == "*" || key == "?" || key == "$":
		case !variableKey.MatchString(key):
			p.reportAt(p.valueAt(v), fmt.Sprintf("${%s} is not a valid policy variable (namespace:key, such as ${aws:PrincipalTag/team}); IAM reads ${...} as one, so an unrendered template placeholder never matches: render it before use", body))
		case legacy:
			p.reportAtSeverity(Warning, p.valueAt(v), fmt.Sprintf("policy variable ${%s} is plain text under Version 2008-10-17 (the default when Version is missing): set \"Version\": \"2012-10-17\"", body))
		}
		next := strings.Index(s[i+end:], "${")
		if next < 0 {
			return
		}
		i += end + next
	}
}
