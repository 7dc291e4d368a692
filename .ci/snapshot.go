//go:build ignore

// Command snapshot builds the release of one platform as .goreleaser.yaml describes it, for CI:
// each binary with the config's env, flags and ldflags, their archive with the config's name, format
// and files, the SBOM with the config's command, and checksums.txt, all into dist/ as
// `goreleaser release --snapshot` would. It reads the config itself, so CI proves the file that
// the release workflow uses; GoReleaser itself is not built here (compiling it takes longer than
// CI can give it). It fails on any setting it does not know, rather than build something else.
//
// usage: go run .ci/snapshot.go [-target GOOS_GOARCH] [-sbom]
//
// -sbom runs the SBOM command (cyclonedx-gomod, on PATH). dist/ is removed first.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// config is the part of .goreleaser.yaml this program knows; decoding fails on anything else.
type config struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		ID           string   `yaml:"id"`
		Main         string   `yaml:"main"`
		Binary       string   `yaml:"binary"`
		Env          []string `yaml:"env"`
		Flags        []string `yaml:"flags"`
		Ldflags      []string `yaml:"ldflags"`
		ModTimestamp string   `yaml:"mod_timestamp"`
		Goos         []string `yaml:"goos"`
		Goarch       []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		ID              string   `yaml:"id"`
		IDs             []string `yaml:"ids"`
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		BuildsInfo struct {
			Mtime string `yaml:"mtime"`
		} `yaml:"builds_info"`
		Files []struct {
			Src  string `yaml:"src"`
			Info struct {
				Mtime string `yaml:"mtime"`
			} `yaml:"info"`
		} `yaml:"files"`
	} `yaml:"archives"`
	Sboms []struct {
		ID        string   `yaml:"id"`
		Artifacts string   `yaml:"artifacts"`
		Documents []string `yaml:"documents"`
		Cmd       string   `yaml:"cmd"`
		Args      []string `yaml:"args"`
		Env       []string `yaml:"env"`
	} `yaml:"sboms"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Snapshot struct {
		VersionTemplate string `yaml:"version_template"`
	} `yaml:"snapshot"`
	// Not used for a snapshot.
	Changelog any `yaml:"changelog"`
	Release   any `yaml:"release"`
}

func main() {
	target := flag.String("target", runtime.GOOS+"_"+runtime.GOARCH, "the platform to build, GOOS_GOARCH")
	sbom := flag.Bool("sbom", false, "also run the SBOM command")
	flag.Parse()
	if err := run(*target, *sbom); err != nil {
		fmt.Fprintf(os.Stderr, "snapshot: %v\n", err)
		os.Exit(1)
	}
}

func run(target string, sbom bool) error {
	raw, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		return err
	}
	var cfg config
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return fmt.Errorf(".goreleaser.yaml: %v (this program knows only some settings: teach it the new one)", err)
	}
	if cfg.Version != 2 || len(cfg.Builds) == 0 || len(cfg.Archives) != 1 || len(cfg.Sboms) > 1 || cfg.Checksum.Algorithm != "sha256" {
		return fmt.Errorf(".goreleaser.yaml: want version 2, builds, one archive, at most one SBOM and sha256 checksums")
	}
	a := cfg.Archives[0]
	goos, goarch, _ := strings.Cut(target, "_")

	data, err := gitData()
	if err != nil {
		return err
	}
	data["ProjectName"] = cfg.ProjectName
	if data["Version"], err = render(cfg.Snapshot.VersionTemplate, data); err != nil {
		return err
	}
	data["Os"], data["Arch"] = goos, goarch

	if err := os.RemoveAll("dist"); err != nil {
		return err
	}
	exe := ""
	if goos == "windows" {
		exe = ".exe"
	}
	// Every build the archive names, into the archive.
	var entries []entry
	for _, b := range cfg.Builds {
		if !slices.Contains(a.IDs, b.ID) {
			return fmt.Errorf("build %s is in no archive: this program builds what the archive holds", b.ID)
		}
		if !slices.Contains(b.Goos, goos) || !slices.Contains(b.Goarch, goarch) {
			return fmt.Errorf("target %s is not among build %s's goos %v and goarch %v", target, b.ID, b.Goos, b.Goarch)
		}
		data["Binary"] = b.Binary
		bin := filepath.Join("dist", b.ID+"_"+target, b.Binary+exe)
		env, err := renderAll(b.Env, data)
		if err != nil {
			return err
		}
		ldflags, err := renderAll(b.Ldflags, data)
		if err != nil {
			return err
		}
		args := append([]string{"build"}, b.Flags...)
		args = append(args, "-ldflags="+strings.Join(ldflags, " "), "-o", bin, b.Main)
		fmt.Printf("%s GOOS=%s GOARCH=%s go %s\n", strings.Join(env, " "), goos, goarch, strings.Join(args, " "))
		cmd := exec.Command("go", args...)
		cmd.Env = append(append(os.Environ(), env...), "GOOS="+goos, "GOARCH="+goarch)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %v", err)
		}
		if b.ModTimestamp != "" {
			ts, err := render(b.ModTimestamp, data)
			if err != nil {
				return err
			}
			sec, err := strconv.ParseInt(ts, 10, 64)
			if err != nil {
				return fmt.Errorf("mod_timestamp %q: %v", ts, err)
			}
			if err := os.Chtimes(bin, time.Unix(sec, 0), time.Unix(sec, 0)); err != nil {
				return err
			}
		}
		entries = append(entries, entry{src: bin, name: b.Binary + exe, mtime: a.BuildsInfo.Mtime})
	}
	if len(entries) != len(a.IDs) {
		return fmt.Errorf("archive ids %v name a build the config does not have", a.IDs)
	}

	format := a.Formats
	for _, o := range a.FormatOverrides {
		if o.Goos == goos {
			format = o.Formats
		}
	}
	if len(format) != 1 || format[0] != "tar.gz" && format[0] != "zip" {
		return fmt.Errorf("archive formats %v: this program writes tar.gz or zip", format)
	}
	name, err := render(a.NameTemplate, data)
	if err != nil {
		return err
	}
	name += "." + format[0]
	for _, f := range a.Files {
		entries = append(entries, entry{src: f.Src, name: filepath.Base(f.Src), mtime: f.Info.Mtime})
	}
	slices.SortFunc(entries, func(x, y entry) int { return strings.Compare(x.name, y.name) }) // as GoReleaser orders them
	if err := writeArchive(filepath.Join("dist", name), format[0], entries, data); err != nil {
		return err
	}
	assets := []string{name}

	if sbom && len(cfg.Sboms) == 1 {
		s := cfg.Sboms[0]
		if s.Artifacts != "archive" || len(s.Documents) != 1 {
			return fmt.Errorf("sboms: want artifacts: archive and one document")
		}
		data["ArtifactName"] = name
		doc, err := render(s.Documents[0], data)
		if err != nil {
			return err
		}
		args, err := renderAll(s.Args, data)
		if err != nil {
			return err
		}
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "$document", doc)
		}
		env, err := renderAll(s.Env, data)
		if err != nil {
			return err
		}
		fmt.Printf("(in dist) %s %s %s\n", strings.Join(env, " "), s.Cmd, strings.Join(args, " "))
		cmd := exec.Command(s.Cmd, args...)
		cmd.Dir = "dist" // GoReleaser runs it in its dist folder
		cmd.Env = append(os.Environ(), env...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v", s.Cmd, err)
		}
		assets = append(assets, doc)
	}

	sumsName, err := render(cfg.Checksum.NameTemplate, data)
	if err != nil {
		return err
	}
	slices.Sort(assets)
	var sums strings.Builder
	for _, asset := range assets {
		b, err := os.ReadFile(filepath.Join("dist", asset))
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(h[:]), asset)
	}
	if err := os.WriteFile(filepath.Join("dist", sumsName), []byte(sums.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("dist/%s:\n%s", sumsName, sums.String())
	return nil
}

// gitData is the template data GoReleaser takes from git: the commit, its date, and the version
// of the latest tag (0.0.0 when there is none).
func gitData() (map[string]any, error) {
	git := func(args ...string) (string, error) {
		out, err := exec.Command("git", args...).Output()
		if err != nil {
			return "", fmt.Errorf("git %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	full, err := git("rev-parse", "HEAD")
	if err != nil {
		return nil, err
	}
	short, err := git("rev-parse", "--short", "HEAD")
	if err != nil {
		return nil, err
	}
	ct, err := git("show", "-s", "--format=%ct", "HEAD")
	if err != nil {
		return nil, err
	}
	sec, err := strconv.ParseInt(ct, 10, 64)
	if err != nil {
		return nil, err
	}
	version := "0.0.0"
	if tag, err := git("describe", "--tags", "--abbrev=0"); err == nil && tag != "" {
		version = strings.TrimPrefix(tag, "v")
	}
	return map[string]any{
		"FullCommit": full, "Commit": full, "ShortCommit": short,
		"CommitDate": time.Unix(sec, 0).UTC().Format(time.RFC3339), "CommitTimestamp": ct,
		"Version": version,
	}, nil
}

// render executes a GoReleaser template: Go's text/template, and an error for a field this
// program does not set.
func render(text string, data map[string]any) (string, error) {
	t, err := template.New("").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("template %q: %v", text, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %q: %v", text, err)
	}
	return b.String(), nil
}

func renderAll(texts []string, data map[string]any) ([]string, error) {
	out := make([]string, len(texts))
	for i, t := range texts {
		var err error
		if out[i], err = render(t, data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// entry is a file of an archive.
type entry struct {
	src, name, mtime string // mtime: a template, or "" for the file's own
}

// writeArchive writes entries into a tar.gz or zip archive at path.
func writeArchive(path, format string, entries []entry, data map[string]any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var tw *tar.Writer
	var gz *gzip.Writer
	var zw *zip.Writer
	if format == "zip" {
		zw = zip.NewWriter(f)
	} else {
		gz = gzip.NewWriter(f)
		tw = tar.NewWriter(gz)
	}
	for _, e := range entries {
		info, err := os.Stat(e.src)
		if err != nil {
			return err
		}
		mtime := info.ModTime()
		if e.mtime != "" {
			s, err := render(e.mtime, data)
			if err != nil {
				return err
			}
			if mtime, err = time.Parse(time.RFC3339, s); err != nil {
				return fmt.Errorf("mtime %q: %v", s, err)
			}
		}
		body, err := os.Open(e.src)
		if err != nil {
			return err
		}
		var w io.Writer
		if zw != nil {
			h, err := zip.FileInfoHeader(info)
			if err != nil {
				return err
			}
			h.Name, h.Method, h.Modified = e.name, zip.Deflate, mtime
			w, err = zw.CreateHeader(h)
			if err != nil {
				return err
			}
		} else {
			h, err := tar.FileInfoHeader(info, "")
			if err != nil {
				return err
			}
			h.Name, h.ModTime, h.Uid, h.Gid, h.Uname, h.Gname = e.name, mtime, 0, 0, "root", "root"
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			w = tw
		}
		_, err = io.Copy(w, body)
		body.Close()
		if err != nil {
			return err
		}
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	} else {
		if err := tw.Close(); err != nil {
			return err
		}
		if err := gz.Close(); err != nil {
			return err
		}
	}
	return f.Close()
}
