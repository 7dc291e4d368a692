package pack

import (
	"sync"

	"github.com/klauspost/compress/flate"
)

// counter is an io.Writer that only counts the bytes written to it.
type counter int

func (c *counter) Write(p []byte) (int, error) {
	*c += counter(len(p))
	return len(p), nil
}

// deflateLen returns the raw DEFLATE length of data with dict preset, as
// klauspost/compress's stateless encoder writes it (one final block per 32 KiB;
// the last 8 KiB of dict are used). It keeps no state between calls, so it is
// safe for concurrent use; it suits the inputs an estimate compresses: a policy
// of at most 2,048 characters, ARNs and tags. Empty data costs nothing.
//
// Where the stateless encoder finds no repeat at all (random IDs, commit
// hashes), it stores the data as it is; a DEFLATE encoder would still
// Huffman-code it, as STS evidently does (METR's random IDs cost well under a
// byte a character), so the Huffman-only size is taken when it is smaller.
func deflateLen(c *counter, data, dict []byte) float64 {
	if len(data) == 0 {
		return 0
	}
	if len(dict) > maxDictionary {
		dict = dict[len(dict)-maxDictionary:]
	}
	*c = 0
	_ = flate.StatelessDeflate(c, data, true, dict) // writes to a counter cannot fail
	n := *c
	if int(n) >= len(data) {
		n = min(n, huffmanLen(c, data))
	}
	return float64(n)
}

// huffmanOnly recycles Huffman-only writers (flate.HuffmanOnly: no matching,
// literals entropy-coded), which allocate a 32 KiB window each.
var huffmanOnly = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.HuffmanOnly) // a valid level cannot fail
	return w
}}

// huffmanLen returns the length of data Huffman-coded without matching.
func huffmanLen(c *counter, data []byte) counter {
	w := huffmanOnly.Get().(*flate.Writer)
	defer huffmanOnly.Put(w)
	*c = 0
	w.Reset(c)
	_, _ = w.Write(data)
	_ = w.Close()
	w.Reset(nil)
	return *c
}
