package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/policylint/policylint/internal/catalog"
	"github.com/policylint/policylint/internal/fsroot"
	"github.com/policylint/policylint/lint"
)

const catalogUsage = `Usage:
  policylint catalog update [--from DIR|URL] [--date DAY]
                                               fetch AWS's service reference into the user cache
  policylint catalog show                      say which catalogue the checks use

The catalogue checks (unknown-service, unknown-action, the condition key and resource checks) ask
AWS's service reference: which actions, resource types and condition keys each service has. A copy
is built into policylint; 'catalog update' fetches the current one from AWS
(` + catalog.DefaultURL + `, the list and one document per service) into
the user cache, which then overrides the built-in copy. --from reads another URL, or a folder in
AWS's format (service-list.json and <prefix>.json files). 'lint --catalog DIR' uses a folder or a
catalogue file for one run. The cache is written atomically: a failed update keeps the old one.

Flags:
`

// updateTimeout bounds a whole 'catalog update'; AWS's reference is about 450 small documents.
const updateTimeout = 5 * time.Minute

// httpClient fetches the reference; tests point --from at a local server.
var httpClient = &http.Client{Timeout: 60 * time.Second}

func runCatalog(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, catalogUsage)
		return exitOK
	}
	switch args[0] {
	case "update":
		return runCatalogUpdate(args[1:], stdout, stderr)
	case "show":
		if len(args) == 2 && (args[1] == "-h" || args[1] == "--help") {
			fmt.Fprint(stdout, catalogUsage)
			return exitOK
		}
		if len(args) > 1 {
			fmt.Fprintf(stderr, "policylint: catalog show: unexpected arguments %q\n", args[1:])
			return exitUsage
		}
		c, warning := activeCatalog(nil, "")
		if warning != "" {
			fmt.Fprintf(stderr, "policylint: %s\n", warning)
		}
		fmt.Fprintf(stdout, "%s\n%s\n", c.Describe(), catalogCounts(c))
		return exitOK
	}
	fmt.Fprintf(stderr, "policylint: catalog: unknown command %q\n%s", args[0], catalogUsage)
	return exitUsage
}

func runCatalogUpdate(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("catalog update", pflag.ContinueOnError)
	fl.SetOutput(io.Discard)
	from := fl.String("from", catalog.DefaultURL, "the service reference to read: its list's URL, or a folder in AWS's format")
	dateFlag := fl.String("date", "", "the day the data was published, YYYY-MM-DD, for the messages (default: today for a URL, the list's modification day for a folder)")
	help := fl.BoolP("help", "h", false, "show this help")
	if err := fl.Parse(args); err != nil || fl.NArg() > 0 {
		if err == nil {
			err = fmt.Errorf("unexpected arguments %q", fl.Args())
		}
		fmt.Fprintf(stderr, "policylint: catalog update: %v\nRun 'policylint catalog --help' for usage.\n", err)
		return exitUsage
	}
	if *help {
		fmt.Fprint(stdout, catalogUsage+fl.FlagUsages())
		return exitOK
	}
	path, err := catalog.CachePath()
	if err != nil {
		fmt.Fprintf(stderr, "policylint: catalog update: no user cache folder: %v\n", err)
		return exitUsage
	}
	var services []*catalog.Service
	date, note := catalog.Today(), "fetched from "+*from
	if strings.HasPrefix(*from, "http://") || strings.HasPrefix(*from, "https://") {
		ctx, cancel := context.WithTimeout(context.Background(), updateTimeout)
		defer cancel()
		services, err = catalog.Fetch(ctx, httpClient, *from)
	} else {
		var c *catalog.Catalog
		if c, err = catalog.Load(catalog.OS{}, *from); err == nil {
			date, note = c.Date, "read from "+*from
			for _, name := range c.Names() {
				services = append(services, c.Service(name))
			}
		}
	}
	if err == nil && *dateFlag != "" {
		if _, perr := time.Parse(time.DateOnly, *dateFlag); perr != nil {
			err = fmt.Errorf("--date %q: want YYYY-MM-DD", *dateFlag)
		}
		date = *dateFlag
	}
	if err != nil {
		fmt.Fprintf(stderr, "policylint: catalog update: %v; the catalogue in use is unchanged\n", unwrapURLError(err))
		return exitUsage
	}
	if err := catalog.Save(path, date, catalog.AWSSource, note, services); err != nil {
		fmt.Fprintf(stderr, "policylint: catalog update: writing %s: %v; the catalogue in use is unchanged\n", path, err)
		return exitInternal
	}
	c, err := catalog.Open(catalog.OS{}, path)
	if err != nil {
		fmt.Fprintf(stderr, "policylint: catalog update: %v\n", err)
		return exitInternal
	}
	fmt.Fprintf(stdout, "%s\n%s\n", c.Describe(), catalogCounts(c))
	return exitOK
}

// catalogCounts says how much a catalogue holds.
func catalogCounts(c *catalog.Catalog) string {
	actions := 0
	for _, name := range c.Names() {
		if s := c.Service(name); s != nil {
			actions += len(s.Actions)
		}
	}
	return fmt.Sprintf("%s services, %s actions", lint.Thousands(c.Len()), lint.Thousands(actions))
}

// unwrapURLError words a net/http error as "URL: cause", without the method and quotes.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %v", ue.URL, ue.Err)
	}
	return err
}

// activeCatalog is the catalogue the checks use: the --catalog folder or file, read through the
// confined opener (fsys) as every path named on the command line, else the user cache written by
// 'catalog update', else the embedded one. A damaged cache is not fatal: the warning says so and
// the embedded catalogue serves. fsys may be nil when flag is empty.
func activeCatalog(fsys *fsroot.FS, flag string) (*catalog.Catalog, string) {
	if flag != "" {
		if err := fsys.Allow(flag); err != nil {
			return nil, fmt.Sprintf("--catalog: %v", pathError(flag, err))
		}
		c, err := catalog.Open(fsys, flag)
		if err != nil {
			return nil, fmt.Sprintf("--catalog: %v", pathError(flag, err))
		}
		return c, ""
	}
	path, err := catalog.CachePath()
	if err != nil {
		return catalog.Embedded(), ""
	}
	// The cache is the user's own, outside any repository: it is read as it is.
	c, err := catalog.Open(catalog.OS{}, path)
	switch {
	case err == nil:
		return c, ""
	case errors.Is(err, fs.ErrNotExist):
		return catalog.Embedded(), ""
	}
	return catalog.Embedded(), fmt.Sprintf("catalogue cache %v: using the built-in catalogue; run 'policylint catalog update' to replace it", err)
}

// catalogLine is the line --version adds: the data the catalogue checks use.
func catalogLine() string {
	c, _ := activeCatalog(nil, "")
	return fmt.Sprintf("  %-18s %s", "IAM catalogue:", c.Describe()) // as writeVersion's lines
}
