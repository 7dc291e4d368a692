package lint

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// defaultLinter is one Linter of Config{} for every test that needs no other: New compiles the
// Rego rules, which is most of a test's time.
var defaultLinter = sync.OnceValues(func() (*Linter, error) { return New(Config{}) })

// lintWith lints one file under cfg and returns every finding.
func lintWith(t *testing.T, cfg Config, src string) []Diagnostic {
	t.Helper()
	l, err := defaultLinter()
	if !reflect.DeepEqual(cfg, Config{}) {
		l, err = New(cfg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return all(l.Lint("r.json", []byte(src)))
}

// only keeps the findings of slug.
func only(ds []Diagnostic, slug string) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Rule == slug {
			out = append(out, d)
		}
	}
	return out
}

func TestRoleARNFormat(t *testing.T) {
	long := strings.Repeat("n", 64)
	tests := []struct {
		arn  string
		want string // "" none, else the severity
	}{
		{"arn:aws:iam::123456789012:role/r", ""},
		{"arn:aws-cn:iam::123456789012:role/path/to/r", ""},
		{"arn:aws-us-gov:iam::123456789012:role/a+b=c,d.e@f-g_h", ""},
		{"arn:aws-iso-b:iam::123456789012:role/service-role/r", ""},
		{"arn:aws:iam::123456789012:role/" + long, ""},
		{"arn:aws:iam::123456789012:role/" + long + "n", "error"},
		{"arn:aws:iam::123456789012:role/a b", "error"},
		{"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", "error"},
		{"arn:aws:iam::123456789012:saml-provider/corp", "error"},
		{"arn:aws:iam::123456789012:user/u", "error"},
		{"arn:aws:sts::123456789012:assumed-role/r/s", "error"},
		{"arn:aws:iam::12345678901:role/r", "error"},
		{"arn:aws:iam::1234567890123:role/r", "error"},
		{"arn:azure:iam::123456789012:role/r", "error"},
		{"arn:aws:iam::123456789012:role/r\n", "error"},
		{" arn:aws:iam::123456789012:role/r", "error"},
		{"not-an-arn-but-long-enough", "error"},
		{"arn:aws:iam:us-east-1:123456789012:role/r", "warning"},
		{"arn:aws:iam::123", ""},                   // param-length's
		{"${{ vars.ROLE_ARN_OF_THE_TENANT }}", ""}, // unrendered-template's
		{"file://role-arn-of-the-tenant.txt", ""},  // request-file-uri's
	}
	for _, tt := range tests {
		ds := only(lintWith(t, Config{}, string(mustJSON(t, with(base(AssumeRole), "RoleArn", tt.arn)))), "role-arn-format")
		got := ""
		if len(ds) > 1 {
			t.Errorf("%q: %d findings", tt.arn, len(ds))
		}
		if len(ds) == 1 {
			got = ds[0].Severity.String()
		}
		if got != tt.want {
			t.Errorf("RoleArn %q: %q, want %q (%v)", tt.arn, got, tt.want, ds)
		}
	}
	// --role-arn is checked the same way.
	ds := only(lintWith(t, Config{Request: Request{RoleARN: "arn:aws:iam::123456789012:user/ci-user"}}, goodPolicy), "role-arn-format")
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "--role-arn") {
		t.Errorf("--role-arn: %v", ds)
	}
}

func TestPrincipalARNFormat(t *testing.T) {
	for arn, want := range map[string]int{
		"arn:aws:iam::123456789012:saml-provider/corp-idp":      0,
		"arn:aws-cn:iam::123456789012:saml-provider/Corp_IdP.1": 0,
		"arn:aws:iam::123456789012:oidc-provider/idp.example":   1,
		"arn:aws:iam::123456789012:role/analyst":                1,
		"arn:aws:iam::123456789012:saml-provider/a/b":           1,
	} {
		ds := only(lintWith(t, Config{}, string(mustJSON(t, with(base(AssumeRoleWithSAML), "PrincipalArn", arn)))), "principal-arn-format")
		if len(ds) != want {
			t.Errorf("PrincipalArn %q: %v, want %d", arn, ds, want)
		}
	}
}

