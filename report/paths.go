package report

import (
	"path/filepath"
	"strings"
)

// repoPath turns a result's path, as given on the command line, into a path relative to the
// repository's root with forward slashes, and reports whether it is inside the root. A path
// outside the root comes back absolute. A name in angle brackets (<stdin>) is not a file and
// comes back as it is, inside.
func (o Options) repoPath(path string) (string, bool) {
	if strings.HasPrefix(path, "<") && strings.HasSuffix(path, ">") {
		return path, true
	}
	if o.Root == "" {
		return filepath.ToSlash(path), !filepath.IsAbs(path)
	}
	abs := path
	if !filepath.IsAbs(path) {
		abs = filepath.Join(o.WorkDir, path)
	}
	rel, err := filepath.Rel(o.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs), false
	}
	return filepath.ToSlash(rel), true
}
