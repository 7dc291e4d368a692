package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/policylint/policylint/pack"
)

// A release build stamps these with -ldflags "-X main.version=... -X main.commit=... -X
// main.date=..." (.goreleaser.yaml); a source build leaves them empty.
var (
	version string // the release's version, without the v: "1.4.0"
	commit  string // the full commit hash
	date    string // the commit's time, RFC 3339 (a fixed date keeps release builds reproducible)
)

// buildInfo is what a binary knows of how it was built.
type buildInfo struct {
	// Version is the release's version, or the module version Go recorded (v1.4.0 from go
	// install, a pseudo-version from a build in a git checkout), or "(devel)" when Go recorded
	// none (go run, or a build without version control information).
	Version  string
	Release  bool   // stamped by a release build
	Commit   string // full hash, or ""
	Date     string // commit time, or ""
	Modified bool   // built from a checkout with uncommitted changes
	Go       string // go1.26.8 linux/amd64
}

// readBuildInfo combines the release stamps with what Go records in every binary.
func readBuildInfo() buildInfo {
	b := buildInfo{
		Version: version, Release: version != "", Commit: commit, Date: date,
		Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if b.Version == "" {
			b.Version = "(devel)"
		}
		return b
	}
	if b.Version == "" {
		b.Version = info.Main.Version
		if b.Version == "" {
			b.Version = "(devel)"
		}
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.Commit == "" {
				b.Commit = s.Value
			}
		case "vcs.time":
			if b.Date == "" {
				b.Date = s.Value
			}
		case "vcs.modified":
			b.Modified = !b.Release && s.Value == "true"
		}
	}
	return b
}

// toolVersion is the version other tools are given (SARIF's driver version): a semantic
// version without the v, which starts with a digit as SARIF asks: "1.4.0",
// "0.0.0-20261123195746-f60fd57a9069+dirty", or "0.0.0-devel" when nothing is known.
func (b buildInfo) toolVersion() string {
	if b.Version == "(devel)" {
		return "0.0.0-devel"
	}
	return strings.TrimPrefix(b.Version, "v")
}

// versionLines are the "--version" lines after the first, as label and value.
func (b buildInfo) versionLines() [][2]string {
	var lines [][2]string
	if b.Commit != "" {
		c := b.Commit
		if b.Modified {
			c += " (with uncommitted changes)"
		}
		lines = append(lines, [2]string{"commit", c})
	}
	if b.Date != "" {
		lines = append(lines, [2]string{"commit date", b.Date})
	}
	lines = append(lines,
		[2]string{"go", b.Go},
		[2]string{"packed size model", pack.ModelVersion},
	)
	return lines
}

// writeVersion writes what `policylint --version` prints.
func writeVersion(w io.Writer, b buildInfo) {
	first := "policylint " + b.Version
	switch {
	case b.Release:
	case b.Version == "(devel)" && b.Commit == "":
		first += " (built from source, without version control information)"
	default:
		first += " (built from source)"
	}
	fmt.Fprintln(w, first)
	for _, l := range b.versionLines() {
		fmt.Fprintf(w, "  %-18s %s\n", l[0]+":", l[1])
	}
}
