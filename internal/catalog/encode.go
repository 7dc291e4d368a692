package catalog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"strings"
)

// The compact form: a header that indexes the services, then one body per service, so that
// opening a catalogue costs only the header and a lookup decodes only the services it needs. The
// bodies are not compressed (the whole is about 0.9 MB): decoding one takes its strings as
// substrings of the data, without copying.
//
//	magic "policylint-catalog 1\n"
//	crc32 (IEEE, little-endian) of everything after it
//	date, source, note                       strings
//	n                                        uvarint
//	n × {name, flags byte, ARN services, key prefixes, body length uvarint}
//	                                         (the lists as comma-separated strings)
//	n bodies
//
// A string is a uvarint length and its bytes; a list is a uvarint count and its items. A body is
// its strings table, then the keys, resource types and actions, each string an index into the
// table:
//
//	strings []string
//	items   uvarint: how many strings the lists below hold together
//	keys    []{name, type byte, valued byte}                  sorted by name, ignoring case
//	types   []{name, arn formats []idx, keys []idx}
//	actions []{name, flags byte, resources []{type+1 uvarint (0: not defined), keys []idx}, keys []idx}
//	                                                          sorted by name, ignoring case

const magic = "policylint-catalog 1\n"

// Encode writes services in the compact form.
func Encode(w io.Writer, date, source, note string, services []*Service) error {
	sorted := append([]*Service(nil), services...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var head, bodies bytes.Buffer
	putString(&head, date)
	putString(&head, source)
	putString(&head, note)
	putUvarint(&head, uint64(len(sorted)))
	for _, s := range sorted {
		if !ValidPrefix(s.Name) {
			return fmt.Errorf("%q is not a service prefix", s.Name)
		}
		sortService(s)
		body, err := encodeService(s)
		if err != nil {
			return fmt.Errorf("%s: %v", s.Name, err)
		}
		putString(&head, s.Name)
		var flags byte
		if s.Partial {
			flags |= 1
		}
		head.WriteByte(flags)
		putString(&head, strings.Join(arnServices(s), ","))
		putString(&head, strings.Join(keyPrefixes(s), ","))
		putUvarint(&head, uint64(len(body)))
		bodies.Write(body)
	}
	payload := append(head.Bytes(), bodies.Bytes()...)
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE(payload))
	for _, part := range [][]byte{[]byte(magic), sum[:], payload} {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return nil
}

func encodeService(s *Service) ([]byte, error) {
	index := map[string]int{}
	var table []string
	str := func(v string) uint64 {
		i, ok := index[v]
		if !ok {
			i = len(table)
			index[v] = i
			table = append(table, v)
		}
		return uint64(i)
	}
	var body bytes.Buffer
	items := 0
	strs := func(vs []string) {
		items += len(vs)
		putUvarint(&body, uint64(len(vs)))
		for _, v := range vs {
			putUvarint(&body, str(v))
		}
	}
	putUvarint(&body, uint64(len(s.Keys)))
	for _, k := range s.Keys {
		putUvarint(&body, str(k.Name))
		body.WriteByte(byte(k.Type))
		body.WriteByte(byte(k.Valued))
	}
	resIndex := map[*Resource]int{}
	putUvarint(&body, uint64(len(s.Resources)))
	for i := range s.Resources {
		r := &s.Resources[i]
		resIndex[r] = i
		putUvarint(&body, str(r.Name))
		strs(r.ARNFormats)
		strs(r.Keys)
	}
	putUvarint(&body, uint64(len(s.Actions)))
	for _, a := range s.Actions {
		putUvarint(&body, str(a.Name))
		var flags byte
		if a.Supplement {
			flags |= 1
		}
		body.WriteByte(flags)
		putUvarint(&body, uint64(len(a.Resources)))
		for _, ar := range a.Resources {
			ref := uint64(0)
			if ar.Resource != nil {
				i, ok := resIndex[ar.Resource]
				if !ok {
					return nil, fmt.Errorf("action %s: resource type %s is not the service's", a.Name, ar.Resource.Name)
				}
				ref = uint64(i) + 1
			}
			putUvarint(&body, ref)
			strs(ar.Keys)
		}
		strs(a.Keys)
	}
	var raw bytes.Buffer
	putUvarint(&raw, uint64(len(table)))
	for _, t := range table {
		putString(&raw, t)
	}
	putUvarint(&raw, uint64(items))
	raw.Write(body.Bytes())
	return raw.Bytes(), nil
}

func putUvarint(b *bytes.Buffer, v uint64) {
	var tmp [binary.MaxVarintLen64]byte
	b.Write(tmp[:binary.PutUvarint(tmp[:], v)])
}

func putString(b *bytes.Buffer, s string) {
	putUvarint(b, uint64(len(s)))
	b.WriteString(s)
}

// MaxCatalogBytes bounds a compact catalogue; the embedded one is about 0.9 MB.
const MaxCatalogBytes = 64 << 20

var errCorrupt = errors.New("catalogue data is damaged")

// Decode opens a catalogue in the compact form, checking its checksum. It reads the index;
// services are decoded on first use.
func Decode(data []byte) (*Catalog, error) {
	if len(data) > MaxCatalogBytes {
		return nil, fmt.Errorf("catalogue is larger than %d MiB", MaxCatalogBytes>>20)
	}
	if !bytes.HasPrefix(data, []byte(magic)) {
		return nil, errors.New("not a policylint catalogue (or one of another version)")
	}
	rest := data[len(magic):]
	if len(rest) < 4 || binary.LittleEndian.Uint32(rest) != crc32.ChecksumIEEE(rest[4:]) {
		return nil, errCorrupt
	}
	return decodeIndex(string(data))
}

// decodeIndex reads the index of a catalogue whose checksum is known good (or, for the embedded
// one, tested).
func decodeIndex(data string) (*Catalog, error) {
	if !strings.HasPrefix(data, magic) || len(data) < len(magic)+4 {
		return nil, errCorrupt
	}
	r := &reader{b: data[len(magic)+4:]}
	c := &Catalog{Date: r.string(), Source: r.string(), Note: r.string()}
	c.slots = make([]slot, r.count(MaxServices))
	sizes := make([]int, len(c.slots))
	for i := range c.slots {
		sl := &c.slots[i]
		sl.name = r.string()
		sl.partial = r.byte()&1 != 0
		sl.arnSvcs = r.string()
		sl.keySvcs = r.string()
		sizes[i] = r.count(len(r.b))
		if r.err == nil && (!ValidPrefix(sl.name) || i > 0 && c.slots[i-1].name >= sl.name) {
			r.err = errCorrupt
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	rest := r.b
	for i, size := range sizes {
		if size > len(rest) {
			return nil, errCorrupt
		}
		c.slots[i].body, rest = rest[:size], rest[size:]
	}
	if rest != "" {
		return nil, errCorrupt
	}
	return c, nil
}

// decodeService decodes one body. Its strings are substrings of body.
func decodeService(name string, partial bool, body string) (*Service, error) {
	r := &reader{b: body}
	// Each item takes at least as many bytes as the divisor of its count's limit, so that a damaged
	// count cannot make an allocation much larger than the body.
	table := make([]string, r.count(len(body)))
	for i := range table {
		table[i] = r.string()
	}
	// One backing array holds every list of strings of the service.
	pool := make([]string, 0, r.count(len(r.b)))
	str := func() string {
		i := r.count(len(table) - 1)
		if r.err != nil {
			return ""
		}
		return table[i]
	}
	strs := func() []string {
		n := r.count(len(r.b))
		if n == 0 || r.err != nil {
			return nil
		}
		start := len(pool)
		for range n {
			if r.err != nil {
				return nil
			}
			pool = append(pool, str())
		}
		return pool[start:len(pool):len(pool)]
	}
	s := &Service{Name: name, Partial: partial}
	s.Keys = make([]Key, r.count(len(r.b)/3))
	for i := range s.Keys {
		if r.err != nil {
			break
		}
		s.Keys[i] = Key{Name: str(), Type: KeyType(r.byte()), Valued: Valued(r.byte())}
	}
	s.Resources = make([]Resource, r.count(len(r.b)/3))
	for i := range s.Resources {
		if r.err != nil {
			break
		}
		s.Resources[i] = Resource{Name: str(), ARNFormats: strs(), Keys: strs()}
	}
	s.Actions = make([]Action, r.count(len(r.b)/4))
	for i := range s.Actions {
		a := &s.Actions[i]
		a.Name = str()
		a.Supplement = r.byte()&1 != 0
		if n := r.count(len(r.b) / 2); n > 0 {
			a.Resources = make([]ActionResource, n)
			for j := range a.Resources {
				if ref := r.count(len(s.Resources)); ref > 0 {
					a.Resources[j].Resource = &s.Resources[ref-1]
				}
				a.Resources[j].Keys = strs()
			}
		}
		a.Keys = strs()
		if r.err != nil {
			break
		}
	}
	if r.err != nil || r.b != "" || !s.sorted() {
		return nil, errCorrupt
	}
	return s, nil
}

// reader reads the compact form; the first error sticks and every later read returns zero.
type reader struct {
	b   string
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(r.b) && i < binary.MaxVarintLen64; i++ {
		c := r.b[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			r.b = r.b[i+1:]
			return v
		}
	}
	r.err = errCorrupt
	return 0
}

// count reads a uvarint that must be at most limit.
func (r *reader) count(limit int) int {
	v := r.uvarint()
	if limit < 0 || v > uint64(limit) {
		r.err = errCorrupt
		return 0
	}
	return int(v)
}

func (r *reader) byte() byte {
	if r.err != nil || r.b == "" {
		r.err = errCorrupt
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) string() string {
	v := r.uvarint()
	if r.err != nil || v > uint64(len(r.b)) {
		r.err = errCorrupt
		return ""
	}
	n := int(v)
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}
