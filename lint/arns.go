package lint

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/lazyre"
)

// The ARN shapes STS takes (IAM User Guide, IAM identifiers, ARNs; IAM API Reference,
// CreateRole and CreateSAMLProvider): a role is arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, with
// a path of printable ASCII and a name of 1 to 64 of [\w+=,.@-]; a SAML provider is
// arn:PARTITION:iam::ACCOUNT:saml-provider/NAME, a name of 1 to 128 of [\w._-]. An account ID is
// 12 digits; IAM ARNs have no Region. Partitions are aws and aws-*: "Each AWS account is scoped
// to one partition" (IAM User Guide, Identify AWS resources with ARNs).
var (
	roleARN         = lazyre.New(`^role/([\x21-\x7E]*/)?[\w+=,.@-]{1,64}$`)
	samlProviderARN = lazyre.New(`^saml-provider/[\w.-]{1,128}$`)
	partitionName   = lazyre.New(`^aws(-[a-z]+)*$`)
	accountID       = lazyre.New(`^\d{12}$`)
)

// arnFields is an ARN split into its six fields, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
type arnFields struct{ partition, service, region, account, resource string }

// parseARN splits an ARN, keeping a policy variable's colons in its field (catalog.SplitARN).
func parseARN(s string) (arnFields, bool) {
	f, ok := catalog.SplitARN(s)
	if !ok || f[0] != "arn" {
		return arnFields{}, false
	}
	return fieldsOf(f), true
}

func fieldsOf(f [6]string) arnFields { return arnFields{f[1], f[2], f[3], f[4], f[5]} }

// String writes the ARN back.
func (a arnFields) String() string {
	return "arn:" + a.partition + ":" + a.service + ":" + a.region + ":" + a.account + ":" + a.resource
}

// resourceType is the part of the resource before the first slash: role, saml-provider, user.
func (a arnFields) resourceType() string {
	t, _, _ := strings.Cut(a.resource, "/")
	return t
}

// kind names what an ARN identifies, for messages.
func (a arnFields) kind() string {
	switch a.service + " " + a.resourceType() {
	case "iam role":
		return "an IAM role ARN"
	case "iam saml-provider":
		return "a SAML identity provider ARN"
	case "iam oidc-provider":
		return "an OIDC identity provider ARN"
	case "iam user":
		return "an IAM user ARN"
	case "iam group":
		return "an IAM group ARN"
	case "iam policy":
		return "a managed policy ARN"
	case "iam instance-profile":
		return "an instance profile ARN"
	case "iam root":
		return "an account's root user ARN"
	case "sts assumed-role":
		return "an assumed-role session ARN (what sts get-caller-identity prints)"
	case "sts federated-user":
		return "a federated user session ARN"
	}
	return fmt.Sprintf("an ARN of service %s, resource type %s", quoteShort(a.service), quoteShort(a.resourceType()))
}

// iamARNProblem says what is wrong with an ARN that should be of the given IAM resource type,
// and whether STS's verdict is uncertain; "" when nothing is.
func iamARNProblem(s, want string, shape *lazyre.Regexp) (problem string, uncertain bool) {
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n") {
		return "has white space (such as a line break copied with a secret or variable)", false
	}
	a, ok := parseARN(s)
	switch {
	case !ok:
		return "is not an ARN", false
	case a.service+" "+a.resourceType() != "iam "+want:
		return "is " + a.kind(), false
	case !partitionName.MatchString(a.partition):
		return fmt.Sprintf("has partition %s, which is not aws, aws-cn, aws-us-gov or another aws-* partition", quoteShort(a.partition)), false
	case !accountID.MatchString(a.account):
		return fmt.Sprintf("has account %s, which is not 12 digits", quoteShort(a.account)), false
	case !shape.MatchString(a.resource):
		return fmt.Sprintf("has resource %s, which is not a valid %s name", quoteShort(a.resource), want), false
	case a.region != "":
		return fmt.Sprintf("has Region %s; IAM ARNs have none, and AWS does not document whether STS ignores it", quoteShort(a.region)), true
	}
	return "", false
}

// wellFormedARN reports an ARN of the given IAM resource type, or one only uncertainly wrong.
func wellFormedARN(s, want string, shape *lazyre.Regexp) bool {
	problem, uncertain := iamARNProblem(s, want, shape)
	return problem == "" || uncertain
}

