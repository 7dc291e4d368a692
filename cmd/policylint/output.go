package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/lint"
	"github.com/policylint/policylint/report"
)

// output is one --output FORMAT=PATH: another format of the same run, written to a file.
type output struct {
	format, path string
	w            report.Writer
}

// parseOutputs reads the --output values; each format gets opts.
func parseOutputs(values []string, opts report.Options) ([]output, error) {
	var outs []output
	for _, v := range values {
		format, path, ok := strings.Cut(v, "=")
		if !ok || path == "" {
			return nil, fmt.Errorf("--output %q: want FORMAT=PATH, e.g. sarif=policylint.sarif (formats: %s)", v, strings.Join(report.Formats, ", "))
		}
		w, err := report.New(format, opts)
		if err != nil {
			return nil, fmt.Errorf("--output %q: %v", v, err)
		}
		outs = append(outs, output{format, path, w})
	}
	return outs, nil
}

// write creates the file (or truncates it) and writes results in its format.
func (o output) write(results []*lint.Result) error {
	f, err := os.Create(o.path)
	if err != nil {
		return fmt.Errorf("--output %s=%s: %w", o.format, o.path, pathError(o.path, err))
	}
	err = o.w.Write(f, results)
	if fin, ok := o.w.(report.Finisher); ok && err == nil {
		err = fin.Finish(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--output %s=%s: %v", o.format, o.path, err)
	}
	return nil
}

// placeOptions sets where the paths of results are: the working folder, and the repository's
// root (the root every input is read from) that SARIF and GitHub annotations name files from.
func placeOptions(opts *report.Options) {
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	opts.WorkDir = wd
	opts.Root = fsroot.RepoRoot(wd)
}

// estimates gives the Markdown report the packed-size estimate of each file named on the
// command line (not of a file:// policy a request brought in, which its request's estimate
// covers), as `policylint pack` makes it. Results reach the writers without their source, so
// estimates keeps the packed size estimates the linter made of the named inputs (Config.Estimates),
// for a Markdown report.
type estimates struct {
	wanted bool            // a Markdown report will ask
	inputs map[string]bool // display names, when wanted
	byPath map[string][]lint.RequestEstimate
}

// record keeps the estimates of one file's results.
func (e *estimates) record(rs []*lint.Result) {
	for _, r := range rs {
		if len(r.Estimates) == 0 || !e.inputs[r.Path] {
			continue
		}
		if e.byPath == nil {
			e.byPath = map[string][]lint.RequestEstimate{}
		}
		e.byPath[r.Path] = r.Estimates
	}
}

func (e *estimates) estimates(r *lint.Result) []lint.RequestEstimate { return e.byPath[r.Path] }
