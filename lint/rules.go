package lint

import (
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/ruleproto"
)

// Rule is one check with its documentation. Codes are PL and four digits, the first digit the
// category: 1 input, 2 size and charset, 3 packed size, 4 request parameters, 5 grammar,
// 6 security and semantics. A retired code is never reused.
type Rule struct {
	Code     string
	Slug     string
	Severity Severity
	// Title is one line, lower-case: what the rule finds.
	Title string
	// Rationale says why AWS rejects or mishandles what the rule finds.
	Rationale string
	// Bad is a document the rule reports; Good, the same intent written so it does not.
	Bad, Good string
	// BadARNs are policy ARNs passed with Bad, for rules about the request.
	BadARNs []string
	// BadInherited are transitive tags inherited from the calling session, passed with Bad.
	BadInherited []Tag
	// Source is the AWS documentation the rule rests on.
	Source string
	// AccessAnalyzer lists the issue codes of the IAM Access Analyzer policy checks that find the
	// same problem, as ValidatePolicy returns them (INVALID_ACTION), comma-separated, if any.
	AccessAnalyzer string
	// File is the name Bad and Good are linted under, for a rule about files other than JSON
	// policies and requests ("deploy.yml", "main.tf"); "" is bad.json.
	File string
	// Catalog marks a rule that asks AWS's service reference (internal/catalog): its findings
	// and its documentation say the data's date.
	Catalog bool

	scope ruleScope
	check func(*Pass)
	// custom is what a custom rule's METADATA says of it; nil for a built-in rule.
	custom *ruleproto.Rule
}

// ruleScope says what a rule looks at.
type ruleScope uint8

const (
	// policyScope rules check a policy document; they do not run for a request without one.
	policyScope ruleScope = iota
	// documentScope rules check any file as a JSON document: a policy and a request file alike.
	documentScope
	// requestScope rules check the parameters around the policy, once per request.
	requestScope
	// configScope rules are about policylint's own configuration, and its custom rules; the CLI
	// reports them.
	configScope
	// customScope rules are custom Rego rules, evaluated on each policy document.
	customScope
	// sourceScope rules are about how a file holds its policies (its kind, its YAML or HCL, the
	// inputs of the tool that sends the request); the source readers find them.
	sourceScope
)

// CustomCode is the code of a custom rule whose METADATA gives none.
const CustomCode = "PL9000"

// IsCustom reports whether the rule is a custom Rego rule.
func (r *Rule) IsCustom() bool { return r.custom != nil }

// DefinedAt returns the file and line of a custom rule's definition, or "" for a built-in rule.
func (r *Rule) DefinedAt() string {
	if r.custom == nil {
		return ""
	}
	return fmt.Sprintf("%s:%d", r.custom.File, r.custom.Row)
}

// IsConfig reports whether the rule is about policylint's configuration or its custom rules
// rather than a document: it has no document example to lint.
func (r *Rule) IsConfig() bool { return r.scope == configScope || r.scope == customScope }

const (
	srcAssumeRole  = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
	srcSAML        = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html"
	srcIdentifiers = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns"
	srcTagRules    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#id_tags_rules"
	srcSessionTags = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html"
	srcCLIInput    = "https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html"
	srcElements    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html"
	srcConditions  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	srcVariables   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
	srcSession     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session"
	srcGrammar     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"
	srcPrincipal   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"

	srcConditionElement = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html"
	srcARN              = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"
	srcPolicyChecks     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
	srcMultiValued      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
	srcServiceReference = "https://docs.aws.amazon.com/service-authorization/latest/reference/service-reference.html"
)

const goodPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::tenant-a/*"
    }
  ]
}
`

// goodRequest is an AssumeRole request file in the AWS CLI's --cli-input-json shape.
const goodRequest = `{
  "RoleArn": "arn:aws:iam::123456789012:role/tenant-access",
  "RoleSessionName": "tenant-a",
  "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::tenant-a/*\"}]}",
  "PolicyArns": [{"arn": "arn:aws:iam::123456789012:policy/tenant-read"}],
  "DurationSeconds": 3600,
  "Tags": [{"Key": "tenant", "Value": "a"}, {"Key": "team", "Value": "data"}],
  "TransitiveTagKeys": ["tenant"]
}
`

// badRequest is goodRequest with one line replaced.
func badRequest(old, replacement string) string {
	if !strings.Contains(goodRequest, old) {
		panic("badRequest: " + old)
	}
	return strings.Replace(goodRequest, old, replacement, 1)
}

// manyTags is a request with n session tags.
func manyTags(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"Key": "k%02d", "Value": "v"}`, i+1)
	}
	return badRequest(`[{"Key": "tenant", "Value": "a"}, {"Key": "team", "Value": "data"}]`, "["+b.String()+"]")
}

// exampleJWT builds a token from a header and payload, with a placeholder signature:
// policylint decodes tokens and never verifies them.
func exampleJWT(header, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString([]byte("signature"))
}

// webIdentityRequest is an AssumeRoleWithWebIdentity request file around token.
func webIdentityRequest(token, extra string) string {
	return `{
  "RoleArn": "arn:aws:iam::123456789012:role/ci-deploy",
  "RoleSessionName": "build-42",
  "WebIdentityToken": "` + token + `",` + extra + `
  "DurationSeconds": 3600
}
`
}

const (
	goodTokenHeader  = `{"alg":"RS256","typ":"JWT","kid":"k1"}`
	goodTokenPayload = `{"iss":"https://token.actions.githubusercontent.com","sub":"repo:octo-org/octo-repo:ref:refs/heads/main","aud":"sts.amazonaws.com","iat":1900000000,"exp":4100000000}`
)

// samlRequest is an AssumeRoleWithSAML request file around a SAML Response whose attribute
// statement is attrs.
func samlRequest(attrs, sessionNotOnOrAfter, extra string) string {
	return samlRequestIssued(samlIssued, "", attrs, sessionNotOnOrAfter, extra)
}

// samlRequestIssued is samlRequest with the time of issue and the Assertion's Conditions.
func samlRequestIssued(issued, conditions, attrs, sessionNotOnOrAfter, extra string) string {
	xml := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" IssueInstant="` + issued + `">` +
		`<saml:Assertion IssueInstant="` + issued + `">` + conditions + `<saml:AuthnStatement SessionNotOnOrAfter="` + sessionNotOnOrAfter + `"/>` +
		`<saml:AttributeStatement>` + attrs + `</saml:AttributeStatement></saml:Assertion></samlp:Response>`
	return `{
  "RoleArn": "arn:aws:iam::123456789012:role/analyst",
  "PrincipalArn": "arn:aws:iam::123456789012:saml-provider/corp-idp",
  "SAMLAssertion": "` + base64.StdEncoding.EncodeToString([]byte(xml)) + `",` + extra + `
  "DurationSeconds": 3600
}
`
}

func samlAttr(name string, values ...string) string {
	var b strings.Builder
	b.WriteString(`<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/` + name + `">`)
	for _, v := range values {
		b.WriteString(`<saml:AttributeValue>` + v + `</saml:AttributeValue>`)
	}
	return b.String() + `</saml:Attribute>`
}

// samlIssued is when the examples' assertions were issued: far ahead, so that they stay fresh;
// saml-expired's example is an old one.
const samlIssued = "2099-11-23T10:00:00Z"

var (
	goodSAMLRole = samlAttr("Role", "arn:aws:iam::123456789012:role/analyst,arn:aws:iam::123456789012:saml-provider/corp-idp")
	goodSAMLName = samlAttr("RoleSessionName", "jane@example.com")
)

// longTags is an AssumeRole request without policy whose n tags T1... each have a value of
// size times "a": with 9 and 250, the request a maintainer of configure-aws-credentials saw
// fail with "Packed size of session tags consumes 498% of allotted space."
func longTags(n, size int) string {
	var b strings.Builder
	b.WriteString("{\n  \"RoleArn\": \"arn:aws:iam::123456789012:role/ci\",\n  \"RoleSessionName\": \"build-42\",\n  \"Tags\": [\n")
	for i := range n {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    {\"Key\": \"T%d\", \"Value\": \"%s\"}%s\n", i+1, strings.Repeat("a", size), sep)
	}
	b.WriteString("  ]\n}\n")
	return b.String()
}

// statementPolicy is a policy whose Statement list holds the given statements.
func statementPolicy(statements ...string) string {
	return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    " + strings.Join(statements, ",\n    ") + "\n  ]\n}\n"
}

// tenantBuckets is a pretty-printed policy granting reads on n tenant buckets: over the plaintext
// limit as written from 44 tenants, within it when minified.
func tenantBuckets(n int) string {
	var b strings.Builder
	b.WriteString("{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": \"s3:GetObject\",\n            \"Resource\": [\n")
	for i := range n {
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "                \"arn:aws:s3:::tenant-%03d/*\"%s\n", i+1, sep)
	}
	b.WriteString("            ]\n        }\n    ]\n}\n")
	return b.String()
}

// Rules is the rule table, in code order. It is the only registry: the linter, `policylint rules`
// and the documentation all read it.
var Rules = []*Rule{
	{
		Code: "PL1001", Slug: "json-syntax", Severity: Error, check: checkJSONSyntax, AccessAnalyzer: "JSON_SYNTAX_ERROR",
		Title: "the policy is not valid JSON",
		Rationale: "IAM parses the session policy as strict JSON (RFC 8259) and rejects anything else with " +
			"MalformedPolicyDocument: comments, trailing commas, single quotes, unquoted keys, an empty file, or " +
			"text after the document. The finding points at the first offending token.",
		Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}
  ]
}
`,
		Good: goodPolicy, Source: srcGrammar,
	},
	{
		Code: "PL1002", Slug: "invalid-encoding", Severity: Error, check: checkInvalidEncoding, scope: documentScope,
		Title: "the file is not UTF-8, or starts with a byte-order mark",
		Rationale: "A policy reaches STS as UTF-8 text. Bytes that are not UTF-8 (a file saved as Latin-1 or " +
			"Windows-1252) are either rejected by the SDK or turned into other characters, and a byte-order mark " +
			"is the character U+FEFF, which the Policy pattern does not allow.",
		Bad:    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"caf\xe9\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n",
		Good:   "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"cafe\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n",
		Source: srcAssumeRole,
	},
	{
		Code: "PL1003", Slug: "duplicate-key", Severity: Error, check: checkDuplicateKey, scope: documentScope,
		Title: "an object key is given twice",
		Rationale: "JSON leaves duplicate keys undefined: most parsers keep the last value, some the first, and " +
			"a reviewer reads the first. IAM element names are matched without regard to case, so \"Effect\" and " +
			"\"effect\" in one statement are the same element twice. Either way the policy does not say one thing. " +
			"In a request file the AWS CLI's JSON reader (json.loads in awscli/customizations/cliinput.py, Python's json) keeps the last value and sends it, so there the " +
			"finding is a warning, and the request checks judge only the value STS receives.",
		Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Action": "s3:*"}
  ]
}
`,
		Good: goodPolicy, Source: srcGrammar,
	},
	{
		Code: "PL1004", Slug: "policy-file", Severity: Warning, check: checkPolicyFile, scope: requestScope,
		Title: "the file a request's file:// Policy names cannot be linted",
		Rationale: "A request file's \"Policy\": \"file://path\" is sent as that text (request-file-uri). As a convenience " +
			"policylint lints the named file as the policy meant, the one to pass with --policy file://path: it resolves " +
			"the path against the request file's folder, reads it through the same confined reader as every input, and " +
			"lints it under its own path when it is a JSON policy. A file that cannot be read, or is not a JSON object " +
			"with Statement, is reported here and never shown: the path is the request author's choice.",
		Bad: `{
  "RoleArn": "arn:aws:iam::123456789012:role/tenant-access",
  "RoleSessionName": "tenant-a",
  "Policy": "file://policies/no-such-policy.json"
}
`,
		Good: goodRequest, Source: srcCLIInput,
	},
	{
		Code: "PL1005", Slug: "unused-ignore", Severity: Warning, scope: configScope,
		Title: "an ignore in .policylint.yaml that silenced nothing",
		Rationale: "An ignore that matches no finding is stale: the file moved, the problem was fixed, or the glob or " +
			"rule name is wrong. Left in place it would silence a future finding nobody reviewed. policylint " +
			"reports it at the ignore's line in the configuration file.",
		Bad: `ignore:
  - {path: "legacy/**", rule: policy-length, reason: "split tracked in the platform backlog"}
`,
		Good:   "ignore: []\n",
		Source: "https://github.com/policylint/policylint#configuration",
	},
	{
		Code: "PL1006", Slug: "unrendered-template", Severity: Error, check: checkUnrenderedTemplate, scope: documentScope,
		Title: "an unrendered templating placeholder, ${{ ... }} or {{ ... }}",
		Rationale: "A file that still holds a placeholder is a template, not what will be sent, and the value it will " +
			"have cannot be checked: each placeholder is reported once, quoted whole, and the other checks skip the " +
			"value. A GitHub Actions expression ${{ ... }} is an error: GitHub substitutes expressions only in the " +
			"workflow file, never inside a file a step reads, so STS receives the text. A {{ ... }} placeholder (Helm, " +
			"Go templates, Jinja) is a warning: a template engine renders the file first, so lint the rendered file.",
		Bad: `{
  "RoleArn": "${{ vars.TENANT_ROLE_ARN }}",
  "RoleSessionName": "tenant-a"
}
`,
		Good: goodRequest, Source: srcCLIInput,
	},
	{
		Code: "PL1010", Slug: "unknown-document", Severity: Error, scope: sourceScope,
		Title: "a file named for linting that holds no policy, request, workflow or Terraform",
		Rationale: "policylint tells each file's kind by its content and name: a session policy (an IAM element such as " +
			"Statement at its top), an STS request (RoleArn, RoleSessionName or other STS parameters), in JSON or YAML; a " +
			"GitHub workflow; a Terraform file or plan. A JSON or YAML file of none of these kinds (package.json, " +
			"tsconfig.json, docker-compose.yml) found by a directory walk or in a pre-commit file list is skipped with a " +
			"notice; named on the command line it is this error, so that a mistyped path is not mistaken for a clean policy.",
		Bad:    "{\n  \"name\": \"deploy-scripts\",\n  \"version\": \"1.4.0\",\n  \"private\": true\n}\n",
		Good:   goodPolicy,
		Source: "https://github.com/policylint/policylint#what-policylint-reads",
	},
	{
		Code: "PL1011", Slug: "not-checkable", Severity: Info, scope: sourceScope, File: "main.tf",
		Title: "a policy known only when Terraform or GitHub Actions evaluates it",
		Rationale: "A policy written as a reference (data.aws_iam_policy_document.x.json, var.policy, file(...)), or built at " +
			"run time by a ${{ }} expression outside any JSON string, has no text until Terraform or GitHub Actions " +
			"evaluates it, so none of its checks can run; its share of the length and packed size limits is left out " +
			"too. policylint says so once per policy rather than passing it silently. It says so too where it stops reading a " +
			"hostile file: past 1,000 requests in one file, and past 1 MiB of what a workflow's expressions substitute. Lint the plan " +
			"(terraform show -json plan.out > plan.json) to check what Terraform renders.",
		Bad: `resource "aws_eks_pod_identity_association" "reports" {
  cluster_name         = "analytics"
  namespace            = "reports"
  service_account      = "report-writer"
  role_arn             = aws_iam_role.reports.arn
  disable_session_tags = true
  policy               = data.aws_iam_policy_document.reports.json
}
`,
		Good: `resource "aws_eks_pod_identity_association" "reports" {
  cluster_name         = "analytics"
  namespace            = "reports"
  service_account      = "report-writer"
  role_arn             = aws_iam_role.reports.arn
  disable_session_tags = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
`,
		Source: "https://developer.hashicorp.com/terraform/internals/json-format",
	},
	{
		Code: "PL1012", Slug: "yaml-syntax", Severity: Error, scope: sourceScope, File: "deploy.yml",
		Title: "a workflow or YAML request that is not valid YAML",
		Rationale: "GitHub rejects a workflow that is not valid YAML, and the AWS CLI a --cli-input-yaml file; policylint " +
			"cannot read the policies in it either. The finding is at the line the YAML parser names. A YAML file that " +
			"is neither (a Helm template) is skipped with a notice when found by a directory walk.",
		Bad: `on: push
permissions: {id-token: write}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
         aws-region: us-east-1
`,
		Good: `on: push
permissions: {id-token: write}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: us-east-1
`,
		Source: "https://yaml.org/spec/1.2.2/",
	},
	{
		Code: "PL1013", Slug: "hcl-syntax", Severity: Error, scope: sourceScope, File: "main.tf",
		Title: "a Terraform file that is not valid HCL",
		Rationale: "Terraform rejects a configuration file that is not valid HCL native syntax, and policylint cannot read " +
			"the policies in it either. The finding is at the place the HCL parser names. Before parsing, policylint also " +
			"refuses a file whose expressions nest more than 500 levels (brackets, templates and operators) or that has more " +
			"than 1,000,000 tokens: no configuration does, and HCL's parser would exhaust its stack or memory on it.",
		Bad:    "provider \"aws\" {\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/terraform\"\n}\n",
		Good:   "provider \"aws\" {\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/terraform\"\n  }\n}\n",
		Source: "https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md",
	},
	{
		Code: "PL1020", Slug: "symlink-outside", Severity: Info, scope: configScope,
		Title: "a symbolic link in a linted folder leads outside the repository, and is not followed",
		Rationale: "policylint lints what a pull request brings, and a pull request can add a link named policy.json that " +
			"leads to a CI token, a credentials file or /proc/self/environ. A directory walk never follows a link out " +
			"of the repository (or to nothing): it reports the link instead, so that a policy it was meant to reach is " +
			"not skipped silently. Name the target on the command line to lint it.",
		Bad:    "policies/tenant.json -> /home/runner/.aws/credentials\n",
		Good:   "policies/tenant.json -> ../shared/tenant.json (inside the repository)\n",
		Source: "https://github.com/policylint/policylint/blob/main/SECURITY.md",
	},
	{
		Code: "PL2001", Slug: "policy-length", Severity: Error, check: checkPolicyLength,
		Title: "the policy and policy ARNs exceed 2,048 characters",
		Rationale: "STS limits the plaintext of the inline session policy and the managed policy ARNs, combined, " +
			"to 2,048 characters (characters, not bytes: é counts once). Whitespace counts, so a pretty-printed " +
			"policy can fail where its minified form fits; the message gives both lengths. A policy file is counted as " +
			"the AWS CLI sends it with --policy file://: the CLI reads text (awscli/paramfile.py opens the file in text mode, with universal newlines), so CR LF line ends count as one character; " +
			"a file that fits only so is a warning, since a tool that sends the file's bytes sends more. The finding " +
			"starts at the first character past the limit.",
		Bad:    tenantBuckets(45),
		Good:   goodPolicy,
		Source: srcAssumeRole,
	},
	{
		Code: "PL2002", Slug: "policy-charset", Severity: Error, check: checkPolicyCharset,
		Title: "a character outside U+0020–U+00FF, tab, LF and CR",
		Rationale: "The Policy parameter must match [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+; STS rejects any " +
			"other character, commonly typographic quotes and dashes pasted from a document, emoji, or other " +
			"control characters. Each one is reported at its own place (the first 20 per file, then a count).",
		Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadOnly", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/2026–q3/*"}
  ]
}
`,
		Good: goodPolicy, Source: srcAssumeRole,
	},
	{
		Code: "PL2003", Slug: "policy-charset-escape", Severity: Info, check: checkPolicyCharsetEscape,
		Title: "a \\u escape decodes to a character outside U+0020–U+00FF",
		Rationale: "STS checks the characters of the policy as sent, where \\u2013 is six ASCII characters, so " +
			"the request passes that check; IAM then parses the JSON and evaluates the decoded character. That is " +
			"the one way to match a value outside Latin-1 (Python's json.dumps writes it by default), and AWS does " +
			"not document IAM rejecting it, so this is advice, not an error: it shows what the policy really holds, " +
			"which matters when the escape is an accident such as \\u0000.",
		Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/2026\u2013q3/*"}
  ]
}
`,
		Good: goodPolicy, Source: srcAssumeRole,
	},
	{
		Code: "PL2004", Slug: "policy-arn-count", Severity: Error, check: checkPolicyARNCount, scope: requestScope,
		Title: "more than 10 policy ARNs",
		Rationale: "STS accepts up to 10 managed policy ARNs as session policies. The API model sets no maximum, " +
			"so SDKs send more, and STS rejects the call at run time.",
		Bad: goodPolicy,
		BadARNs: []string{
			"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
			"arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSNSReadOnlyAccess",
			"arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess", "arn:aws:iam::aws:policy/AWSLambda_ReadOnlyAccess",
			"arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
			"arn:aws:iam::aws:policy/AmazonKinesisReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonVPCReadOnlyAccess",
			"arn:aws:iam::aws:policy/IAMReadOnlyAccess",
		},
		Good: goodPolicy, Source: srcAssumeRole,
	},
	{
		Code: "PL2005", Slug: "policy-arn-format", Severity: Error, check: checkPolicyARNFormat, scope: requestScope,
		Title: "a policy ARN is not an IAM managed policy ARN",
		Rationale: "PolicyArns takes the ARNs of IAM managed policies, arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME " +
			"or arn:aws:iam::aws:policy/NAME for AWS managed ones. A role ARN, a policy name or a truncated ARN " +
			"fails at run time.",
		Bad:     goodPolicy,
		BadARNs: []string{"arn:aws:iam::123456789012:role/ReadOnly"},
		Good:    goodPolicy, Source: srcAssumeRole,
	},
	{
		Code: "PL3001", Slug: "packed-size", Severity: Error, check: checkPackedSize, scope: requestScope,
		Title: "the estimated packed size of policy, ARNs and tags is above 100% (warning from 90%)",
		Rationale: "STS compresses the inline policy, the policy ARNs and the session tags (inherited transitive tags " +
			"included) into a packed binary form with a hidden budget, reports its use as PackedPolicySize, and fails " +
			"above 100% with PackedPolicyTooLarge (100% itself is accepted). AWS says this cannot be easily predicted; " +
			"policylint estimates it with an empirical model fitted to real AWS results (docs/packed-size.md) and gives a " +
			"band, not a promise: an error for an estimate above 100%, a warning from --packed-warn (90% by default). " +
			"Above 100% the message says what would fit: the fewest session tags, largest first, then policy ARNs, whose " +
			"removal brings the estimate to 100% or less; a warning names the biggest contributors. `policylint pack` " +
			"shows the whole breakdown, and `policylint pack --calibrate` measures the model on your own CloudTrail.",
		Bad:    longTags(9, 250),
		Good:   goodRequest,
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
	},
	{
		Code: "PL4001", Slug: "param-required", Severity: Error, check: (*Pass).reportProblems, scope: requestScope,
		Title: "a required request parameter is missing",
		Rationale: "Each STS operation has required parameters: AssumeRole needs RoleArn and RoleSessionName; " +
			"AssumeRoleWithSAML RoleArn, PrincipalArn and SAMLAssertion; AssumeRoleWithWebIdentity RoleArn, " +
			"RoleSessionName and WebIdentityToken; GetFederationToken Name. The operation is inferred from the " +
			"parameters (WebIdentityToken, SAMLAssertion, Name without RoleArn, otherwise AssumeRole) or named with --operation.",
		Bad:  badRequest("  \"RoleSessionName\": \"tenant-a\",\n", ""),
		Good: goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4002", Slug: "param-unknown", Severity: Error, check: (*Pass).reportProblems, scope: requestScope,
		Title: "a request parameter the operation does not take",
		Rationale: "The AWS CLI validates --cli-input-json against the operation's input shape and rejects unknown keys, " +
			"so a misspelt parameter fails the call; an SDK that builds the request from a map may instead drop it " +
			"silently. The message suggests the closest parameter, or names the operations that take it.",
		Bad:  badRequest(`"RoleSessionName"`, `"RoleSesionName"`),
		Good: goodRequest, Source: srcCLIInput,
	},
	{
		Code: "PL4003", Slug: "param-type", Severity: Error, check: (*Pass).reportProblems, scope: requestScope,
		Title: "a request parameter of the wrong JSON type",
		Rationale: "DurationSeconds is an integer, PolicyArns a list of {\"arn\": ...}, Tags a list of {\"Key\", \"Value\"}, " +
			"Policy a string holding JSON. The CLI's parameter validation rejects anything else.",
		Bad:  badRequest(`"DurationSeconds": 3600`, `"DurationSeconds": "3600"`),
		Good: goodRequest, Source: srcCLIInput,
	},
	{
		Code: "PL4004", Slug: "param-length", Severity: Error, check: (*Pass).reportProblems, scope: requestScope,
		Title: "a request parameter is too short or too long",
		Rationale: "The STS API model bounds every string parameter (RoleSessionName 2–64 characters, ExternalId 2–1,224, " +
			"TokenCode exactly 6, tag keys 1–128 and values 0–256, WebIdentityToken 4–20,000, SAMLAssertion 4–100,000) " +
			"and some lists (TransitiveTagKeys up to 50, ProvidedContexts 1–5). STS rejects values outside them with ValidationError. " +
			"An empty value, as --generate-cli-skeleton writes every one, is one finding that says to fill it in or remove it.",
		Bad:  badRequest(`"RoleSessionName": "tenant-a"`, `"RoleSessionName": "a"`),
		Good: goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4005", Slug: "param-pattern", Severity: Error, check: (*Pass).reportProblems, scope: requestScope,
		Title: "a request parameter has a character STS does not accept",
		Rationale: "RoleSessionName, SourceIdentity and Name accept letters, digits and _+=,.@-; ExternalId also :/; " +
			"tag keys and values letters, digits, spaces and _.:/=+-@. An e-mail address is a valid session name, a " +
			"space or a slash-separated path is not. The finding points at the first rejected character. A source " +
			"identity is checked wherever it comes from: the SourceIdentity parameter, the SAML SourceIdentity attribute " +
			"and the OIDC https://aws.amazon.com/source_identity claim (\"Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} " +
			"and not begin with aws:\", which STS answers with InvalidIdentityToken); one that begins with aws:, reserved " +
			"by AWS, is told so.",
		Bad:  badRequest(`"RoleSessionName": "tenant-a"`, `"RoleSessionName": "tenant a/ci"`),
		Good: goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4006", Slug: "param-range", Severity: Error, check: (*Pass).reportProblems, scope: requestScope,
		Title: "DurationSeconds outside the operation's range",
		Rationale: "AssumeRole, AssumeRoleWithSAML and AssumeRoleWithWebIdentity accept 900 to 43,200 seconds (the role's " +
			"MaxSessionDuration may cap it lower, and role chaining caps it at 3,600: chained-duration); GetFederationToken " +
			"accepts 900 to 129,600 (3,600 with root credentials). The AWS CLI reads any JSON integer whole (Python's json has no integer limit), so one beyond " +
			"64 bits is out of range too, not of the wrong type.",
		Bad:  badRequest(`"DurationSeconds": 3600`, `"DurationSeconds": 86400`),
		Good: goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4007", Slug: "policy-arn-account", Severity: Error, check: checkPolicyARNAccount, scope: requestScope,
		Title: "a managed policy ARN in another account or partition than the role",
		Rationale: "Managed policies passed as PolicyArns must be in the same account as the role, or be AWS managed " +
			"(arn:aws:iam::aws:policy/...). A policy of a shared-services account cannot scope a role of a tenant account. " +
			"\"Each AWS account is scoped to one partition\", so an aws-cn or aws-us-gov role takes arn:aws-cn:... or " +
			"arn:aws-us-gov:... policies, AWS managed ones included.",
		Bad:  badRequest(`arn:aws:iam::123456789012:policy/tenant-read`, `arn:aws:iam::210987654321:policy/tenant-read`),
		Good: goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4008", Slug: "tag-count", Severity: Error, check: checkTagCount, scope: requestScope,
		Title: "more than 50 session tags",
		Rationale: "STS accepts up to 50 session tags, counting those a web identity token or SAML assertion carries. " +
			"Long before that the packed size limit may fire: tags are packed with the policy.",
		Bad:  manyTags(51),
		Good: goodRequest, Source: srcSessionTags,
	},
	{
		Code: "PL4009", Slug: "tag-duplicate", Severity: Error, check: checkTagDuplicate, scope: requestScope,
		Title: "two session tags whose keys differ only in case",
		Rationale: "Session tag keys are case-insensitive: Project and project are the same key, and STS rejects a request " +
			"that passes both, also when one comes from the identity provider's token or assertion.",
		Bad:  badRequest(`{"Key": "team", "Value": "data"}`, `{"Key": "Tenant", "Value": "b"}`),
		Good: goodRequest, Source: srcSessionTags,
	},
	{
		Code: "PL4010", Slug: "tag-reserved", Severity: Error, check: checkTagReserved, scope: requestScope,
		Title: "a session tag key or value beginning with aws:",
		Rationale: "IAM's tagging rules, which session tags follow: \"You cannot create a tag key or value that begins " +
			"with the text aws:\". Tag keys and values are not case sensitive, so AWS: is reserved too. It applies to the " +
			"Tags parameter, --tag, SAML PrincipalTag attributes and OIDC tag claims alike.",
		Bad:  badRequest(`{"Key": "team", "Value": "data"}`, `{"Key": "team", "Value": "aws:data"}`),
		Good: goodRequest, Source: srcTagRules,
	},
	{
		Code: "PL4011", Slug: "transitive-tag-unknown", Severity: Error, check: checkTransitiveTagUnknown, scope: requestScope,
		Title: "a transitive tag key that is not a session tag of the request",
		Rationale: "TransitiveTagKeys must name session tags passed in the same request. A key with no tag fails the call; " +
			"the usual cause is a tag renamed in one place only.",
		Bad:  badRequest(`"TransitiveTagKeys": ["tenant"]`, `"TransitiveTagKeys": ["tenant", "cost-center"]`),
		Good: goodRequest, Source: srcSessionTags,
	},
	{
		Code: "PL4012", Slug: "token-format", Severity: Error, check: checkTokenFormat, scope: requestScope,
		Title: "a web identity token that is not a well-formed JWT",
		Rationale: "AssumeRoleWithWebIdentity takes an OpenID Connect ID token: a signed JWT of three base64url parts " +
			"whose header and payload are JSON objects, with integer timestamps. An opaque OAuth 2.0 access token is " +
			"accepted only from Amazon or Facebook with ProviderId. Session tags in the https://aws.amazon.com/tags claim " +
			"must be one-element arrays of strings (or, in the flattened https://aws.amazon.com/tags/principal_tags/KEY " +
			"claims, strings). What STS does not read, such as an extra member of the tags claim, or what AWS does not " +
			"document, such as base64url padding, is a warning. The token is decoded, never verified: policylint checks " +
			"no signature, issuer or audience, and never prints the token.",
		Bad:    webIdentityRequest(exampleJWT(goodTokenHeader, `{"iss":"https://idp.example.com","sub":"ci","exp":4100000000.5,"https://aws.amazon.com/tags":{"principal_tags":{"team":["data","ml"]}}}`), ""),
		Good:   webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), ""),
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
	},
	{
		Code: "PL4013", Slug: "token-algorithm", Severity: Error, check: checkTokenAlgorithm, scope: requestScope,
		Title: "a web identity token signed with an algorithm STS does not accept",
		Rationale: "STS accepts ID tokens signed with RSA (RS256, RS384, RS512) or ECDSA (ES256, ES384, ES512). A token " +
			"signed with HMAC (HS256) or unsigned (none) is rejected. --rs256-only applies the older documented rule, RS256 alone.",
		Bad:    webIdentityRequest(exampleJWT(`{"alg":"HS256","typ":"JWT"}`, goodTokenPayload), ""),
		Good:   webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), ""),
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
	},
	{
		Code: "PL4014", Slug: "token-expired", Severity: Warning, check: checkTokenExpired, scope: requestScope,
		Title: "a web identity token whose exp has passed",
		Rationale: "STS rejects an expired token with ExpiredTokenException. A token saved in a request file for a test " +
			"expires within minutes to hours; this is a warning because the token a real run sends is fetched fresh.",
		Bad:    webIdentityRequest(exampleJWT(goodTokenHeader, `{"iss":"https://token.actions.githubusercontent.com","sub":"repo:octo-org/octo-repo:ref:refs/heads/main","aud":"sts.amazonaws.com","iat":1700000000,"exp":1700000600}`), ""),
		Good:   webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), ""),
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
	},
	{
		Code: "PL4015", Slug: "provider-id", Severity: Error, check: checkProviderID, scope: requestScope,
		Title: "a ProviderId STS rejects",
		Rationale: "ProviderId is only for OAuth 2.0 access tokens from www.amazon.com and graph.facebook.com, written " +
			"as the bare host name. For an OpenID Connect ID token (any JWT) it must be omitted: STS identifies the " +
			"provider from the token's issuer.",
		Bad:    webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), "\n  \"ProviderId\": \"https://token.actions.githubusercontent.com\","),
		Good:   webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), ""),
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
	},
	{
		Code: "PL4016", Slug: "saml-assertion", Severity: Error, check: checkSAMLAssertion, scope: requestScope,
		Title: "a SAMLAssertion that is not a base64 SAML 2.0 Response",
		Rationale: "SAMLAssertion is the base64-encoded SAML 2.0 Response the identity provider posted. A raw XML " +
			"document, a URL-encoded one, a SAML 1.1 response or a fragment fails. The assertion is decoded, never " +
			"verified, and parsed without DTDs or entity expansion. What AWS does not document, such as an attribute " +
			"given twice, is a warning. Attributes of an EncryptedAssertion cannot be read, so the other saml-* rules skip it.",
		Bad: `{
  "RoleArn": "arn:aws:iam::123456789012:role/analyst",
  "PrincipalArn": "arn:aws:iam::123456789012:saml-provider/corp-idp",
  "SAMLAssertion": "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"
}
`,
		Good:   samlRequest(goodSAMLRole+goodSAMLName, "2099-11-23T22:00:00Z", ""),
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html",
	},
	{
		Code: "PL4017", Slug: "saml-role-mismatch", Severity: Error, check: checkSAMLRoleMismatch, scope: requestScope,
		Title: "no Role attribute value pairs RoleArn with PrincipalArn",
		Rationale: "The assertion's https://aws.amazon.com/SAML/Attributes/Role attribute lists the roles the user may " +
			"assume, each as \"roleArn,providerArn\" (either order). STS rejects the call unless one value pairs the " +
			"request's RoleArn with its PrincipalArn.",
		Bad:    samlRequest(samlAttr("Role", "arn:aws:iam::123456789012:role/viewer,arn:aws:iam::123456789012:saml-provider/corp-idp")+goodSAMLName, "2099-11-23T22:00:00Z", ""),
		Good:   samlRequest(goodSAMLRole+goodSAMLName, "2099-11-23T22:00:00Z", ""),
		Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html",
	},
	{
		Code: "PL4018", Slug: "saml-session-name", Severity: Error, check: checkSAMLSessionName, scope: requestScope,
		Title: "the RoleSessionName attribute is missing or invalid",
		Rationale: "AssumeRoleWithSAML takes the session name from the https://aws.amazon.com/SAML/Attributes/RoleSessionName " +
			"attribute, which must be 2 to 64 of letters, digits and _+=,.@-. A display name with a space fails.",
		Bad:    samlRequest(goodSAMLRole+samlAttr("RoleSessionName", "Jane Doe"), "2099-11-23T22:00:00Z", ""),
		Good:   samlRequest(goodSAMLRole+goodSAMLName, "2099-11-23T22:00:00Z", ""),
		Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html",
	},
	{
		Code: "PL4019", Slug: "saml-duration", Severity: Error, check: checkSAMLDuration, scope: requestScope,
		Title: "SessionDuration out of range, or DurationSeconds beyond SessionNotOnOrAfter",
		Rationale: "The SessionDuration attribute must be 900 to 43,200 seconds, or STS rejects the call (error). The " +
			"session lasts DurationSeconds or until the assertion's SessionNotOnOrAfter, whichever is sooner, so a " +
			"DurationSeconds past SessionNotOnOrAfter is silently cut short (a warning).",
		Bad:    samlRequest(goodSAMLRole+goodSAMLName+samlAttr("SessionDuration", "86400"), "2099-11-23T10:30:00Z", ""),
		Good:   samlRequest(goodSAMLRole+goodSAMLName+samlAttr("SessionDuration", "3600"), "2099-11-23T22:00:00Z", ""),
		Source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html",
	},
	{
		Code: "PL4020", Slug: "role-arn-format", Severity: Error, check: checkRoleARNFormat, scope: requestScope,
		Title: "RoleArn is not an IAM role ARN",
		Rationale: "RoleArn takes arn:PARTITION:iam::ACCOUNT:role/PATH/NAME. The model's pattern accepts any printable " +
			"text of 20 characters, so an OIDC or SAML provider ARN, a user ARN, an assumed-role session ARN or a value " +
			"with a trailing line break passes the SDK and fails at STS (ValidationError: Request ARN is invalid). The " +
			"message says what the value looks like, and the classic mix-ups (the GitHub OIDC provider given as " +
			"role-to-assume, RoleArn and PrincipalArn swapped) get their own fix. An IAM ARN with a Region is a warning.",
		Bad:  strings.Replace(webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), ""), "role/ci-deploy", "oidc-provider/token.actions.githubusercontent.com", 1),
		Good: webIdentityRequest(exampleJWT(goodTokenHeader, goodTokenPayload), ""), Source: srcIdentifiers,
	},
	{
		Code: "PL4021", Slug: "principal-arn-format", Severity: Error, check: checkPrincipalARNFormat, scope: requestScope,
		Title: "PrincipalArn is not a SAML identity provider ARN",
		Rationale: "AssumeRoleWithSAML's PrincipalArn takes the SAML provider in IAM, arn:PARTITION:iam::ACCOUNT:saml-provider/NAME. " +
			"A role ARN there (RoleArn and PrincipalArn swapped, as the Role attribute allows either order) or an OIDC " +
			"provider ARN fails with ValidationError: Request ARN is invalid.",
		Bad:  strings.Replace(samlRequest(goodSAMLRole+goodSAMLName, "2099-11-23T22:00:00Z", ""), "saml-provider/corp-idp\"", "oidc-provider/idp.example.com\"", 1),
		Good: samlRequest(goodSAMLRole+goodSAMLName, "2099-11-23T22:00:00Z", ""), Source: srcSAML,
	},
	{
		Code: "PL4022", Slug: "tag-inherited-conflict", Severity: Error, check: checkTagInheritedConflict, scope: requestScope,
		Title: "a session tag with the key of an inherited transitive tag",
		Rationale: "A chained AssumeRole inherits the calling session's transitive tags, and \"if you pass a session tag " +
			"with the same key as an inherited tag, the operation fails\". Keys compare without case. Name the inherited " +
			"tags with --inherited-tag (the caller's TransitiveTagKeys and their values, as CloudTrail shows them).",
		Bad:          goodRequest,
		BadInherited: []Tag{{Key: "Tenant", Value: "a"}},
		Good:         goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4023", Slug: "chained-duration", Severity: Error, check: checkChainedDuration, scope: requestScope,
		Title: "DurationSeconds over 3,600 in a chained AssumeRole",
		Rationale: "\"Role chaining limits your AWS CLI or AWS API role session to a maximum of one hour\", and \"if you " +
			"assume a role using role chaining and provide a DurationSeconds parameter value greater than one hour, the " +
			"operation fails\". policylint treats the call as chained when --chained or --inherited-tag is given, and for a " +
			"configure-aws-credentials step with role-chaining: true (the action then calls AssumeRole with the credentials an " +
			"earlier step left, a role session's).",
		Bad:          badRequest(`"DurationSeconds": 3600`, `"DurationSeconds": 7200`),
		BadInherited: []Tag{{Key: "cost-center", Value: "1234"}},
		Good:         goodRequest, Source: srcAssumeRole,
	},
	{
		Code: "PL4024", Slug: "saml-expired", Severity: Warning, check: checkSAMLExpired, scope: requestScope,
		Title: "a SAML assertion whose NotOnOrAfter has passed",
		Rationale: "STS rejects a SAML response past the NotOnOrAfter of its Conditions or of its SubjectConfirmationData " +
			"(which AWS requires) with ExpiredTokenException (\"Response has expired\"), and has been seen to reject one " +
			"more than 5 minutes after its IssueInstant (\"Token must be redeemed within 5 minutes of issuance\"), which AWS " +
			"does not document. A warning, as for an expired web identity token: an assertion saved for a test is stale " +
			"within minutes, and a real run posts a fresh one.",
		Bad: samlRequestIssued("2020-05-04T10:00:00Z", `<saml:Conditions NotOnOrAfter="2020-05-04T10:05:00Z"/>`,
			goodSAMLRole+goodSAMLName, "2020-05-04T18:00:00Z", ""),
		Good:   samlRequest(goodSAMLRole+goodSAMLName, "2099-11-23T22:00:00Z", ""),
		Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html",
	},
	{
		Code: "PL4025", Slug: "request-file-uri", Severity: Error, check: checkRequestFileURI, scope: requestScope,
		Title: "a request file value written as file://",
		Rationale: "The AWS CLI reads file:// only in command-line arguments. The values of --cli-input-json and " +
			"--cli-input-yaml \"will be taken literally\", so \"Policy\": \"file://tenant.json\" sends that text, and STS " +
			"rejects it as MalformedPolicyDocument. Pass --policy file://tenant.json on the command line, or write the " +
			"policy JSON into the string. A value STS accepts as text, such as a tag value, is a warning. policylint " +
			"still lints the named policy file, as the one meant (policy-file).",
		Bad: `{
  "RoleArn": "arn:aws:iam::123456789012:role/tenant-access",
  "RoleSessionName": "tenant-a",
  "Policy": "file://policies/tenant-a.json"
}
`,
		Good: goodRequest, Source: srcCLIInput,
	},
	{
		Code: "PL4040", Slug: "action-input", Severity: Error, scope: sourceScope, File: "deploy.yml",
		Title: "a configure-aws-credentials input the action rejects before calling STS",
		Rationale: "aws-actions/configure-aws-credentials (v6) validates some inputs itself and fails the step before any STS " +
			"call: a boolean input that is not true, True, TRUE, false, False or FALSE (its getBooleanInput), and custom-tags " +
			"that is not a JSON object of strings, numbers or booleans, or that sets a tag the action sets itself (GitHub, " +
			"Repository, Workflow, Action, Actor, Commit, Branch, EventName, BaseRef, HeadRef, RunId, Job, TriggeringActor).",
		Bad: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {id-token: write}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          aws-region: us-east-1
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          role-skip-session-tagging: yes
`,
		Good: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {id-token: write}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          aws-region: us-east-1
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          role-skip-session-tagging: true
`,
		Source: "https://github.com/aws-actions/configure-aws-credentials#options",
	},
	{
		Code: "PL4041", Slug: "action-input-ignored", Severity: Warning, scope: sourceScope, File: "deploy.yml",
		Title: "a configure-aws-credentials input the action ignores on the path it takes",
		Rationale: "The action takes one of two paths (src/index.ts, src/assumeRole.ts). With aws-access-key-id, role-chaining " +
			"or the runner's own credentials it calls AssumeRole with session tags; with the id-token: write permission (OIDC) " +
			"or web-identity-token-file it calls AssumeRoleWithWebIdentity, which takes no tags and no ExternalId, so " +
			"custom-tags, transitive-tag-keys and role-external-id are dropped there. It drops a transitive tag key that does " +
			"not match a tag's key exactly, asks for 3,600 seconds when role-duration-seconds is not a number, sends no " +
			"session policy without role-to-assume, and GitHub passes a misspelt input on to be ignored. Each is accepted " +
			"but not what the workflow says.",
		Bad: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {id-token: write}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          aws-region: us-east-1
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          role-external-id: partner-7f3a
`,
		Good: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {id-token: write}
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          aws-region: us-east-1
          role-to-assume: arn:aws:iam::123456789012:role/deploy
`,
		Source: "https://github.com/aws-actions/configure-aws-credentials#options",
	},
	{
		Code: "PL4042", Slug: "eks-session-tags", Severity: Error, scope: sourceScope, File: "main.tf",
		Title: "an EKS Pod Identity association with a session policy and session tags on",
		Rationale: "EKS Pod Identity adds six session tags (eks-cluster-arn, eks-cluster-name, kubernetes-namespace, " +
			"kubernetes-service-account, kubernetes-pod-name, kubernetes-pod-uid) to every session unless " +
			"disable_session_tags is true; they are transitive, so every session chained from it inherits them. AWS " +
			"requires session tags off when the association has a session policy: an association with policy and " +
			"disable_session_tags unset or false is rejected.",
		Bad: `resource "aws_eks_pod_identity_association" "reports" {
  cluster_name    = "analytics"
  namespace       = "reports"
  service_account = "report-writer"
  role_arn        = "arn:aws:iam::123456789012:role/report-writer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
`,
		Good: `resource "aws_eks_pod_identity_association" "reports" {
  cluster_name         = "analytics"
  namespace            = "reports"
  service_account      = "report-writer"
  role_arn             = "arn:aws:iam::123456789012:role/report-writer"
  disable_session_tags = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
`,
		Source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreatePodIdentityAssociation.html",
	},
	{
		Code: "PL5001", Slug: "session-principal", Severity: Error, check: checkSessionPrincipal,
		Title: "Principal or NotPrincipal in a session policy",
		Rationale: "A session policy is an identity-based policy: it applies to the session's own principal, so " +
			"it cannot name one. IAM rejects Principal and NotPrincipal in it with MalformedPolicyDocument. A trust " +
			"policy or bucket policy pasted as a session policy is the usual cause.",
		Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::tenant-a/*"
    }
  ]
}
`,
		Good: goodPolicy, Source: srcPrincipal,
	},
	{
		Code: "PL5002", Slug: "unknown-element", Severity: Error, check: (*Pass).reportGrammar, AccessAnalyzer: "INVALID_POLICY_ELEMENT",
		Title: "an element IAM does not know, in the policy or a statement",
		Rationale: "A policy takes Version, Id and Statement; a statement takes Sid, Effect, Principal, NotPrincipal, Action, " +
			"NotAction, Resource, NotResource and Condition. IAM rejects anything else with MalformedPolicyDocument; a " +
			"misspelling gets a \"did you mean\".",
		Bad:  statementPolicy(`{"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}`),
		Good: goodPolicy, Source: srcGrammar,
	},
	{
		Code: "PL5003", Slug: "missing-effect", Severity: Error, check: (*Pass).reportGrammar, AccessAnalyzer: "MISSING_EFFECT",
		Title:     "a statement without Effect",
		Rationale: "Every statement must say whether it allows or denies: IAM rejects a statement without Effect.",
		Bad:       statementPolicy(`{"Action": "s3:GetObject", "Resource": "*"}`),
		Good:      goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5004", Slug: "invalid-effect", Severity: Error, check: (*Pass).reportGrammar, AccessAnalyzer: "INVALID_EFFECT",
		Title:     "an Effect other than \"Allow\" or \"Deny\"",
		Rationale: "Effect is case-sensitive and takes exactly \"Allow\" or \"Deny\"; IAM rejects \"allow\", \"Alow\" or true.",
		Bad:       statementPolicy(`{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}`),
		Good:      goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5005", Slug: "missing-action", Severity: Error, check: checkMissingAction, AccessAnalyzer: "MISSING_ACTION",
		Title:     "a statement without Action or NotAction",
		Rationale: "A statement must name the actions it covers, with Action or NotAction; IAM rejects one without.",
		Bad:       statementPolicy(`{"Effect": "Allow", "Resource": "*"}`),
		Good:      goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5006", Slug: "missing-resource", Severity: Error, check: checkMissingResource, AccessAnalyzer: "MISSING_RESOURCE",
		Title: "a statement without Resource or NotResource",
		Rationale: "Identity-based policies, session policies among them, must name resources in each statement (\"*\" for " +
			"all); only resource-based policies leave them implicit. IAM rejects the statement.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject"}`),
		Good: goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5007", Slug: "action-and-notaction", Severity: Error, check: checkExclusive("Action", "NotAction"),
		Title:     "a statement with both Action and NotAction",
		Rationale: "Action and NotAction exclude each other: IAM rejects a statement with both.",
		Bad:       statementPolicy(`{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}`),
		Good:      goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5008", Slug: "resource-and-notresource", Severity: Error, check: checkExclusive("Resource", "NotResource"),
		Title:     "a statement with both Resource and NotResource",
		Rationale: "Resource and NotResource exclude each other: IAM rejects a statement with both.",
		Bad:       statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "NotResource": "arn:aws:s3:::secrets/*"}`),
		Good:      goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5009", Slug: "invalid-version", Severity: Error, check: (*Pass).reportGrammar, AccessAnalyzer: "INVALID_VERSION",
		Title:     "a Version other than 2012-10-17 or 2008-10-17",
		Rationale: "Version names the policy language, not a date of your own: IAM accepts only \"2012-10-17\" and the legacy \"2008-10-17\".",
		Bad:       strings.Replace(goodPolicy, "2012-10-17", "2026-11-23", 1),
		Good:      goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5010", Slug: "missing-version", Severity: Warning, check: checkMissingVersion, AccessAnalyzer: "MISSING_VERSION",
		Title: "a policy without Version",
		Rationale: "Without Version IAM applies 2008-10-17, in which policy variables such as ${aws:PrincipalTag/tenant} are " +
			"plain text, so a tenant-scoping policy silently stops scoping. STS accepts it; this warns.",
		Bad:  strings.Replace(goodPolicy, "  \"Version\": \"2012-10-17\",\n", "", 1),
		Good: goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5011", Slug: "duplicate-sid", Severity: Warning, check: checkDuplicateSid, AccessAnalyzer: "UNIQUE_SIDS_RECOMMENDED",
		Title: "two statements with the same Sid",
		Rationale: "A Sid names a statement; two with one name make reviews, CloudTrail and Access Analyzer findings " +
			"ambiguous. AWS's sources disagree on what IAM does: the IAM User Guide says the Sid must be unique within " +
			"a JSON policy, while IAM Access Analyzer reports a duplicate in an identity policy only as a warning " +
			"(UNIQUE_SIDS_RECOMMENDED; its error UNIQUE_SIDS_REQUIRED is for the policy types that require unique " +
			"Sids), and IAM accepts such identity policies. So policylint warns: rename one.",
		Bad: statementPolicy(`{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`,
			`{"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}`),
		Good: goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5012", Slug: "invalid-sid", Severity: Error, check: checkInvalidSid,
		Title: "a Sid with characters other than A–Z, a–z and 0–9",
		Rationale: "In identity-based policies IAM accepts only basic alphanumeric characters in Sid; spaces, hyphens and " +
			"punctuation, common in resource policies, are rejected.",
		Bad:  statementPolicy(`{"Sid": "Read-Only Access", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`),
		Good: goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5013", Slug: "empty-statement", Severity: Error, check: checkEmptyStatement,
		Title:     "an empty Statement list or statement",
		Rationale: "A policy needs at least one statement, and a statement needs its elements: IAM rejects \"Statement\": [] and {}.",
		Bad:       "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n",
		Good:      goodPolicy, Source: srcGrammar,
	},
	{
		Code: "PL5014", Slug: "condition-operator", Severity: Error, check: checkConditionOperator, AccessAnalyzer: "INVALID_CONDITION_OPERATOR, NULL_WITH_IF_EXISTS",
		Title: "an unknown condition operator, or NullIfExists",
		Rationale: "Condition operators are a fixed, case-sensitive list (StringEquals, ArnLike, ...), optionally prefixed " +
			"ForAllValues: or ForAnyValue: and suffixed IfExists; Null takes no IfExists. IAM rejects anything else. " +
			"Set operators on single-valued keys are set-operator-single-valued-key's.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {"aws:PrincipalTag/team": "data"}}}`),
		Good: goodPolicy, Source: srcConditions,
	},
	{
		Code: "PL5015", Slug: "condition-type", Severity: Error, check: checkConditionType, AccessAnalyzer: "DATA_TYPE_MISMATCH, TYPE_MISMATCH_BOOLEAN, TYPE_MISMATCH_DATE, TYPE_MISMATCH_IP_RANGE, TYPE_MISMATCH_NUMBER, TYPE_MISMATCH_STRING",
		Title: "a condition value that cannot match its operator's type",
		Rationale: "Numeric operators need numbers, Date operators ISO 8601 dates or epoch times, Bool and Null true or false, " +
			"IpAddress addresses or CIDR ranges, Arn operators ARNs. A value of another type makes the condition never " +
			"match, which in an Allow statement silently grants nothing.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "office"}}}`),
		Good: goodPolicy, Source: srcConditions,
	},
	{
		Code: "PL5016", Slug: "invalid-arn", Severity: Error, check: checkInvalidARN, AccessAnalyzer: "INVALID_ARN_PREFIX, MISSING_ARN_FIELD, INVALID_PARTITION",
		Title: "a Resource that is neither \"*\" nor an ARN",
		Rationale: "Resource values are ARNs (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, wildcards allowed) or \"*\". " +
			"A bucket name, a URL or an unknown partition is rejected.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "tenant-a/*"}`),
		Good: goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5017", Slug: "invalid-action", Severity: Error, check: checkInvalidAction, AccessAnalyzer: "INVALID_ACTION",
		Title: "an Action that is not of the form service:action",
		Rationale: "Actions are written service:action (s3:GetObject), with * and ? wildcards, or \"*\" alone. A missing " +
			"prefix or a stray character is rejected. A wildcard in the prefix, as in s*:GetObject, is accepted (Access " +
			"Analyzer makes it a suggestion, WILDCARD_IN_SERVICE_NAME), so it is wildcard-service's advice, not an error " +
			"here; whether the action exists is unknown-action's.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3.GetObject", "Resource": "*"}`),
		Good: goodPolicy, Source: srcElements,
	},
	{
		Code: "PL5018", Slug: "policy-variable", Severity: Error, check: checkPolicyVariable,
		AccessAnalyzer: "MISSING_BRACE_IN_VARIABLE, EMPTY_VARIABLE, VARIABLE_UNSUPPORTED_IN_ELEMENT, VARIABLE_UNSUPPORTED_IN_VERSION, INVALID_VARIABLE_FOR_OPERATOR",
		Title:          "a malformed ${...} policy variable, or one where IAM does not substitute it",
		Rationale: "IAM reads ${...} in Resource and Condition values as a policy variable (${aws:PrincipalTag/tenant}). An " +
			"unrendered template placeholder (${bucket_name}, ${AWS::AccountId}) or an unclosed ${ never matches; a variable " +
			"in Action is not substituted. Two cases are warnings, because IAM accepts the policy: under Version " +
			"2008-10-17 variables are plain text, and under Numeric, Date, Bool, Binary, IpAddress and Null operators IAM " +
			"does not substitute them (\"Policy variables can only be used with String and ARN operators\", Access " +
			"Analyzer's INVALID_VARIABLE_FOR_OPERATOR, an error there), so the text is compared as written.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket_name}/*"}`),
		Good: goodPolicy, Source: srcVariables,
	},
	{
		Code: "PL5019", Slug: "missing-statement", Severity: Error, check: (*Pass).reportGrammar, AccessAnalyzer: "MISSING_STATEMENT",
		Title:     "a policy without Statement",
		Rationale: "A policy is its statements: IAM rejects a document without Statement, such as {} or a bare statement object.",
		Bad:       "{\n  \"Effect\": \"Allow\",\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\"\n}\n",
		Good:      goodPolicy, Source: srcGrammar,
	},
	{
		Code: "PL5020", Slug: "element-type", Severity: Error, check: (*Pass).reportGrammar, AccessAnalyzer: "DATA_TYPE_MISMATCH",
		Title: "a policy element of the wrong JSON type",
		Rationale: "Action, Resource and their Not forms are a string or a list of strings; Condition is an object of " +
			"operators, each an object of keys; Sid and Id are strings; each statement is an object. IAM rejects other types " +
			"with MalformedPolicyDocument. An empty list (\"Action\": []) is the exception: the grammar asks for at least one " +
			"value, but IAM accepts it and the statement matches nothing, and Access Analyzer reports it only as a suggestion " +
			"(EMPTY_ARRAY_ACTION, EMPTY_ARRAY_RESOURCE); policylint warns, as the sources disagree.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": ["s3:GetObject", 7], "Resource": []}`),
		Good: goodPolicy, Source: srcGrammar,
	},
	{
		Code: "PL5021", Slug: "malformed-condition-key", Severity: Warning, check: checkMalformedConditionKey, AccessAnalyzer: "INVALID_CONDITION_KEY_FORMAT",
		Title: "a condition key that is not of the form service:keyname",
		Rationale: "Condition keys are named prefix:name (aws:SourceIp, s3:prefix, accounts.google.com:aud). A key without its " +
			"prefix, with an empty part or with spaces is in no request context, so the condition is decided as for an " +
			"absent key. Access Analyzer reports it as an error; AWS does not document IAM rejecting the policy, so " +
			"policylint warns.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"PrincipalTag/team": "data"}}}`),
		Good: goodPolicy, Source: srcConditionElement,
	},
	{
		Code: "PL5022", Slug: "duplicate-condition-key", Severity: Warning, check: checkDuplicateConditionKey, AccessAnalyzer: "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
		Title: "a condition key given twice in one operator block, in different case",
		Rationale: "Condition key names are case-insensitive, so aws:PrincipalTag/team and aws:principaltag/team in one " +
			"block are one key with two lists of values, and which list IAM tests is not documented. Access Analyzer " +
			"reports it as an error; policylint warns, since AWS does not say that IAM rejects it. (The same key in the " +
			"same case is a duplicate JSON key, which duplicate-key reports.)",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data", "aws:principaltag/team": "ml"}}}`),
		Good: goodPolicy, Source: srcConditionElement,
	},
	{
		Code: "PL5023", Slug: "invalid-arn-account", Severity: Warning, check: checkInvalidARNAccount, AccessAnalyzer: "INVALID_ARN_ACCOUNT",
		Title: "a resource ARN whose account is not a 12-digit account ID",
		Rationale: "The account field of an ARN is a 12-digit account ID, empty for services whose ARNs have none (s3), " +
			"or aws for AWS's own resources. A mistyped one (11 digits, an alias) matches no resource, so the statement " +
			"grants nothing on it. Access Analyzer reports it as an error; IAM accepts the policy, so policylint warns.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:12345678901:table/tenants"}`),
		Good: goodPolicy, Source: srcARN,
	},
	{
		Code: "PL5024", Slug: "invalid-arn-region", Severity: Warning, check: checkInvalidARNRegion, AccessAnalyzer: "INVALID_ARN_REGION",
		Title: "a resource ARN whose region is not a Region code",
		Rationale: "The region field of an ARN is a Region code such as us-east-1, empty for global services, or a " +
			"wildcard. us-east1 or US-EAST-1 matches no resource. Access Analyzer reports it as an error (it also knows " +
			"which Regions each service is in, which policylint does not check); IAM accepts the policy, so policylint warns.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east1:123456789012:table/tenants"}`),
		Good: goodPolicy, Source: srcARN,
	},
	{
		Code: "PL5025", Slug: "arn-service-case", Severity: Warning, check: checkARNServiceCase, AccessAnalyzer: "INVALID_ARN_SERVICE_CASE",
		Title: "a resource ARN whose service is not in lower case",
		Rationale: "Service names in ARNs are lower case (dynamodb, not DynamoDB), and ARNs are matched case-sensitively, " +
			"so the ARN matches no resource. Access Analyzer reports it as an error; IAM accepts the policy, so policylint warns.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:DynamoDB:us-east-1:123456789012:table/tenants"}`),
		Good: goodPolicy, Source: srcARN,
	},
	{
		Code: "PL5026", Slug: "wildcard-service", Severity: Info, check: checkWildcardService, AccessAnalyzer: "WILDCARD_IN_SERVICE_NAME",
		Title: "a wildcard in the service prefix of an action or the service of an ARN",
		Rationale: "IAM accepts \"s*:GetObject\" and arn:aws:*code*:..., and they cover every service whose name matches, " +
			"including ones AWS adds later (more than a dozen services have code in their name). Access Analyzer makes " +
			"this a suggestion; so does policylint.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s*:GetObject", "Resource": "*"}`),
		Good: goodPolicy, Source: srcPolicyChecks,
	},
	{
		Code: "PL6001", Slug: "no-allow", Severity: Warning, check: checkNoAllow,
		Title: "no statement allows anything",
		Rationale: "A session's permissions are the intersection of the role's identity policies and the session " +
			"policies. A session policy with no Allow statement leaves the session with no permissions from " +
			"identity policies: STS accepts it, and every call the session makes is denied. With policy ARNs a deny-only " +
			"inline policy is a common design, the managed policies granting and the inline one taking away, so it is " +
			"not reported then.",
		Bad: `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
  ]
}
`,
		Good: goodPolicy, Source: srcSession,
	},
	rulePassRoleStar,
	ruleAllowNotAction,
	ruleAllowNotResource,
	ruleFullAdmin,
	ruleRedundantAction,
	ruleRedundantResource,
	{
		Code: "PL6008", Slug: "unknown-service", Severity: Warning, check: checkUnknownService, AccessAnalyzer: "INVALID_SERVICE_IN_ACTION", Catalog: true,
		Title: "an action whose service prefix is not in AWS's service reference",
		Rationale: "An action of a service that does not exist matches nothing, so a session scoped with it cannot do what it " +
			"was meant to. IAM accepts unknown services (AWS managed policies still name retired ones), and the " +
			"catalogue is always older than AWS, so this is a warning, with the closest prefix; a retired service gets " +
			"its own message. `policylint catalog update` fetches AWS's current reference.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": ["s4:GetObject", "deeplens:*"], "Resource": "*"}`),
		Good: goodPolicy, Source: srcServiceReference,
	},
	{
		Code: "PL6009", Slug: "unknown-action", Severity: Warning, check: checkUnknownAction, AccessAnalyzer: "INVALID_ACTION", Catalog: true,
		Title: "an action its service does not have, or a wildcard that matches none",
		Rationale: "Action names match case-insensitively, so s3:getobject is s3:GetObject, but s3:GetObjects is no action " +
			"and grants nothing. IAM accepts it, and the action may be newer than policylint's data, so this is a warning " +
			"with the closest action of the service by edit distance. Actions of services known only from the list of " +
			"newer action names are not judged, since that list is partial.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": ["s3:GetObjects", "s3:Get*Tags"], "Resource": "*"}`),
		Good: goodPolicy, Source: srcServiceReference,
	},
	{
		Code: "PL6010", Slug: "unknown-global-condition-key", Severity: Warning, check: checkUnknownGlobalKey, AccessAnalyzer: "INVALID_GLOBAL_CONDITION_KEY, UNSUPPORTED_GLOBAL_CONDITION_KEY",
		Title: "an aws: condition key that is not a global condition key",
		Rationale: "A condition on a key that no request has is decided as for an absent key: StringEquals is then never " +
			"true, StringNotEquals always. aws:PrincipleTag/team is a typo of aws:PrincipalTag/team; aws:ARN is no longer " +
			"supported. The list of global keys is the IAM User Guide's (with each key's type); AWS adds keys, so this is " +
			"a warning.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipleTag/team": "data"}}}`),
		Good: goodPolicy, Source: catalog.GlobalKeysSource,
	},
	{
		Code: "PL6011", Slug: "unknown-condition-key", Severity: Warning, check: checkUnknownConditionKey, AccessAnalyzer: "INVALID_SERVICE_CONDITION_KEY, INVALID_SERVICE", Catalog: true,
		Title: "a service condition key its service does not define",
		Rationale: "s3:prefixes is not an s3 condition key (s3:prefix is), so no request has it and the condition is decided " +
			"as for an absent key. Keys of identity providers (token.actions.githubusercontent.com:sub) belong to trust " +
			"policies and are not judged. A warning, because the key may be newer than policylint's data.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::tenant-a", "Condition": {"StringLike": {"s3:prefixes": "home/*"}}}`),
		Good: goodPolicy, Source: srcServiceReference,
	},
	{
		Code: "PL6012", Slug: "condition-operator-type", Severity: Warning, check: checkConditionOperatorType, AccessAnalyzer: "TYPE_MISMATCH", Catalog: true,
		Title: "a condition operator whose type does not fit the key's",
		Rationale: "Each condition key has a type (String, ARN, Numeric, Date, Bool, IPAddress), and each operator compares " +
			"one: IpAddress on a string key, a Numeric operator on aws:CurrentTime or Bool on s3:prefix does not compare " +
			"what the author meant. Access Analyzer reports it as a warning (TYPE_MISMATCH), and so does policylint. " +
			"String operators on ARN keys are arn-key-string-like's.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:PrincipalTag/office": "203.0.113.0/24"}}}`),
		Good: goodPolicy, Source: srcConditions,
	},
	{
		Code: "PL6013", Slug: "arn-key-string-like", Severity: Info, check: checkARNKeyStringLike, AccessAnalyzer: "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", Catalog: true,
		Title: "an ARN condition key compared with StringLike",
		Rationale: "For ARN keys such as aws:PrincipalArn and aws:SourceArn AWS recommends the Arn operators, which match " +
			"each field of the ARN on its own, over the String ones. StringEquals on an ARN is exact and not reported.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ci-*"}}}`),
		Good: goodPolicy, Source: catalog.GlobalKeysSource,
	},
	{
		Code: "PL6014", Slug: "missing-set-operator", Severity: Warning, check: checkMissingSetOperator, AccessAnalyzer: "MISSING_QUALIFIER", Catalog: true,
		Title: "a multivalued condition key without ForAnyValue: or ForAllValues:",
		Rationale: "Multivalued keys (aws:TagKeys, aws:PrincipalOrgPaths, the service reference's ArrayOf keys) hold a set " +
			"of values, and IAM compares sets with ForAllValues: (every value in the request is listed) or ForAnyValue: " +
			"(one is). Without one, what the condition tests is not what either says. Access Analyzer reports it as an " +
			"error; IAM accepts the policy, so policylint warns.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": ["team", "project"]}}}`),
		Good: goodPolicy, Source: srcMultiValued,
	},
	{
		Code: "PL6015", Slug: "set-operator-single-valued-key", Severity: Warning, check: checkSetOperatorSingleValued, AccessAnalyzer: "FORALLVALUES_WITH_SINGLE_VALUED_KEY", Catalog: true,
		Title: "ForAllValues: or ForAnyValue: on a single-valued condition key",
		Rationale: "Set operators are for multivalued keys. On a single-valued key, tag keys such as aws:RequestTag/team and " +
			"aws:PrincipalTag/team included, ForAllValues also matches when the key is absent, which can allow more than " +
			"intended (a security warning in Access Analyzer, and a warning here); ForAnyValue adds nothing (advice, and " +
			"info here). Whether a key is " +
			"single-valued comes from the IAM User Guide for global keys and from the service reference for the others.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalTag/team": ["data", "ml"]}}}`),
		Good: goodPolicy, Source: srcMultiValued,
	},
	{
		Code: "PL6016", Slug: "condition-key-unsupported", Severity: Warning, check: checkUnsupportedConditionKey, AccessAnalyzer: "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", Catalog: true,
		Title: "a condition key that none of the statement's actions has in its request context",
		Rationale: "A service key, or aws:ResourceTag, aws:RequestTag and aws:TagKeys, is in the request context only of " +
			"the actions the service reference lists it for (with the action or its resource types). When no action of " +
			"the statement has it, the condition is decided as for an absent key for every one of them: s3:prefix with " +
			"s3:GetObject makes StringLike never true, so the statement grants nothing. Global keys such as aws:SourceIp " +
			"are in every request and are not judged, nor are statements with \"*\" or NotAction. Access Analyzer also " +
			"reports actions that lack the key next to ones that have it; policylint reports only when none has it.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::tenant-a/*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}}`),
		Good: goodPolicy, Source: srcServiceReference,
	},
	{
		Code: "PL6017", Slug: "action-resource-mismatch", Severity: Warning, check: checkActionResourceMismatch, Catalog: true,
		Title: "an action that applies to none of the statement's resources",
		Rationale: "An action applies to resources of certain types, whose ARN formats the service reference gives (s3:GetObject " +
			"to objects, arn:aws:s3:::BUCKET/KEY), or, when it has none, only to \"Resource\": \"*\". When none of the " +
			"statement's resources can be of those types, the statement grants (or denies) nothing for the action: " +
			"s3:GetObject on arn:aws:s3:::tenant-a is the classic case, which needs arn:aws:s3:::tenant-a/*. Wildcard " +
			"actions are reported only when none of the actions they match applies. An action the reference gives no " +
			"resource type is reported as info, not a warning: that column is the only evidence, and AWS's own managed " +
			"policies often scope such actions to ARNs. Resources AWS owns that the reference's formats do not describe " +
			"(SSM's public documents and parameters, CloudFormation's transforms) are not judged.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::tenant-a"}`),
		Good: goodPolicy, Source: srcServiceReference,
	},
	{
		Code: "PL6018", Slug: "arn-no-resource-type", Severity: Warning, check: checkARNResourceType, Catalog: true,
		AccessAnalyzer: "INVALID_ARN_RESOURCE, ARN_REGION_NOT_ALLOWED, ARN_ACCOUNT_NOT_ALLOWED, MISSING_ARN_REGION",
		Title:          "a resource ARN that matches no resource type of its service",
		Rationale: "Every resource type has ARN formats in the service reference; an ARN that fits none of its service's " +
			"names no resource. The message says when the cause is a field the service's ARNs do not have (s3 ARNs " +
			"have no region or account) or always have. Access Analyzer reports these as errors; IAM accepts the policy, " +
			"so policylint warns.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:us-east-1::tenant-a/*"}`),
		Good: goodPolicy, Source: srcServiceReference,
	},
	{
		Code: "PL6019", Slug: "equivalent-to-null-false", Severity: Info, check: checkEquivalentToNullFalse, AccessAnalyzer: "EQUIVALENT_TO_NULL_FALSE",
		Title: "StringLike or ArnLike with the value \"*\"",
		Rationale: "\"*\" matches any value, so StringLike \"*\" only tests that the key is present: \"Null\": {KEY: \"false\"} " +
			"says so plainly, and a reader of the first may think it restricts the value. It is the most frequent Access " +
			"Analyzer finding on AWS's own managed policies. With ...IfExists or ForAllValues the condition is true " +
			"also for an absent key and restricts nothing at all, which policylint reports as a warning.",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}}`),
		Good: goodPolicy, Source: srcConditions,
	},
	{
		Code: "PL6020", Slug: "create-slr-star", Severity: Warning, check: checkCreateSLRStar,
		AccessAnalyzer: "CREATE_SLR_WITH_STAR_IN_RESOURCE, CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE, CREATE_SLR_WITH_NOT_RESOURCE, CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE, CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION, CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
		Title:          "iam:CreateServiceLinkedRole on \"Resource\": \"*\" or NotResource",
		Rationale: "iam:CreateServiceLinkedRole, granted by name, by a wildcard such as iam:* or by NotAction, on every " +
			"resource lets the session create the service-linked role of any service, which that service then uses with " +
			"its own permissions. Name the roles (arn:aws:iam::*:role/aws-service-role/SERVICE.amazonaws.com/*) or limit " +
			"the services with iam:AWSServiceName; a statement with a StringEquals or StringLike on iam:AWSServiceName is " +
			"not reported (whether Access Analyzer exempts it too is not documented).",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}`),
		Good: goodPolicy, Source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html",
	},
	{
		Code: "PL6021", Slug: "wildcard-without-like", Severity: Warning, check: checkWildcardWithoutLike, AccessAnalyzer: "WILDCARD_WITHOUT_LIKE_OPERATOR",
		Title: "a * or ? in a value of StringEquals or StringNotEquals",
		Rationale: "StringEquals and StringNotEquals (and their IgnoreCase forms) compare literally: \"data-*\" matches only " +
			"the text data-*. For a pattern, use StringLike or StringNotLike. (ArnEquals takes wildcards like ArnLike, so it " +
			"is not reported; ${*} and ${?} are the characters on purpose.)",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data-*"}}}`),
		Good: goodPolicy, Source: srcConditions,
	},
	{
		Code: "PL6022", Slug: "private-source-ip", Severity: Warning, check: checkPrivateSourceIP,
		AccessAnalyzer: "PRIVATE_IP_ADDRESS, PRIVATE_NOT_IP_ADDRESS, PRIVATE_IP_ADDRESS_SUBSET, PRIVATE_NOT_IP_ADDRESS_SUBSET",
		Title:          "a private address range compared with aws:SourceIp",
		Rationale: "aws:SourceIp holds the public address of a request, and is absent for requests through a VPC endpoint, " +
			"whose private address is aws:VpcSourceIp. A condition listing only private ranges (10.0.0.0/8, " +
			"192.168.0.0/16, fc00::/7, ...) never matches with IpAddress and always with NotIpAddress (Access Analyzer: an " +
			"error; IAM accepts the policy, so a warning); private ranges next to public ones have no effect (advice).",
		Bad:  statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}`),
		Good: goodPolicy, Source: catalog.GlobalKeysSource,
	},
	{
		Code: "PL9001", Slug: "rule-timeout", Severity: Error, scope: configScope,
		Title: "custom rules ran past their CPU budget on a document",
		Rationale: "Custom rules run in a worker process with a budget of CPU time per document (--rule-timeout, 2 seconds): " +
			"a rule that loops over a huge range is stopped and reported, never waited on, and a loaded machine does not " +
			"time out a cheap rule. The worker stops an evaluation itself between steps; a single built-in call that runs on " +
			"gets the worker killed by policylint. The rules' findings for that document are lost: make the rule cheaper, or " +
			"raise --rule-timeout. It cannot be disabled.",
		Bad:    "package main\n\ndeny contains msg if {\n\tcount([x | some x in numbers.range(1, 100000000)]) > 0\n\tmsg := \"never\"\n}\n",
		Good:   "package main\n\ndeny contains msg if {\n\tinput.Statement[_].Action == \"*\"\n\tmsg := \"no wildcard actions\"\n}\n",
		Source: "https://github.com/policylint/policylint#custom-rules",
	},
	{
		Code: "PL9002", Slug: "rule-error", Severity: Error, scope: configScope,
		Title: "a custom rule failed at run time, returned something that is not a finding, or crashed its worker",
		Rationale: "A rule whose evaluation fails (two values for a complete rule, a built-in error), whose result is not a " +
			"message string or an object with msg, or that makes its worker crash (out of memory: the worker's limit is " +
			"--rule-memory, 1 GiB; a stack overflow) is reported, so that a broken guardrail is never mistaken for a clean " +
			"policy. Every other finding is still reported. It cannot be disabled.",
		Bad:    "package main\n\ndeny contains 42 if true\n",
		Good:   "package main\n\ndeny contains \"always\" if false\n",
		Source: "https://github.com/policylint/policylint#custom-rules",
	},
	{
		Code: "PL9003", Slug: "rule-never-fires", Severity: Warning, scope: configScope,
		Title: "a custom rule can never fire: it reads what its input never has, or lies outside the namespaces evaluated",
		Rationale: "A rule written for another input fails silently: under the conftest contract input is the policy document, " +
			"so a rule that reads input.policy or input.statement never matches, and a rule in a package that is not an " +
			"evaluated namespace (main, as in conftest) never runs. policylint type-checks every rule against the schema of " +
			"its contract's input with OPA's type checker and reports each read that can never succeed at the rule's " +
			"file:row:col. A migration that silently drops every guardrail is the worst outcome a linter can have.",
		Bad:    "package main\n\ndeny contains \"admin\" if {\n\tinput.policy.Statement[_].Action == \"*\"\n}\n",
		Good:   "package main\n\ndeny contains \"admin\" if {\n\tinput.Statement[_].Action == \"*\"\n}\n",
		Source: "https://github.com/policylint/policylint#custom-rules",
	},
}

// RuleByName finds a rule by code or slug, ignoring case, or returns nil.
func RuleByName(name string) *Rule {
	for _, r := range Rules {
		if strings.EqualFold(r.Code, name) || strings.EqualFold(r.Slug, name) {
			return r
		}
	}
	return nil
}

// ExampleFile is the name the examples are linted under: base ("bad", "good") and the
// extension of File, or .json.
func (r *Rule) ExampleFile(base string) string {
	if r.File == "" {
		return base + ".json"
	}
	return base + filepath.Ext(r.File)
}

// Example returns the request under which Bad is reported.
func (r *Rule) Example() Request {
	return Request{PolicyARNs: r.BadARNs, InheritedTags: r.BadInherited}
}
