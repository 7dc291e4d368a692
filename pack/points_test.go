package pack

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// dataPoint is one record of the shared data points (docs/packed-datapoints.json
// and docs/packed-datapoints-exact.json) as a request this package can
// estimate. Where a source publishes the inputs only in part, the missing
// values are reconstructed here, deterministically, and the point says so;
// docs/packed-size.md lists every reconstruction.
type dataPoint struct {
	name  string // short name used in test output and docs
	grade string // A, B or C (D points are never used)
	// observed is the PackedPolicySize or the percentage in the error.
	observed float64
	// fit reports that the model is fitted to the point: every grade A point
	// with something to pack, and the grade B points whose reconstruction is
	// bounded.
	fit bool
	// sigma is the uncertainty, in points, that the reconstruction puts on
	// the point (0 for exact inputs): the fit weights it by 1/max(sigma, 1)²
	// and the band may miss it by up to sigma.
	sigma float64
	req   Request
	// recon describes what was reconstructed, or "" when the inputs are exact.
	recon string
	// match identifies the record in its shared file: the file ("exact" for
	// packed-datapoints-exact.json, "old" for packed-datapoints.json), its
	// operation, observed percent and number of tags.
	match string
}

// gftPolicy is the AWS CLI get-federation-token example policy ("Contents of
// myfile.json", reStructuredText indent removed, LF line endings).
const gftPolicy = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "ec2:Describe*",
            "Resource": "*"
        },
        {
            "Effect": "Allow",
            "Action": "elasticloadbalancing:Describe*",
            "Resource": "*"
        },
        {
            "Effect": "Allow",
            "Action": [
                "cloudwatch:ListMetrics",
                "cloudwatch:GetMetricStatistics",
                "cloudwatch:Describe*"
            ],
            "Resource": "*"
        },
        {
            "Effect": "Allow",
            "Action": "autoscaling:Describe*",
            "Resource": "*"
        }
    ]
}`

// pointA is the grade A point: 9 tags T1..T9, each 250 × "a", no policy.
func pointA() Request {
	var tags []Tag
	for i := 1; i <= 9; i++ {
		tags = append(tags, Tag{fmt.Sprintf("T%d", i), strings.Repeat("a", 250)})
	}
	return Request{Tags: tags}
}

// pointGFT is the grade B GetFederationToken CLI example.
func pointGFT() Request {
	return Request{Policy: gftPolicy, PolicyARNs: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}}
}

// randomText returns n characters of alphabet from a fixed-seed generator, so
// reconstructed random IDs are the same on every run.
func randomText(r *rand.Rand, n int, alphabet string) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

const (
	base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	hexDigits = "0123456789abcdef"
)

// metrARNs are the three customer-managed ARNs METR's code attaches, with the
// account and environment of METR's other data point.
var metrARNs = []string{
	"arn:aws:iam::724772072129:policy/dev4-hawk-common-session",
	"arn:aws:iam::724772072129:policy/dev4-hawk-scan-session",
	"arn:aws:iam::724772072129:policy/dev4-hawk-scan-read-slots",
}

// metrTags is job_id plus n slots holding 43-character random IDs (Python's
// token_urlsafe(32)).
func metrTags(n int) []Tag {
	r := rand.New(rand.NewPCG(1, 2))
	tags := []Tag{{"job_id", "scan-" + randomText(r, 12, "abcdefghijklmnopqrstuvwxyz0123456789")}}
	for i := 1; i <= n; i++ {
		tags = append(tags, Tag{fmt.Sprintf("slot_%d", i), randomText(r, 43, base64URL)})
	}
	return tags
}

// poppyPolicy compiles EC2 grants the way the AgentsPoppy broker does: one
// statement per grant, actions verbatim, tagged-as-self grants conditioned on
// the connection tag.
func poppyPolicy(grants [][]string) string {
	var stmts []string
	for i, actions := range grants {
		q := make([]string, len(actions))
		for j, a := range actions {
			q[j] = `"ec2:` + a + `"`
		}
		s := fmt.Sprintf(`{"Sid":"Grant%d","Effect":"Allow","Action":[%s],"Resource":"*"`, i, strings.Join(q, ","))
		if i == len(grants)-1 {
			s += `,"Condition":{"StringEquals":{"aws:ResourceTag/agentspoppy:connection":"conn-7f3c2a9e41b84d0f"}}`
		}
		stmts = append(stmts, s+"}")
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

var poppyTags = []Tag{
	{"agentspoppy:account", "123456789012"},
	{"agentspoppy:app", "com.vmpoppy.desktop"},
	{"agentspoppy:connection", "conn-7f3c2a9e41b84d0f"},
}

// poppy18 is VM-Poppy's shipped permission set (extension.json, 18 actions);
// compiled it is 736 characters, as the source reports.
var poppy18 = [][]string{
	{"DescribeInstances", "DescribeImages", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets"},
	{"RunInstances", "CreateSecurityGroup", "CreateKeyPair", "CreateTags"},
	{"TerminateInstances", "StopInstances", "StartInstances", "AuthorizeSecurityGroupIngress",
		"RevokeSecurityGroupEgress", "DeleteSecurityGroup", "DeleteKeyPair", "GetConsoleOutput", "GetPasswordData"},
}

// poppy31 is v0.1.1's 31 actions: the 18 plus 13 for volumes, key import and
// instance changes, the kinds the source names.
var poppy31 = [][]string{
	append(append([]string{}, poppy18[0]...), "DescribeVolumes", "DescribeKeyPairs", "DescribeInstanceTypes", "DescribeAvailabilityZones"),
	append(append([]string{}, poppy18[1]...), "ImportKeyPair", "CreateVolume"),
	append(append([]string{}, poppy18[2]...), "RebootInstances", "ModifyInstanceAttribute", "RevokeSecurityGroupIngress",
		"AuthorizeSecurityGroupEgress", "AttachVolume", "DetachVolume", "DeleteVolume"),
}

// crewPolicy is 42 short actions across CloudFormation, DynamoDB, S3, Lambda,
// IAM and Logs, one name-scoped statement per service (1,705 characters; the
// source reports 1,690).
func crewPolicy() string {
	grants := []struct {
		service  string
		actions  []string
		resource string
	}{
		{"cloudformation", []string{"CreateStack", "UpdateStack", "DeleteStack", "DescribeStacks", "DescribeStackEvents",
			"GetTemplate", "CreateChangeSet", "ExecuteChangeSet", "DescribeChangeSet", "DeleteChangeSet"},
			"arn:aws:cloudformation:eu-west-1:123456789012:stack/CrewPoppy*/*"},
		{"dynamodb", []string{"CreateTable", "DeleteTable", "DescribeTable", "UpdateTable", "TagResource", "GetItem", "PutItem", "Query"},
			"arn:aws:dynamodb:eu-west-1:123456789012:table/CrewPoppy*"},
		{"s3", []string{"CreateBucket", "DeleteBucket", "PutObject", "GetObject", "DeleteObject", "PutBucketTagging"},
			"arn:aws:s3:::crewpoppy-*"},
		{"lambda", []string{"CreateFunction", "DeleteFunction", "GetFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration",
			"AddPermission", "RemovePermission", "TagResource"},
			"arn:aws:lambda:eu-west-1:123456789012:function:CrewPoppy*"},
		{"iam", []string{"CreateRole", "DeleteRole", "GetRole", "PassRole", "PutRolePolicy", "DeleteRolePolicy"},
			"arn:aws:iam::123456789012:role/CrewPoppy*"},
		{"logs", []string{"CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy", "DescribeLogGroups"},
			"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/CrewPoppy*"},
	}
	var stmts []string
	for i, g := range grants {
		q := make([]string, len(g.actions))
		for j, a := range g.actions {
			q[j] = `"` + g.service + ":" + a + `"`
		}
		stmts = append(stmts, fmt.Sprintf(`{"Sid":"Grant%d","Effect":"Allow","Action":[%s],"Resource":"%s"}`, i, strings.Join(q, ","), g.resource))
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// polarisPolicy is the compact policy Polaris generates when creating a table
// under 14 nested 32-character namespaces: write, list (with prefix), bucket
// location and read statements over one location.
func polarisPolicy() string {
	r := rand.New(rand.NewPCG(3, 4))
	path := "catalog"
	for range 15 {
		path += "/" + randomText(r, 32, hexDigits)
	}
	const bucket = "arn:aws:s3:::my-very-long-s3-bucket"
	loc := bucket + "/" + path + "/*"
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"` + loc + `"},` +
		`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"` + bucket + `","Condition":{"StringLike":{"s3:prefix":"` + path + `/*"}}},` +
		`{"Effect":"Allow","Action":"s3:GetBucketLocation","Resource":"` + bucket + `"},` +
		`{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"` + loc + `"}]}`
}

