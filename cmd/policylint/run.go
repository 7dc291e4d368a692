package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/policylint/policylint/internal/config"
	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/pack"
	"github.com/policylint/policylint/report"
)

// Exit codes.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad flags, or a path that cannot be read
	exitInternal = 3 // a bug in policylint
)

const usage = `policylint checks AWS STS session policies before any call is made.

Usage:
  policylint lint [flags] PATH...     lint policies and requests (JSON, YAML), workflows, Terraform, directories or - (stdin)
  policylint pack [flags] PATH...     estimate the packed size (PackedPolicySize) of each request
  policylint pack --calibrate FILE    measure the packed size model on a CloudTrail export
  policylint rules                    list every rule
  policylint rules explain RULE       document a rule, by code or slug
  policylint catalog update           fetch AWS's service reference (actions, resources, condition keys)
  policylint catalog show             say which copy of it the checks use
  policylint completion bash|zsh|fish print a shell completion script
  policylint --version                the version, commit, Go and packed size model

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or unreadable input,
3 internal failure.

Run 'policylint lint --help' or 'policylint pack --help' for their flags.
`

const lintUsage = `Usage: policylint lint [flags] PATH...

Lints each PATH: a session policy, or a whole STS request in the AWS CLI's --cli-input-json or
--cli-input-yaml shape (told apart by its keys); a GitHub workflow (its configure-aws-credentials
steps); a Terraform file (.tf) or plan (terraform show -json). PATH is a file, a directory (every
*.json, *.yaml, *.yml and *.tf below it, in sorted order, skipping directories whose name starts
with a dot but .github; files of none of these kinds are skipped with a notice), or - for
standard input (read as JSON).

Examples:
  policylint lint policies/
  policylint lint --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --tag team=data tenant.json
  policylint lint requests/assume-tenant-role.json
  policylint lint .github/workflows infra/
  policylint lint --rules policy-rules --format sarif policies/ > policylint.sarif
  cat tenant.json | policylint lint -

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or unreadable input,
3 internal failure.

Flags:
`

