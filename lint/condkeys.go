package lint

import (
	"fmt"
	"strings"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
)

// The checks of condition keys against what AWS says of them: that they exist, their data type
// against the operator's, whether they hold one value or several, and whether the statement's
// actions have them in their request context at all. Global keys come from the IAM User Guide's
// table (catalog.GlobalKey), service keys from the service reference.

// condEntry is one key of one operator block of a statement's Condition.
type condEntry struct {
	s        stmt
	op       jsonpos.Member // the operator, such as "ForAnyValue:StringLike"
	set      string         // "ForAllValues:", "ForAnyValue:" or ""
	base     string         // the operator without set prefix and IfExists
	family   string         // the type of its values: conditionOperators[base]
	ifExists bool
	key      jsonpos.Member
	values   []*jsonpos.Value
	info     *keyInfo // what the catalogue says of the key, shared by the entries of one key
}

// eachConditionKey calls fn for every key of every known operator of every statement. The
// entries are listed once per pass: nine checks walk them.
func (p *Pass) eachConditionKey(fn func(e condEntry)) {
	sem := p.sem()
	if sem.conds == nil {
		sem.conds = []condEntry{}
		n := 0
		p.eachNonEmptyStatement(func(s stmt) {
			c, ok := s.v.Get("Condition")
			if !ok || c.Kind != jsonpos.Object {
				return
			}
			for _, op := range c.Members {
				if op.Value.Kind == jsonpos.Object {
					n += len(op.Value.Members)
				}
			}
		})
		sem.conds = make([]condEntry, 0, n) // counted first: a policy may hold 500,000 keys
		p.eachNonEmptyStatement(func(s stmt) {
			c, ok := s.v.Get("Condition")
			if !ok || c.Kind != jsonpos.Object {
				return
			}
			for _, op := range c.Members {
				set, base, ifExists := parseOperator(op.Key)
				family, known := conditionOperators[base]
				if !known || op.Value.Kind != jsonpos.Object || base == "Null" && ifExists {
					continue
				}
				for _, key := range op.Value.Members {
					values := []*jsonpos.Value{key.Value}
					if key.Value.Kind == jsonpos.Array {
						values = key.Value.Elems
					}
					sem.conds = append(sem.conds, condEntry{s: s, op: op, set: set, base: base, family: family, ifExists: ifExists, key: key, values: values, info: p.keyInfo(key.Key)})
				}
			}
		})
	}
	for _, e := range sem.conds {
		fn(e)
	}
}

// whenAbsent is what a condition entry evaluates to when its key is not in the request context
// (IAM User Guide, Condition operators: a missing key does not match, except for the negated
// operators, ...IfExists, ForAllValues and Null).
func (e condEntry) whenAbsent() bool {
	switch {
	case e.base == "Null":
		for _, v := range e.values {
			if strings.EqualFold(v.Str, "true") || v.Kind == jsonpos.Bool && v.Bool {
				return true
			}
		}
		return false
	case e.ifExists, e.set == "ForAllValues:":
		return true
	case e.set == "ForAnyValue:":
		return false
	}
	return strings.Contains(e.base, "Not")
}

// absentEffect words what an absent key does to the condition.
func (e condEntry) absentEffect() string {
	if e.whenAbsent() {
		return fmt.Sprintf("%s is then always true, so it restricts nothing", e.op.Key)
	}
	return fmt.Sprintf("%s is then never true, so the statement never applies", e.op.Key)
}

// keyInfo is what policylint knows of a condition key.
type keyInfo struct {
	known  bool
	key    catalog.Key // its type, when known
	global bool        // a global key (from the IAM User Guide), cross-service ones included
	// services define keys with the key's prefix; none and unknownService means no service does.
	services       []*catalog.Service
	unknownService bool
	// partial: a service of that prefix is known only from the supplement; skip: the prefix is
	// one policylint does not judge (an identity provider's host, such as
	// token.actions.githubusercontent.com:sub).
	partial, skip bool
	retired       string // for a retired global key, its replacement
}

// validConditionKey reports whether a condition key has the form IAM documents: a prefix of
// letters, digits, dots, hyphens and underscores, a colon, and a name without spaces or control
// characters (IAM User Guide, Condition element: "service:keyname"; identity provider keys such as
// accounts.google.com:aud have dots).
func validConditionKey(key string) bool {
	prefix, name, ok := strings.Cut(key, ":")
	if !ok || prefix == "" || name == "" {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 {
			return false
		}
	}
	return true
}

