package lint

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/jsonpos"
)

// TestValidPartition_AsRegexp pins validPartition to the regular expression it spells out.
func TestValidPartition_AsRegexp(t *testing.T) {
	partition := regexp.MustCompile(`^(aws(-[a-z]+)*|\*|\$\{.*\})$`)
	for _, in := range []string{"", ":", "aws", "aws-cn", "aws-us-gov", "aws-", "awsx", "aws--cn", "aws-iso-b", "*", "${aws:partition}", "${", "AWS", "aws-Cn", "aws-cn1", "é"} {
		if got, want := validPartition(in), partition.MatchString(in); got != want {
			t.Errorf("validPartition(%q) = %v, the expression says %v", in, got, want)
		}
	}
}

func TestSplitARN(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:s3:::tenant-a/*":                                      "aws|s3|||tenant-a/*",
		"arn:aws:dynamodb:${aws:RequestedRegion}:123456789012:t/x":     "aws|dynamodb|${aws:RequestedRegion}|123456789012|t/x",
		"arn:aws:logs:us-east-1:123456789012:log-group:a:log-stream:b": "aws|logs|us-east-1|123456789012|log-group:a:log-stream:b",
		"arn:aws:iam::${aws:PrincipalAccount}:role/${aws:username}":    "aws|iam||${aws:PrincipalAccount}|role/${aws:username}",
		"*":                     "",
		"arn:aws:s3":            "",
		"tenant-a/*":            "",
		"arn:aws:s3:::${a:b:c}": "aws|s3|||${a:b:c}",
	} {
		got := ""
		if a, ok := splitARN(in); ok {
			got = strings.Join([]string{a.partition, a.service, a.region, a.account, a.resource}, "|")
		}
		if got != want {
			t.Errorf("splitARN(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWhenAbsent(t *testing.T) {
	str := func(s string) []*jsonpos.Value { return []*jsonpos.Value{{Kind: jsonpos.String, Str: s}} }
	for _, tc := range []struct {
		op     string
		values []*jsonpos.Value
		want   bool
	}{
		{"StringEquals", str("x"), false}, {"StringNotEquals", str("x"), true}, {"StringLikeIfExists", str("x"), true},
		{"ForAllValues:StringEquals", str("x"), true}, {"ForAnyValue:StringEquals", str("x"), false},
		{"ForAnyValue:StringNotEquals", str("x"), false}, {"ArnNotLike", str("x"), true}, {"NotIpAddress", str("10.0.0.0/8"), true},
		{"IpAddress", str("10.0.0.0/8"), false}, {"Null", str("true"), true}, {"Null", str("false"), false},
		{"Null", []*jsonpos.Value{{Kind: jsonpos.Bool, Bool: true}}, true}, {"NumericLessThan", str("1"), false},
	} {
		set, base, ifExists := parseOperator(tc.op)
		e := condEntry{op: jsonpos.Member{Key: tc.op}, set: set, base: base, ifExists: ifExists, values: tc.values}
		if got := e.whenAbsent(); got != tc.want {
			t.Errorf("%s: whenAbsent = %v, want %v", tc.op, got, tc.want)
		}
	}
}

// TestPrivatePrefix pins the edges of each private range.
func TestPrivatePrefix(t *testing.T) {
	for in, want := range map[string]bool{
		"10.0.0.0/8": true, "10.255.255.255": true, "9.255.255.255": false, "11.0.0.0": false, "10.0.0.0/7": false,
		"172.15.255.255": false, "172.16.0.0": true, "172.31.255.255": true, "172.32.0.0": false, "172.16.0.0/12": true, "172.16.0.0/11": false,
		"192.168.0.0/16": true, "192.169.0.0": false, "127.0.0.1": true, "169.254.169.254": true, "100.64.0.0/10": true, "100.128.0.0": false,
		"203.0.113.0/24": false, "0.0.0.0/0": false, "fd00::/8": true, "fc00::/7": true, "fe80::1": true, "2001:db8::/32": false, "::1": true,
		"10.0.0.1/8": true,
	} {
		got, ok := privatePrefix(in)
		if !ok || got != want {
			t.Errorf("privatePrefix(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if _, ok := privatePrefix("office"); ok {
		t.Error("office parsed as an address")
	}
}

func TestWithoutVariables(t *testing.T) {
	for in, want := range map[string]string{
		"abc": "abc", "a${*}b": "a*b", "${?}${$}": "?$", "x${aws:username}": "", "${": "${", "a${*": "a${*",
	} {
		got, ok := withoutVariables(in)
		if want == "" && ok || want != "" && (!ok || got != want) {
			t.Errorf("withoutVariables(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestConditionType_Variables pins the condition-type fix: a value with a policy variable is
// checked where IAM substitutes it (an Arn operator needs arn: before the variable), and the
// escapes ${*}, ${?} and ${$} are the characters, not variables.
func TestConditionType_Variables(t *testing.T) {
	arn := func(v string) *jsonpos.Value { return &jsonpos.Value{Kind: jsonpos.String, Str: v} }
	for _, tc := range []struct {
		typ, value string
		bad        bool
	}{
		{"arn", "arn:aws:iam::${aws:PrincipalAccount}:role/x", false},
		{"arn", "${aws:SourceArn}", false},
		{"arn", "role-${aws:username}", true},
		{"numeric", "${*}", true},
		{"numeric", "1${$}", true},
		{"numeric", "${aws:MultiFactorAuthAge}", false}, // policy-variable reports it
		{"ip", "${?}", true},
		{"string", "${aws:username}", false},
	} {
		if got := conditionValueProblem(tc.typ, arn(tc.value)) != ""; got != tc.bad {
			t.Errorf("%s %q: reported %v, want %v", tc.typ, tc.value, got, tc.bad)
		}
	}
}

// lintRule lints a policy against a catalogue and returns the findings of one rule.
func lintRule(t *testing.T, cat *catalog.Catalog, slug, policy string) []Diagnostic {
	t.Helper()
	return only(lintWith(t, Config{Catalog: cat}, policy), slug)
}

// TestCatalog_Configured checks that the checks ask the configured catalogue, not the embedded
// one, that a service known only from the supplement is not judged action by action, and that
// the data's date is in the message.
func TestCatalog_Configured(t *testing.T) {
	cat := catalog.FromServices("2030-01-01", catalog.AWSSource, "", catalog.AddSupplement([]*catalog.Service{
		{Name: "tenant", Actions: []catalog.Action{{Name: "GetThing"}}},
	}, []string{"newsvc:DoThing"}))
	policy := func(actions ...string) string {
		return statementPolicy(fmt.Sprintf(`{"Effect": "Allow", "Action": ["%s"], "Resource": "*"}`, strings.Join(actions, `", "`)))
	}
	ds := lintRule(t, cat, "unknown-action", policy("tenant:GetThings", "tenant:getthing", "newsvc:Other", "s3:GetObject"))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `"tenant:GetThings" is not an action of tenant in AWS's service reference of 2030-01-01`) ||
		!strings.Contains(ds[0].Message, `did you mean "tenant:GetThing"?`) {
		t.Errorf("unknown-action: %+v", ds)
	}
	ds = lintRule(t, cat, "unknown-service", policy("s3:GetObject", "newsvc:Other"))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `names service "s3", which is not in AWS's service reference of 2030-01-01`) {
		t.Errorf("unknown-service: %+v", ds)
	}
}

// TestCatalog_Capped checks that a policy with many unknown actions gets 20 findings and a count,
// and that suggestions are computed only for those 20.
func TestCatalog_Capped(t *testing.T) {
	var actions []string
	for i := range 500 {
		actions = append(actions, fmt.Sprintf("s3:NoSuchAction%03d", i))
	}
	ds := lintRule(t, nil, "unknown-action", statementPolicy(fmt.Sprintf(`{"Effect": "Allow", "Action": ["%s"], "Resource": "*"}`, strings.Join(actions, `", "`))))
	if len(ds) != maxPerRule+1 || !strings.Contains(ds[maxPerRule].Message, "480 more unknown-action findings in this file are not reported one by one") {
		t.Errorf("%d findings, last %q", len(ds), ds[len(ds)-1].Message)
	}
}

// TestUnknownAction_Budget checks that wildcard actions past the matching budget are left
// unjudged: a policy of many distinct wildcards costs bounded time, and literal actions are still
// judged.
func TestUnknownAction_Budget(t *testing.T) {
	actions := []string{"s3:GetObjekt"}
	for i := range 20_000 {
		actions = append(actions, fmt.Sprintf("s3:*a%d*?", i))
	}
	actions = append(actions, "s3:PutObjekt")
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	pr := l.prepareFile("p.json", []byte(statementPolicy(fmt.Sprintf(`{"Effect": "Allow", "Action": ["%s"], "Resource": "*"}`, strings.Join(actions, `", "`)))))[0]
	p := &Pass{Doc: pr.policy, req: pr.req, cfg: &l.cfg, rule: RuleByName("unknown-action")}
	judged := 0
	p.eachResolved(func(_ string, v *jsonpos.Value, _ *resolved) { judged++ })
	if judged < 3 || judged >= len(actions) {
		t.Errorf("%d of %d actions judged", judged, len(actions))
	}
	if p.sem().steps > 0 {
		t.Errorf("%d steps left of the budget", p.sem().steps)
	}
	for _, a := range []string{"s3:GetObjekt", "s3:PutObjekt"} {
		if p.resolve(a) == nil {
			t.Errorf("%s unjudged", a)
		}
	}
}

// TestCap_TakesTheSeverityOfWhatItCounts: the finding that stands for findings past a rule's cap
// has the highest severity of those it counts, not the rule's default: 25 actions that only
// the reference's empty resource column says grant nothing on an ARN are info, and so is their
// count.
func TestCap_TakesTheSeverityOfWhatItCounts(t *testing.T) {
	var actions []string
	for _, a := range []string{"Instances", "Volumes", "Snapshots", "Images", "Subnets", "Vpcs", "SecurityGroups", "KeyPairs",
		"Addresses", "Regions", "AvailabilityZones", "Tags", "RouteTables", "NetworkInterfaces", "InternetGateways",
		"NatGateways", "LaunchTemplates", "InstanceTypes", "InstanceStatus", "VpcEndpoints", "NetworkAcls", "DhcpOptions",
		"AccountAttributes", "SpotInstanceRequests", "PlacementGroups"} {
		actions = append(actions, "ec2:Describe"+a)
	}
	policy := statementPolicy(fmt.Sprintf(`{"Effect": "Allow", "Action": ["%s"], "Resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"}`, strings.Join(actions, `", "`)))
	ds := lintRule(t, nil, "action-resource-mismatch", policy)
	if len(ds) != maxPerRule+1 || !strings.Contains(ds[maxPerRule].Message, "5 more action-resource-mismatch findings") {
		t.Fatalf("%d findings: %+v", len(ds), ds)
	}
	for _, d := range ds {
		if d.Severity != Info {
			t.Errorf("%s: %s, want info", d.Message, d.Severity)
		}
	}
	// One warning past the cap makes the count a warning.
	policy = statementPolicy(fmt.Sprintf(`{"Effect": "Allow", "Action": ["%s", "s3:GetObject"], "Resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"}`, strings.Join(actions, `", "`)))
	ds = lintRule(t, nil, "action-resource-mismatch", policy)
	if last := ds[len(ds)-1]; last.Severity != Warning || !strings.Contains(last.Message, "6 more") {
		t.Errorf("the count: %s %q, want a warning for 6", last.Severity, last.Message)
	}
}

// TestActionCache_ChargesTheBudget: a wildcard taken from the process's cache costs a pass the
// steps resolving it would, and is unjudged exactly when resolving it would run out of budget,
// so that no file's findings depend on the files linted before it.
func TestActionCache_ChargesTheBudget(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	pass := func(steps int) *Pass {
		p := &Pass{cfg: &l.cfg}
		p.sem().steps = steps
		return p
	}
	const action = "ec2:Describe*"
	truth := pass(actionBudget)
	want := truth.resolveAction(action)
	cost := actionBudget - truth.sem().steps
	if want == nil || cost <= 0 || len(want.actions) < 10 {
		t.Fatalf("%s: %v, %d steps", action, want, cost)
	}
	pass(actionBudget).resolveCached(action) // in the cache from here on
	for _, steps := range []int{-1, 0, cost - 1, cost, cost + 1, actionBudget} {
		cold, warm := pass(steps), pass(steps)
		rc, rw := cold.resolveAction(action), warm.resolveCached(action)
		cs, ws := cold.sem().steps, warm.sem().steps
		if (rc == nil) != (rw == nil) || (cs < 0) != (ws < 0) || (rc != nil && (cs != ws || len(rc.actions) != len(rw.actions))) {
			t.Errorf("budget %d: resolved %v, %d left; from the cache %v, %d left", steps, rc != nil, cs, rw != nil, ws)
		}
	}
	// A name that takes no steps is judged on any budget, from the cache as without it.
	for _, name := range []string{"s3:GetObject", "s3:GetObjekt", "nosuchservice:Get*"} {
		pass(actionBudget).resolveCached(name)
		cold, warm := pass(-1), pass(-1)
		if rc, rw := cold.resolveAction(name), warm.resolveCached(name); (rc == nil) != (rw == nil) {
			t.Errorf("%s with the budget spent: resolved %v, from the cache %v", name, rc != nil, rw != nil)
		}
	}
	// The cache keeps a copy of the value, not the slab chunk it was carved from.
	p := pass(actionBudget)
	name := fmt.Sprintf("s3:NoSuchAction%d", time.Now().UnixNano()) // not in the cache yet, even with -count
	r := p.resolveCached(name)
	if e, ok := actionCache.Load(exactKey{p.catalog(), name}); !ok || e.(cachedAction).r == r || &e.(cachedAction).r.services[0] != &e.(cachedAction).r.oneService[0] {
		t.Error("the cache holds the pass's own value, in its slab")
	}
	// A value no IAM action is near in length is resolved, not kept.
	long := "s3:" + strings.Repeat("Get", 100) + "*"
	if pass(actionBudget).resolveCached(long) == nil {
		t.Fatalf("%.20s… unresolved", long)
	}
	if _, kept := actionCache.Load(exactKey{pass(0).catalog(), long}); kept {
		t.Errorf("a %d-byte value was kept in the cache", len(long))
	}
}

// TestActionResourceMismatch_Budget checks that ARN matching gives up silently once its budget
// is spent: a hostile policy costs bounded time and gets no finding it has not earned.
func TestActionResourceMismatch_Budget(t *testing.T) {
	policy := statementPolicy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::tenant-a"}`)
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, budget := range []int{overlapBudget, 0} {
		pr := l.prepareFile("p.json", []byte(policy))[0]
		p := &Pass{Doc: pr.policy, req: pr.req, cfg: &l.cfg, rule: RuleByName("action-resource-mismatch")}
		p.sem().overlapBudget = budget
		checkActionResourceMismatch(p)
		if want := budget > 0; (len(p.diags) == 1) != want {
			t.Errorf("budget %d: %d findings", budget, len(p.diags))
		}
	}
	// The steps one pair of patterns takes are bounded by the product of their lengths.
	m := catalog.NewMatcher(overlapBudget)
	m.Overlap("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::"+strings.Repeat("*a", 1000))
	if spent := overlapBudget - m.Budget; spent > 60*2002 {
		t.Errorf("one overlap took %d steps", spent)
	}
}

// TestARNService checks the service field of ARN formats: lower-cased, a variable kept whole
// (its colons do not end the field), and every format of the embedded catalogue has one.
func TestARNService(t *testing.T) {
	for format, want := range map[string]string{
		"arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}/${RecoveryPointId}": "${vendor}",
		"arn:aws:S3:::b": "s3",
		"arn:${Partition:aws}:execute-api:r:a:x/y": "execute-api",
		"arn:aws": "",
	} {
		if got := arnService(format); got != want {
			t.Errorf("arnService(%q) = %q, want %q", format, got, want)
		}
	}
	c := catalog.Embedded()
	for _, name := range c.Names() {
		if svc := c.Service(name); svc != nil {
			for _, r := range svc.Resources {
				for _, f := range r.ARNFormats {
					if arnService(f) == "" {
						t.Errorf("%s format %q has no service field", name, f)
					}
				}
			}
		}
	}
}
