package lint

import (
	"os"
	"sort"
	"testing"
)

// sessionLimits are the rules whose errors an AWS managed policy may rightly get: IAM accepts a
// managed policy of up to 6,144 characters, STS a session policy of 2,048, and the packed size is
// a session limit too.
var sessionLimits = map[string]bool{"policy-length": true, "packed-size": true}

// TestCorpus_ManagedAccepted lints every AWS managed policy of ../shared/corpus: IAM accepted each,
// so no rule may call one rejected (an error) except the session limits. It logs the findings of
// every rule on the managed and the real policies, the counts behind the table of issue 12.
func TestCorpus_ManagedAccepted(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string][2]int{}
	for i, sub := range []string{"managed", "real"} {
		for _, path := range corpusFiles(t, sub) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range all(l.Lint(path, src)) {
				c := counts[d.Rule+" "+d.Severity.String()]
				c[i]++
				counts[d.Rule+" "+d.Severity.String()] = c
				if sub == "managed" && d.Severity == Error && !sessionLimits[d.Rule] {
					t.Errorf("%s:%d:%d: an AWS managed policy, which IAM accepted, gets an error: %s [%s %s]", path, d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Code, d.Rule)
				}
			}
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%-42s %8s %8s", "rule severity", "managed", "real")
	for _, k := range keys {
		t.Logf("%-42s %8d %8d", k, counts[k][0], counts[k][1])
	}
}
