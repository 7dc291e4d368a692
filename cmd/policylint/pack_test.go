package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// gftPolicy is the policy of the AWS CLI's get-federation-token example, whose documented
// output reports PackedPolicySize 36 (grade B in ../shared/docs/packed-datapoints.json).
const gftPolicy = `{
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
        {"Effect": "Allow", "Action": "elasticloadbalancing:Describe*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics", "cloudwatch:Describe*"], "Resource": "*"},
        {"Effect": "Allow", "Action": "autoscaling:Describe*", "Resource": "*"}
    ]
}`

// cloudTrailFixture builds a CloudTrail export from the grade A and B points: the GetFederationToken
// example (36%), the nine 250-character tags (an error at 498%), plus a malformed record and an
// unrelated event.
func cloudTrailFixture(t *testing.T) string {
	t.Helper()
	var tags []map[string]string
	for i := 1; i <= 9; i++ {
		tags = append(tags, map[string]string{"key": "T" + string(rune('0'+i)), "value": strings.Repeat("a", 250)})
	}
	records := []any{
		map[string]any{
			"eventName":         "GetFederationToken",
			"requestParameters": map[string]any{"name": "Bob", "policy": gftPolicy, "policyArns": []map[string]string{{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}}},
			"responseElements":  map[string]any{"packedPolicySize": 36},
		},
		map[string]any{
			"eventName":         "AssumeRole",
			"errorCode":         "PackedPolicyTooLargeException",
			"errorMessage":      "Packed size of session tags consumes 498% of allotted space.",
			"requestParameters": map[string]any{"roleArn": "arn:aws:iam::123456789012:role/ci", "roleSessionName": "x", "tags": tags},
		},
		"not a record",
		map[string]any{"eventName": "ListBuckets"},
	}
	b, err := json.Marshal(map[string]any{"Records": records})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cloudtrail.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPack_Calibrate(t *testing.T) {
	trail := cloudTrailFixture(t)
	r := runWith(t, "", "pack", "--calibrate", trail)
	if r.code != exitOK || !strings.Contains(r.stdout, "2 records with a packed size, 1 skipped") || !strings.Contains(r.stdout, "model pack-model/2: mean error") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "model.json")
	r = runWith(t, "", "pack", "--calibrate", trail, "--fit", out, "--format", "json")
	var rep struct {
		Calibration []struct {
			Model   string  `json:"model"`
			Records int     `json:"records"`
			Max     float64 `json:"max_error"`
		} `json:"calibration"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != exitOK || len(rep.Calibration) != 2 {
		t.Fatalf("exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if rep.Calibration[0].Max > 5 || rep.Calibration[1].Max > 5 {
		t.Errorf("error on the grade A and B points over 5 points: %+v", rep.Calibration)
	}
	// The fitted model loads, in pack and in lint.
	dir := writeFiles(t, map[string]string{"p.json": gftPolicy})
	if r := runWith(t, "", "pack", "--model", out, "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", filepath.Join(dir, "p.json")); r.code != exitOK || !strings.Contains(r.stdout, rep.Calibration[1].Model) {
		t.Errorf("pack --model: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runWith(t, "", "lint", "--model", out, filepath.Join(dir, "p.json")); r.code != exitOK {
		t.Errorf("lint --model: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestPack_BadInputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{"notjson.json": "{", "model.json": `{"version":"x"}`, "p.json": gftPolicy,
		"v1.json": `{"version":"pack-model/1+fit","level":9,"dictionary":"","packWhitespace":false,"bytesPerPercent":4.7,` +
			`"actionBytes":6.1,"tagBytesPerPercent":4.78,"tagOverheadBytes":12.2,"bandRelative":0.15,"bandAbsolute":2}`})
	t.Chdir(dir)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"pack", "--calibrate", "notjson.json"}, "policylint: --calibrate: notjson.json: cloudtrail:"},
		{[]string{"pack", "--calibrate", "missing.json"}, "policylint: --calibrate: missing.json: no such file"},
		{[]string{"pack", "--model", "model.json", "p.json"}, "policylint: --model: model.json: model file: field"},
		{[]string{"lint", "--model", "model.json", "p.json"}, "policylint: --model: model.json: model file: field"},
		{[]string{"lint", "--model", "v1.json", "p.json"}, `policylint: --model: v1.json: model file: this is a pack-model/1 model ("pack-model/1+fit"); policylint now evaluates pack-model/2`},
		{[]string{"pack", "--fit", "out.json", "p.json"}, "--fit needs --calibrate"},
		{[]string{"pack"}, "no PATH given"},
		{[]string{"pack", "--tag", "x", "p.json"}, "want KEY=VALUE"},
	} {
		r := runWith(t, "", tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, r.code, r.stderr, tt.msg)
		}
	}
}

func TestPack_JSONLayout(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.json": gftPolicy, "empty.json": `{"Version":"2012-10-17","Statement":[]}`})
	r := runWith(t, "", "pack", "--format", "json", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "--inherited-tag", "team=data", dir)
	var out struct {
		Version  int `json:"version"`
		Requests []struct {
			Path     string  `json:"path"`
			Reported bool    `json:"reported"`
			Percent  float64 `json:"percent"`
			Low      float64 `json:"low"`
			High     float64 `json:"high"`
			Model    string  `json:"model"`
			Minified float64 `json:"minified_percent"`
			Parts    []struct {
				Kind    string  `json:"kind"`
				Name    string  `json:"name"`
				Percent float64 `json:"percent"`
			} `json:"parts"`
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
		t.Fatalf("exit %d %v\n%s", r.code, err, r.stdout)
	}
	if out.Version != 1 || len(out.Requests) != 2 {
		t.Fatalf("layout: %s", r.stdout)
	}
	p := out.Requests[1] // empty.json sorts first
	if !strings.HasSuffix(p.Path, "p.json") || !p.Reported || p.Minified != p.Percent || p.Low > p.Percent || p.Percent > p.High || p.Model != "pack-model/2" || len(p.Parts) != 3 ||
		p.Parts[0].Kind != "policy" || p.Parts[1].Kind != "arn" || p.Parts[2].Kind != "inherited-tag" || p.Parts[2].Name != "team" {
		t.Errorf("request %+v", p)
	}
	sum := 0.0
	for _, part := range p.Parts {
		sum += part.Percent
	}
	if sum > p.Percent || sum < p.Percent-2 {
		t.Errorf("parts add up to %.1f, estimate %g", sum, p.Percent)
	}
}

// TestPack_EmptyRequests checks the two answers STS gives a request with no policy, policy ARNs
// or tags (LocalStack's snapshots of AWS, grade A): AssumeRole returns no PackedPolicySize,
// GetFederationToken returns 0.
func TestPack_EmptyRequests(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"ar.json":  `{"RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": "build"}`,
		"gft.json": `{"Name": "TestName", "DurationSeconds": 900}`,
	})
	t.Chdir(dir)
	r := runWith(t, "", "pack", "ar.json", "gft.json")
	want := "ar.json: no packed size: STS returns no PackedPolicySize without a policy, policy ARNs or tags (only GetFederationToken reports 0)\n\n" +
		"gft.json: 0% of the packed budget: GetFederationToken reports 0 without a policy, policy ARNs or tags\n"
	if r.code != exitOK || r.stdout != want {
		t.Errorf("exit %d\n%s%s\nwant\n%s", r.code, r.stdout, r.stderr, want)
	}
	r = runWith(t, "", "pack", "--format", "json", "ar.json", "gft.json")
	var out struct {
		Requests []struct {
			Reported bool    `json:"reported"`
			Percent  float64 `json:"percent"`
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Requests) != 2 ||
		out.Requests[0].Reported || !out.Requests[1].Reported || out.Requests[1].Percent != 0 {
		t.Errorf("%v\n%s", err, r.stdout)
	}
	if r := runWith(t, "", "lint", "ar.json", "gft.json"); r.code != exitOK || r.stdout != "" {
		t.Errorf("lint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPack_Cut checks that pack shows what an over-budget request must drop, in text and JSON.
func TestPack_Cut(t *testing.T) {
	r := runWith(t, "", "pack", "../../testdata/rules/packed-size/two-long-tags.json")
	if r.code != exitOK || !strings.Contains(r.stdout, "\n  to fit: removing tag \"") || !strings.Contains(r.stdout, "would bring it to about 85%\n") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runWith(t, "", "pack", "--format", "json", "../../testdata/rules/packed-size/two-long-tags.json")
	var out struct {
		Requests []struct {
			Percent float64 `json:"percent"`
			Cut     *struct {
				Parts []struct {
					Kind string `json:"kind"`
				} `json:"parts"`
				Percent float64 `json:"percent"`
				Fits    bool    `json:"fits"`
			} `json:"cut"`
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Requests) != 1 {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	c := out.Requests[0].Cut
	if c == nil || !c.Fits || c.Percent > 100 || len(c.Parts) != 1 || c.Parts[0].Kind != "tag" {
		t.Errorf("cut %+v\n%s", c, r.stdout)
	}
}

// sharedExactPoints is ../shared/docs/packed-datapoints-exact.json beside the repository: real
// AWS results with exact inputs, each with a request file in packed-points/.
const sharedExactPoints = "../../../shared/docs/packed-datapoints-exact.json"

// TestPack_SharedExactPoints runs every exact record's request file through policylint pack,
// end to end (request-file parsing, Policy decoding, the operation's inference), and checks the
// estimate is within 2 points of what AWS reported.
func TestPack_SharedExactPoints(t *testing.T) {
	data, err := os.ReadFile(sharedExactPoints)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("shared data points not found at %s (the shared tree sits beside the repository): skipping", sharedExactPoints)
	}
	if err != nil {
		t.Fatal(err)
	}
	var records []struct {
		PackedPolicySize float64 `json:"packed_policy_size"`
		Notes            string  `json:"notes"`
	}
	if err := json.Unmarshal(data, &records); err != nil {
		t.Fatal(err)
	}
	fileRE := regexp.MustCompile(`Request file: (packed-points/[a-z0-9-]+\.json)`)
	for i, rec := range records {
		m := fileRE.FindStringSubmatch(rec.Notes)
		if m == nil {
			t.Errorf("record %d names no request file", i)
			continue
		}
		path := filepath.Join(filepath.Dir(sharedExactPoints), m[1])
		r := runWith(t, "", "pack", "--format", "json", path)
		var out struct {
			Requests []struct {
				Reported bool    `json:"reported"`
				Percent  float64 `json:"percent"`
			} `json:"requests"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK || len(out.Requests) != 1 || !out.Requests[0].Reported {
			t.Errorf("%s: exit %d, %v\n%s%s", m[1], r.code, err, r.stdout, r.stderr)
			continue
		}
		got := out.Requests[0].Percent
		t.Logf("%-50s AWS %3v%%  policylint pack %3v%%", m[1], rec.PackedPolicySize, got)
		if math.Abs(got-rec.PackedPolicySize) > 2 {
			t.Errorf("%s: estimate %v%%, AWS reported %v%%", m[1], got, rec.PackedPolicySize)
		}
	}
}

