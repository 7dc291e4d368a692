package federation

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/policylint/policylint/internal/quote"
)

// Limits of ParseSAMLAssertion. STS accepts a SAMLAssertion of at most 100,000 characters (STS
// API model, SAMLAssertionType); the input cap leaves room to decode, and so lint, one that is too
// long. A real SAML Response nests about 10 levels deep and has a few hundred elements.
const (
	maxAssertionBytes = 1 << 20
	maxXMLDepth       = 64
	maxXMLElements    = 10_000
)

// Attribute names read by ParseSAMLAssertion (IAM User Guide, "Configuring SAML assertions for
// the authentication response" and "Passing session tags using AssumeRoleWithSAML").
const (
	attrPrefix          = "https://aws.amazon.com/SAML/Attributes/"
	attrRole            = attrPrefix + "Role"
	attrRoleSessionName = attrPrefix + "RoleSessionName"
	attrSourceIdentity  = attrPrefix + "SourceIdentity"
	attrSessionDuration = attrPrefix + "SessionDuration"
	attrTransitive      = attrPrefix + "TransitiveTagKeys"
	attrPrincipalTag    = attrPrefix + "PrincipalTag:"
)

// SAMLResponse is what policylint needs from a decoded SAML 2.0 Response. Nothing is verified:
// not the signature, not the issuer, not the audience, not the times.
//
// Elements are matched by local name, whatever their namespace, because identity providers use
// namespaces inconsistently. Attributes are read from the first Assertion's AttributeStatement.
// Attribute values are trimmed of surrounding whitespace, which some identity providers add.
type SAMLResponse struct {
	// Roles are the role and provider pairs of the Role attribute, in document order. A value
	// that is not such a pair is left out and reported in Problems.
	Roles []RolePair
	// RoleSessionName is the first value of the RoleSessionName attribute.
	RoleSessionName string
	// HasRoleSessionName is true when the RoleSessionName attribute has a value.
	HasRoleSessionName bool
	// SourceIdentity is the first value of the SourceIdentity attribute.
	SourceIdentity string
	// HasSourceIdentity is true when the SourceIdentity attribute has a value.
	HasSourceIdentity bool
	// SessionDuration is the first value of the SessionDuration attribute, as written. The
	// caller checks that it is an integer from 900 to 43200.
	SessionDuration string
	// HasSessionDuration is true when the SessionDuration attribute has a value.
	HasSessionDuration bool
	// Tags are the session tags of the PrincipalTag:{Key} attributes, in document order. An
	// attribute with zero or several values is left out and reported in Problems.
	Tags []Tag
	// TransitiveTagKeys are the values of the TransitiveTagKeys attribute, in document order.
	TransitiveTagKeys []string
	// IssueInstant is the Response's IssueInstant, or the Assertion's when the Response has
	// none that can be read; zero when neither can.
	IssueInstant time.Time
	// SessionNotOnOrAfter is the AuthnStatement's SessionNotOnOrAfter; zero when absent. STS ends
	// the session then if that is sooner than DurationSeconds.
	SessionNotOnOrAfter time.Time
	// NotOnOrAfter is the Conditions' NotOnOrAfter; zero when absent.
	NotOnOrAfter time.Time
	// SubjectNotOnOrAfter is the NotOnOrAfter of the Subject's first SubjectConfirmationData,
	// which AWS requires (IAM User Guide, "Configuring SAML assertions for the authentication
	// response"); zero when absent.
	SubjectNotOnOrAfter time.Time
	// Encrypted is true when the Response holds an EncryptedAssertion, whose attributes cannot
	// be read.
	Encrypted bool
	// Problems are non-fatal findings for which STS rejects the assertion, as AWS documents it or
	// SAML 2.0 requires it, each a one-line message: a PrincipalTag attribute with zero or several
	// values, a StatusCode that is not Success, a time that cannot be read.
	Problems []string
	// Notes are non-fatal findings that STS accepts, or whose handling AWS does not document: an
	// attribute given twice, a Role value that is not a pair, a time without a time zone.
	Notes []string
}

// RolePair is one value of the Role attribute: a role ARN and a SAML provider ARN, separated by a
// comma in either order.
type RolePair struct {
	// Role is the role ARN (resource "role/...").
	Role string
	// Provider is the SAML provider ARN (resource "saml-provider/...").
	Provider string
	// Raw is the attribute value, trimmed.
	Raw string
}