// checkARNValue reports a RoleArn or PrincipalArn of the wrong shape. Its length is
// param-length's, a placeholder or file:// path has its own rule. fix says how to mend it.
func checkARNValue(p *Pass, v *sv, want string, shape *lazyre.Regexp, fix func(a arnFields) string) {
	if v == nil || opaqueValue(v.s) {
		return
	}
	if n := utf8.RuneCountInString(v.s); n < minARNLength || n > maxARNLength {
		return
	}
	problem, uncertain := iamARNProblem(v.s, want, shape)
	if problem == "" {
		return
	}
	msg := fmt.Sprintf("%s %s %s", v.name, quoteShort(v.s), problem)
	if uncertain {
		p.reportAtSeverity(Warning, v.at, msg)
		return
	}
	a, _ := parseARN(v.s)
	how := fix(a)
	if strings.HasPrefix(problem, "has white space") {
		how = "remove the white space"
	}
	p.reportAt(v.at, msg+": STS rejects it (ValidationError: Request ARN is invalid); "+how)
}

// checkRoleARNFormat reports a RoleArn that is not an IAM role ARN.
func checkRoleARNFormat(p *Pass) {
	r := p.req
	checkARNValue(p, r.roleARN, "role", roleARN, func(a arnFields) string {
		if !partitionName.MatchString(a.partition) || !accountID.MatchString(a.account) {
			a.partition, a.account = "aws", "ACCOUNT" // suggest only from parts that are well formed
		}
		switch a.service + " " + a.resourceType() {
		case "iam saml-provider":
			if r.principal != nil && strings.Contains(r.principal.s, ":role/") {
				return "RoleArn and PrincipalArn are swapped"
			}
			return "it belongs in PrincipalArn; RoleArn names the role the provider's users assume"
		case "iam oidc-provider":
			return "pass the ARN of the role that trusts this provider, arn:" + a.partition + ":iam::" + a.account + ":role/NAME (in GitHub Actions, role-to-assume takes the role, not the provider)"
		case "sts assumed-role":
			name, _, _ := strings.Cut(strings.TrimPrefix(a.resource, "assumed-role/"), "/")
			if !roleARN.MatchString("role/" + name) {
				name = "NAME"
			}
			return fmt.Sprintf("pass the role's ARN, probably arn:%s:iam::%s:role/%s (with the role's path, if it has one)", a.partition, a.account, name)
		}
		return "want arn:aws:iam::ACCOUNT:role/NAME, or arn:aws:iam::ACCOUNT:role/PATH/NAME"
	})
}

// checkPrincipalARNFormat reports a PrincipalArn that is not a SAML identity provider ARN.
func checkPrincipalARNFormat(p *Pass) {
	r := p.req
	checkARNValue(p, r.principal, "saml-provider", samlProviderARN, func(a arnFields) string {
		switch a.service + " " + a.resourceType() {
		case "iam role":
			if r.roleARN != nil && strings.Contains(r.roleARN.s, ":saml-provider/") {
				return "RoleArn and PrincipalArn are swapped"
			}
			return "it belongs in RoleArn; PrincipalArn names the SAML provider in IAM"
		case "iam oidc-provider":
			return "AssumeRoleWithSAML takes a SAML provider; an OIDC provider's tokens go to AssumeRoleWithWebIdentity"
		}
		return "want arn:aws:iam::ACCOUNT:saml-provider/NAME"
	})
}

// checkPolicyARNAccount reports a managed policy in another partition or account than the role:
// STS accepts only policies of the role's account, or AWS managed ones of its partition.
func checkPolicyARNAccount(p *Pass) {
	if p.req.roleARN == nil {
		return
	}
	role, ok := parseARN(p.req.roleARN.s)
	if !ok || role.service != "iam" || role.resourceType() != "role" || !accountID.MatchString(role.account) {
		return
	}
	for _, a := range p.req.arns {
		pol, ok := parseARN(a.s)
		if !ok || !policyARN.MatchString(a.s) {
			continue // policy-arn-format reports it
		}
		switch {
		case pol.partition != role.partition:
			fix := fmt.Sprintf("write arn:%s:iam::%s", role.partition, strings.TrimPrefix(a.s, "arn:"+pol.partition+":iam::"))
			p.reportAt(a.at, fmt.Sprintf("%s is in partition %s but the role is in partition %s; each account, and its session policies, belong to one partition: %s",
				a.name, pol.partition, role.partition, fix), p.relatedAt(p.req.roleARN.at, "the role"))
		case pol.account != "aws" && pol.account != role.account:
			p.reportAt(a.at, fmt.Sprintf("%s is in account %s but the role is in account %s; session policies must be AWS managed or in the role's account: create the policy in %s",
				a.name, pol.account, role.account, role.account), p.relatedAt(p.req.roleARN.at, "the role"))
		}
	}
}
