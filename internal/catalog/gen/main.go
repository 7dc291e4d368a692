// Command gen writes the embedded catalogue (internal/catalog/data/catalog.bin) from AWS's
// service reference in its own format and a list of newer action names. It runs from
// `go generate ./internal/catalog` with ../shared beside the repository:
//
//	go run ./gen -reference DIR -supplement FILE -date YYYY-MM-DD -out data/catalog.bin
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/policylint/policylint/internal/catalog"
)

func main() {
	reference := flag.String("reference", "", "folder of AWS's service reference: service-list.json and <prefix>.json files")
	supplement := flag.String("supplement", "", "optional list of newer action names, service:Action<TAB>level a line")
	supplementNote := flag.String("supplement-note", "", "what the supplement is, for --version")
	date := flag.String("date", "", "the day the reference was published, YYYY-MM-DD")
	out := flag.String("out", "", "file to write")
	flag.Parse()
	if err := run(*reference, *supplement, *supplementNote, *date, *out); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func run(reference, supplement, note, date, out string) error {
	if reference == "" || date == "" || out == "" {
		return fmt.Errorf("-reference, -date and -out are required")
	}
	c, err := catalog.Load(catalog.OS{}, reference)
	if err != nil {
		return err
	}
	var services []*catalog.Service
	for _, name := range c.Names() {
		services = append(services, c.Service(name))
	}
	if supplement != "" {
		f, err := os.Open(supplement)
		if err != nil {
			return err
		}
		actions, err := catalog.ReadSupplement(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %v", supplement, err)
		}
		services = catalog.AddSupplement(services, actions)
	}
	return catalog.Save(out, date, catalog.AWSSource, note, services)
}
