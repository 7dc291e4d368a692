package lint

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func benchmarkLint(b *testing.B, src []byte) {
	b.Run("semantic-checks-off", func(b *testing.B) { benchmarkLintWith(b, src, semanticRules()) })
	b.Run("semantic-checks-on", func(b *testing.B) { benchmarkLintWith(b, src, nil) })
}

// semanticRules are the rules of the semantic checks, those that ask the catalogue among them
// (PL5021–PL5039, PL6008–PL6039): disabled, they give the baseline the benchmarks compare with.
func semanticRules() []string {
	var out []string
	for _, r := range Rules {
		if r.Code >= "PL5021" && r.Code <= "PL5039" || r.Code >= "PL6008" && r.Code <= "PL6039" {
			out = append(out, r.Code)
		}
	}
	return out
}

func benchmarkLintWith(b *testing.B, src []byte, disable []string) {
	l, err := New(Config{Disable: disable})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		l.Lint("p.json", src)
	}
}

// BenchmarkLint_Small is a one-statement policy of 98 characters.
func BenchmarkLint_Small(b *testing.B) {
	benchmarkLint(b, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`))
}

// BenchmarkLint_Medium is a pretty-printed policy of 2,211 characters (the policy-length example).
func BenchmarkLint_Medium(b *testing.B) {
	benchmarkLint(b, []byte(tenantBuckets(45)))
}

// BenchmarkLint_Large is the largest AWS managed policy, AWSSupportServiceRolePolicy (152 KB).
func BenchmarkLint_Large(b *testing.B) {
	src, err := os.ReadFile(corpusDir + "/managed/AWSSupportServiceRolePolicy.json")
	if err != nil {
		b.Skipf("corpus not found: %v", err)
	}
	if !strings.Contains(string(src), "Statement") {
		b.Fatal("unexpected file")
	}
	benchmarkLint(b, src)
}

// manyTagsRequest is an AssumeRole request file with n session tags and n transitive tag keys,
// one of which names no tag: far over STS's limits, as a hostile file would be.
func manyTagsRequest(n int) []byte {
	var tags, keys strings.Builder
	for i := range n {
		if i > 0 {
			tags.WriteString(",")
			keys.WriteString(",")
		}
		fmt.Fprintf(&tags, `{"Key":"k%d","Value":"v"}`, i)
		fmt.Fprintf(&keys, `"K%d"`, i+1)
	}
	return []byte(`{"RoleArn":"arn:aws:iam::123456789012:role/r","RoleSessionName":"s1","Tags":[` + tags.String() + `],"TransitiveTagKeys":[` + keys.String() + `]}`)
}

// BenchmarkLint_ManyTags lints requests of 1,000 and 10,000 tags and transitive keys: the time
// per tag stays flat, the tag checks being linear (transitive keys against a set of tag keys).
func BenchmarkLint_ManyTags(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("tags-%d", n), func(b *testing.B) { benchmarkLint(b, manyTagsRequest(n)) })
	}
}