// keyInfo looks a condition key up, once per pass.
func (p *Pass) keyInfo(name string) *keyInfo {
	sem := p.sem()
	if sem.keys == nil {
		sem.keys = map[string]*keyInfo{}
	}
	if k, ok := sem.keys[name]; ok {
		return k
	}
	k := p.lookupKey(name)
	sem.keys[name] = &k
	return &k
}

func (p *Pass) lookupKey(name string) keyInfo {
	if !validConditionKey(name) {
		return keyInfo{skip: true}
	}
	if k, ok := catalog.GlobalKey(name); ok {
		return keyInfo{known: true, key: k, global: true}
	}
	prefix, _, _ := strings.Cut(name, ":")
	lower := strings.ToLower(prefix)
	if lower == "aws" {
		return keyInfo{retired: catalog.RetiredKeys[strings.ToLower(name)]}
	}
	services := p.catalog().KeyServices(lower)
	info := keyInfo{services: services}
	for _, s := range services {
		if s.Partial {
			info.partial = true
		}
		if k, ok := s.Key(name); ok {
			return keyInfo{known: true, key: k, services: services}
		}
	}
	if len(services) == 0 {
		if known, partial := p.catalog().Known(lower); known {
			info.partial = info.partial || partial
		} else {
			info.unknownService = true
			info.skip = strings.Contains(prefix, ".")
		}
	}
	return info
}

// checkUnknownGlobalKey reports an aws: key that is not a global condition key.
func checkUnknownGlobalKey(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		name := e.key.Key
		if _, global := cutPrefixFold(name, "aws:"); !global {
			return
		}
		k := e.info
		if k.known || k.skip {
			return
		}
		at := p.keyAt(e.key)
		if p.full(p.rule.Severity, at) {
			return // past the rule's cap: counted, not worded
		}
		if k.retired != "" {
			p.reportf(at, "%s is no longer supported as a global condition key: use %s", name, k.retired)
			return
		}
		msg := fmt.Sprintf("%s is not a global condition key (IAM User Guide, as of %s): if it is not newer than that, it is never in the request context, and %s", quoteShort(name), catalog.GlobalKeysDate, e.absentEffect())
		if alt := suggestGlobalKey(name); alt != "" {
			msg += fmt.Sprintf("; did you mean %q?", alt)
		}
		p.reportAt(at, msg)
	})
}

// suggestGlobalKey proposes the global key closest to name, keeping the tag key of a key such as
// aws:PrincipleTag/team.
func suggestGlobalKey(name string) string {
	_, tag, hasTag := strings.Cut(name, "/")
	var candidates []string
	for _, n := range catalog.GlobalKeyNames() {
		if strings.HasSuffix(n, "/${TagKey}") {
			if !hasTag {
				continue
			}
			n = strings.TrimSuffix(n, "${TagKey}") + tag
		}
		candidates = append(candidates, n)
	}
	return suggest(name, candidates)
}

// checkUnknownConditionKey reports a service key that its service does not define, and a key
// whose prefix no service has.
func checkUnknownConditionKey(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		name := e.key.Key
		if _, global := cutPrefixFold(name, "aws:"); global {
			return
		}
		k := e.info
		if k.known || k.skip || k.partial {
			return
		}
		at := p.keyAt(e.key)
		if p.full(p.rule.Severity, at) {
			return // past the rule's cap: counted, not worded (the suggestions cost an edit distance per name)
		}
		prefix, _, _ := strings.Cut(name, ":")
		var msg string
		if k.unknownService {
			msg = fmt.Sprintf("condition key %s names service %s, which is not in %s: the key is never in the request context, and %s", quoteShort(name), quoteShort(prefix), p.inCatalog(), e.absentEffect())
			if alt := suggest(prefix, p.catalog().Names()); alt != "" {
				msg += fmt.Sprintf("; did you mean the service %q?", alt)
			}
		} else {
			msg = fmt.Sprintf("%s is not a condition key of %s in %s: if it is not newer than the data, it is never in the request context, and %s", quoteShort(name), k.services[0].Name, p.inCatalog(), e.absentEffect())
			var names []string
			for _, s := range k.services {
				for _, key := range s.Keys {
					names = append(names, key.Name)
				}
			}
			if alt := suggest(name, names); alt != "" {
				msg += fmt.Sprintf("; did you mean %q?", alt)
			}
		}
		p.reportAt(at, msg)
	})
}

// keySource says where a key's type comes from.
func (p *Pass) keySource(k *keyInfo) string {
	if k.global {
		return "IAM User Guide"
	}
	return p.inCatalog()
}