// eksTags are the six EKS Pod Identity session tags with plausible values.
var eksTags = []Tag{
	{"eks-cluster-arn", "arn:aws:eks:us-west-2:111122223333:cluster/production-cluster"},
	{"eks-cluster-name", "production-cluster"},
	{"kubernetes-namespace", "payments"},
	{"kubernetes-service-account", "payments-api"},
	{"kubernetes-pod-name", "payments-api-7d9f8b6c5d-x2k4j"},
	{"kubernetes-pod-uid", "3f1c9a52-8b7e-4d21-9c6a-0e5f2b7d8a14"},
}

// githubTags are configure-aws-credentials' default session tags with
// plausible values, plus its droppable tags.
var githubTags = []Tag{
	{"GitHub", "Actions"},
	{"Repository", "example-org/payments-service"},
	{"Workflow", "deploy-production"},
	{"Action", "__run_2"},
	{"Actor", "octocat"},
	{"Commit", "3f786850e387550fdab836ed7e6dc881de23001b"},
	{"Branch", "refs/heads/main"},
	{"EventName", "push"},
	{"RunId", "16532781920"},
	{"Job", "deploy"},
	{"TriggeringActor", "octocat"},
}

// eksImmersion55 and eksImmersion61 are the session tags EKS Pod Identity
// passed in the two CloudTrail events of aws-samples/amazon-eks-security-
// immersion-day (all six transitive; 240 and 263 bytes of keys and values).
var (
	eksImmersion55 = []Tag{
		{"eks-cluster-arn", "arn:aws:eks:us-east-1:123456789012:cluster/eksworkshop-eksctl"},
		{"eks-cluster-name", "eksworkshop-eksctl"},
		{"kubernetes-namespace", "ns-a"},
		{"kubernetes-service-account", "sa1"},
		{"kubernetes-pod-name", "app1"},
		{"kubernetes-pod-uid", "91eee131-74f3-49d4-8f7c-bcde305c120b"},
	}
	eksImmersion61 = []Tag{
		{"eks-cluster-arn", "arn:aws:eks:us-west-2:823571991546:cluster/eksworkshop-eksctl"},
		{"eks-cluster-name", "eksworkshop-eksctl"},
		{"kubernetes-namespace", "app1"},
		{"kubernetes-service-account", "default"},
		{"kubernetes-pod-name", "app1-v1-56b9f94b4-dvd5c"},
		{"kubernetes-pod-uid", "376f3cff-44fe-4a00-b9d4-970555f311d3"},
	}
)