func TestPolicyARNAccount_Partition(t *testing.T) {
	tests := []struct {
		role, policy string
		want         bool
	}{
		{"arn:aws-cn:iam::123456789012:role/r", "arn:aws:iam::aws:policy/ReadOnlyAccess", true},
		{"arn:aws-cn:iam::123456789012:role/r", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", false},
		{"arn:aws-cn:iam::123456789012:role/r", "arn:aws-cn:iam::123456789012:policy/p", false},
		{"arn:aws:iam::123456789012:role/r", "arn:aws-us-gov:iam::123456789012:policy/p", true},
		{"arn:aws:iam::123456789012:role/r", "arn:aws:iam::210987654321:policy/p", true},
		{"arn:aws:iam::123456789012:role/r", "arn:aws:iam::aws:policy/ReadOnlyAccess", false},
	}
	for _, tt := range tests {
		req := with(with(base(AssumeRole), "RoleArn", tt.role), "PolicyArns", []map[string]string{{"arn": tt.policy}})
		if ds := only(lintWith(t, Config{}, string(mustJSON(t, req))), "policy-arn-account"); (len(ds) == 1) != tt.want {
			t.Errorf("%s with %s: %v, want %v", tt.role, tt.policy, ds, tt.want)
		}
	}
}

func TestChainedDuration_Boundaries(t *testing.T) {
	for _, tt := range []struct {
		req     Request
		op      Operation
		seconds int
		want    int
	}{
		{Request{Chained: true}, AssumeRole, 3599, 0},
		{Request{Chained: true}, AssumeRole, 3600, 0},
		{Request{Chained: true}, AssumeRole, 3601, 1},
		{Request{Chained: true}, AssumeRole, 43200, 1},
		{Request{Chained: true}, AssumeRole, 43201, 0}, // param-range's
		{Request{InheritedTags: []Tag{{"team", "a"}}}, AssumeRole, 3601, 1},
		{Request{}, AssumeRole, 7200, 0},
		{Request{Chained: true}, GetFederationToken, 7200, 0},
		{Request{Chained: true}, AssumeRoleWithWebIdentity, 7200, 0},
	} {
		src := string(mustJSON(t, with(base(tt.op), "DurationSeconds", tt.seconds)))
		if ds := only(lintWith(t, Config{Request: tt.req}, src), "chained-duration"); len(ds) != tt.want {
			t.Errorf("%s %d with %+v: %v, want %d", tt.op, tt.seconds, tt.req, ds, tt.want)
		}
	}
	// Flags too: --chained with --duration-seconds.
	if ds := only(lintWith(t, Config{Request: Request{Chained: true, DurationSeconds: 7200}}, goodPolicy), "chained-duration"); len(ds) != 1 {
		t.Errorf("--chained --duration-seconds 7200: %v", ds)
	}
}

func TestTagInheritedConflict(t *testing.T) {
	req := with(base(AssumeRole), "Tags", []map[string]string{{"Key": "Team", "Value": "x"}, {"Key": "project", "Value": "y"}})
	inherited := []Tag{{"team", "a"}, {"cost-center", "b"}}
	ds := only(lintWith(t, Config{Request: Request{InheritedTags: inherited}}, string(mustJSON(t, req))), "tag-inherited-conflict")
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `"Team"`) {
		t.Errorf("AssumeRole: %v", ds)
	}
	// --tag flags with a policy file.
	ds = only(lintWith(t, Config{Request: Request{Tags: []Tag{{"TEAM", "x"}}, InheritedTags: inherited}}, goodPolicy), "tag-inherited-conflict")
	if len(ds) != 1 {
		t.Errorf("--tag: %v", ds)
	}
	// Without inherited tags nothing conflicts.
	if ds := only(lintWith(t, Config{Request: Request{Chained: true}}, string(mustJSON(t, req))), "tag-inherited-conflict"); len(ds) != 0 {
		t.Errorf("no inherited tags: %v", ds)
	}
}

func TestTagReserved_KeysAndValues(t *testing.T) {
	tags := []map[string]string{{"Key": "aws:a", "Value": "x"}, {"Key": "b", "Value": "AWS:x"}, {"Key": "c", "Value": "aws"}, {"Key": "d", "Value": "x aws:"}}
	ds := only(lintWith(t, Config{}, string(mustJSON(t, with(base(AssumeRole), "Tags", tags)))), "tag-reserved")
	if len(ds) != 2 {
		t.Errorf("got %v, want the key aws:a and the value AWS:x", ds)
	}
}

