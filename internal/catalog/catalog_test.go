package catalog

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// referenceDir is ../shared/iam-catalog beside the repository: AWS's data, read in place.
const referenceDir = "../../../shared/iam-catalog"

func sharedReference(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(referenceDir, "servicereference")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("service reference not found at %s (../shared/iam-catalog beside the repository): %v", dir, err)
	}
	return dir
}

func allServices(t testing.TB, c *Catalog) []*Service {
	t.Helper()
	var out []*Service
	for _, n := range c.Names() {
		s := c.Service(n)
		if s == nil {
			t.Fatalf("service %s does not decode", n)
		}
		out = append(out, s)
	}
	return out
}

// TestEmbedded_Counts pins what the embedded catalogue holds: AWS's 442 services and 20,284
// actions of 2026-02-13, and the 1,269 newer action names of the supplement (10 of them in
// services the reference does not have yet).
func TestEmbedded_Counts(t *testing.T) {
	c := Embedded()
	if c.Date != "2026-02-13" || c.Source != AWSSource {
		t.Errorf("date %q, source %q", c.Date, c.Source)
	}
	services, actions, supplement, partial := 0, 0, 0, 0
	for _, s := range allServices(t, c) {
		services++
		if s.Partial {
			partial++
		}
		for _, a := range s.Actions {
			actions++
			if a.Supplement {
				supplement++
			}
		}
	}
	if services != 452 || actions != 20284+1269 || supplement != 1269 || partial != 10 {
		t.Errorf("%d services (%d partial), %d actions (%d from the supplement)", services, partial, actions, supplement)
	}
	if len(c.Broken()) > 0 {
		t.Errorf("broken: %v", c.Broken())
	}
}

// TestEmbedded_Checksum checks the embedded data as Decode checks a cache file; the embedded copy
// skips the check at start-up.
func TestEmbedded_Checksum(t *testing.T) {
	c, err := Decode([]byte(embeddedData))
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != Embedded().Len() {
		t.Errorf("%d services, embedded %d", c.Len(), Embedded().Len())
	}
}

