package catalog

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds damaged catalogues to the decoder, past the checksum: it must return an error
// or a catalogue whose services decode or are reported broken, never panic.
func FuzzDecode(f *testing.F) {
	c := Embedded()
	var b bytes.Buffer
	if err := Encode(&b, c.Date, c.Source, c.Note, []*Service{c.Service("s3"), c.Service("sts"), c.Service("s3files")}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(magic + "\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeIndex(string(data))
		if err != nil {
			return
		}
		for _, n := range d.Names() {
			if s := d.Service(n); s != nil {
				s.Action("GetObject")
				s.Match("Get*")
				s.Key("s3:prefix")
			}
		}
		d.ByARNService("s3")
		d.KeyServices("saml")
	})
}

// FuzzOverlap checks that Overlap never panics and honours its budget.
func FuzzOverlap(f *testing.F) {
	f.Add("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::tenant-a/*")
	f.Add("arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}", "arn:aws:logs:*:*:log-group:${aws:username}*")
	f.Add("${", "${*}?*")
	f.Fuzz(func(t *testing.T, format, pattern string) {
		if len(format) > 512 || len(pattern) > 512 {
			return
		}
		m := NewMatcher(1000)
		m.Overlap(format, pattern)
		m.OverlapResource(format, pattern)
		if m.Budget < 0 {
			t.Fatalf("budget overdrawn: %d", m.Budget)
		}
	})
}
