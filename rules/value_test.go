package rules

import (
	"bytes"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestPolicyValue_AgreesWithOPA: the one-pass conversion gives the value OPA's own reader
// gives, on the edges of JSON and on every corpus policy.
func TestPolicyValue_AgreesWithOPA(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `null`, `true`, `"s"`, `0`,
		`{"a":1,"a":2}`, // the last duplicate wins
		`{"a":{"b":[1,2,{"c":null}]},"a":false}`,
		`{"n":[1e400,-0,0.1,12345678901234567890123,1E-5]}`, // numbers as written
		`{"s":"\u00e9\ud83d\ude00\n\t\"\\\/"}`,              // escapes, a surrogate pair
		"{\"bad\":\"\xff\xfe\",\"k\xc3\":1}",                // invalid UTF-8 becomes U+FFFD
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}}]}`,
	}
	for _, b := range corpusFiles(t) {
		inputs = append(inputs, string(b))
	}
	if len(inputs) < 100 {
		t.Log("../shared/corpus is not beside the project: only the edge cases are compared")
	}
	// A number OPA will not hold is the same error.
	for _, in := range []string{`{"n":1e99999}`, `[1E-40000]`} {
		_, want := ast.ValueFromReader(bytes.NewReader([]byte(in)))
		if _, err := policyValue([]byte(in)); want == nil || err == nil || err.Error() != want.Error() {
			t.Errorf("%s: policyValue says %v, OPA %v", in, err, want)
		}
	}
	for _, in := range inputs {
		want, err := ast.ValueFromReader(bytes.NewReader([]byte(in)))
		if err != nil {
			t.Fatalf("%.80q: OPA does not read it: %v", in, err)
		}
		got, err := policyValue([]byte(in))
		if err != nil {
			t.Errorf("%.80q: OPA reads it, policyValue says %v", in, err)
			continue
		}
		if ast.Compare(got, want) != 0 {
			t.Errorf("%.80q:\n got %v\nwant %v", in, got, want)
		}
	}
}