// ParseSAMLAssertion decodes the SAMLAssertion parameter of AssumeRoleWithSAML, a base64-encoded
// SAML 2.0 Response, without verifying it. Whitespace and line breaks in the base64 text are
// ignored, and padding is optional. It returns an error when the input is larger than 1 MiB, is
// not base64, does not decode to well-formed UTF-8 XML, has a DOCTYPE (SAML forbids DTDs, and no
// entity is ever expanded), nests deeper than 64 elements, has more than 10,000 elements, or has a
// root element that is not a SAML 2.0 Response. Findings that do not stop decoding are in
// SAMLResponse.Problems.
func ParseSAMLAssertion(b64 string) (*SAMLResponse, error) {
	if len(b64) > maxAssertionBytes {
		return nil, fmt.Errorf("SAMLAssertion is %d bytes; policylint decodes at most %d, and STS accepts at most 100000 characters", len(b64), maxAssertionBytes)
	}
	data, err := decodeAssertionBase64(b64)
	if err != nil {
		return nil, err
	}
	return parseSAMLResponse(data)
}

// decodeAssertionBase64 decodes standard base64, skipping ASCII whitespace, with or without
// padding.
func decodeAssertionBase64(s string) ([]byte, error) {
	compact := make([]byte, 0, len(s))
	pad := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			continue
		case c == '=':
			pad++
			continue
		case pad > 0:
			return nil, fmt.Errorf("SAMLAssertion has '=' before the end at byte offset %d; base64 pads only at the end", i)
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			compact = append(compact, c)
		case c == '<' && len(compact) == 0:
			return nil, errors.New("SAMLAssertion is XML text, not base64; STS wants the SAML Response base64-encoded")
		case c == '-' || c == '_':
			return nil, fmt.Errorf("SAMLAssertion has base64url character '%c' at byte offset %d; STS wants standard base64, with '+' and '/'", c, i)
		case c == '%':
			return nil, fmt.Errorf("SAMLAssertion has '%%' at byte offset %d, so it looks URL-encoded; URL-decode the SAMLResponse form value first", i)
		default:
			return nil, fmt.Errorf("SAMLAssertion has a character that is not base64 at byte offset %d", i)
		}
	}
	if len(compact) == 0 {
		return nil, errors.New("SAMLAssertion is empty")
	}
	if len(compact)%4 == 1 || pad > 2 || (pad > 0 && (len(compact)+pad)%4 != 0) {
		return nil, fmt.Errorf("SAMLAssertion has %d base64 characters and %d '=', which is not a valid base64 length; it may be truncated", len(compact), pad)
	}
	b, err := base64.RawStdEncoding.DecodeString(string(compact))
	if err != nil {
		return nil, errors.New("SAMLAssertion is not valid base64")
	}
	return b, nil
}

// parseSAMLResponse reads a SAML 2.0 Response with a streaming decoder, never recursing.
func parseSAMLResponse(data []byte) (*SAMLResponse, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return nil, errors.New("SAMLAssertion decodes to UTF-16 text; policylint reads only UTF-8 XML")
	}
	if rest := bytes.TrimLeft(data, " \t\r\n"); len(rest) == 0 || rest[0] != '<' {
		return nil, errors.New("SAMLAssertion decodes to data that is not XML; STS wants a base64-encoded SAML Response, not a deflated one")
	}
	if err := checkXMLDeclaration(data); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true       // unknown entities are errors; unbound prefixes stay lenient
	d.CharsetReader = nil // only UTF-8 (checkXMLDeclaration names the other encodings)
	p := &samlParser{res: &SAMLResponse{}}
	var stack []string // local names of the open elements
	elements := 0
	rootSeen := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errors.New("SAMLAssertion XML has a DOCTYPE or other declaration; SAML forbids DTDs, and policylint expands no entities")
		case xml.StartElement:
			if elements++; elements > maxXMLElements {
				return nil, fmt.Errorf("SAMLAssertion XML has more than %d elements; a SAML Response has a few hundred", maxXMLElements)
			}
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("SAMLAssertion XML nests deeper than %d elements; a SAML Response nests about 10 deep", maxXMLDepth)
			}
			if len(stack) == 0 {
				if rootSeen {
					return nil, errors.New("SAMLAssertion XML has more than one root element")
				}
				rootSeen = true
				if err := p.root(t); err != nil {
					return nil, err
				}
			}
			stack = append(stack, t.Name.Local)
			p.start(t, stack)
		case xml.EndElement:
			p.end(stack)
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, errors.New("SAMLAssertion XML has text outside its root element")
				}
				continue
			}
			p.text(t, len(stack))
		}
	}
	if !rootSeen {
		return nil, errors.New("SAMLAssertion XML has no root element")
	}
	p.finish()
	return p.res, nil
}