// skillBuilderPolicy is the inline policy of the AWS Skill Builder lab's
// AssumeRole, as CloudTrail logged it: 606 characters, 23 actions.
const skillBuilderPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudtrail:LookupEvents",` +
	`"cloudwatch:GetMetricData","codebuild:BatchGetBuilds","codebuild:ListBuilds","ec2:List*","ec2:Describe*",` +
	`"ec2:TerminateInstances","ec2:ModifyInstanceAttribute","ecs:List*","ecs:Describe*","ecs:StopTask",` +
	`"eks:ListClusters","eks:DescribeCluster","glue:ListJobs","glue:GetJob","cloudwatch:Get*","lambda:Get*",` +
	`"lambda:List*","lambda:DeleteFunction","sagemaker:DeleteMlflowTrackingServer",` +
	`"sagemaker:DescribeMlflowTrackingServer","sagemaker:ListMlflowTrackingServers",` +
	`"sagemaker:ListNotebookInstances"],"Resource":"*"}]}`

// exactPoints are the records of packed-datapoints-exact.json: real AWS
// results with exact inputs, all grade A.
func exactPoints() []dataPoint {
	return []dataPoint{
		{name: "localstack-policy", grade: "A", observed: 16, fit: true,
			req:   Request{Policy: `{"Version": "2012-10-17", "Statement": [{"Sid": "RestrictedAccess", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::example-bucket/*"]}]}`},
			match: "exact AssumeRole 16 0"},
		{name: "localstack-gft-empty", grade: "A", observed: 0,
			match: "exact GetFederationToken 0 0"},
		{name: "whodunnit-2-tags", grade: "A", observed: 2, fit: true,
			req: Request{Tags: []Tag{{"a", "a"}, {"b", "a"}}}, match: "exact AssumeRole 2 2"},
		{name: "whodunnit-3-tags", grade: "A", observed: 3, fit: true,
			req: Request{Tags: []Tag{{"b", "b"}, {"c", "b"}, {"d", "b"}}}, match: "exact AssumeRole 3 3"},
		{name: "skillbuilder-23-actions", grade: "A", observed: 64, fit: true,
			req: Request{Policy: skillBuilderPolicy}, match: "exact AssumeRole 64 0"},
		{name: "eks-pod-identity-55", grade: "A", observed: 55, fit: true,
			req: Request{Tags: eksImmersion55}, match: "exact AssumeRole 55 6"},
		{name: "eks-pod-identity-61", grade: "A", observed: 61, fit: true,
			req: Request{Tags: eksImmersion61}, match: "exact AssumeRole 61 6"},
		{name: "stratus-gft-allow-all", grade: "A", observed: 4, fit: true,
			req:   Request{Policy: "{\n\t\t\"Version\": \"2012-10-17\",\n\t\t\"Statement\": [\n\t\t\t{\n\t\t\t\t\"Effect\": \"Allow\",\n\t\t\t\t\"Action\": \"*\",\n\t\t\t\t\"Resource\": \"*\"\n\t\t\t}\n\t\t]\n\t}"},
			match: "exact GetFederationToken 4 0"},
	}
}

