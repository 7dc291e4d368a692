package catalog

import (
	_ "embed"
	"sync"
)

//go:generate go run ./gen -reference ../../../shared/iam-catalog/servicereference -supplement ../../../shared/iam-catalog/supplement-actions-iam-dataset-2026-08.tsv -supplement-note "with 1,269 newer action names that iann0036/iam-dataset listed on 2026-08-22" -date 2026-02-13 -out data/catalog.bin

// AWSSource names AWS's data in messages: "not in AWS's service reference of 2026-02-13".
const AWSSource = "AWS's service reference"

//go:embed data/catalog.bin
var embeddedData string

var embedded struct {
	once sync.Once
	c    *Catalog
}

// Embedded returns the catalogue built into policylint. Only its index is read here; its checksum
// is checked by the tests, not at every start.
func Embedded() *Catalog {
	embedded.once.Do(func() {
		c, err := decodeIndex(embeddedData)
		if err != nil {
			panic("catalog: the embedded catalogue does not decode: " + err.Error()) // tested
		}
		c.Origin = "embedded"
		embedded.c = c
	})
	return embedded.c
}