// TestREADME_PackExample checks that the README's policylint pack example shows what the command
// prints.
func TestREADME_PackExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "  $ policylint pack testdata/rules/packed-size/bad.json\n"
	_, rest, ok := strings.Cut(string(readme), cmd)
	shown, _, fenced := strings.Cut(rest, "  ```\n")
	if !ok || !fenced {
		t.Fatalf("README lacks the fenced example %q", cmd)
	}
	t.Chdir("../..")
	r := runWith(t, "", "pack", "testdata/rules/packed-size/bad.json")
	var want strings.Builder
	for line := range strings.Lines(r.stdout) {
		want.WriteString("  " + line)
	}
	if shown != want.String() {
		t.Errorf("README shows:\n%s\npolicylint pack prints:\n%s", shown, want.String())
	}
}

// TestPack_EveryRequestOfAFile: a file of several requests (a workflow's steps, YAML documents)
// gets an estimate for each, at its line, in text and JSON, as lint checks each; and the
// Markdown summary has a row for each.
func TestPack_EveryRequestOfAFile(t *testing.T) {
	step := func(name, policy string) string {
		return "      - name: " + name + "\n        uses: aws-actions/configure-aws-credentials@v4\n        with:\n" +
			"          role-to-assume: arn:aws:iam::123456789012:role/deploy\n          aws-region: us-east-1\n" +
			"          inline-session-policy: '" + policy + "'\n"
	}
	small := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}]}`
	large := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","dynamodb:Query"],"Resource":["arn:aws:s3:::tenant-a/*","arn:aws:dynamodb:us-east-1:123456789012:table/tenant-a"]}]}`
	t.Chdir(writeFiles(t, map[string]string{
		".git/HEAD": "",
		".github/workflows/deploy.yml": "on: push\npermissions:\n  id-token: write\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n" +
			step("one", small) + step("two", large),
	}))
	r := runWith(t, "", "pack", ".github/workflows/deploy.yml")
	if r.code != exitOK || strings.Count(r.stdout, "of the packed budget") != 2 ||
		!strings.Contains(r.stdout, ".github/workflows/deploy.yml:8: ") || !strings.Contains(r.stdout, ".github/workflows/deploy.yml:14: ") {
		t.Errorf("pack: exit %d, want an estimate for each step at its line:\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runWith(t, "", "pack", "--format", "json", ".github/workflows/deploy.yml")
	var doc struct {
		Requests []struct {
			At   string `json:"at"`
			Line int    `json:"line"`
		} `json:"requests"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Requests) != 2 || doc.Requests[1].At != "/jobs/deploy/steps/1" || doc.Requests[1].Line != 14 {
		t.Errorf("pack --format json: %v, %+v", err, doc.Requests)
	}
	r = runWith(t, "", "lint", "--format", "markdown", ".github/workflows/deploy.yml")
	if !strings.Contains(r.stdout, "workflows/deploy\\.yml:8 |") || !strings.Contains(r.stdout, "workflows/deploy\\.yml:14 |") {
		t.Errorf("the Markdown summary has no row for each step:\n%s", r.stdout)
	}
}

// TestPack_OverThePlaintextLimit: a policy STS rejects for its length before packing it says so,
// instead of "STS accepts up to 100%", in text and JSON.
func TestPack_OverThePlaintextLimit(t *testing.T) {
	var statements []string
	for i := range 40 {
		statements = append(statements, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/%d/*"}`, i, i))
	}
	t.Chdir(writeFiles(t, map[string]string{".git/HEAD": "", "p.json": `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`}))
	r := runWith(t, "", "pack", "p.json")
	if !strings.Contains(r.stdout, "STS rejects more than 2,048 before it packs them (policy-length)") || strings.Contains(r.stdout, "STS accepts up to 100%") {
		t.Errorf("pack of a 3,000-character policy:\n%s", r.stdout)
	}
	r = runWith(t, "", "pack", "--format", "json", "p.json")
	if !strings.Contains(r.stdout, `"too_long": "the policy and its ARNs are`) {
		t.Errorf("pack --format json:\n%s", r.stdout)
	}
}
