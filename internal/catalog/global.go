package catalog

import (
	"sort"
	"strings"
	"sync"
)

// AWS's service reference lists only the tag keys among the global condition keys, per service.
// The others come from the IAM User Guide's page of global condition context keys, with the data
// type and value type (single- or multivalued) it gives each key.
const GlobalKeysSource = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"

// GlobalKeysDate is the version of that page the table below follows.
const GlobalKeysDate = "2026-02"

// globalKeys are the global condition keys, including the cross-service keys that page lists with
// them (ec2:SourceInstanceArn, lambda:SourceFunctionArn, ...): they are in the request context of
// any service's actions, so no action "supports" them more than another.
var globalKeys = []Key{
	{Name: "aws:PrincipalArn", Type: ARN},
	{Name: "aws:PrincipalAccount", Type: String},
	{Name: "aws:PrincipalOrgPaths", Type: String, Valued: Multi},
	{Name: "aws:PrincipalOrgID", Type: String},
	{Name: "aws:PrincipalTag/${TagKey}", Type: String},
	{Name: "aws:PrincipalIsAWSService", Type: Bool},
	{Name: "aws:PrincipalServiceName", Type: String},
	{Name: "aws:PrincipalServiceNamesList", Type: String, Valued: Multi},
	{Name: "aws:PrincipalType", Type: String},
	{Name: "aws:userid", Type: String},
	{Name: "aws:username", Type: String},
	{Name: "aws:AssumedRoot", Type: Bool},
	// aws:FederatedProvider is a string for AWS's own identity providers and an ARN for others.
	{Name: "aws:FederatedProvider", Type: String | ARN},
	{Name: "aws:TokenIssueTime", Type: Date},
	{Name: "aws:SignInSessionArn", Type: ARN},
	{Name: "aws:MultiFactorAuthAge", Type: Numeric},
	{Name: "aws:MultiFactorAuthPresent", Type: Bool},
	{Name: "aws:ChatbotSourceArn", Type: ARN},
	{Name: "aws:Ec2InstanceSourceVpc", Type: String},
	{Name: "aws:Ec2InstanceSourcePrivateIPv4", Type: IPAddress},
	{Name: "aws:SourceIdentity", Type: String},
	{Name: "ec2:RoleDelivery", Type: Numeric},
	{Name: "ec2:SourceInstanceArn", Type: ARN},
	{Name: "glue:RoleAssumedBy", Type: String},
	{Name: "glue:CredentialIssuingService", Type: String},
	{Name: "codebuild:BuildArn", Type: ARN},
	{Name: "codebuild:ProjectArn", Type: ARN},
	{Name: "lambda:SourceFunctionArn", Type: ARN},
	{Name: "ssm:SourceInstanceArn", Type: ARN},
	{Name: "identitystore:UserId", Type: String},
	{Name: "aws:SourceIp", Type: IPAddress},
	{Name: "aws:SourceVpc", Type: String},
	{Name: "aws:SourceVpcArn", Type: ARN},
	{Name: "aws:SourceVpce", Type: String},
	{Name: "aws:VpceAccount", Type: String},
	{Name: "aws:VpceOrgID", Type: String},
	{Name: "aws:VpceOrgPaths", Type: String, Valued: Multi},
	{Name: "aws:VpcSourceIp", Type: IPAddress},
	{Name: "aws:ResourceAccount", Type: String},
	{Name: "aws:ResourceOrgID", Type: String},
	{Name: "aws:ResourceOrgPaths", Type: String, Valued: Multi},
	{Name: "aws:ResourceTag/${TagKey}", Type: String},
	{Name: "aws:CalledVia", Type: String, Valued: Multi},
	{Name: "aws:CalledViaFirst", Type: String},
	{Name: "aws:CalledViaLast", Type: String},
	{Name: "aws:CalledViaAWSMCP", Type: String},
	{Name: "aws:ViaAWSService", Type: Bool},
	{Name: "aws:ViaAWSMCPService", Type: Bool},
	{Name: "aws:CurrentTime", Type: Date},
	// aws:EpochTime "also accepts the number of seconds since January 1, 1970".
	{Name: "aws:EpochTime", Type: Date | Numeric},
	{Name: "aws:referer", Type: String},
	{Name: "aws:RequestedRegion", Type: String},
	{Name: "aws:RequestTag/${TagKey}", Type: String},
	{Name: "aws:TagKeys", Type: String, Valued: Multi},
	{Name: "aws:SecureTransport", Type: Bool},
	{Name: "aws:SourceAccount", Type: String},
	{Name: "aws:SourceArn", Type: ARN},
	{Name: "aws:SourceOrgID", Type: String},
	{Name: "aws:SourceOrgPaths", Type: String, Valued: Multi},
	{Name: "aws:UserAgent", Type: String},
	{Name: "aws:IsMcpServiceAction", Type: Bool},
	// Not on the page, but AWS's own managed policy AWSSSOServiceRolePolicy conditions on it
	// (StringEquals with ${aws:PrincipalAccount}): a key IAM evaluates, so no finding.
	{Name: "aws:PrincipalOrgMasterAccountId", Type: String},
	// Keys of an identity provider that the service reference types differently from the IAM
	// User Guide: cognito-identity.amazonaws.com:amr is multivalued, and the Guide's examples
	// compare it with ForAnyValue:StringLike (IAM User Guide, Available keys for OIDC federation),
	// while the reference lists it as a String.
	{Name: "cognito-identity.amazonaws.com:amr", Type: String, Valued: Multi},
}

