package lint

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The characters STS accepts in Policy: the API model's pattern
// [\u0009\u000A\u000D\u0020-\u00FF]+ (sts-2011-06-15 service model, sessionPolicyDocumentType).
const (
	charsetLow  = 0x20
	charsetHigh = 0xFF
)

func allowedRune(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || charsetLow <= r && r <= charsetHigh
}

// describeRune names a character for a message: its code point and, when printable, itself.
func describeRune(r rune) string {
	if r < 0x20 || r == 0x7F || (0x80 <= r && r < 0xA0) || r == 0xFEFF || (0x2028 <= r && r <= 0x202F) {
		return fmt.Sprintf("%U", r)
	}
	return fmt.Sprintf("%U %q", r, r)
}

// checkInvalidEncoding reports a byte-order mark and every byte that is not UTF-8.
func checkInvalidEncoding(p *Pass) {
	if p.Doc.BOM {
		p.ReportSpan(0, 3, "file starts with a UTF-8 byte-order mark (U+FEFF), which STS rejects as a policy character: save the file without BOM")
	}
	for _, off := range p.Doc.InvalidUTF8 {
		p.reportAt(p.span(off, off+1), fmt.Sprintf("byte 0x%02X is not valid UTF-8: the file must be UTF-8 (convert it, for example with iconv -f latin1 -t utf-8)", p.Doc.Src[off]))
	}
}

// checkPolicyCharset reports each character of the raw text outside what STS accepts. A BOM and
// invalid bytes are left to invalid-encoding.
func checkPolicyCharset(p *Pass) {
	src, start := p.Doc.Src, 0
	if p.Doc.BOM {
		start = 3
	}
	for i := start; i < len(src); {
		if b := src[i]; b >= charsetLow && b < utf8.RuneSelf || b == '\n' || b == '\t' || b == '\r' {
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if !allowedRune(r) && !(r == utf8.RuneError && size == 1) {
			p.reportAt(p.span(i, i+size), fmt.Sprintf("character %s is outside what STS accepts in a policy (U+0020–U+00FF, tab, LF, CR): replace it, or, if the value must hold it, write it as %s", describeRune(r), p.policyEscape(r)))
		}
		i += size
	}
}

// policyEscape says how to write r so that the policy holds it as a JSON \u escape, for where
// the policy is written. In a policy file that is the escape itself; in a JSON request file's
// Policy string the backslash is escaped too, so that the string holds the six characters
// \u2013 and not the character they name. In YAML and HCL it depends on the string's quoting:
// a double-quoted YAML string and a quoted HCL string decode \u escapes themselves, so the
// backslash is doubled there; a YAML block, plain or single-quoted scalar and an HCL heredoc keep
// it. Terraform's jsonencode writes such characters as they are, so no escape passes through it.
func (p *Pass) policyEscape(r rune) string {
	e := jsonEscape(r)
	doubled := strings.ReplaceAll(e, `\`, `\\`)
	switch {
	case p.host == nil:
		return e
	case p.syntax == syntaxHCL:
		return fmt.Sprintf("the JSON escape %s: %s in a quoted HCL string, %s in a heredoc (jsonencode writes the character itself, so a policy written with it must replace the character, or become a heredoc)", e, doubled, e)
	case p.syntax == syntaxYAML:
		return fmt.Sprintf("the JSON escape %s: %s in a double-quoted YAML string, %s in a block, plain or single-quoted one", e, doubled, e)
	}
	return doubled + " in the request file" // a JSON request file's Policy string
}

// jsonEscape writes r as a JSON \u escape (a surrogate pair above U+FFFF).
func jsonEscape(r rune) string {
	if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
		return fmt.Sprintf("\\u%04x\\u%04x", r1, r2)
	}
	return fmt.Sprintf("\\u%04x", r)
}

// checkPolicyCharsetEscape reports \u escapes that decode to a character outside the range.
// STS's character pattern sees the text as sent, in which the escape is plain ASCII, so the
// request passes it; IAM then evaluates the decoded character. That is the one way to match a
// value outside Latin-1 (json.dumps with ensure_ascii writes exactly this), and AWS does not
// document IAM rejecting it, so the finding is advice: it shows what the policy really holds,
// which matters for an escape written by accident, such as \u0000.
func checkPolicyCharsetEscape(p *Pass) {
	for _, e := range p.Doc.Escapes {
		if allowedRune(e.Rune) {
			continue
		}
		p.reportAt(p.span(e.Start, e.End), fmt.Sprintf("escape %s decodes to %s, outside U+0020–U+00FF: STS's character check passes the escaped text, but IAM evaluates the decoded character; write it only if the value really holds it", p.Doc.Src[e.Start:e.End], describeRune(e.Rune)))
	}
}