// TestGenerate_UpToDate regenerates the embedded catalogue from ../shared and compares it with
// data/catalog.bin: `go generate ./internal/catalog` after changing the reference or the encoder.
func TestGenerate_UpToDate(t *testing.T) {
	dir := sharedReference(t)
	c, err := Load(OS{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(referenceDir, "supplement-actions-iam-dataset-2026-08.tsv"))
	if err != nil {
		t.Skipf("supplement not found: %v", err)
	}
	defer f.Close()
	supplement, err := ReadSupplement(f)
	if err != nil {
		t.Fatal(err)
	}
	e := Embedded()
	var b bytes.Buffer
	if err := Encode(&b, e.Date, e.Source, e.Note, AddSupplement(allServices(t, c), supplement)); err != nil {
		t.Fatal(err)
	}
	if b.String() != embeddedData {
		t.Errorf("data/catalog.bin is stale: run go generate ./internal/catalog (%d bytes generated, %d embedded)", b.Len(), len(embeddedData))
	}
}

// TestRoundTrip encodes the reference read from AWS's format and decodes it again.
func TestRoundTrip(t *testing.T) {
	c, err := Load(OS{}, sharedReference(t))
	if err != nil {
		t.Fatal(err)
	}
	want := allServices(t, c)
	var b bytes.Buffer
	if err := Encode(&b, "2026-02-13", AWSSource, "", want); err != nil {
		t.Fatal(err)
	}
	d, err := Decode(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := allServices(t, d)
	if len(got) != len(want) {
		t.Fatalf("%d services, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(normalize(got[i]), normalize(want[i])) {
			t.Errorf("service %s differs after the round trip", want[i].Name)
		}
	}
}

// normalize drops the difference between nil and empty lists, which the encoding does not keep.
func normalize(s *Service) *Service {
	n := Service{Name: s.Name, Keys: s.Keys, Partial: s.Partial} // not the index of keys, built on first use
	fix := func(v []string) []string {
		if len(v) == 0 {
			return nil
		}
		return v
	}
	n.Resources = append([]Resource(nil), s.Resources...)
	for i := range n.Resources {
		n.Resources[i].ARNFormats, n.Resources[i].Keys = fix(n.Resources[i].ARNFormats), fix(n.Resources[i].Keys)
	}
	n.Actions = append([]Action(nil), s.Actions...)
	for i := range n.Actions {
		a := &n.Actions[i]
		a.Keys = fix(a.Keys)
		var rs []ActionResource
		for _, r := range a.Resources {
			name := ""
			if r.Resource != nil {
				name = r.Resource.Name
			}
			rs = append(rs, ActionResource{Resource: &Resource{Name: name}, Keys: fix(r.Keys)})
		}
		a.Resources = rs
	}
	if len(n.Keys) == 0 {
		n.Keys = nil
	}
	return &n
}

// TestDecode_Damaged flips every byte of a small catalogue in turn: each result is an error or
// a catalogue whose services decode or are reported broken, never a panic.
func TestDecode_Damaged(t *testing.T) {
	c := Embedded()
	var b bytes.Buffer
	if err := Encode(&b, c.Date, c.Source, c.Note, []*Service{c.Service("s3"), c.Service("sts")}); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	if _, err := Decode(good); err != nil {
		t.Fatal(err)
	}
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x55
		if _, err := Decode(bad); err == nil {
			t.Fatalf("byte %d flipped: the checksum did not catch it", i)
		}
		// Past the checksum, the decoder itself must hold: decode without it.
		if d, err := decodeIndex(string(bad[:len(magic)]) + string(bad[len(magic):])); err == nil {
			for _, n := range d.Names() {
				d.Service(n)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	c := Embedded()
	s3 := c.Service("S3")
	if s3 == nil || s3.Name != "s3" {
		t.Fatal("no s3")
	}
	if a := s3.Action("getobject"); a == nil || a.Name != "GetObject" {
		t.Errorf("getobject: %v", a)
	}
	if a := s3.Action("GetObjects"); a != nil {
		t.Errorf("GetObjects: %v", a)
	}
	if n := len(s3.Match("Get*Tagging")); n < 5 {
		t.Errorf("Get*Tagging matched %d", n)
	}
	if n := len(s3.Match("get?bject")); n != 1 {
		t.Errorf("get?bject matched %d", n)
	}
	for name, want := range map[string]bool{
		"s3:prefix": true, "S3:Prefix": true, "s3:ExistingObjectTag/team": true, "s3:ExistingObjectTag/": false,
		"aws:ResourceTag/team": true, "aws:SourceIp": false, "s3:nosuchkey": false,
	} {
		if _, ok := s3.Key(name); ok != want {
			t.Errorf("Key(%q) = %v, want %v", name, ok, want)
		}
	}
	if k, _ := s3.Key("s3:max-keys"); k.Type != Numeric {
		t.Errorf("s3:max-keys is %v", k.Type)
	}
	if len(c.ByARNService("execute-api")) == 0 {
		t.Error("no service has execute-api ARNs")
	}
	if known, partial := c.Known("s3files"); !known || !partial {
		t.Errorf("s3files: known %v, partial %v", known, partial)
	}
}

// TestARNFormats checks the formats of an ARN service field: every one has that field, they
// come from each service with such ARNs (execute-api ARNs are apigateway's and execute-api's), the
// answer does not depend on case or on goroutines asking at once, and a service known only from
// the supplement gives none.
func TestARNFormats(t *testing.T) {
	c := Embedded()
	want, partial := c.ARNFormats("s3")
	if partial || !slices.Contains(want, "arn:${Partition}:s3:::${BucketName}") {
		t.Fatalf("s3 formats %v (partial %v) lack the bucket", want, partial)
	}
	for _, f := range want {
		if parts, _ := SplitARN(f); parts[2] != "s3" {
			t.Errorf("s3 format %q has service %q", f, parts[2])
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got, _ := c.ARNFormats("S3"); !slices.Equal(got, want) {
				t.Errorf("S3 formats differ from s3's")
			}
		})
	}
	wg.Wait()
	var fromServices int
	for _, svc := range c.ByARNService("execute-api") {
		for _, r := range svc.Resources {
			for _, f := range r.ARNFormats {
				if parts, _ := SplitARN(f); parts[2] == "execute-api" {
					fromServices++
				}
			}
		}
	}
	if got, _ := c.ARNFormats("execute-api"); len(got) != fromServices || fromServices == 0 {
		t.Errorf("execute-api: %d formats, the services have %d", len(got), fromServices)
	}
	if got, _ := c.ARNFormats("s3files"); len(got) != 0 {
		t.Errorf("s3files (supplement only, no ARN formats known): %v", got)
	}
}

// TestMatchWithin checks that the literal-run filter changes no answer of Match, against
// comparing the pattern with every action, and that the budget stops the matching.
func TestMatchWithin(t *testing.T) {
	c := Embedded()
	for _, svc := range []string{"s3", "ec2", "iam"} {
		s := c.Service(svc)
		for _, pattern := range []string{"*", "Get*", "get*tagging", "*Object*", "*object", "*a1*?", "?et*", "Describe*s", "*Vpc*Endpoint*", "*?*", "Create*Role", "*ZZZ*", "de*ac?", "*Tag*s"} {
			var want []string
			for i := range s.Actions {
				if wildcardFold(pattern, s.Actions[i].Name) {
					want = append(want, s.Actions[i].Name)
				}
			}
			var got []string
			for _, a := range s.Match(pattern) {
				got = append(got, a.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s Match(%q) = %v, want %v", svc, pattern, got, want)
			}
		}
	}
	ec2 := c.Service("ec2")
	budget := 100
	if out, ok := ec2.MatchWithin("*Vpc*", &budget); ok || out != nil {
		t.Errorf("ec2 *Vpc* within 100 steps: %d actions, ok %v", len(out), ok)
	}
	budget = 1 << 20
	if out, ok := ec2.MatchWithin("*Vpc*", &budget); !ok || len(out) == 0 {
		t.Errorf("ec2 *Vpc* within 1 MiB steps: %d actions, ok %v", len(out), ok)
	}
	budget = 10
	if _, ok := c.MatchServicesWithin("*", &budget); ok {
		t.Error("MatchServicesWithin: the budget did not stop it")
	}
}

func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"", "", true}, {"", "a", false}, {"get*", "getobject", true}, {"get*", "putobject", false},
		{"g?t", "get", true}, {"g?t", "gt", false}, {"*object", "getobject", true}, {"*o*e*", "getobject", true},
		{"a*b*c", "abbbbc", true}, {"a*b*c", "abbbb", false}, {"**", "x", true},
	} {
		if got := Wildcard(tc.pattern, tc.s); got != tc.want {
			t.Errorf("Wildcard(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func TestOverlap(t *testing.T) {
	for _, tc := range []struct {
		format, pattern string
		want            bool
	}{
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::tenant-a/*", true},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::tenant-a", false},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::tenant-a", true},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::tenant-*", true},
		{"arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}", "arn:aws:s3:us-east-1::tenant-a/*", false},
		{"arn:${Partition}:s3:${Region}:${Account}:job/${JobId}", "arn:aws:s3:*:*:job/*", true},
		{"arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/*", true},
		{"arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}", "arn:aws:logs:*:*:*", true},
		{"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", "arn:aws:iam::123456789012:role/${aws:username}", true},
		{"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", "arn:aws:iam::123456789012:user/x", false},
		{"arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}", "arn:aws:DynamoDB:us-east-1:123456789012:table/t", true},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::a?c", true},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::", false},
	} {
		if got := NewMatcher(1<<20).Overlap(tc.format, tc.pattern); got != tc.want {
			t.Errorf("Overlap(%q, %q) = %v", tc.format, tc.pattern, got)
		}
	}
	// The budget bounds the work and answers true when it runs out.
	m := NewMatcher(10)
	if !m.Overlap("arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::"+strings.Repeat("*a", 500)+"b") || m.Budget > 0 {
		t.Errorf("budget not honoured: %d left", m.Budget)
	}
}

// TestLoad_ErrorsNameThePathOnce: a missing service file is named once in the error, not once by
// the reader and again by Load.
func TestLoad_ErrorsNameThePathOnce(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "service-list.json"), []byte(`[{"service":"s3","url":"https://servicereference.us-east-1.amazonaws.com/v1/s3/s3.json"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(OS{}, dir)
	missing := filepath.Join(dir, "s3", "s3.json")
	if err == nil || strings.Count(err.Error(), missing) != 1 {
		t.Errorf("Load = %v, want %s named once", err, missing)
	}
}
