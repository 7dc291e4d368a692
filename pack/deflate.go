package pack

import "github.com/klauspost/compress/flate"

// counter is an io.Writer that only counts the bytes written to it.
type counter int

func (c *counter) Write(p []byte) (int, error) {
	*c += counter(len(p))
	return len(p), nil
}

// deflateLen returns the raw DEFLATE length of data with dict preset, as
// klauspost/compress's stateless encoder writes it (one final block per 32 KiB;
// the last 8 KiB of dict are used). It keeps no state between calls, so it
// needs no pool and is safe for concurrent use; it suits the inputs an estimate
// compresses: a policy of at most 2,048 characters, ARNs and tags. Empty data
// costs nothing.
func deflateLen(c *counter, data, dict []byte) float64 {
	if len(data) == 0 {
		return 0
	}
	if len(dict) > maxDictionary {
		dict = dict[len(dict)-maxDictionary:]
	}
	*c = 0
	_ = flate.StatelessDeflate(c, data, true, dict) // writes to a counter cannot fail
	return float64(*c)
}
