package lint

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// corpusDir is ../shared/corpus beside the repository: real policies that are read in place and
// never copied into the project.
const corpusDir = "../../shared/corpus"

func corpusFiles(t testing.TB, sub string) []string {
	t.Helper()
	root := filepath.Join(corpusDir, sub)
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus not found at %s (../shared/corpus beside the repository): %v", root, err)
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("corpus folder %s holds no .json files", root)
	}
	return files
}

// sessionLimits are the rules whose errors an AWS managed policy may rightly get: IAM accepts a
// managed policy of up to 6,144 characters, STS a session policy of 2,048, and the packed size is
// a session limit too.
var sessionLimits = map[string]bool{"policy-length": true, "packed-size": true}

// TestCorpus lints every file of the shared corpus and checks what can be known independently:
// nothing crashes, ranges stay inside the file, no AWS managed policy gets an error but the
// session limits (IAM accepted each), every managed policy over 2,048 characters gets
// policy-length and none under, every malformed file that encoding/json rejects gets
// json-syntax and no valid one does, and every real policy indexed as having a Principal gets
// session-principal.
func TestCorpus(t *testing.T) {
	l, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	lintAll := func(sub string, check func(path string, src []byte, rules map[string]int)) int {
		files := corpusFiles(t, sub)
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rules := map[string]int{}
			for _, d := range all(l.Lint(path, src)) {
				rules[d.Rule]++
				counts[sub+" "+d.Rule+" "+d.Severity.String()]++
				if d.Range.Start.Offset < 0 || d.Range.End.Offset > len(src) || d.Range.Start.Offset > d.Range.End.Offset {
					t.Errorf("%s: %s range %+v outside the file", path, d.Rule, d.Range)
				}
				// IAM accepted every AWS managed policy: no rule may call one rejected, except
				// the session limits.
				if sub == "managed" && d.Severity == Error && !sessionLimits[d.Rule] {
					t.Errorf("%s:%d:%d: an AWS managed policy, which IAM accepted, gets an error: %s [%s %s]", path, d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Code, d.Rule)
				}
			}
			check(path, src, rules)
		}
		return len(files)
	}

	overLimit := 0
	n := lintAll("managed", func(path string, src []byte, rules map[string]int) {
		long := utf8.RuneCount(src) > maxPlaintext
		if long {
			overLimit++
		}
		if long != (rules["policy-length"] == 1) {
			t.Errorf("%s: %d characters, policy-length reported %d times", path, utf8.RuneCount(src), rules["policy-length"])
		}
		if rules["json-syntax"] > 0 {
			t.Errorf("%s: a managed policy is reported as invalid JSON", path)
		}
	})
	t.Logf("managed: %d files, %d over 2,048 characters, all reported", n, overLimit)

	principal := principalIndex(t)
	n = lintAll("real", func(path string, src []byte, rules map[string]int) {
		rel, _ := filepath.Rel(corpusDir, path)
		if principal[rel] != (rules["session-principal"] > 0) {
			t.Errorf("%s: indexed as having a Principal: %v; session-principal reported %d times", rel, principal[rel], rules["session-principal"])
		}
	})
	t.Logf("real: %d files, %d indexed with a Principal", n, len(principal))

	invalid := 0
	n = lintAll("malformed", func(path string, src []byte, rules map[string]int) {
		valid := json.Valid(src)
		if !valid {
			invalid++
		}
		if valid == (rules["json-syntax"] > 0) {
			t.Errorf("%s: encoding/json says valid = %v; json-syntax reported %d times", path, valid, rules["json-syntax"])
		}
	})
	t.Logf("malformed: %d files, %d not JSON, all reported as json-syntax", n, invalid)

	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-40s %d", k, counts[k])
	}
}

// principalIndex reads real-index.tsv: which real policies have a Principal.
func principalIndex(t *testing.T) map[string]bool {
	f, err := os.Open(filepath.Join(corpusDir, "real-index.tsv"))
	if err != nil {
		t.Skipf("real-index.tsv not found: %v", err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 3 && strings.Contains(cols[3], "has Principal") {
			out[cols[0]] = true
		}
	}
	return out
}