func TestDuplicateKey_RequestFileWarnsAndJudgesTheLast(t *testing.T) {
	src := `{"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "bad name", "RoleSessionName": "good-name"}`
	ds := lintWith(t, Config{}, src)
	dup := only(ds, "duplicate-key")
	if len(dup) != 1 || dup[0].Severity != Warning {
		t.Errorf("duplicate-key: %v", dup)
	}
	if p := only(ds, "param-pattern"); len(p) != 0 {
		t.Errorf("the shadowed value is judged: %v", p)
	}
	// The value sent is the last one, and is judged.
	src = `{"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "good-name", "RoleSessionName": "bad name"}`
	if p := only(lintWith(t, Config{}, src), "param-pattern"); len(p) != 1 {
		t.Errorf("the value sent is not judged: %v", p)
	}
	// Inside a nested object too.
	src = `{"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s1", "Tags": [{"Key": "a b!", "Key": "ok", "Value": "v"}]}`
	if p := only(lintWith(t, Config{}, src), "param-pattern"); len(p) != 0 {
		t.Errorf("a shadowed tag key is judged: %v", p)
	}
	// Inside the policy it stays an error.
	policy := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Action": "s3:*"}]}`
	req := string(mustJSON(t, with(base(AssumeRole), "Policy", policy)))
	if dup := only(lintWith(t, Config{}, req), "duplicate-key"); len(dup) != 1 || dup[0].Severity != Error {
		t.Errorf("in the policy: %v", dup)
	}
}

func TestDuration_IntegersBeyond64Bits(t *testing.T) {
	for lit, want := range map[string]string{
		"9223372036854775807":    "param-range",
		"9223372036854775808":    "param-range",
		"-9223372036854775809":   "param-range",
		strings.Repeat("9", 500): "param-range",
		"3600.0":                 "param-type",
		"1e3":                    "param-type",
		`"3600"`:                 "param-type",
	} {
		src := `{"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s1", "DurationSeconds": ` + lit + `}`
		ds := lintWith(t, Config{}, src)
		if len(ds) != 1 || ds[0].Rule != want {
			t.Errorf("DurationSeconds %.30s: %v, want one %s", lit, ds, want)
		}
		if len(ds) == 1 && len(ds[0].Message) > 200 {
			t.Errorf("DurationSeconds %.30s: message of %d bytes", lit, len(ds[0].Message))
		}
	}
}

// crlfPolicy is a valid policy with CR LF line ends of exactly n characters as the AWS CLI sends
// it (LF), and n plus its number of lines as written.
func crlfPolicy(t *testing.T, n int) string {
	t.Helper()
	head := "{\r\n\"Version\":\"2012-10-17\",\r\n\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
	tail := "\"}]\r\n}\r\n"
	sent := len(strings.ReplaceAll(head+tail, "\r\n", "\n"))
	if n < sent {
		t.Fatalf("cannot make a policy of %d characters", n)
	}
	return head + strings.Repeat("a", n-sent) + tail
}

func TestPolicyLength_CRLFCountsAsSent(t *testing.T) {
	for _, tt := range []struct {
		sent int
		want string // severity, "" for none
	}{
		{2040, ""}, // 2,044 written: no finding
		{2045, "warning"},
		{2048, "warning"},
		{2049, "error"},
	} {
		src := crlfPolicy(t, tt.sent)
		ds := only(lintWith(t, Config{}, src), "policy-length")
		got := ""
		if len(ds) == 1 {
			got = ds[0].Severity.String()
		}
		if len(ds) > 1 || got != tt.want {
			t.Errorf("%d characters sent, %d written: %v, want %q", tt.sent, len(src), ds, tt.want)
		}
	}
	// The error starts at the first character past the limit as sent.
	src := crlfPolicy(t, 2049)
	ds := only(lintWith(t, Config{}, src), "policy-length")
	if len(ds) == 1 && ds[0].Range.Start.Offset != len(src)-len("\r\n") { // the 2,049th is the last LF
		t.Errorf("error starts at offset %d of %d", ds[0].Range.Start.Offset, len(src))
	}
	// A policy in a request file's string is sent as written: CR LF there is two characters.
	req := string(mustJSON(t, with(base(AssumeRole), "Policy", crlfPolicy(t, 2045))))
	if ds := only(lintWith(t, Config{}, req), "policy-length"); len(ds) != 1 || ds[0].Severity != Error {
		t.Errorf("CR LF in a Policy string: %v", ds)
	}
}