// operatorsFor names the operators that fit a key type.
func operatorsFor(t catalog.KeyType) string {
	var out []string
	for _, f := range []struct {
		t   catalog.KeyType
		ops string
	}{
		{catalog.String, "String operators"}, {catalog.ARN, "Arn operators"}, {catalog.Numeric, "Numeric operators"},
		{catalog.Date, "Date operators"}, {catalog.Bool, "Bool"}, {catalog.IPAddress, "IpAddress or NotIpAddress"}, {catalog.Binary, "BinaryEquals"},
	} {
		if t&f.t != 0 {
			out = append(out, f.ops)
		}
	}
	return strings.Join(out, " or ")
}

// familyTypes are the key types each operator family compares. String operators also compare
// ARNs (arn-key-string-like advises Arn operators for those), and Arn operators strings: many
// String keys hold ARNs (kms:EncryptionContext:aws:s3:arn), and AWS's own policies compare them
// with ArnLike.
var familyTypes = map[string]catalog.KeyType{
	"string": catalog.String | catalog.ARN, "numeric": catalog.Numeric, "date": catalog.Date, "bool": catalog.Bool,
	"ip": catalog.IPAddress, "arn": catalog.ARN | catalog.String,
}

// checkConditionOperatorType reports an operator whose type does not fit the key's: a Numeric
// operator on a string key, StringEquals on aws:CurrentTime. A String operator whose value is a
// policy variable is not reported: it is how AWS compares two keys of another type (StringEquals
// aws:Ec2InstanceSourcePrivateIPv4 with ${aws:VpcSourceIp}), since only String and Arn operators
// substitute variables.
func checkConditionOperatorType(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		want, checked := familyTypes[e.family]
		k := e.info
		if !checked || !k.known || k.key.Type == 0 || k.key.Type&want != 0 {
			return
		}
		if e.family == "string" {
			for _, v := range e.values {
				if _, plain := withoutVariables(v.Str); !plain {
					return
				}
			}
		}
		p.reportf(p.keyAt(e.key), "%s compares %s values, but %s is a %s key (%s): compare it with %s, as AWS documents for its type",
			e.op.Key, familyName[e.family], quoteShort(e.key.Key), k.key.Type, p.keySource(k), operatorsFor(k.key.Type))
	})
}

var familyName = map[string]string{"string": "string", "numeric": "numeric", "date": "date", "bool": "Boolean", "ip": "IP address", "arn": "ARN"}

// checkARNKeyStringLike advises Arn operators for an ARN key compared with StringLike.
func checkARNKeyStringLike(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		if e.base != "StringLike" && e.base != "StringNotLike" {
			return
		}
		k := e.info
		if !k.known || k.key.Type != catalog.ARN {
			return
		}
		p.reportf(p.keyAt(e.key), "%s is an ARN key (%s) compared with %s: AWS recommends Arn operators for ARNs, which match each field of the ARN on its own; write %s",
			quoteShort(e.key.Key), p.keySource(k), e.op.Key, strings.Replace(e.op.Key, "String", "Arn", 1))
	})
}

// checkMissingSetOperator reports a multivalued key compared without ForAnyValue: or
// ForAllValues:.
func checkMissingSetOperator(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		k := e.info
		if e.set != "" || e.base == "Null" || !k.known || k.key.Valued != catalog.Multi {
			return
		}
		p.reportf(p.keyAt(e.key), "%s is multivalued (%s), but %s has no set operator: write ForAllValues:%s (every value must be listed) or ForAnyValue:%s (one is enough)",
			quoteShort(e.key.Key), p.keySource(k), e.op.Key, e.op.Key, e.op.Key)
	})
}

// checkSetOperatorSingleValued reports ForAllValues: or ForAnyValue: on a single-valued key, tag
// keys such as aws:RequestTag/team included: ForAllValues also matches when the key is absent,
// and ForAnyValue adds nothing.
func checkSetOperatorSingleValued(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		k := e.info
		if e.set == "" || e.base == "Null" || !k.known || k.key.Valued != catalog.Single {
			return
		}
		plain := strings.TrimPrefix(e.op.Key, e.set)
		if e.set == "ForAllValues:" {
			p.reportf(p.keyAt(e.key), "ForAllValues with %s, a single-valued key (%s): it also matches when the key is absent, which can allow more than intended; use %s", quoteShort(e.key.Key), p.keySource(k), plain)
			return
		}
		p.reportSeverityf(Info, p.keyAt(e.key), "ForAnyValue with %s, a single-valued key (%s): set operators are for multivalued keys, and here it adds nothing; use %s", quoteShort(e.key.Key), p.keySource(k), plain)
	})
}