// checkXMLDeclaration rejects an XML declaration that names an encoding other than UTF-8, which
// encoding/xml cannot read without a CharsetReader, with a message of our own.
func checkXMLDeclaration(data []byte) error {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return nil
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return nil // the decoder reports the syntax error
	}
	decl := string(data[len("<?xml"):end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return nil
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return nil
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return nil
	}
	name, _, ok := strings.Cut(rest[1:], rest[:1])
	if !ok || strings.EqualFold(name, "utf-8") {
		return nil
	}
	if len(name) <= 20 && isEncodingName(name) {
		return fmt.Errorf("SAMLAssertion XML declares encoding %q; policylint reads only UTF-8", name)
	}
	return errors.New("SAMLAssertion XML declares an encoding other than UTF-8; policylint reads only UTF-8")
}

// isEncodingName reports whether s has the shape of an encoding name (XML 1.0, EncName), so that
// it is safe to quote.
func isEncodingName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// xmlError turns a decoder error into a message that quotes nothing of the document: the
// decoder's own messages can quote element names and entity references. No error message of
// ParseSAMLAssertion has a '<', so none can contain a document.
func xmlError(err error) error {
	var syntax *xml.SyntaxError
	if !errors.As(err, &syntax) {
		return errors.New("SAMLAssertion XML cannot be read")
	}
	switch {
	case syntax.Msg == "unexpected EOF":
		return fmt.Errorf("SAMLAssertion XML ends inside an element (line %d); it may be truncated", syntax.Line)
	case strings.HasPrefix(syntax.Msg, "invalid character entity"):
		return fmt.Errorf("SAMLAssertion XML has an unknown or malformed entity reference (line %d); policylint expands no entities", syntax.Line)
	case strings.HasPrefix(syntax.Msg, "invalid UTF-8"):
		return fmt.Errorf("SAMLAssertion XML is not valid UTF-8 (line %d)", syntax.Line)
	}
	return fmt.Errorf("SAMLAssertion XML is not well-formed (line %d)", syntax.Line)
}

// rootNames are element names that may be quoted in the error for a wrong root element: names a
// user may plausibly pass instead of a Response.
var rootNames = map[string]string{
	"Assertion":          "; STS wants the whole Response, not only its Assertion",
	"EncryptedAssertion": "; STS wants the whole Response",
	"AuthnRequest":       "; that is the request to the identity provider, not its answer",
	"LogoutRequest":      "",
	"LogoutResponse":     "",
	"ArtifactResponse":   "",
	"EntityDescriptor":   "; that is metadata, not an authentication answer",
	"EntitiesDescriptor": "; that is metadata, not an authentication answer",
}

// Depths of the elements that carry attributes: Response (1), Assertion (2),
// AttributeStatement (3), Attribute (4), AttributeValue (5).
const (
	attributeDepth = 4
	valueDepth     = 5
)

// samlProtocol1 is the SAML 1.x protocol namespace.
const samlProtocol1 = "urn:oasis:names:tc:SAML:1.0:protocol"

// samlParser collects what SAMLResponse needs while the decoder streams tokens.
type samlParser struct {
	res        *SAMLResponse
	skipDepth  int // > 0: inside a subtree that is not read, opened at this depth
	assertions int
	status     string // Value of the top-level StatusCode
	hasStatus  bool

	// The Attribute being read.
	attrName   string
	inAttr     bool
	values     []string
	value      strings.Builder
	inValue    bool
	valueNests bool // an AttributeValue with child elements

	assertionIssued time.Time
	seen            map[string]int // single-valued attribute names and their number of Attribute elements
}

// root checks the root element, the StartElement of depth 1.
func (p *samlParser) root(t xml.StartElement) error {
	if t.Name.Local != "Response" {
		if hint, ok := rootNames[t.Name.Local]; ok {
			return fmt.Errorf("SAMLAssertion XML has root element %s, not a SAML 2.0 Response%s", t.Name.Local, hint)
		}
		return errors.New("SAMLAssertion XML has a root element that is not a SAML 2.0 Response")
	}
	if t.Name.Space == samlProtocol1 || hasAttr(t, "MajorVersion") {
		return errors.New("SAMLAssertion XML is a SAML 1.x Response; STS accepts only SAML 2.0")
	}
	if v, ok := attr(t, "Version"); ok && strings.TrimSpace(v) != "2.0" {
		p.problem("the Response Version is not \"2.0\"; STS accepts only SAML 2.0")
	}
	if v, ok := attr(t, "IssueInstant"); ok {
		p.res.IssueInstant = p.parseTime(v, "the Response IssueInstant")
	}
	return nil
}

