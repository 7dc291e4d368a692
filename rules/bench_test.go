package rules

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policylint/policylint/internal/ruleproto"
)

// corpusFiles reads the managed and real policies of ../shared/corpus: none when it is not
// beside the project.
func corpusFiles(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, dir := range []string{"../../shared/corpus/managed", "../../shared/corpus/real"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, src)
		}
	}
	return out
}

// corpusPolicies is the corpus compacted, as policylint sends policies, or skips.
func corpusPolicies(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	for _, src := range corpusFiles(b) {
		var buf bytes.Buffer
		if json.Compact(&buf, src) == nil {
			out = append(out, buf.Bytes())
		}
	}
	if len(out) == 0 {
		b.Skip("../shared/corpus is not beside the project: the worker's corpus benchmark needs its policies")
	}
	return out
}

// BenchmarkServe is the rule worker alone on the corpus: one Load, then one Eval per policy, as
// policylint sends them, with 1 and 100 simple rules. The figure is per document.
func BenchmarkServe(b *testing.B) {
	policies := corpusPolicies(b)
	for _, n := range []int{1, 100} {
		var src strings.Builder
		src.WriteString("package main\n\nimport rego.v1\n")
		for i := range n {
			fmt.Fprintf(&src, "\ndeny_r%d contains msg if {\n\tsome s in input.Statement\n\ts.Effect == \"Deny\"\n\ts.Sid == \"never-%d\"\n\tmsg := \"rule %d\"\n}\n", i, i, i)
		}
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		if err := ruleproto.WriteRequest(w, &ruleproto.Request{Load: &ruleproto.Load{Rules: []ruleproto.File{{Name: "rules.rego", Source: src.String()}}, CPU: 5 * time.Second}}); err != nil {
			b.Fatal(err)
		}
		ctx := json.RawMessage(`{"path":"p.json","kind":"policy","request":{"operation":"AssumeRole","policy_arns":[],"tags":[],"transitive_tag_keys":[]}}`)
		for _, p := range policies {
			if err := ruleproto.WriteRequest(w, &ruleproto.Request{Eval: &ruleproto.Eval{Policy: p, Context: ctx, Path: "p.json"}}); err != nil {
				b.Fatal(err)
			}
		}
		in := buf.Bytes()
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := Serve(bytes.NewReader(in), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(policies)), "ns/doc")
		})
	}
}
