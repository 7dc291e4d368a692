package lint

import (
	"regexp"
	"unicode/utf8"
)

// Secrets are never printed past their first secretShown characters, in any format, whatever
// state the file is in. A request file's token and assertion are known by their parameters
// (secretValues); besides, every file's text is scanned for what looks like a secret, so that a
// file that does not parse, a key spelled in another case, a token without quotes or a private
// key pasted into a policy is masked too: in terminal snippets (Result.Secrets) and in messages
// (redact).

// SecretShown is how many leading characters of a secret may be printed.
const SecretShown = 6

var secretPatterns = []*regexp.Regexp{
	// A JSON Web Token: base64url header starting {" , payload and signature.
	regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}(\.[A-Za-z0-9_-]*)?`),
	// A PEM block: a private key or certificate.
	regexp.MustCompile(`-----BEGIN [A-Z0-9 ]+-----[^-]*(-----END [A-Z0-9 ]+-----)?`),
	// The value of a key that names a secret, quoted or not, in JSON, YAML or HCL.
	regexp.MustCompile(`(?i)(?:secret|token|password|passwd|assertion|private[_-]?key|credential|api[_-]?key)[A-Za-z0-9_-]*["']?\s*[:=]\s*["']?([^"'\s,;}{\]]{6,})`),
	// A long run of base64 (an assertion, a key): 80 characters of letters, digits, + / =.
	regexp.MustCompile(`[A-Za-z0-9+/=]{80,}`),
	// AWS access key ids, which come with their secret.
	regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`),
}

// secretSpans returns the byte ranges of src that look like secrets, in order, merged where
// they overlap. The patterns are RE2: linear in the input.
func secretSpans(src []byte) [][2]int {
	var spans [][2]int
	for _, re := range secretPatterns {
		for _, m := range re.FindAllSubmatchIndex(src, -1) {
			start, end := m[0], m[1]
			if len(m) >= 4 && m[2] >= 0 && re == secretPatterns[2] {
				start, end = m[2], m[3] // the value, not the key
			}
			spans = append(spans, [2]int{start, end})
		}
	}
	return mergeSpans(spans)
}

func mergeSpans(spans [][2]int) [][2]int {
	if len(spans) < 2 {
		return spans
	}
	// Insertion into order: there are few.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j][0] < spans[j-1][0]; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
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