// run is the whole program: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "policylint: internal error: %v (please report it with the input that caused it)\n", r)
			code = exitInternal
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "lint":
		return runLint(args[1:], stdin, stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "pack":
		return runPack(args[1:], stdin, stdout, stderr)
	case "catalog":
		return runCatalog(args[1:], stdout, stderr)
	case "completion":
		return runCompletion(args[1:], stdout, stderr)
	case "--version", "version":
		writeVersion(stdout, readBuildInfo())
		fmt.Fprintln(stdout, catalogLine())
		return exitOK
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	hint := ""
	if s := lint.Suggest(args[0], commandNames()); s != "" {
		hint = fmt.Sprintf(": did you mean 'policylint %s'?", s)
	} else if strings.HasSuffix(args[0], ".json") || args[0] == "-" {
		hint = fmt.Sprintf(": did you mean 'policylint lint %s'?", args[0])
	}
	fmt.Fprintf(stderr, "policylint: unknown command %q%s\n\n%s", args[0], hint, usage)
	return exitUsage
}

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("lint", pflag.ContinueOnError)
	fl.SortFlags = false
	fl.SetOutput(io.Discard)
	arns := fl.StringArray("policy-arn", nil, "a managed policy ARN passed as PolicyArns (repeatable); counts toward the length limit and the ARN cap")
	operation := fl.String("operation", "", "the STS operation: "+strings.Join(operationNames, ", ")+" (default: inferred from a request file's parameters; assume-role for a policy file)")
	tags := fl.StringArray("tag", nil, "a session tag KEY=VALUE sent with each policy file (repeatable)")
	transitive := fl.StringArray("transitive-tag-key", nil, "a transitive session tag key sent with each policy file (repeatable)")
	duration := fl.Int("duration-seconds", 0, "DurationSeconds sent with each policy file")
	roleARN := fl.String("role-arn", "", "RoleArn sent with each policy file (checks that policy ARNs are in its account)")
	rs256Only := fl.Bool("rs256-only", false, "apply the older rule that web identity tokens must be signed with RS256")
	inherited := fl.StringArray("inherited-tag", nil, "a transitive tag KEY=VALUE the session inherits when roles are chained (repeatable); counts toward the packed size, and implies --chained")
	chained := fl.Bool("chained", false, "the caller is a role session (role chaining): DurationSeconds may not exceed 3600")
	packedWarn := fl.Float64("packed-warn", lint.DefaultPackedWarn, "estimated packed size, in percent, from which packed-size warns")
	modelFile := fl.String("model", "", "a packed size model file written by 'policylint pack --calibrate FILE --fit OUT'")
	format := fl.String("format", "text", "output format: "+strings.Join(report.Formats, ", "))
	outputs := fl.StringArray("output", nil, "also write the results in FORMAT to the file PATH, as FORMAT=PATH: sarif=policylint.sarif (repeatable)")
	failOn := fl.String("fail-on", "error", "lowest severity that makes the exit code 1: error, warning or info")
	disable := fl.StringSlice("disable", nil, "rules not to run, by code or slug (repeatable, or comma-separated)")
	noColor := fl.Bool("no-color", false, "no colours in text output (also when NO_COLOR is set)")
	custom := addCustomFlags(fl)
	skipUnknown := fl.Bool("skip-unknown", false, "skip, with a notice, named files of no kind policylint reads (package.json), as a directory walk does; for hooks that pass every JSON, YAML and Terraform file")
	configFile := fl.String("config", "", "configuration file (default: .policylint.yaml or .policylint.yml, searched from the working folder upward)")
	catalogPath := fl.String("catalog", "", "AWS's service reference to check against: a folder in AWS's format or a file from 'catalog update' (default: the user cache, else the built-in copy)")
	help := fl.BoolP("help", "h", false, "show this help")
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "policylint: lint: %s\nRun 'policylint lint --help' for usage.\n", flagError(fl, err))
		return exitUsage
	}
	if !fl.Changed("format") && os.Getenv("GITHUB_ACTIONS") == "true" {
		*format = "github"
	}
	if *help {
		writeHelp(stdout, lintUsage, fl)
		return exitOK
	}
	if !config.ValidPackedWarn(*packedWarn) {
		fmt.Fprintf(stderr, "policylint: --packed-warn %g: want a percentage above 0 and at most 1,000\n", *packedWarn)
		return exitUsage
	}
	threshold, err := lint.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: --fail-on: %v\n", err)
		return exitUsage
	}
	est := &estimates{}
	// The custom rules are loaded after the writers are made; SARIF describes them when it writes.
	var allRules []*lint.Rule
	opts := report.Options{ToolVersion: readBuildInfo().toolVersion(), Annotations: *format == "github", Estimates: est.estimates,
		Rules: func() []*lint.Rule { return allRules }}
	placeOptions(&opts)
	est.wanted = *format == "markdown" || slices.ContainsFunc(*outputs, func(o string) bool { return strings.HasPrefix(o, "markdown=") })
	outputFiles, err := parseOutputs(*outputs, opts)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	opts.Snippet = isTerminal(stdout)
	opts.Color = opts.Snippet && !*noColor && os.Getenv("NO_COLOR") == ""
	out, err := report.New(*format, opts)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: --format: %v\n", err)
		return exitUsage
	}
	req := lint.Request{
		Operation: lint.Operation(*operation), PolicyARNs: *arns, TransitiveTagKeys: *transitive,
		DurationSeconds: *duration, RoleARN: *roleARN, Chained: *chained,
	}
	if req.Tags, err = parseTags("--tag", *tags); err == nil {
		req.InheritedTags, err = parseTags("--inherited-tag", *inherited)
	}
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	fsys, err := openFS()
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	defer fsys.Close()
	model, err := loadModel(fsys, *modelFile)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	if *operation != "" {
		if req.Operation = lint.OperationByName(*operation); req.Operation == "" {
			fmt.Fprintf(stderr, "policylint: --operation %q: want %s\n", *operation, strings.Join(operationNames, ", "))
			return exitUsage
		}
	}
	cat, warning := activeCatalog(fsys, *catalogPath)
	if cat == nil {
		fmt.Fprintf(stderr, "policylint: %s\n", warning)
		return exitUsage
	}
	if warning != "" {
		fmt.Fprintf(stderr, "policylint: %s\n", warning)
	}
	cfg := lint.Config{
		Disable: *disable, Request: req, RS256Only: *rs256Only, PackedWarn: *packedWarn, Model: model,
		ReadFile: func(path string) ([]byte, error) { return readConfined(fsys, path) },
		Catalog:  cat, Estimates: est.wanted,
	}
	conf, err := loadConfig(fsys, *configFile, fl, &cfg)
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") { // a configuration's errors, one a line
			fmt.Fprintf(stderr, "policylint: %s\n", line)
		}
		return exitUsage
	}
	if fl.NArg() == 0 {
		fmt.Fprint(stderr, "policylint: lint: no PATH given; use - to read standard input\nRun 'policylint lint --help' for usage.\n")
		return exitUsage
	}
	code := exitOK
	inputs, errs := expand(fsys, fl.Args())
	for _, err := range errs {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		code = exitUsage
	}
	dirs, err := customDirs(fsys, conf, *custom.dirs)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	rs, err := loadCustom(fsys, custom, dirs, false, len(inputs.files), stderr)
	if err != nil {
		if err != errReported {
			fmt.Fprintf(stderr, "policylint: %v\n", err)
		}
		return exitUsage
	}
	if rs != nil {
		defer rs.Close()
		cfg.Custom = rs
	}
	if err := applyRules(conf, lint.Lookup(rs), &cfg); err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	linter, err := lint.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		return exitUsage
	}
	allRules = linter.AllRules()
	if *skipUnknown {
		for i := range inputs.files {
			inputs.files[i].found = true
		}
	}
	// Text and GitHub output is written file by file, as soon as each file's turn in the input
	// order comes, and dropped: memory does not grow with the number of files. JSON and SARIF
	// are one document; their results are kept without their parsed source.
	streaming := *format == "text" || *format == "github"
	var kept []*lint.Result
	keep := !streaming || len(outputFiles) > 0
	top, any := lint.Info, false
	var writeErr error
	emit := func(rs []*lint.Result) {
		for _, r := range rs {
			for _, line := range r.Prints {
				fmt.Fprintf(stderr, "%s\n", line)
			}
			if t, ok := r.Max(); ok {
				top, any = max(top, t), true
			}
		}
		est.record(rs)
		if streaming && writeErr == nil {
			writeErr = out.Write(stdout, rs)
		}
		if !keep {
			return
		}
		for _, r := range rs {
			r.Doc = nil
		}
		kept = append(kept, rs...)
	}
	if est.wanted {
		est.inputs = map[string]bool{}
		for _, f := range inputs.files {
			est.inputs[displayName(f.path)] = true
		}
	}
	skipped, errs, internal := lintAll(fsys, linter, inputs.files, stdin, emit)
	for _, err := range errs {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		code = exitUsage
	}
	printSkipped(stderr, skipped)
	for _, err := range emptyFolders(inputs, skipped) {
		fmt.Fprintf(stderr, "policylint: %v\n", err)
		code = exitUsage
	}
	if internal != nil {
		fmt.Fprintf(stderr, "policylint: %v\n", internal)
		return exitInternal
	}
	var last []*lint.Result
	last = append(last, linkResults(inputs.links, cfg)...)
	last = append(last, neverFires(rs, linter, cfg)...)
	if r := unusedIgnores(fsys, conf, linter, cfg); r != nil {
		last = append(last, r)
	}
	emit(last)
	if !streaming {
		writeErr = out.Write(stdout, kept)
	}
	if f, ok := out.(report.Finisher); ok && writeErr == nil {
		writeErr = f.Finish(stdout)
	}
	if writeErr != nil {
		fmt.Fprintf(stderr, "policylint: writing output: %v\n", writeErr)
		return exitUsage
	}
	for _, f := range outputFiles {
		if err := f.write(kept); err != nil {
			fmt.Fprintf(stderr, "policylint: %v\n", err)
			code = exitUsage
		}
	}
	if code != exitOK {
		return code
	}
	if any && top >= threshold {
		return exitFindings
	}
	return exitOK
}