// tagKeys are the global keys that exist only for actions that support tags: the service reference
// lists which do.
var tagKeys = []string{"aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"}

// GlobalKey returns the global condition key matching name, ignoring case and filling the tag key
// of aws:PrincipalTag/${TagKey} and the like.
func GlobalKey(name string) (Key, bool) { return globalKeyIndex().lookup(name) }

var globalKeyIndex = sync.OnceValue(func() *keyIndex { return newKeyIndex(globalKeys) })

// GlobalKeyNames returns the names of the global condition keys, for suggestions.
func GlobalKeyNames() []string {
	out := make([]string, 0, len(globalKeys))
	for _, k := range globalKeys {
		out = append(out, k.Name)
	}
	sort.Strings(out)
	return out
}

// TagKey reports whether name is one of aws:RequestTag/..., aws:ResourceTag/... or aws:TagKeys,
// which only the actions that support tags have in their request context, and returns the name
// the service reference gives it.
func TagKey(name string) (string, bool) {
	for _, k := range tagKeys {
		if KeyMatches(k, name) {
			return k, true
		}
	}
	return "", false
}

// RetiredKeys are global condition keys AWS no longer supports, with the replacement the policy
// check reference names.
var RetiredKeys = map[string]string{
	"aws:arn": "aws:PrincipalArn or aws:SourceArn",
}

// Retired is a service prefix AWS retired: it is no longer in the service reference, and its
// actions grant nothing.
type Retired struct {
	Prefix, Product string
}

// RetiredServices are service prefixes that AWS managed policies still name but that AWS's
// service reference no longer has, because the product was discontinued or renamed. Only prefixes
// whose retirement AWS documents are listed; other unknown prefixes get the unknown-service
// message.
var RetiredServices = []Retired{
	{"catalog-admin", "AWS Service Catalog's former admin prefix (now servicecatalog)"},
	{"catalog-user", "AWS Service Catalog's former end-user prefix (now servicecatalog)"},
	{"deeplens", "AWS DeepLens"},
	{"elastic-inference", "Amazon Elastic Inference"},
	{"iot1click", "AWS IoT 1-Click (discontinued on 2024-12-16)"},
	{"mobilehub", "AWS Mobile Hub (now AWS Amplify)"},
	{"sumerian", "Amazon Sumerian"},
	{"zocalo", "Amazon Zocalo, now Amazon WorkDocs (prefix workdocs)"},
}

// RetiredService returns the retired service of that prefix, if it is one.
func RetiredService(prefix string) (Retired, bool) {
	for _, r := range RetiredServices {
		if strings.EqualFold(r.Prefix, prefix) {
			return r, true
		}
	}
	return Retired{}, false
}
