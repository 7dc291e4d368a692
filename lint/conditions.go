package lint

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
)

// Condition checks that need no catalogue: the form of keys, keys repeated in another case, and
// values that do not mean what the operator makes of them.

// checkMalformedConditionKey reports a condition key that is not of the form prefix:name.
func checkMalformedConditionKey(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		if !validConditionKey(e.key.Key) {
			p.reportf(p.keyAt(e.key), "condition key %s is not of the form service:keyname (such as aws:SourceIp or s3:prefix): no request has such a key, and %s", quoteShort(e.key.Key), e.absentEffect())
		}
	})
}

// checkDuplicateConditionKey reports a key given twice in one operator block in different case:
// condition key names are case-insensitive, so both test the same key. (Exact repeats are
// duplicate-key's.)
func checkDuplicateConditionKey(p *Pass) {
	p.conditions(func(op jsonpos.Member, block *jsonpos.Value) {
		if block.Kind != jsonpos.Object {
			return
		}
		caseRepeats(block, func(string) bool { return true }, func(f, m jsonpos.Member) {
			p.reportAt(p.keyAt(m), fmt.Sprintf("condition key %s repeats %s of this %s block in another case; key names are case-insensitive, so both test one key and IAM's reading of the pair is not documented: keep one", quoteShort(m.Key), quoteShort(f.Key), op.Key),
				p.relatedAt(p.keyAt(f), "first given here"))
		})
	})
}

// checkEquivalentToNullFalse reports StringLike or ArnLike with the value "*": it matches any
// value the key has, so it only tests that the key is present, which "Null": false says plainly.
// With ...IfExists or ForAllValues it matches an absent key too and restricts nothing.
func checkEquivalentToNullFalse(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		if e.base != "StringLike" && e.base != "ArnLike" {
			return
		}
		var star *jsonpos.Value
		for _, v := range e.values {
			if v.Kind == jsonpos.String && v.Str == "*" {
				star = v
			}
		}
		if star == nil {
			return
		}
		if e.ifExists || e.set == "ForAllValues:" {
			p.reportSeverityf(Warning, p.valueAt(star), "%s \"*\" on %s matches every value and, with %s, an absent key too: the condition is always true and restricts nothing; remove it or name the values",
				e.op.Key, quoteShort(e.key.Key), map[bool]string{true: "IfExists", false: "ForAllValues"}[e.ifExists])
			return
		}
		others := ""
		if len(e.values) > 1 {
			others = ", and the other values add nothing"
		}
		p.reportf(p.valueAt(star), "%s \"*\" on %s matches any value the key has%s: it only tests that the key is present; write \"Null\": {%s: \"false\"}, or name the values",
			e.op.Key, quoteShort(e.key.Key), others, quoteShort(e.key.Key))
	})
}

// stringEqualsOperators compare values literally: a * or ? in their values is that character.
// (ArnEquals, unlike StringEquals, takes wildcards as ArnLike does.)
var stringEqualsOperators = map[string]bool{"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true, "StringNotEqualsIgnoreCase": true}

// checkWildcardWithoutLike reports a * or ? in a value of an operator that compares literally.
func checkWildcardWithoutLike(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		if !stringEqualsOperators[e.base] {
			return
		}
		for _, v := range e.values {
			if v.Kind == jsonpos.String && hasValueWildcard(v.Str) {
				like := strings.Replace(strings.Replace(e.op.Key, "EqualsIgnoreCase", "Like", 1), "Equals", "Like", 1)
				p.reportf(p.valueAt(v), "%s value %s has a wildcard, but %s compares it literally, so * and ? match only themselves: if they are wildcards, use %s", e.op.Key, quoteShort(v.Str), e.base, like)
			}
		}
	})
}

// hasValueWildcard reports a * or ? outside policy variables; ${*} and ${?} are the characters.
func hasValueWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?':
			return true
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				if j := strings.IndexByte(s[i:], '}'); j > 0 {
					i += j
				}
			}
		}
	}
	return false
}

// privateRanges are the address ranges that never reach AWS's public endpoints as a source
// address: RFC 1918, loopback, link-local, CGNAT (RFC 6598) and IPv6 unique local and
// link-local. aws:SourceIp holds the public address of a request (IAM User Guide, aws:SourceIp).
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"), netip.MustParsePrefix("fe80::/10"), netip.MustParsePrefix("::1/128"),
}

// privatePrefix reports whether an address or CIDR range lies wholly in a private range; ok is
// false for a value that is neither.
func privatePrefix(s string) (private, ok bool) {
	pfx, err := netip.ParsePrefix(s)
	if err != nil {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return false, false
		}
		pfx = netip.PrefixFrom(a, a.BitLen())
	}
	pfx = pfx.Masked()
	for _, r := range privateRanges {
		if r.Addr().Is4() == pfx.Addr().Is4() && r.Bits() <= pfx.Bits() && r.Contains(pfx.Addr()) {
			return true, true
		}
	}
	return false, true
}

// checkPrivateSourceIP reports private addresses compared with aws:SourceIp: a request through a
// VPC endpoint has no aws:SourceIp (aws:VpcSourceIp holds its private address), and one over the
// internet has a public one, so a private range never matches.
func checkPrivateSourceIP(p *Pass) {
	p.eachConditionKey(func(e condEntry) {
		if e.family != "ip" || !strings.EqualFold(e.key.Key, "aws:SourceIp") {
			return
		}
		var private []*jsonpos.Value
		public := 0
		for _, v := range e.values {
			switch priv, ok := privatePrefix(v.Str); {
			case !ok:
				return // condition-type reports it
			case priv:
				private = append(private, v)
			default:
				public++
			}
		}
		if len(private) == 0 {
			return
		}
		if public > 0 {
			for _, v := range private {
				p.reportSeverityf(Info, p.valueAt(v), "aws:SourceIp value %s is a private range, which aws:SourceIp never holds: it has no effect here; for requests through a VPC endpoint, test aws:VpcSourceIp", quoteShort(v.Str))
			}
			return
		}
		effect := "never matches, so the condition is never true when the key is present"
		if e.base == "NotIpAddress" {
			effect = "never matches, so the condition is always true"
		}
		p.reportf(p.valueAt(private[0]), "%s on aws:SourceIp lists only private ranges, which aws:SourceIp never holds: it %s; for requests through a VPC endpoint, test aws:VpcSourceIp", e.op.Key, effect)
	})
}
