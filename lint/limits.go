package lint

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/lazyre"
)

const (
	// maxPlaintext is the plaintext limit of Policy and PolicyArns combined, in characters:
	// "The plaintext that you use for both inline and managed session policies can't exceed 2,048
	// characters." (STS API Reference, AssumeRole, Policy and PolicyArns)
	maxPlaintext = 2048
	// maxPolicyARNs: "You can provide up to 10 managed policy ARNs." (STS API Reference,
	// AssumeRole, PolicyArns; the API model sets no maximum)
	maxPolicyARNs = 10
	// minARNLength and maxARNLength bound arnType (sts-2011-06-15 service model).
	minARNLength = 20
	maxARNLength = 2048
)

// policyARN is an IAM managed policy ARN: arn:PARTITION:iam::ACCOUNT-or-aws:policy/PATH/NAME.
// Partitions are aws and aws-*; a path is / or /segments/ of printable ASCII; a name is 1–128 of
// [\w+=,.@-] (IAM API Reference, CreatePolicy, PolicyName and Path).
var policyARN = lazyre.New(`^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy/([\x21-\x7E]*/)?[\w+=,.@-]{1,128}$`)

// arnChars counts the characters of the request's policy ARNs.
func (p *Pass) arnChars() int {
	n := 0
	for _, a := range p.req.arns {
		n += utf8.RuneCountInString(a.s)
	}
	return n
}

// readsAsText reports whether the policy comes from a file that the AWS CLI reads for
// --policy file://...: in text mode (aws-cli, awscli/paramfile.py get_file opens it with mode
// "r", so Python's universal newlines turn CR LF into LF). A policy held in a request file's
// string is sent as written.
func (p *Pass) readsAsText() bool { return p.in == "" }

// policyChars counts the characters of the policy as the AWS CLI sends it, and as written.
func (p *Pass) policyChars() (sent, written int) {
	written = utf8.RuneCount(p.Doc.Src)
	if !p.readsAsText() {
		return written, written
	}
	return written - bytes.Count(p.Doc.Src, []byte("\r\n")), written
}

// checkPolicyLength reports a policy whose characters and the policy ARNs' together exceed the
// plaintext limit, counted as the AWS CLI sends them. The range starts at the first character
// past the limit. A file with CR LF line ends that fits only because the CLI sends LF is a
// warning: an SDK or tool that sends the file's bytes sends more.
func checkPolicyLength(p *Pass) {
	src := p.Doc.Src
	policy, written := p.policyChars()
	arns := p.arnChars()
	if policy+arns <= maxPlaintext {
		if written+arns > maxPlaintext {
			p.reportAtSeverity(Warning, p.span(0, len(src)), fmt.Sprintf("session policy is %s characters as written, with CR LF line ends, and %s as the AWS CLI sends it with --policy file:// (it reads text, so CR LF becomes LF); that fits the %s STS accepts for Policy and PolicyArns combined, but a tool that sends the file's bytes (Terraform's file(), most SDKs) sends %s: save the file with LF line ends",
				thousands(written+arns), thousands(policy+arns), thousands(maxPlaintext), thousands(written+arns)))
		}
		return
	}
	start := 0
	if budget := maxPlaintext - arns; budget > 0 {
		start = sentOffset(src, budget, p.readsAsText())
	}
	asSent := ""
	if written != policy {
		asSent = fmt.Sprintf(" as the AWS CLI sends it (CR LF as LF; %s as written)", thousands(written))
	}
	var msg string
	if arns == 0 {
		msg = fmt.Sprintf("session policy is %s characters%s; STS accepts at most %s for Policy and PolicyArns combined", thousands(policy), asSent, thousands(maxPlaintext))
	} else {
		msg = fmt.Sprintf("session policy is %s characters%s and its %d policy ARNs %s more (%s in all); STS accepts at most %s for Policy and PolicyArns combined",
			thousands(policy), asSent, len(p.req.arns), thousands(arns), thousands(policy+arns), thousands(maxPlaintext))
	}
	if p.Doc.Root != nil {
		minified := minifiedLength(p.Doc)
		total := ""
		if arns > 0 {
			total = fmt.Sprintf(" (%s in all)", thousands(minified+arns))
		}
		switch {
		case minified == policy:
			msg += ": it is already minified; remove statements or move them into a managed policy"
		case minified+arns <= maxPlaintext:
			msg += fmt.Sprintf(": minified it is %s characters%s, which fits", thousands(minified), total)
		default:
			msg += fmt.Sprintf(": even minified it is %s characters%s; remove statements or move them into a managed policy", thousands(minified), total)
		}
	}
	p.ReportSpan(start, len(src), msg)
}

// sentOffset returns the byte offset of the character after the first n, counting CR LF as one
// character when the file is read as text.
func sentOffset(b []byte, n int, text bool) int {
	off := 0
	for i := 0; i < n && off < len(b); i++ {
		if text && b[off] == '\r' && off+1 < len(b) && b[off+1] == '\n' {
			off += 2
			continue
		}
		_, size := utf8.DecodeRune(b[off:])
		off += size
	}
	return off
}

// minifiedLength counts the characters of the document without whitespace between tokens, as
// `jq -c` or json.dumps(separators=(",", ":")) would write it, escapes kept as written.
func minifiedLength(d *jsonpos.Document) int {
	n := 0
	var count func(v *jsonpos.Value)
	count = func(v *jsonpos.Value) {
		switch v.Kind {
		case jsonpos.Object:
			n += 2 + max(0, len(v.Members)-1) // braces and commas
			for _, m := range v.Members {
				n += utf8.RuneCount(d.Src[m.KeyStart:m.KeyEnd]) + 1 // key and colon
				count(m.Value)
			}
		case jsonpos.Array:
			n += 2 + max(0, len(v.Elems)-1)
			for _, e := range v.Elems {
				count(e)
			}
		default:
			n += utf8.RuneCount(d.Src[v.Start:v.End])
		}
	}
	count(d.Root)
	return n
}

// thousands writes n with comma separators, as AWS's documentation writes limits.
// Thousands writes n with thousands separated by commas: 1,234,567.
func Thousands(n int) string { return thousands(n) }

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// checkPolicyARNCount reports more policy ARNs than STS accepts.
func checkPolicyARNCount(p *Pass) {
	if n := len(p.req.arns); n > maxPolicyARNs {
		p.reportAt(p.req.arnsAt, fmt.Sprintf("request passes %d policy ARNs; STS accepts at most %d: combine managed policies or move permissions into the inline policy", n, maxPolicyARNs))
	}
}

// checkPolicyARNFormat reports a policy ARN that is not an IAM managed policy ARN. Its length
// is param-length's.
func checkPolicyARNFormat(p *Pass) {
	for _, a := range p.req.arns {
		if n := utf8.RuneCountInString(a.s); n >= minARNLength && n <= maxARNLength && !opaqueValue(a.s) && !policyARN.MatchString(a.s) {
			p.reportAt(a.at, fmt.Sprintf("%s %s is not an IAM managed policy ARN: want arn:PARTITION:iam::ACCOUNT:policy/NAME, or arn:aws:iam::aws:policy/NAME for an AWS managed policy", a.name, quoteShort(a.s)))
		}
	}
}