// start handles a StartElement; stack ends with its local name.
func (p *samlParser) start(t xml.StartElement, stack []string) {
	depth := len(stack)
	if p.skipDepth > 0 {
		return
	}
	if p.inValue {
		p.valueNests = true
		return
	}
	switch {
	case under(stack, "Assertion"):
		p.assertions++
		if p.assertions > 1 {
			p.skipDepth = depth
			return
		}
		if v, ok := attr(t, "IssueInstant"); ok {
			p.assertionIssued = p.parseTime(v, "the Assertion IssueInstant")
		}
	case under(stack, "EncryptedAssertion"):
		p.res.Encrypted = true
		p.skipDepth = depth
	case under(stack, "Status", "StatusCode") && !p.hasStatus:
		p.status, p.hasStatus = attr(t, "Value")
	case under(stack, "Assertion", "Conditions"):
		if v, ok := attr(t, "NotOnOrAfter"); ok {
			p.res.NotOnOrAfter = p.parseTime(v, "the Conditions NotOnOrAfter")
		}
	case under(stack, "Assertion", "Subject", "SubjectConfirmation", "SubjectConfirmationData"):
		if v, ok := attr(t, "NotOnOrAfter"); ok && p.res.SubjectNotOnOrAfter.IsZero() {
			p.res.SubjectNotOnOrAfter = p.parseTime(v, "the SubjectConfirmationData NotOnOrAfter")
		}
	case under(stack, "Assertion", "AuthnStatement"):
		if v, ok := attr(t, "SessionNotOnOrAfter"); ok && p.res.SessionNotOnOrAfter.IsZero() {
			p.res.SessionNotOnOrAfter = p.parseTime(v, "the AuthnStatement SessionNotOnOrAfter")
		}
	case under(stack, "Assertion", "AttributeStatement", "EncryptedAttribute"):
		p.note("the Assertion has an EncryptedAttribute, which policylint cannot read")
		p.skipDepth = depth
	case under(stack, "Assertion", "AttributeStatement", "Attribute"):
		p.attrName, _ = attr(t, "Name")
		p.inAttr = true
		p.values = p.values[:0]
	case p.inAttr && under(stack, "Assertion", "AttributeStatement", "Attribute", "AttributeValue"):
		p.inValue = true
		p.value.Reset()
		p.valueNests = false
	}
}

// under reports whether stack is the root element followed by path.
func under(stack []string, path ...string) bool {
	return len(stack) == len(path)+1 && slices.Equal(stack[1:], path)
}

// end handles an EndElement; stack still ends with its local name.
func (p *samlParser) end(stack []string) {
	depth := len(stack)
	if p.skipDepth > 0 {
		if depth == p.skipDepth {
			p.skipDepth = 0
		}
		return
	}
	name := stack[depth-1]
	switch {
	case p.inValue && depth == valueDepth && name == "AttributeValue":
		p.inValue = false
		if p.valueNests && p.isAWSAttribute() {
			p.note("a value of attribute %s has child elements; AWS documents text values, and not what STS does with others", quote.Short(p.attrName))
		}
		p.values = append(p.values, strings.TrimSpace(p.value.String()))
	case p.inAttr && depth == attributeDepth && name == "Attribute":
		p.inAttr = false
		p.attribute(p.attrName, p.values)
	}
}

// text handles character data inside the root element, at depth open elements. Only the text
// directly inside an AttributeValue counts.
func (p *samlParser) text(t xml.CharData, depth int) {
	if p.inValue && p.skipDepth == 0 && depth == valueDepth {
		p.value.Write(t)
	}
}

func (p *samlParser) isAWSAttribute() bool {
	return strings.HasPrefix(p.attrName, attrPrefix)
}

