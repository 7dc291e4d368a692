package pack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// benchPolicy2048 returns a minified policy of exactly 2,048 characters, the
// plaintext limit for Policy and PolicyArns together.
func benchPolicy2048() string {
	var stmts []string
	for i := 0; ; i++ {
		s := fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","dynamodb:Query"],"Resource":"arn:aws:s3:::bucket-%03d/*"}`, i, i)
		p := `{"Version":"2012-10-17","Statement":[` + strings.Join(append(stmts, s), ",") + `]}`
		if len(p) > 2048 {
			p = `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
			pad := 2048 - len(p)
			return strings.Replace(p, `"S0"`, `"S0`+strings.Repeat("x", pad)+`"`, 1)
		}
		stmts = append(stmts, s)
	}
}

// BenchmarkEstimate times an estimate with its breakdown (and, above 100%, its
// cut), as lint makes it for a request it reports. The baseline sub-benchmark
// decodes the small request's policy with encoding/json, a yardstick for the
// machine: BENCHMARKS.md gives each case as a ratio to it as well.
func BenchmarkEstimate(b *testing.B) {
	var tags50 []Tag
	for i := range 50 {
		tags50 = append(tags50, Tag{fmt.Sprintf("tag-%02d", i), fmt.Sprintf("value-%02d-%x", i, i*7919)})
	}
	policy := benchPolicy2048()
	if len(policy) != 2048 {
		b.Fatalf("policy is %d characters", len(policy))
	}
	cases := []struct {
		name string
		req  Request
	}{
		{"small", Request{Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`,
			Tags: []Tag{{"Project", "Pegasus"}}}},
		{"policy-2048", Request{Policy: policy}},
		{"tags-50", Request{PolicyARNs: []string{"arn:aws:iam::123456789012:policy/session"}, Tags: tags50}},
		{"tags-50-only", Request{Tags: tags50}},
	}
	b.Run("baseline-json-decode-small", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v any
			if err := json.Unmarshal([]byte(cases[0].req.Policy), &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				DefaultModel.Estimate(c.req)
			}
		})
	}
}