// dataPoints returns every grade A, B and C record of both shared files whose
// inputs are known or can be reconstructed: the exact records first.
func dataPoints() []dataPoint {
	return append(exactPoints(), oldPoints()...)
}

// oldPoints returns every grade A, B and C record of packed-datapoints.json
// whose inputs are known or can be reconstructed.
func oldPoints() []dataPoint {
	var slots40 []Tag
	for i := 1; i <= 40; i++ {
		slots40 = append(slots40, Tag{fmt.Sprintf("slot_%d", i), fmt.Sprintf("smoke-test-eval-set-with-long-name-%03d", i)})
	}
	return []dataPoint{
		{name: "tags-9x250a", grade: "A", observed: 498, fit: true, req: pointA(),
			match: "old AssumeRole 498 9"},
		{name: "gft-cli-example", grade: "B", observed: 36, fit: true, sigma: 2, req: pointGFT(),
			match: "old GetFederationToken 36 0"},
		{name: "eks-6-inherited", grade: "B", observed: 74, fit: true, sigma: 10, req: Request{InheritedTags: eksTags},
			recon: "tag values (keys are EKS's)", match: "old AssumeRole 74 6"},
		{name: "polaris-14-namespaces", grade: "B", observed: 118, fit: true, sigma: 15, req: Request{Policy: polarisPolicy()},
			recon: "statements 2-4 and the hex names, from Polaris's policy builder", match: "old AssumeRole 118 0"},
		{name: "vmpoppy-31-actions", grade: "B", observed: 118, fit: true, sigma: 10, req: Request{Policy: poppyPolicy(poppy31), Tags: poppyTags},
			recon: "13 of the 31 actions, tag values", match: "old AssumeRole 118 3"},
		{name: "crewpoppy-42-actions", grade: "B", observed: 157, fit: true, sigma: 15, req: Request{Policy: crewPolicy()},
			recon: "actions and resources (count and services are the source's)", match: "old AssumeRole 157 0"},
		{name: "github-actions-tags", grade: "B", observed: 142, req: Request{Tags: githubTags, InheritedTags: eksTags},
			recon: "tag values, droppable tags, inherited EKS tags (not fitted: the tag set itself is a guess)", match: "old AssumeRole 142 8"},
		{name: "metr-40-similar-tags", grade: "C", observed: 63,
			req: Request{
				Policy:     `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::dev4-metr-inspect-data"}]}`,
				PolicyARNs: []string{"arn:aws:iam::724772072129:policy/dev4-hawk-scan-read-slots"},
				Tags:       slots40,
			},
			match: "old AssumeRole 63 40"},
		{name: "metr-3-arns", grade: "C", observed: 14, req: Request{PolicyARNs: metrARNs},
			recon: "ARNs (from METR's code)", match: "old AssumeRole 14 0"},
		{name: "metr-3-arns-10-ids", grade: "C", observed: 87, req: Request{PolicyARNs: metrARNs, Tags: metrTags(10)},
			recon: "ARNs, job_id, random IDs", match: "old AssumeRole 87 11"},
		{name: "metr-3-arns-12-ids", grade: "C", observed: 100, req: Request{PolicyARNs: metrARNs, Tags: metrTags(12)},
			recon: "ARNs, job_id, random IDs", match: "old AssumeRole 100 13"},
		{name: "metr-3-arns-13-ids", grade: "C", observed: 105, req: Request{PolicyARNs: metrARNs, Tags: metrTags(13)},
			recon: "ARNs, job_id, random IDs", match: "old AssumeRole 105 14"},
		{name: "vmpoppy-18-actions", grade: "C", observed: 82, req: Request{Policy: poppyPolicy(poppy18), Tags: poppyTags},
			recon: "tag values (policy rebuilt from extension.json, 736 characters)", match: "old AssumeRole 82 3"},
		{name: "gft-allow-s3", grade: "C", observed: 5,
			req:   Request{Policy: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"},
			recon: `policy ("IAM - Allow S3.json": s3:* on *)`, match: "old GetFederationToken 5 0"},
	}
}