// parseTags reads KEY=VALUE flag values.
func parseTags(flag string, values []string) ([]lint.Tag, error) {
	var out []lint.Tag
	for _, t := range values {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return nil, fmt.Errorf("%s %q: want KEY=VALUE", flag, t)
		}
		out = append(out, lint.Tag{Key: k, Value: v})
	}
	return out, nil
}

// loadModel reads a packed size model file; "" is the built-in model.
func loadModel(fsys *fsroot.FS, path string) (*pack.Model, error) {
	if path == "" {
		return nil, nil
	}
	if err := fsys.Allow(path); err != nil {
		return nil, fmt.Errorf("--model: %w", pathError(path, err))
	}
	b, err := readInput(fsys, path, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("--model: %w", err)
	}
	m, err := pack.LoadModel(b)
	if err != nil {
		return nil, fmt.Errorf("--model: %s: %v", path, strings.TrimPrefix(err.Error(), "pack: "))
	}
	return &m, nil
}

var operationNames = []string{"assume-role", "assume-role-with-saml", "assume-role-with-web-identity", "get-federation-token"}

const stdinName = "<stdin>"

// skip is a file a walk found that is of no kind policylint reads, and why.
type skip struct{ path, why string }

// maxSkipNotices is how many skipped files are named one by one.
const maxSkipNotices = 20

// printSkipped writes a notice for each file skipped, up to maxSkipNotices, then a count.
func printSkipped(stderr io.Writer, skipped []skip) {
	for i, s := range skipped {
		if i == maxSkipNotices {
			fmt.Fprintf(stderr, "policylint: notice: %d more files skipped\n", len(skipped)-i)
			break
		}
		fmt.Fprintf(stderr, "policylint: notice: %s skipped: %s\n", s.path, s.why)
	}
}

