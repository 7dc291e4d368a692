package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/policylint/policylint/lint"
)

// The benchmarks of issue 15, each against a baseline measured in the same run, so that the
// ratio is the figure (BENCHMARKS.md records them): the corpus against a bare json.Unmarshal of the
// same files, a small file and --version against a Go hello-world, and the growth with policy size
// and with the number of files.

var corpusDirs = []string{"../../../shared/corpus/managed", "../../../shared/corpus/real"} // ../shared beside the repository

func corpusOrSkip(b *testing.B) {
	for _, d := range corpusDirs {
		if _, err := os.Stat(d); err != nil {
			b.Skipf("corpus not found at %s: %v", d, err)
		}
	}
}

// BenchmarkCorpus lints every managed and real policy of ../shared/corpus (2,089 files) in one
// process, end to end (walk, read, lint on all cores, text output), and, as the baseline, walks,
// reads and decodes the same files with json.Unmarshal on as many cores.
func BenchmarkCorpus(b *testing.B) {
	corpusOrSkip(b)
	b.Run("policylint", func(b *testing.B) {
		for b.Loop() {
			if code := run(append([]string{"lint"}, corpusDirs...), nil, io.Discard, io.Discard); code != exitFindings {
				b.Fatalf("exit %d", code)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		for b.Loop() {
			unmarshalTree(b, corpusDirs)
		}
	})
	// Both in each iteration, so that a machine slower for a while slows both: the ratio of their
	// sums is the figure least disturbed by a shared machine.
	// The CPU time of each (user and system, all threads) is reported beside: on a shared machine
	// it varies less than the elapsed time.
	b.Run("ratio", func(b *testing.B) {
		var lint, base, lintCPU, baseCPU time.Duration
		for b.Loop() {
			t0, c0 := time.Now(), processCPU()
			if code := run(append([]string{"lint"}, corpusDirs...), nil, io.Discard, io.Discard); code != exitFindings {
				b.Fatalf("exit %d", code)
			}
			t1, c1 := time.Now(), processCPU()
			unmarshalTree(b, corpusDirs)
			lint, base = lint+t1.Sub(t0), base+time.Since(t1)
			lintCPU, baseCPU = lintCPU+c1-c0, baseCPU+processCPU()-c1
		}
		b.ReportMetric(float64(lint.Milliseconds())/float64(b.N), "policylint-ms/op")
		b.ReportMetric(float64(base.Milliseconds())/float64(b.N), "unmarshal-ms/op")
		b.ReportMetric(float64(lint)/float64(base), "ratio")
		b.ReportMetric(float64(lintCPU)/float64(baseCPU), "cpu-ratio")
	})
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// unmarshalTree walks the folders and decodes every .json file, on GOMAXPROCS workers.
func unmarshalTree(b *testing.B, dirs []string) {
	var files []string
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return nil
		})
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range jobs {
				src, err := os.ReadFile(f)
				if err != nil {
					b.Error(err)
					continue
				}
				var v any
				_ = json.Unmarshal(src, &v)
			}
		})
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
}

// BenchmarkRun_SmallFile lints one small policy end to end, in process.
func BenchmarkRun_SmallFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "p.json")
	if err := os.WriteFile(path, []byte(goodPolicy), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"lint", path}, nil, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// buildBinaries builds policylint and a Go hello-world into a temporary folder.
func buildBinaries(b *testing.B) (policylint, hello string) {
	b.Helper()
	dir := b.TempDir()
	policylint, hello = filepath.Join(dir, "policylint"), filepath.Join(dir, "hello")
	if out, err := exec.Command("go", "build", "-o", policylint, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"os\"\n\nfunc main() { os.Stdout.WriteString(\"hello\\n\") }\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", hello, src).CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return policylint, hello
}

