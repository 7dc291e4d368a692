package lint

import (
	"bytes"
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/lazyre"
)

// Secrets are never printed past their first secretShown characters, in any format, whatever
// state the file is in. A request file's token and assertion are known by their parameters
// (secretValues); besides, every file's text is scanned for what looks like a secret, so that a
// file that does not parse, a key spelled in another case, a token without quotes or a private
// key pasted into a policy is masked too: in terminal snippets (Result.Secrets) and in messages
// (redact).

// SecretShown is how many leading characters of a secret may be printed.
const SecretShown = 6

// Patterns that find a secret where a cheap scan of the bytes has found where one may start: each
// is matched only within maxSecretScan bytes of such a place, so the scan stays linear with a
// small constant on an 8 MiB file.
var (
	// A JSON Web Token: base64url header starting {" , payload and signature.
	jwtPattern = lazyre.New(`^eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}(\.[A-Za-z0-9_-]*)?`)
	// The value of a key that names a secret, quoted or not, in JSON, YAML or HCL: after the
	// name, the rest of the key, then a closing quote and a separator ("token": "…"), an = (HCL,
	// env files), or a colon and a space (YAML, which needs the space); then the value. A colon
	// without a space is not a key's: secretsmanager:GetSecretValue is an action, and
	// arn:aws:secretsmanager:…:secret:name an ARN.
	keyValuePattern = lazyre.New(`^[A-Za-z0-9_-]*(?:["']\s*[:=]|\s*=|\s*:\s)\s*["']?([^"'\s,;}{\]]{6,})`)
	// AWS access key ids, which come with their secret.
	accessKeyPattern = lazyre.New(`^(?:AKIA|ASIA)[A-Z0-9]{16}`)
	// The words that name a secret's key, in lower case.
	secretWords = []string{"secret", "token", "password", "passwd", "assertion", "private_key", "privatekey", "private-key", "credential", "api_key", "apikey", "api-key"}
)

// maxSecretScan bounds how far past a starting place a secret's pattern is matched; a longer
// secret is masked up to there, and the base64 scan covers the rest.
const maxSecretScan = 64 << 10

// minBase64Run is the length of a run of base64 characters that is taken for a secret (an
// assertion, a key): longer than any word or ARN segment a policy holds.
const minBase64Run = 80

// secretSpans returns the byte ranges of src that look like secrets, in order, merged where
// they overlap. It reads src once: a secret's pattern is matched only where the byte scan has
// found where one may start (eyJ, -----BEGIN, a word that names a secret, AKIA or ASIA), and
// base64 runs are counted as it goes.
func secretSpans(src []byte) [][2]int {
	var spans [][2]int
	window := func(i int) []byte { return src[i:min(len(src), i+maxSecretScan)] }
	run := 0 // base64 characters before i
	for i := 0; i < len(src); i++ {
		c := src[i]
		class := byteClasses[c]
		if class&base64Byte != 0 {
			run++
		} else {
			if run >= minBase64Run {
				spans = append(spans, [2]int{i - run, i})
			}
			run = 0
		}
		if class&secretStart == 0 {
			continue // most bytes: no secret's pattern starts here
		}
		switch c | 0x20 { // lower case, for letters
		case 'e':
			if c == 'e' && bytes.HasPrefix(src[i:], []byte("eyJ")) {
				if m := jwtPattern.FindIndex(window(i)); m != nil {
					spans = append(spans, [2]int{i, i + m[1]})
				}
			}
		case 'a':
			if c == 'A' && (bytes.HasPrefix(src[i:], []byte("AKIA")) || bytes.HasPrefix(src[i:], []byte("ASIA"))) &&
				(i == 0 || !isWordByte(src[i-1])) && (i+20 >= len(src) || !isWordByte(src[i+20])) {
				if m := accessKeyPattern.FindIndex(src[i:min(len(src), i+20)]); m != nil {
					spans = append(spans, [2]int{i, i + 20})
				}
			}
		case '-' | 0x20:
			if c == '-' && bytes.HasPrefix(src[i:], []byte("-----BEGIN ")) {
				end := len(src)
				if k := bytes.Index(src[i+11:], []byte("-----END ")); k >= 0 {
					end = i + 11 + k
					if e := bytes.Index(src[end+9:], []byte("-----")); e >= 0 {
						end += 9 + e + 5
					}
				}
				spans = append(spans, [2]int{i, end})
			}
		}
		if w := secretWordAt(src, i); w > 0 {
			if m := keyValuePattern.FindSubmatchIndex(window(i + w)); m != nil {
				spans = append(spans, [2]int{i + w + m[2], i + w + m[3]})
			}
		}
	}
	if run >= minBase64Run {
		spans = append(spans, [2]int{len(src) - run, len(src)})
	}
	return mergeSpans(spans)
}

// secretWordAt returns the length of the word naming a secret that starts at src[i], in any
// case, or 0. Most bytes start no such word: a table by first letter rules them out at once.
func secretWordAt(src []byte, i int) int {
	for _, w := range secretWordsByFirst[lowerByte(src[i])] {
		if hasPrefixFoldASCII(src[i:], w) {
			return len(w)
		}
	}
	return 0
}

// secretWordsByFirst lists secretWords by their first letter.
var secretWordsByFirst = func() (t [256][]string) {
	for _, w := range secretWords {
		t[w[0]] = append(t[w[0]], w)
	}
	return t
}()

// hasPrefixFoldASCII reports whether b starts with lower, a lower-case ASCII word, in any case.
func hasPrefixFoldASCII(b []byte, lower string) bool {
	if len(b) < len(lower) {
		return false
	}
	for j := 1; j < len(lower); j++ { // the first byte is the table's
		if lowerByte(b[j]) != lower[j] {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// byteClasses tells, for each byte, whether it is a base64 character and whether one of the
// patterns secretSpans matches may start at it.
var byteClasses = func() (t [256]uint8) {
	for c := range 256 {
		if isBase64Byte(byte(c)) {
			t[c] |= base64Byte
		}
	}
	for _, c := range []byte("eA-") { // eyJ, AKIA and ASIA, -----BEGIN
		t[c] |= secretStart
	}
	for _, w := range secretWords {
		t[w[0]] |= secretStart
		t[w[0]-'a'+'A'] |= secretStart
	}
	return t
}()

const (
	base64Byte = 1 << iota
	secretStart
)

func isBase64Byte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}

func isWordByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_'
}

func mergeSpans(spans [][2]int) [][2]int {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s[0] <= last[1] {
			last[1] = max(last[1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}

// redact masks what looks like a secret in a message past its first SecretShown characters.
func redact(msg string) string {
	spans := secretSpans([]byte(msg))
	if len(spans) == 0 {
		return msg
	}
	b := make([]byte, 0, len(msg))
	last := 0
	for _, s := range spans {
		keep := s[0]
		for n := 0; n < SecretShown && keep < s[1]; n++ {
			_, size := utf8.DecodeRuneInString(msg[keep:])
			keep += size
		}
		b = append(b, msg[last:keep]...)
		if keep < s[1] {
			b = append(b, "…"...)
		}
		last = s[1]
	}
	return string(append(b, msg[last:]...))
}
