// Package fsroot is the one way policylint opens a file on an input's behalf. A pull request
// controls every file policylint lints, the configuration and the custom rules, so a path one of
// them names (a request's file:// policy, a configuration's rules-dirs, a directory walk's entries)
// must not lead outside the repository: not by "..", not by an absolute path, not through a
// symbolic link, and not to a device, FIFO or /proc file that would block, never end or hold a
// secret.
//
// An FS holds the roots reads may happen in: the repository (the nearest folder above the working
// folder holding .git, or the working folder itself) and each folder the user named on the
// command line outside it. Every read goes through an os.Root, which refuses a path, or a symbolic
// link met on the way, that leads out of its root; every file is opened without blocking and
// read only when it is a regular file, up to a size limit.
package fsroot

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Errors a read can end with, besides those of the file system.
var (
	// ErrOutside: the path leads outside every root, by "..", as an absolute path or through a
	// symbolic link.
	ErrOutside = errors.New("outside the repository")
	// ErrNotRegular: the path names a directory, device, FIFO or socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is larger than the limit of the read.
	ErrTooLarge = errors.New("too large")
)

// FS reads files inside its roots only. It is safe for concurrent use.
type FS struct {
	wd    string  // the working folder, absolute
	roots []*root // the repository first
}

type root struct {
	dir string // absolute
	r   *os.Root
}

// New returns an FS rooted at the repository that holds the working folder wd: the nearest
// folder at or above wd that holds .git, or wd itself when there is none.
func New(wd string) (*FS, error) {
	wd, err := filepath.Abs(wd)
	if err != nil {
		return nil, err
	}
	f := &FS{wd: wd}
	if err := f.addRoot(RepoRoot(wd)); err != nil {
		return nil, err
	}
	return f, nil
}

// RepoRoot returns the nearest folder at or above dir (absolute) that holds .git, or dir.
func RepoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func (f *FS) addRoot(dir string) error {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	f.roots = append(f.roots, &root{dir: dir, r: r})
	return nil
}

// Dir returns the repository root.
func (f *FS) Dir() string { return f.roots[0].dir }

// Close releases the roots.
func (f *FS) Close() error {
	var errs []error
	for _, r := range f.roots {
		errs = append(errs, r.r.Close())
	}
	return errors.Join(errs...)
}

// Allow makes a path the user named on the command line readable when it lies outside every
// root: a folder becomes a root of its own, a file's folder does. Paths inside a root need
// nothing. The user chose the path, but not what links below it lead to, so reads stay confined
// to it. A path that leads into /proc, /sys or /dev is refused.
func (f *FS) Allow(path string) error {
	if f.Inside(path) {
		return nil
	}
	abs := f.abs(path)
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return explain(err)
	}
	for _, special := range []string{"/proc", "/sys", "/dev"} {
		if real == special || strings.HasPrefix(real, special+"/") {
			return fmt.Errorf("%w: it leads to %s, a system file", ErrNotRegular, real)
		}
	}
	info, err := os.Stat(real)
	if err != nil {
		return explain(err)
	}
	dir := abs
	if !info.IsDir() {
		dir = filepath.Dir(abs)
	}
	return f.addRoot(dir)
}

// abs makes a path absolute against the working folder, lexically: ".." is resolved on the
// text, so it cannot climb out through a symbolic link.
func (f *FS) abs(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(f.wd, path)
}

