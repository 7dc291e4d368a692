package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/lint"
)

// openFS returns the confined file system of this run: the repository holding the working
// folder. Every file policylint reads, for a PATH argument, a request's file:// policy, the
// configuration or a custom rule, is read through it.
func openFS() (*fsroot.FS, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("working folder: %v", err)
	}
	return fsroot.New(wd)
}

// expanded is what the PATH arguments name: the files to lint, and the symbolic links a
// directory walk found leading out of the repository, which are reported and not followed.
type expanded struct {
	files []input
	links []string
	// folders are the PATH arguments that are folders, by index.
	folders map[int]string
}

// input is a file to lint; found says it came from a directory walk, so that a file of no kind
// policylint reads is skipped rather than reported.
type input struct {
	path  string
	found bool
	arg   int // the PATH argument it comes from
}

// expand turns the PATH arguments into the files to lint: a directory yields the files of the
// kinds policylint reads (lint.Candidate: JSON, YAML, Terraform) in lexical order, skipping
// folders whose name starts with a dot but .github, and linked folders; "-" stays as it is. A path the user names outside the repository is read confined to its own folder. A
// PATH that yields no file at all is an error, as a missing one is.
func expand(fsys *fsroot.FS, paths []string) (out expanded, errs []error) {
	out.folders = map[int]string{}
	for arg, p := range paths {
		if p == "-" {
			out.files = append(out.files, input{path: p})
			continue
		}
		if err := fsys.Allow(p); err != nil {
			errs = append(errs, pathError(p, err))
			continue
		}
		info, err := fsys.Stat(p)
		if err != nil {
			errs = append(errs, pathError(p, err))
			continue
		}
		if !info.IsDir() {
			out.files = append(out.files, input{path: p})
			continue
		}
		found := 0
		out.folders[arg] = p
		err = fsys.Walk(p, lint.Candidate, enterFolder, func(e fsroot.Entry) error {
			found++
			if e.Outside {
				out.links = append(out.links, e.Path)
			} else {
				out.files = append(out.files, input{path: e.Path, found: true, arg: arg})
			}
			return nil
		}, func(path string, err error) { errs = append(errs, pathError(path, err)) })
		switch {
		case err != nil:
			errs = append(errs, pathError(p, err))
		case found == 0:
			errs = append(errs, fmt.Errorf("%s: no file policylint reads (*.json, *.yaml, *.yml, *.tf) below this folder", p))
		}
	}
	return out, errs
}

// emptyFolders returns an error for each folder argument whose every file was skipped as of no
// kind policylint reads: it yielded nothing to lint, as an empty folder does.
func emptyFolders(in expanded, skipped []skip) []error {
	skippedPaths := map[string]bool{}
	for _, s := range skipped {
		skippedPaths[s.path] = true
	}
	linted := map[int]bool{}
	count := map[int]int{}
	for _, f := range in.files {
		if f.found {
			count[f.arg]++
			if !skippedPaths[displayName(f.path)] {
				linted[f.arg] = true
			}
		}
	}
	var errs []error
	for arg, p := range in.folders {
		if count[arg] > 0 && !linted[arg] {
			what := fmt.Sprintf("its %d files hold", count[arg])
			if count[arg] == 1 {
				what = "its one file holds"
			}
			errs = append(errs, fmt.Errorf("%s: nothing to lint below this folder: %s no policy, request, workflow or Terraform", p, what))
		}
	}
	return errs
}

// enterFolder says which folders a walk enters: not those whose name starts with a dot, but
// .github, where workflows are.
func enterFolder(name string) bool { return !strings.HasPrefix(name, ".") || name == ".github" }

// linkResults reports, as findings of their own paths, the symbolic links a walk did not follow.
func linkResults(links []string, cfg lint.Config) []*lint.Result {
	rule := lint.RuleByName("symlink-outside")
	if len(links) == 0 || disabled(rule, cfg) {
		return nil
	}
	sev := rule.Severity
	if s, ok := cfg.Severity[rule.Slug]; ok {
		sev = s
	}
	out := make([]*lint.Result, 0, len(links))
	for _, l := range links {
		start := lint.Pos{Line: 1, Column: 1}
		f := lint.NewFileFindings(l, rule, sev)
		f.Add(lint.Range{Start: start, End: start}, "symbolic link leads outside the repository, or nowhere: policylint does not follow it; lint its target by naming it, or remove the link")
		out = append(out, f.Result())
	}
	return out
}

// disabled reports whether the configuration or --disable turned a rule off.
func disabled(rule *lint.Rule, cfg lint.Config) bool {
	for _, name := range cfg.Disable {
		if lint.RuleByName(name) == rule {
			return true
		}
	}
	return false
}

// readInput reads a PATH argument: a file, or standard input already read.
func readInput(fsys *fsroot.FS, file string, stdinData []byte, stdinErr error) ([]byte, error) {
	if file == "-" {
		if stdinErr != nil {
			return nil, fmt.Errorf("%s: %v", stdinName, stdinErr)
		}
		return stdinData, nil
	}
	b, err := readConfined(fsys, file)
	if err != nil {
		return nil, pathError(file, err)
	}
	return b, nil
}

// readConfined reads a file through the confined file system, up to lint.MaxInputBytes, wording
// its errors for a user.
func readConfined(fsys *fsroot.FS, path string) ([]byte, error) {
	b, err := fsys.ReadFile(path, lint.MaxInputBytes)
	switch {
	case errors.Is(err, fsroot.ErrTooLarge):
		return nil, fmt.Errorf("larger than %d MiB; a session policy is at most 2,048 characters, so this is not one", lint.MaxInputBytes>>20)
	case errors.Is(err, fsroot.ErrNotRegular):
		return nil, fmt.Errorf("%v; use - to read standard input", err)
	}
	return b, err
}

// pathError words a file system error as "path: cause" without Go's operation prefix.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %v", path, err)
}