// BenchmarkStart measures whole processes: a Go hello-world (the baseline), policylint
// --version, and policylint linting one small file.
func BenchmarkStart(b *testing.B) {
	policylint, hello := buildBinaries(b)
	small := filepath.Join(b.TempDir(), "p.json")
	if err := os.WriteFile(small, []byte(goodPolicy), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cmd  []string
	}{
		{"hello-world", []string{hello}},
		{"version", []string{policylint, "--version"}},
		{"small-file", []string{policylint, "lint", small}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if err := exec.Command(tc.cmd[0], tc.cmd[1:]...).Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The three in each iteration, so that a machine slower for a while slows all three: the
	// ratios of their sums are the figures.
	b.Run("ratios", func(b *testing.B) {
		var took [3]time.Duration
		for b.Loop() {
			for i, cmd := range [][]string{{hello}, {policylint, "--version"}, {policylint, "lint", small}} {
				t0 := time.Now()
				if err := exec.Command(cmd[0], cmd[1:]...).Run(); err != nil {
					b.Fatal(err)
				}
				took[i] += time.Since(t0)
			}
		}
		b.ReportMetric(float64(took[1])/float64(took[0]), "version/hello")
		b.ReportMetric(float64(took[2])/float64(took[1]), "small-file/version")
	})
}

// growthPolicy is a policy of n statements, each with a list of 12 actions and 3 resources.
func growthPolicy(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket","s3:Get*","ec2:Describe*","iam:GetRole","logs:PutLogEvents","sqs:SendMessage","sns:Publish","kms:Decrypt","dynamodb:GetItem","lambda:InvokeFunction"],`+
			`"Resource":["arn:aws:s3:::bucket-%d/*","arn:aws:s3:::bucket-%d","arn:aws:logs:*:*:log-group:app-%d*"],"Condition":{"StringEquals":{"aws:PrincipalTag/team":"t%d"}}}`, i, i, i, i, i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// BenchmarkGrowth_PolicySize lints policies from 1 KB to 7 MB of statements: the time per byte
// stays flat when every check is linear.
func BenchmarkGrowth_PolicySize(b *testing.B) {
	paths := map[int]string{}
	for _, n := range []int{2, 20, 200, 2000, 14000} {
		src := growthPolicy(n)
		path := filepath.Join(b.TempDir(), "p.json")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		paths[n] = path
		b.Run(fmt.Sprintf("statements=%d/%dKB", n, len(src)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				run([]string{"lint", path}, nil, io.Discard, io.Discard)
			}
		})
	}
	// 2,000 and 14,000 statements in each iteration: the ratio of their sums is the growth for 7×
	// the statements, which the goal bounds at 7.5×. Each starts from a collected heap, so that
	// the large run's heap goal does not spare the small one collections.
	b.Run("ratio-14000/2000", func(b *testing.B) {
		var small, large time.Duration
		for b.Loop() {
			runtime.GC()
			t0 := time.Now()
			run([]string{"lint", paths[2000]}, nil, io.Discard, io.Discard)
			small += time.Since(t0)
			runtime.GC()
			t1 := time.Now()
			run([]string{"lint", paths[14000]}, nil, io.Discard, io.Discard)
			large += time.Since(t1)
		}
		b.ReportMetric(float64(large)/float64(small), "ratio")
	})
}

// peakSource is a launcher that runs a command and prints its peak resident memory, in KiB.
// The benchmark cannot read that from its own child: Go starts a child with vfork, and Linux
// counts the parent's resident memory at the child's exec in the child's peak (exec_mmap keeps
// the old mm's high-water mark), so every child of a 160 MiB test binary peaks at 160 MiB. The
// launcher is small, and its own child's peak is the child's.
const peakSource = `package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	fmt.Println(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
}
`

// BenchmarkGrowth_FileCount lints folders of 1 to 10,000 small policies, each in a process of its
// own, and reports the peak memory (through the peakSource launcher): it must not grow with the
// number of files.
func BenchmarkGrowth_FileCount(b *testing.B) {
	policylint, _ := buildBinaries(b)
	peak := filepath.Join(b.TempDir(), "peak")
	src := peak + ".go"
	if err := os.WriteFile(src, []byte(peakSource), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", peak, src).CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, n := range []int{1, 10, 100, 1000, 10000} {
		dir := b.TempDir()
		for i := range n {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%05d.json", i)), []byte(goodPolicy), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("files=%d", n), func(b *testing.B) {
			var maxKiB int64
			for b.Loop() {
				out, err := exec.Command(peak, policylint, "lint", dir).Output()
				if err != nil {
					b.Fatal(err)
				}
				kib, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
				if err != nil {
					b.Fatalf("peak: %q: %v", out, err)
				}
				maxKiB = max(maxKiB, kib)
			}
			b.ReportMetric(float64(maxKiB)/1024, "peak-MiB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/file")
		})
	}
}

// BenchmarkSemanticChecks lints the corpus and one small file with the semantic checks of issue 12
// (PL5021–PL5039 and PL6008–PL6039, the catalogue checks among them) disabled, the baseline, and
// on, in the same run: the ratio is their cost (BENCHMARKS.md).
func BenchmarkSemanticChecks(b *testing.B) {
	var codes []string
	for _, r := range lint.Rules {
		if r.Code >= "PL5021" && r.Code <= "PL5039" || r.Code >= "PL6008" && r.Code <= "PL6039" {
			codes = append(codes, r.Code)
		}
	}
	small := filepath.Join(b.TempDir(), "p.json")
	if err := os.WriteFile(small, []byte(goodPolicy), 0o644); err != nil {
		b.Fatal(err)
	}
	modes := []struct {
		name string
		args []string
	}{{"off", []string{"--disable", strings.Join(codes, ",")}}, {"on", nil}}
	for _, input := range []struct {
		name  string
		paths []string
		want  int
	}{{"corpus", corpusDirs, exitFindings}, {"small-file", []string{small}, exitOK}} {
		for _, mode := range modes {
			b.Run(input.name+"/"+mode.name, func(b *testing.B) {
				if input.name == "corpus" {
					corpusOrSkip(b)
				}
				b.ReportAllocs()
				for b.Loop() {
					if code := run(append(append([]string{"lint"}, mode.args...), input.paths...), nil, io.Discard, io.Discard); code != input.want {
						b.Fatalf("exit %d", code)
					}
				}
			})
		}
	}
}

// BenchmarkCustomRules lints the corpus with no custom rules, the baseline, then with 1, 10 and
// 100 simple conftest rules (each a deny_ rule that looks at every statement), in the same run:
// the ratios are what custom rules cost. They are evaluated in the sandboxed worker, all of a
// document's rules in one query.
func BenchmarkCustomRules(b *testing.B) {
	corpusOrSkip(b)
	for _, n := range []int{0, 1, 10, 100} {
		args := []string{"lint"}
		if n > 0 {
			dir := b.TempDir()
			var src strings.Builder
			src.WriteString("package main\n\nimport rego.v1\n")
			for i := range n {
				fmt.Fprintf(&src, "\ndeny_r%d contains msg if {\n\tsome s in input.Statement\n\ts.Effect == \"Deny\"\n\ts.Sid == \"never-%d\"\n\tmsg := \"rule %d\"\n}\n", i, i, i)
			}
			if err := os.WriteFile(filepath.Join(dir, "rules.rego"), []byte(src.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			args = append(args, "--rules", dir)
		}
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			for b.Loop() {
				if code := run(append(args, corpusDirs...), nil, io.Discard, io.Discard); code != exitFindings {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