// locate finds the root a path (relative to the working folder, or absolute) lies in, and the
// path relative to it.
func (f *FS) locate(path string) (*root, string, error) {
	abs := f.abs(path)
	var best *root
	var bestRel string
	for _, r := range f.roots {
		rel, err := filepath.Rel(r.dir, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if best == nil || len(r.dir) > len(best.dir) {
			best, bestRel = r, rel
		}
	}
	if best == nil {
		return nil, "", ErrOutside
	}
	return best, bestRel, nil
}

// Inside reports whether a path lies in one of the roots, lexically (links are judged when the
// path is opened).
func (f *FS) Inside(path string) bool {
	_, _, err := f.locate(path)
	return err == nil
}

// ReadFile reads a regular file of at most max bytes.
func (f *FS) ReadFile(path string, max int64) ([]byte, error) {
	r, rel, err := f.locate(path)
	if err != nil {
		return nil, err
	}
	file, err := r.r.OpenFile(rel, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, explain(err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, kind(info.Mode()))
	}
	if info.Size() > max {
		return nil, ErrTooLarge
	}
	// The size read may differ from the size stat gave (a file being written): read to EOF,
	// within max+1, into a buffer of the stated size plus room to notice more.
	b := make([]byte, 0, info.Size()+512)
	for int64(len(b)) <= max {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):min(int64(cap(b)), max+1)]
		n, err := file.Read(room)
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, explain(err)
		}
	}
	if int64(len(b)) > max {
		return nil, ErrTooLarge
	}
	return b, nil
}

// Stat describes the file a path names, following links that stay inside its root.
func (f *FS) Stat(path string) (fs.FileInfo, error) {
	r, rel, err := f.locate(path)
	if err != nil {
		return nil, err
	}
	info, err := r.r.Stat(rel)
	return info, explain(err)
}

// Entry is one file a walk found.
type Entry struct {
	// Path is the file's path: the walked folder's path as given, joined with the file's path
	// below it.
	Path string
	// Link is set for a symbolic link, which a walk does not follow: it is reported instead.
	Link bool
	// Outside is set for a link that leads outside the root (or nowhere).
	Outside bool
}

// Walk calls fn for each file below dir (a path relative to the working folder, or absolute) in
// lexical order, entering the folders enter accepts by name and no linked folder. keep says
// which file names to report; links are reported with Link set, and Outside when they lead out
// of the root or nowhere, and so is a link of a name without an extension (a folder, likely)
// that leads out of the root or nowhere. fn's error stops the walk; an unreadable folder is reported through
// onErr and skipped.
func (f *FS) Walk(dir string, keep, enter func(name string) bool, fn func(Entry) error, onErr func(path string, err error)) error {
	r, rel, err := f.locate(dir)
	if err != nil {
		return err
	}
	fsys := r.r.FS()
	return fs.WalkDir(fsys, filepath.ToSlash(rel), func(p string, d fs.DirEntry, err error) error {
		shown := filepath.Join(dir, strings.TrimPrefix(strings.TrimPrefix(p, filepath.ToSlash(rel)), "/"))
		if err != nil {
			onErr(shown, explain(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != filepath.ToSlash(rel) && !enter(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if !keep(d.Name()) {
			// A link that is not a file to keep may be a folder the walk would have entered:
			// one that leads outside the root or nowhere is reported, so that a folder linked
			// out of the repository is not skipped without a word. Only names without an
			// extension are taken for folders: its target, outside, is not looked at.
			if d.Type()&fs.ModeSymlink == 0 || strings.Contains(d.Name(), ".") || !enter(d.Name()) {
				return nil
			}
			if info, err := r.r.Stat(filepath.FromSlash(p)); err == nil && (info.IsDir() || !keep(d.Name())) {
				return nil
			}
			return fn(Entry{Path: shown, Link: true, Outside: true})
		}
		e := Entry{Path: shown}
		if d.Type()&fs.ModeSymlink != 0 {
			e.Link = true
			info, err := r.r.Stat(filepath.FromSlash(p))
			e.Outside = err != nil
			if err == nil && info.IsDir() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			onErr(shown, fmt.Errorf("%w (%s)", ErrNotRegular, kind(d.Type())))
			return nil
		}
		return fn(e)
	})
}

// explain words the errors of os.Root for a user.
func explain(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if strings.Contains(err.Error(), "escapes from parent") || strings.Contains(err.Error(), "path escapes") {
		return fmt.Errorf("%w (through a symbolic link or ..)", ErrOutside)
	}
	return err
}

// kind names a file mode's type for a message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}