// attribute stores one Attribute element's values.
func (p *samlParser) attribute(name string, values []string) {
	if !strings.HasPrefix(name, attrPrefix) {
		return
	}
	switch name {
	case attrRole:
		for i, v := range values {
			pair, ok := parseRolePair(v)
			if !ok {
				p.note("value %d of the Role attribute is not a role ARN and a SAML provider ARN separated by a comma; AWS does not document whether STS skips it or rejects the assertion", i+1)
				continue
			}
			p.res.Roles = append(p.res.Roles, pair)
		}
		return
	case attrTransitive:
		p.res.TransitiveTagKeys = append(p.res.TransitiveTagKeys, values...)
		return
	}
	if p.seen == nil {
		p.seen = make(map[string]int)
	}
	p.seen[name]++
	if p.seen[name] == 2 {
		p.note("attribute %s appears more than once; policylint reads the first, and AWS does not document which STS reads", quote.Short(name))
	}
	if p.seen[name] > 1 {
		return
	}
	switch name {
	case attrRoleSessionName:
		p.res.RoleSessionName, p.res.HasRoleSessionName = p.single(name, values)
	case attrSourceIdentity:
		p.res.SourceIdentity, p.res.HasSourceIdentity = p.single(name, values)
	case attrSessionDuration:
		p.res.SessionDuration, p.res.HasSessionDuration = p.single(name, values)
	default:
		key, isTag := strings.CutPrefix(name, attrPrincipalTag)
		switch {
		case !isTag:
		case key == "":
			p.problem("a PrincipalTag attribute has an empty tag key after %q", attrPrincipalTag)
		case len(values) == 0:
			p.problem("principal tag %s has no AttributeValue; give it exactly one", quote.Short(key))
		case len(values) > 1:
			p.problem("principal tag %s has %d values; STS does not support multi-valued tags: give it exactly one", quote.Short(key), len(values))
		default:
			p.res.Tags = append(p.res.Tags, Tag{Key: key, Value: values[0]})
		}
	}
}

// single returns the value of a single-valued attribute.
func (p *samlParser) single(name string, values []string) (string, bool) {
	switch {
	case len(values) == 0:
		p.problem("attribute %q has no AttributeValue", name)
		return "", false
	case len(values) > 1:
		p.note("attribute %s has %d values; policylint reads the first, and AWS does not document which STS reads", quote.Short(name), len(values))
	}
	return values[0], true
}

// finish records what can only be judged at the end of the document.
func (p *samlParser) finish() {
	if p.res.IssueInstant.IsZero() {
		p.res.IssueInstant = p.assertionIssued
	}
	if p.hasStatus && !strings.HasSuffix(strings.TrimSpace(p.status), ":status:Success") {
		p.problem("the Response StatusCode is not Success: the identity provider reports a failure")
	}
	switch {
	case p.assertions == 0 && !p.res.Encrypted:
		p.problem("the Response has no Assertion")
	case p.assertions > 1:
		p.note("the Response has %d assertions; policylint reads the first, and AWS does not document which STS reads", p.assertions)
	}
}

func (p *samlParser) problem(format string, args ...any) {
	p.res.Problems = append(p.res.Problems, fmt.Sprintf(format, args...))
}

func (p *samlParser) note(format string, args ...any) {
	p.res.Notes = append(p.res.Notes, fmt.Sprintf(format, args...))
}

// parseTime reads an xs:dateTime, which SAML requires in UTC (SAML 2.0 Core, 1.3.3).
func (p *samlParser) parseTime(v, what string) time.Time {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse("2006-01-02T15:04:05", v); err == nil {
		p.note("%s has no time zone; SAML times are UTC and end in 'Z', so policylint reads it as UTC", what)
		return t
	}
	p.problem("%s is not an xs:dateTime such as 2006-01-02T15:04:05Z", what)
	return time.Time{}
}

// parseRolePair splits a Role value into a role ARN and a SAML provider ARN, in either order.
func parseRolePair(v string) (RolePair, bool) {
	a, b, ok := strings.Cut(v, ",")
	if !ok || strings.Contains(b, ",") {
		return RolePair{}, false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case arnResourceType(a) == "role" && arnResourceType(b) == "saml-provider":
		return RolePair{Role: a, Provider: b, Raw: v}, true
	case arnResourceType(a) == "saml-provider" && arnResourceType(b) == "role":
		return RolePair{Role: b, Provider: a, Raw: v}, true
	}
	return RolePair{}, false
}

// arnResourceType returns the resource type of an ARN, "role" for arn:aws:iam::123456789012:role/x.
func arnResourceType(arn string) string {
	fields := strings.SplitN(arn, ":", 6)
	if len(fields) != 6 || fields[0] != "arn" {
		return ""
	}
	typ, _, ok := strings.Cut(fields[5], "/")
	if !ok {
		return ""
	}
	return typ
}

// attr returns the value of an XML attribute by local name, whatever its namespace prefix
// (namespace declarations excepted).
func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

func hasAttr(t xml.StartElement, local string) bool {
	_, ok := attr(t, local)
	return ok
}