func TestNoAllow_SilentWithPolicyARNs(t *testing.T) {
	deny := `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}`
	if ds := only(lintWith(t, Config{}, deny), "no-allow"); len(ds) != 1 {
		t.Errorf("without ARNs: %v", ds)
	}
	if ds := only(lintWith(t, Config{Request: Request{PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}, deny), "no-allow"); len(ds) != 0 {
		t.Errorf("with --policy-arn: %v", ds)
	}
	req := with(with(base(AssumeRole), "Policy", deny), "PolicyArns", []map[string]string{{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}})
	if ds := only(lintWith(t, Config{}, string(mustJSON(t, req))), "no-allow"); len(ds) != 0 {
		t.Errorf("with PolicyArns: %v", ds)
	}
}

// TestSkeleton_OneFindingPerPlaceholder: an untouched --generate-cli-skeleton file gets exactly
// one finding per empty value, each at its own place, saying to fill it in.
func TestSkeleton_OneFindingPerPlaceholder(t *testing.T) {
	for name, tt := range map[string]struct {
		src          string
		placeholders int
	}{
		"assume-role": {`{"RoleArn": "", "RoleSessionName": "", "PolicyArns": [{"arn": ""}], "Policy": "", "DurationSeconds": 0,
			"Tags": [{"Key": "", "Value": ""}], "TransitiveTagKeys": [""], "ExternalId": "", "SerialNumber": "", "TokenCode": "",
			"SourceIdentity": "", "ProvidedContexts": [{"ProviderArn": "", "ContextAssertion": ""}]}`, 13},
		"web-identity": {`{"RoleArn": "", "RoleSessionName": "", "WebIdentityToken": "", "ProviderId": "", "PolicyArns": [{"arn": ""}], "Policy": "", "DurationSeconds": 0}`, 7},
		"saml":         {`{"RoleArn": "", "PrincipalArn": "", "SAMLAssertion": "", "PolicyArns": [{"arn": ""}], "Policy": "", "DurationSeconds": 0}`, 6},
		"federation":   {`{"Name": "", "Policy": "", "PolicyArns": [{"arn": ""}], "DurationSeconds": 0, "Tags": [{"Key": "", "Value": ""}]}`, 5},
	} {
		ds := lintWith(t, Config{}, tt.src)
		at := map[int]bool{}
		for _, d := range ds {
			if at[d.Range.Start.Offset] {
				t.Errorf("%s: two findings at offset %d: %v", name, d.Range.Start.Offset, ds)
			}
			at[d.Range.Start.Offset] = true
			if !strings.Contains(d.Message, "--generate-cli-skeleton") {
				t.Errorf("%s: %s does not name the skeleton: %s", name, d.Rule, d.Message)
			}
		}
		if len(ds) != tt.placeholders {
			t.Errorf("%s: %d findings, want %d: %v", name, len(ds), tt.placeholders, ds)
		}
	}
}

// TestUnrenderedTemplate_OneFindingEach: every placeholder is one finding at its own range,
// quoted whole, and no other rule reports the values that hold one.
func TestUnrenderedTemplate_OneFindingEach(t *testing.T) {
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${{ env.BUCKET }}/{{ .Tenant }}/*"}]}`
	src := string(mustJSON(t, map[string]any{
		"RoleArn":          "${{ secrets.ROLE_ARN }}",
		"RoleSessionName":  "{{ .Session }}",
		"WebIdentityToken": "${{ steps.oidc.outputs.token }}",
		"Policy":           policy,
		"DurationSeconds":  "{{ .Duration }}",
		"PolicyArns":       []map[string]string{{"arn": "arn:aws:iam::{{ .Account }}:policy/p"}},
		"ProviderId":       "{{ .Provider }}",
	}))
	ds := lintWith(t, Config{}, src)
	want := []string{"${{ secrets.ROLE_ARN }}", "{{ .Session }}", "${{ steps.oidc.outputs.token }}", "${{ env.BUCKET }}", "{{ .Tenant }}", "{{ .Duration }}", "{{ .Account }}", "{{ .Provider }}"}
	if len(ds) != len(want) {
		t.Fatalf("%d findings, want %d: %v", len(ds), len(want), ds)
	}
	for _, w := range want {
		found := false
		for _, d := range ds {
			found = found || d.Rule == "unrendered-template" && strings.Contains(d.Message, `"`+w+`"`)
		}
		if !found {
			t.Errorf("no finding quotes %s: %v", w, ds)
		}
	}
	for _, d := range ds {
		wantSev := Warning
		if strings.Contains(d.Message, "GitHub") {
			wantSev = Error
		}
		if d.Severity != wantSev {
			t.Errorf("%s: severity %s", d.Message, d.Severity)
		}
		if quoted := src[d.Range.Start.Offset:d.Range.End.Offset]; !strings.Contains(d.Message, quoted) {
			t.Errorf("range %q is not the quoted placeholder: %s", quoted, d.Message)
		}
	}
	// A placeholder where JSON expects a value is one finding, not a syntax error too.
	ds = lintWith(t, Config{}, "{\"Version\": \"2012-10-17\", \"Statement\": {{ .Statements }}}")
	if len(ds) != 1 || ds[0].Rule != "unrendered-template" {
		t.Errorf("unquoted placeholder: %v", ds)
	}
}

func TestRequestFileURI(t *testing.T) {
	read := func(string) ([]byte, error) { return []byte(goodPolicy), nil }
	for _, tt := range []struct {
		param string
		value any
		sev   string
	}{
		{"Policy", "file://tenant.json", "error"},
		{"Policy", "fileb://tenant.json", "error"},
		{"RoleArn", "file://role-arn.txt", "error"},
		{"RoleSessionName", "file://name.txt", "error"},
		{"ExternalId", "file://external-id.txt", "warning"},
		{"Tags", []map[string]string{{"Key": "k", "Value": "file://v.txt"}}, "warning"},
	} {
		ds := lintWith(t, Config{ReadFile: read}, string(mustJSON(t, with(base(AssumeRole), tt.param, tt.value))))
		if len(ds) != 1 || ds[0].Rule != "request-file-uri" || ds[0].Severity.String() != tt.sev {
			t.Errorf("%s %v: %v, want one %s request-file-uri", tt.param, tt.value, ds, tt.sev)
		}
	}
	// Advice never says to write file:// in the request file, and names the command-line option.
	ds := lintWith(t, Config{ReadFile: read}, string(mustJSON(t, with(base(AssumeRoleWithSAML), "SAMLAssertion", "file://assertion.b64"))))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, `--saml-assertion "file://assertion.b64" on the command line`) {
		t.Errorf("SAMLAssertion: %v", ds)
	}
}

// TestPolicyFile_NeverShowsAFileThatIsNotAPolicy: the file a file:// Policy names is linted only
// when it is a JSON policy; otherwise nothing of it is printed.
func TestPolicyFile_NeverShowsAFileThatIsNotAPolicy(t *testing.T) {
	const secret = "PLANTED-SECRET-7f3a9c"
	for name, content := range map[string]string{
		"text":             "token=" + secret + "\n",
		"JSON, no policy":  `{"Version": 1, "AccessKeyId": "AKIA", "SecretAccessKey": "` + secret + `"}`,
		"broken JSON":      `{"Statement": [` + secret,
		"a JSON string":    `"` + secret + `"`,
		"Statement inside": `{"x": {"Statement": "` + secret + `"}}`,
	} {
		read := func(string) ([]byte, error) { return []byte(content), nil }
		l, err := New(Config{ReadFile: read})
		if err != nil {
			t.Fatal(err)
		}
		results := l.Lint("r.json", mustJSON(t, with(base(AssumeRole), "Policy", "file://notes.txt")))
		if len(results) != 1 {
			t.Errorf("%s: the file got its own result", name)
		}
		for _, d := range all(results) {
			if strings.Contains(d.Message, secret) {
				t.Errorf("%s: %s shows the file: %s", name, d.Rule, d.Message)
			}
		}
		if ds := only(all(results), "policy-file"); len(ds) != 1 || ds[0].Severity != Warning {
			t.Errorf("%s: policy-file %v", name, ds)
		}
	}
	// An unreadable file is named with the cause only.
	read := func(string) ([]byte, error) {
		return nil, &os.PathError{Op: "open", Path: "/x/notes.txt", Err: errors.New("no such file or directory")}
	}
	ds := only(lintWith(t, Config{ReadFile: read}, string(mustJSON(t, with(base(AssumeRole), "Policy", "file://notes.txt")))), "policy-file")
	if len(ds) != 1 || !strings.HasSuffix(ds[0].Message, ": no such file or directory") || strings.Contains(ds[0].Message, "/x/") {
		t.Errorf("unreadable: %v", ds)
	}
}

func TestCharsetAdvice_EscapedForWhereThePolicyIs(t *testing.T) {
	policy := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a–b/*"}]}`
	file := only(lintWith(t, Config{}, policy), "policy-charset")
	req := only(lintWith(t, Config{}, string(mustJSON(t, with(base(AssumeRole), "Policy", policy)))), "policy-charset")
	if len(file) != 1 || !strings.HasSuffix(file[0].Message, `write it as \u2013`) {
		t.Errorf("policy file: %v", file)
	}
	if len(req) != 1 || !strings.Contains(req[0].Message, `write it as \\u2013 in the request file`) {
		t.Errorf("request file: %v", req)
	}
}

// jwtWith is a token whose payload is claims.
func jwtWith(t *testing.T, claims map[string]any) string {
	t.Helper()
	return exampleJWT(goodTokenHeader, string(mustJSON(t, claims)))
}

func TestTokenExpired_NoOverflow(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for exp, want := range map[string]int{
		strconv.FormatInt(math.MaxInt64, 10):   0,
		strconv.FormatInt(now.Unix()+1, 10):    0,
		strconv.FormatInt(now.Unix(), 10):      1,
		"1":                                    1,
		strconv.FormatInt(math.MinInt64, 10):   1,
		strconv.FormatInt(253402300800, 10):    0, // past year 9999
		strconv.FormatInt(-62135596801, 10):    1, // before year 1
		strconv.FormatInt(now.Unix()-3600, 10): 1,
	} {
		token := exampleJWT(goodTokenHeader, `{"iss":"https://idp.example.com","sub":"ci","exp":`+exp+`}`)
		ds := only(lintWith(t, Config{Now: now}, webIdentityRequest(token, "")), "token-expired")
		if len(ds) != want {
			t.Errorf("exp %s: %v, want %d", exp, ds, want)
		}
	}
}

func TestSAMLExpired_Boundaries(t *testing.T) {
	issued := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	notOnOrAfter := issued.Add(5 * time.Minute)
	req := samlRequestIssued(issued.Format(time.RFC3339), `<saml:Conditions NotOnOrAfter="`+notOnOrAfter.Format(time.RFC3339)+`"/>`,
		goodSAMLRole+goodSAMLName, issued.Add(8*time.Hour).Format(time.RFC3339), "")
	for _, tt := range []struct {
		now  time.Time
		want int
	}{
		{issued, 0},
		{notOnOrAfter.Add(-time.Second), 0},
		{notOnOrAfter, 1},
		{notOnOrAfter.Add(time.Hour), 1},
	} {
		if ds := only(lintWith(t, Config{Now: tt.now}, req), "saml-expired"); len(ds) != tt.want {
			t.Errorf("at %s: %v, want %d", tt.now, ds, tt.want)
		}
	}
	// Without NotOnOrAfter, the 5 minutes STS has been seen to allow after IssueInstant.
	req = samlRequestIssued(issued.Format(time.RFC3339), "", goodSAMLRole+goodSAMLName, issued.Add(8*time.Hour).Format(time.RFC3339), "")
	for _, tt := range []struct {
		now  time.Time
		want int
	}{{issued.Add(5 * time.Minute), 0}, {issued.Add(5*time.Minute + time.Second), 1}} {
		if ds := only(lintWith(t, Config{Now: tt.now}, req), "saml-expired"); len(ds) != tt.want {
			t.Errorf("at %s without NotOnOrAfter: %v, want %d", tt.now, ds, tt.want)
		}
	}
}

func TestFlattenedTokenTags_GetEveryTagCheck(t *testing.T) {
	token := jwtWith(t, map[string]any{
		"sub": "ci", "exp": 4100000000,
		"https://aws.amazon.com/tags/principal_tags/aws:team": "data",
		"https://aws.amazon.com/tags/principal_tags/Owner":    "aws:x",
		"https://aws.amazon.com/tags/principal_tags/owner":    "y",
		"https://aws.amazon.com/tags/transitive_tag_keys":     []string{"nobody"},
	})
	ds := lintWith(t, Config{}, webIdentityRequest(token, ""))
	for slug, want := range map[string]int{"tag-reserved": 2, "tag-duplicate": 1, "transitive-tag-unknown": 1} {
		if got := only(ds, slug); len(got) != want {
			t.Errorf("%s: %v, want %d", slug, got, want)
		}
	}
}

// TestMessages_UserDataIsQuotedShort: a hostile request repeats a huge value in every message it
// can reach; each message stays short.
func TestMessages_UserDataIsQuotedShort(t *testing.T) {
	huge := strings.Repeat("Ā", 100_000)
	token := jwtWith(t, map[string]any{"sub": "ci", "https://aws.amazon.com/tags": map[string]any{
		"principal_tags": map[string]any{huge: []string{"a", "b"}, "aws:" + huge: []string{huge}},
		huge:             1,
	}})
	src := string(mustJSON(t, map[string]any{
		"RoleArn":           "arn:aws:iam::123456789012:" + huge,
		"RoleSessionName":   huge,
		"WebIdentityToken":  token,
		huge:                1,
		"PolicyArns":        []map[string]string{{"arn": "arn:aws:iam::123456789012:" + huge, huge: "x"}},
		"ProviderId":        "https://" + huge,
		"DurationSeconds":   1,
		"TransitiveTagKeys": []string{huge},
	}))
	l, err := New(Config{Request: Request{Operation: AssumeRoleWithWebIdentity, InheritedTags: []Tag{{huge, "x"}}}})
	if err != nil {
		t.Fatal(err)
	}
	ds := all(l.Lint("r.json", []byte(src)))
	if len(ds) < 5 {
		t.Fatalf("only %d findings", len(ds))
	}
	for _, d := range ds {
		if d.Rule == "packed-size" {
			continue // lint/packed.go quotes tag keys in full: left to its owner (issue 9)
		}
		if len(d.Message) > 2000 {
			t.Errorf("%s: message of %d bytes", d.Rule, len(d.Message))
		}
	}
}

// TestSecrets_NeverMoreThanSixCharacters plants a token and an assertion whose every six-character
// window after the first is unique, and checks that no message quotes seven in a row.
func TestSecrets_NeverMoreThanSixCharacters(t *testing.T) {
	distinct := func(prefix string) string {
		var b strings.Builder
		b.WriteString(prefix)
		for i := 0; b.Len() < 400; i++ {
			fmt.Fprintf(&b, "%04x", i*7919%65536)
		}
		return b.String()
	}
	tokens := []string{distinct("eyJhbG"), distinct("a.b.c."), distinct("PHNhbW")}
	for _, secret := range tokens {
		for _, req := range []map[string]any{
			with(base(AssumeRoleWithWebIdentity), "WebIdentityToken", secret),
			with(base(AssumeRoleWithSAML), "SAMLAssertion", secret),
			with(base(AssumeRoleWithSAML), "SAMLAssertion", base64.StdEncoding.EncodeToString([]byte(secret))),
		} {
			for _, d := range lintWith(t, Config{}, string(mustJSON(t, req))) {
				for i := 0; i+7 <= len(secret); i++ {
					if strings.Contains(d.Message, secret[i:i+7]) {
						t.Errorf("%s quotes 7 characters of a secret: %s", d.Rule, d.Message)
						break
					}
				}
			}
		}
	}
}

func TestSecretValues_AnyCase(t *testing.T) {
	src := `{"webidentitytoken": "t1", "SAMLASSERTION": "a1", "providedContexts": [{"contextAssertion": "c1", "ProviderArn": "p"}], "RoleArn": "r"}`
	d, err := parseDoc([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range secretValues(d) {
		got = append(got, v.Str)
	}
	if strings.Join(got, ",") != "t1,a1,c1" {
		t.Errorf("secret values %v", got)
	}
}

func TestEmptySourceIdentityAttribute_IsNotASkeleton(t *testing.T) {
	req := samlRequest(goodSAMLRole+goodSAMLName+samlAttr("SourceIdentity", ""), "2099-11-23T22:00:00Z", "")
	ds := only(lintWith(t, Config{}, req), "param-length")
	if len(ds) != 1 || strings.Contains(ds[0].Message, "skeleton") {
		t.Errorf("empty SourceIdentity attribute: %v", ds)
	}
}