// checkUnsupportedConditionKey reports a condition key that none of the statement's actions has in
// its request context: for those actions the key is absent, so the condition is always or never
// true whatever the request. Global keys other than the tag keys are in every request context and
// are not judged; so are statements with NotAction or "*" and actions the catalogue does not know.
func checkUnsupportedConditionKey(p *Pass) {
	// The actions of a statement that lack a key, by statement and the reference's name of the
	// key: every key of a family such as aws:ResourceTag/... has the same answer, found once.
	type question struct {
		stmt *jsonpos.Value
		ref  string
	}
	answers := map[question][]string{}
	p.eachConditionKey(func(e condEntry) {
		k := e.info
		if !k.known {
			return
		}
		_, isTag := catalog.TagKey(e.key.Key)
		if k.global && !isTag {
			return
		}
		// Keys of identity providers (saml:, accounts.google.com:) come with the session, not
		// with an action: only keys named after their own service, and the tag keys, are judged.
		prefix, _, _ := strings.Cut(e.key.Key, ":")
		if !isTag && p.catalog().Service(prefix) == nil {
			return
		}
		if _, ok := e.s.v.Get("Action"); !ok {
			return
		}
		q := question{e.s.v, k.key.Name}
		named, asked := answers[q]
		if !asked {
			named = p.lackingKey(e, k)
			answers[q] = named
		}
		if len(named) == 0 {
			return
		}
		list := strings.Join(named, ", ")
		if len(named) > 3 {
			list = strings.Join(named[:3], ", ") + fmt.Sprintf(" and %d more", len(named)-3)
		}
		p.reportf(p.keyAt(e.key), "%s is not in the request context of any action of the statement (%s) in %s: %s; move the actions that need the key into a statement of their own",
			quoteShort(e.key.Key), list, p.inCatalog(), e.absentEffect())
	})
}

// lackingKey returns the actions of the statement, quoted, when none has the key in its request
// context; none when one has, or may have.
func (p *Pass) lackingKey(e condEntry, k *keyInfo) []string {
	var named []string
	for _, ent := range p.actionEntries(e.s) {
		if ent.element != "Action" {
			continue
		}
		v, r := ent.v, ent.r
		if r == nil || r.serviceWildcard || r.partial {
			return nil // "*", a wildcard service or an incomplete one: any key may apply
		}
		if r.unknownPrefix || len(r.actions) == 0 {
			continue
		}
		for _, a := range r.actions {
			if p.supports(r, a, e.key.Key, k.key.Name) {
				return nil
			}
		}
		named = append(named, quoteShort(v.Str))
	}
	return named
}

// supports reports whether an action has a condition key in its request context: among its own
// keys or its resource types' keys, or as a key of its service that the reference attaches to no
// action at all (a service-wide key). key is the key as the policy writes it, ref the name of the
// reference's key it matched.
func (p *Pass) supports(r *resolved, a *catalog.Action, key, ref string) bool {
	if a.Supplement {
		return true
	}
	has := func(keys []string) bool {
		for _, k := range keys {
			if catalog.KeyMatches(k, key) {
				return true
			}
		}
		return false
	}
	if has(a.Keys) {
		return true
	}
	for _, ar := range a.Resources {
		if ar.Resource == nil || has(ar.Keys) || has(ar.Resource.Keys) {
			return true
		}
	}
	if strings.HasPrefix(strings.ToLower(ref), "aws:") {
		return false
	}
	for _, s := range r.services {
		if _, declared := s.Key(key); declared && !p.attached(s)[strings.ToLower(ref)] {
			return true
		}
	}
	return false
}

// attached returns the lower-cased keys a service attaches to one of its actions or resource
// types, once per pass.
func (p *Pass) attached(s *catalog.Service) map[string]bool {
	sem := p.sem()
	if sem.used == nil {
		sem.used = map[*catalog.Service]map[string]bool{}
	}
	if m, ok := sem.used[s]; ok {
		return m
	}
	m := map[string]bool{}
	add := func(keys []string) {
		for _, k := range keys {
			m[strings.ToLower(k)] = true
		}
	}
	for i := range s.Actions {
		add(s.Actions[i].Keys)
		for _, ar := range s.Actions[i].Resources {
			add(ar.Keys)
		}
	}
	for i := range s.Resources {
		add(s.Resources[i].Keys)
	}
	sem.used[s] = m
	return m
}
