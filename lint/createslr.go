package lint

import (
	"fmt"
	"strings"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
)

const createSLR = "iam:createservicelinkedrole"

// checkCreateSLRStar reports an Allow statement that grants iam:CreateServiceLinkedRole, by name,
// wildcard or NotAction, on "Resource": "*" or through NotResource, with no iam:AWSServiceName
// condition: the session may then create the service-linked role of any service.
func checkCreateSLRStar(p *Pass) {
	p.eachNonEmptyStatement(func(s stmt) {
		if e, _ := s.v.Get("Effect"); e == nil || e.Str != "Allow" || namesServices(s) {
			return
		}
		star := false
		if r, ok := s.v.Get("Resource"); ok {
			for v := range elementStrings(r) {
				star = star || v.Str == "*"
			}
		}
		nr, notResource := s.v.Member("NotResource")
		if !star && !(notResource && !excludes(nr.Value)) {
			return
		}
		where := `"Resource": "*"`
		if !star {
			where = "NotResource"
		}
		if act, ok := s.v.Get("Action"); ok {
			for v := range elementStrings(act) {
				if v.Str == "" || !strings.ContainsRune("iI*?", rune(v.Str[0])) {
					continue // no pattern that starts otherwise matches iam:CreateServiceLinkedRole
				}
				lower := strings.ToLower(v.Str)
				if !catalog.Wildcard(lower, createSLR) {
					continue
				}
				how := "iam:CreateServiceLinkedRole"
				if lower != createSLR {
					how = fmt.Sprintf("%s, which covers iam:CreateServiceLinkedRole,", quoteShort(v.Str))
				}
				p.reportf(p.valueAt(v), "%s on %s with no iam:AWSServiceName condition lets the session create the service-linked role of any service: name the roles (arn:aws:iam::*:role/aws-service-role/SERVICE.amazonaws.com/*) or limit iam:AWSServiceName", how, where)
				return
			}
		}
		if na, ok := s.v.Member("NotAction"); ok && !excludes(na.Value) {
			p.reportf(p.keyAt(na), "NotAction allows iam:CreateServiceLinkedRole (it does not exclude it) on %s with no iam:AWSServiceName condition: the session may create the service-linked role of any service; exclude it, or limit iam:AWSServiceName", where)
		}
	})
}

// excludes reports whether a NotAction or NotResource value leaves out iam:CreateServiceLinkedRole
// or the service-linked roles: the check is then not about it.
func excludes(v *jsonpos.Value) bool {
	for e := range elementStrings(v) {
		lower := strings.ToLower(e.Str)
		if catalog.Wildcard(lower, createSLR) || strings.Contains(lower, ":role/aws-service-role/") || lower == "*" {
			return true
		}
	}
	return false
}

// namesServices reports whether a statement limits iam:AWSServiceName to named values with a
// positive operator.
func namesServices(s stmt) bool {
	c, ok := s.v.Get("Condition")
	if !ok || c.Kind != jsonpos.Object {
		return false
	}
	for _, op := range c.Members {
		set, base, ifExists := parseOperator(op.Key)
		if set == "ForAllValues:" || ifExists || base != "StringEquals" && base != "StringLike" || op.Value.Kind != jsonpos.Object {
			continue
		}
		for _, k := range op.Value.Members {
			if strings.EqualFold(k.Key, "iam:AWSServiceName") {
				return true
			}
		}
	}
	return false
}