// inFlight bounds the input bytes read and linted at once, and not yet written: one file at the
// size limit and a few small ones. A file's parsed tree costs tens of times its size, so without
// a bound, cores times 8 MiB files would be parsed at once.
const inFlight = lint.MaxInputBytes + 1<<20

// lintAll reads and lints the files on all cores and hands each file's results to emit in input
// order, as soon as the file's turn comes; it returns the found files it skipped. A file holds
// its share of inFlight from before it is read until its results are emitted; shares are taken
// in input order, so the next file to emit always has its own.
func lintAll(fsys *fsroot.FS, l *lint.Linter, files []input, stdin io.Reader, emit func([]*lint.Result)) ([]skip, []error, error) {
	type done struct {
		results []*lint.Result
		skipped string
		err     error
		panic   any
	}
	// The results of the files in flight, by index, until their turn to be emitted comes: memory
	// for what is in flight, not for every file named.
	var mu sync.Mutex
	ready := sync.NewCond(&mu)
	finished := map[int]done{}
	var stdinData []byte
	var stdinErr error
	for _, f := range files {
		if f.path == "-" {
			stdinData, stdinErr = lint.ReadLimited(stdin)
			break
		}
	}
	budget := semaphore(inFlight)
	weights := make([]int64, len(files)) // read by the emitter once the dispatcher has set them
	jobs := make(chan int)
	var wg sync.WaitGroup
	linters := runtime.GOMAXPROCS(0)
	if l.RunsCustomRules() {
		linters *= 2 // while one waits for a rule worker, another lints in Go
	}
	for range min(linters, max(1, len(files))) {
		wg.Go(func() {
			for i := range jobs {
				var d done
				func() {
					defer func() {
						if r := recover(); r != nil {
							d.panic = r
						}
					}()
					d.results, d.skipped, d.err = lintOne(fsys, l, files[i], stdinData, stdinErr)
				}()
				mu.Lock()
				finished[i] = d
				mu.Unlock()
				ready.Broadcast()
			}
		})
	}
	go func() {
		for i, f := range files {
			weights[i] = inputWeight(fsys, f.path, len(stdinData))
			budget.acquire(weights[i])
			jobs <- i
		}
		close(jobs)
	}()
	var skips []skip
	var failed []error
	var internal error
	for i, f := range files {
		mu.Lock()
		d, ok := finished[i]
		for ; !ok; d, ok = finished[i] {
			ready.Wait()
		}
		delete(finished, i)
		mu.Unlock()
		budget.release(weights[i])
		switch {
		case internal != nil:
		case d.panic != nil:
			internal = fmt.Errorf("internal error while linting %s: %v (please report it with this file)", displayName(f.path), d.panic)
		case d.err != nil:
			failed = append(failed, d.err)
		default:
			if d.skipped != "" {
				skips = append(skips, skip{displayName(f.path), d.skipped})
			}
			emit(d.results)
		}
	}
	wg.Wait()
	return skips, failed, internal
}

// inputWeight is a file's share of inFlight: its size, within [1, inFlight].
func inputWeight(fsys *fsroot.FS, path string, stdinSize int) int64 {
	size := int64(stdinSize)
	if path != "-" {
		if info, err := fsys.Stat(path); err == nil {
			size = info.Size()
		}
	}
	return min(max(size, 1), inFlight)
}

// byteSemaphore is a counting semaphore over bytes.
type byteSemaphore struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int64
}

func semaphore(n int64) *byteSemaphore {
	s := &byteSemaphore{free: n}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *byteSemaphore) acquire(n int64) {
	s.mu.Lock()
	for s.free < n {
		s.cond.Wait()
	}
	s.free -= n
	s.mu.Unlock()
}

func (s *byteSemaphore) release(n int64) {
	s.mu.Lock()
	s.free += n
	s.mu.Unlock()
	s.cond.Broadcast()
}

func lintOne(fsys *fsroot.FS, l *lint.Linter, file input, stdinData []byte, stdinErr error) ([]*lint.Result, string, error) {
	src, err := readInput(fsys, file.path, stdinData, stdinErr)
	if err != nil {
		return nil, "", err
	}
	if file.found {
		results, skipped := l.LintFound(displayName(file.path), src)
		return results, skipped, nil
	}
	return l.Lint(displayName(file.path), src), "", nil
}

func displayName(file string) string {
	if file == "-" {
		return stdinName
	}
	return file
}

// isTerminal reports whether w is a terminal. /dev/null and other character devices are not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
