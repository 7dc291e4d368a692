// Package sourcetest checks what every source reader's result must hold, for the readers'
// tests and fuzz targets: every place inside the file, every document JSON whose every byte
// maps into the file.
package sourcetest

import (
	"testing"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source"
)

// Check fails t when out, read from a file of size bytes, places anything outside the file or
// holds a document that is not JSON.
func Check(t testing.TB, size int, out source.File) {
	t.Helper()
	inside := func(what string, start, end int) {
		t.Helper()
		if start < 0 || end < start || end > size {
			t.Fatalf("%s at [%d, %d), outside the file of %d bytes", what, start, end, size)
		}
	}
	for _, fd := range out.Findings {
		inside(fd.Rule+" finding", fd.Start, fd.End)
	}
	for _, d := range out.Docs {
		if _, err := jsonpos.Parse(d.JSON, jsonpos.Options{}); err != nil {
			t.Fatalf("document %s is not JSON (%v): %q", d.At, err, d.JSON)
		}
		for i := 0; i <= len(d.JSON); i++ {
			if off := d.Map.Source(i); off < 0 || off > size {
				t.Fatalf("byte %d of %q maps to %d, outside the file of %d bytes", i, d.JSON, off, size)
			}
		}
		for _, a := range d.Assumed {
			inside("assumption "+a.What, a.Start, a.End)
		}
	}
}

// Snapshot is what a reader's result says, its maps resolved to the place of every byte, for
// comparing two reads.
func Snapshot(out source.File) any {
	type doc struct {
		Doc    source.Doc
		Places []int
	}
	var docs []doc
	for _, d := range out.Docs {
		places := make([]int, len(d.JSON)+1)
		for i := range places {
			places[i] = d.Map.Source(i)
		}
		d.Map = nil
		docs = append(docs, doc{d, places})
	}
	return []any{docs, out.Findings}
}
