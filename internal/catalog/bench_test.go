package catalog

import "testing"

// BenchmarkDecode_Index opens the embedded catalogue: checksum and index, no service.
func BenchmarkDecode_Index(b *testing.B) {
	for b.Loop() {
		if _, err := decodeIndex(embeddedData); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode_Service decodes one service on first use: s3 (about 170 actions) and ec2 (the
// largest, about 770).
func BenchmarkDecode_Service(b *testing.B) {
	for _, name := range []string{"s3", "ec2"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, _ := decodeIndex(embeddedData)
				if c.Service(name) == nil {
					b.Fatal("missing")
				}
			}
		})
	}
}
