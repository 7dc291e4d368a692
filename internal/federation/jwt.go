package federation

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/policylint/policylint/internal/quote"
)

// maxTokenBytes caps the input of ParseJWT before anything is decoded. STS accepts a
// WebIdentityToken of at most 20,000 characters (STS API model, WebIdentityToken shape); the cap
// leaves room to decode, and so lint, a token that is too long.
const maxTokenBytes = 64 << 10

// Claim names read by ParseJWT (IAM User Guide, "Passing session tags using
// AssumeRoleWithWebIdentity"). The nested form is one claim, claimTags, holding principal_tags
// and transitive_tag_keys. The flattened form, for identity providers that cannot emit nested
// objects (the guide names Microsoft Entra ID), is one claim per tag, claimFlatTagPrefix+Key,
// and claimFlatTransitive: it is on the current page, not in the guide's archived 2023 sources.
const (
	claimTags           = "https://aws.amazon.com/tags"
	claimSourceIdentity = "https://aws.amazon.com/source_identity"
	memberPrincipalTags = "principal_tags"
	memberTransitive    = "transitive_tag_keys"
	claimFlatTagPrefix  = claimTags + "/" + memberPrincipalTags + "/"
	claimFlatTransitive = claimTags + "/" + memberTransitive
)

// The NumericDate range that Expires can hold: years 1 to 9999.
const (
	minExpires = -62135596800
	maxExpires = 253402300799
)

// ErrOpaqueToken is returned by ParseJWT for a token without any dot: it is not a JWT but an
// opaque token, such as an OAuth 2.0 access token. STS accepts one only with ProviderId
// www.amazon.com or graph.facebook.com.
var ErrOpaqueToken = errors.New("web identity token has no dots, so it is not a JWT; an opaque OAuth 2.0 access token needs ProviderId www.amazon.com or graph.facebook.com")

// ErrEncryptedToken is returned by ParseJWT for a token of 5 dot-separated parts: an encrypted
// JWT (JWE), which neither STS nor policylint can read.
var ErrEncryptedToken = errors.New("web identity token has 5 parts, so it is an encrypted JWT (JWE); STS needs a signed JWT (JWS) of 3 parts")

// JWT is a decoded web identity token. Nothing is verified: not the signature, not the issuer,
// not the times.
type JWT struct {
	// Header is the decoded JOSE header. JSON numbers are json.Number.
	Header map[string]any
	// Claims is the decoded payload. JSON numbers are json.Number, so an integer and a
	// fraction stay apart.
	Claims map[string]any
	// Alg is the header's "alg", the signature algorithm the token names.
	Alg string
	// Exp is the "exp" claim, in seconds since 1970-01-01 UTC; zero unless HasExp.
	Exp int64
	// Expires is Exp as a time; zero unless HasExp, and zero when Exp is outside the years 1 to
	// 9999, which a time cannot hold without overflow.
	Expires time.Time
	// HasExp is true when the token has an "exp" claim that is a 64-bit integer.
	HasExp bool
	// Tags are the session tags of the "https://aws.amazon.com/tags" claim's "principal_tags"
	// member, sorted by key, then those of the flattened
	// "https://aws.amazon.com/tags/principal_tags/{Key}" claims, sorted by key. A tag whose value
	// is not one string (or an array of exactly one string) is left out and reported.
	Tags []Tag
	// TransitiveTagKeys are the "transitive_tag_keys" member of the same claim, then the items of
	// the flattened "https://aws.amazon.com/tags/transitive_tag_keys" claim, in order; items that
	// are not strings are left out and reported in Problems.
	TransitiveTagKeys []string
	// SourceIdentity is the "https://aws.amazon.com/source_identity" claim; empty when absent
	// or not a string.
	SourceIdentity string
	// Problems are non-fatal findings for which STS rejects the token, as AWS documents it, each
	// a one-line message: a timestamp that is not an integer, a tag claim of the wrong shape, an
	// empty signature.
	Problems []string
	// Notes are non-fatal findings that STS accepts, or whose handling AWS does not document:
	// a member of the tags claim that STS does not read, base64url padding.
	Notes []string
}

// partNames names the three parts of a JWS compact serialization in messages.
var partNames = [3]string{"header", "payload", "signature"}

// ParseJWT decodes a web identity token in JWS compact serialization (RFC 7515), header and
// payload each a JSON object, without verifying it. It returns an error when the token is not
// a JWT: ErrOpaqueToken when it has no dots, ErrEncryptedToken when it has 5 parts, and other
// errors for a wrong number of parts, a part that is not unpadded base64url, a header or payload
// that is not a JSON object, or a header without "alg". Inputs longer than 64 KiB are rejected
// before decoding. Findings that do not stop decoding are in JWT.Problems.
func ParseJWT(token string) (*JWT, error) {
	if len(token) > maxTokenBytes {
		return nil, fmt.Errorf("web identity token is %d bytes; policylint decodes at most %d, and STS accepts at most 20000 characters", len(token), maxTokenBytes)
	}
	if token == "" {
		return nil, errors.New("web identity token is empty")
	}
	switch dots := strings.Count(token, "."); dots {
	case 0:
		return nil, ErrOpaqueToken
	case 2:
	case 4:
		return nil, ErrEncryptedToken
	default:
		return nil, fmt.Errorf("web identity token has %d dot-separated parts; a signed JWT (JWS) has 3: header.payload.signature", dots+1)
	}
	t := &JWT{}
	var raw [3][]byte
	offset := 0
	for i, part := range strings.SplitN(token, ".", 3) {
		b, padded, err := decodeSegment(part, offset)
		if err != nil {
			return nil, fmt.Errorf("web identity token part %d (%s) %w", i+1, partNames[i], err)
		}
		if padded {
			t.note("web identity token part %d (%s) ends in '=' padding; JWS omits it (RFC 7515 base64url), and AWS does not document whether STS accepts it", i+1, partNames[i])
		}
		raw[i] = b
		offset += len(part) + 1
	}
	var err error
	if t.Header, err = decodeObject(raw[0]); err != nil {
		return nil, fmt.Errorf("web identity token header %w", err)
	}
	if t.Claims, err = decodeObject(raw[1]); err != nil {
		return nil, fmt.Errorf("web identity token payload %w", err)
	}
	alg, ok := t.Header["alg"]
	if !ok {
		return nil, errors.New(`web identity token header has no "alg"; a JWS header must name its signature algorithm`)
	}
	if t.Alg, ok = alg.(string); !ok {
		return nil, fmt.Errorf(`web identity token header "alg" is a JSON %s, not a string`, jsonType(alg))
	}
	if len(raw[2]) == 0 {
		t.problem("web identity token has an empty signature; STS accepts only signed tokens")
	}
	t.readTimes()
	t.readTags()
	if v, ok := t.Claims[claimSourceIdentity]; ok {
		if s, isString := v.(string); isString {
			t.SourceIdentity = s
		} else {
			t.note("claim %q is a JSON %s, not a string; AWS documents a string and not what STS does with another type", claimSourceIdentity, jsonType(v))
		}
	}
	return t, nil
}

func (t *JWT) problem(format string, args ...any) {
	t.Problems = append(t.Problems, fmt.Sprintf(format, args...))
}

func (t *JWT) note(format string, args ...any) {
	t.Notes = append(t.Notes, fmt.Sprintf(format, args...))
}

// decodeSegment decodes one part of a JWS. Error messages start after the part's name and name
// byte offsets in the whole token (offset is where the part starts).
func decodeSegment(part string, offset int) (b []byte, padded bool, err error) {
	if part == "" {
		return nil, false, nil
	}
	data := strings.TrimRight(part, "=")
	pad := len(part) - len(data)
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		case c == '+' || c == '/':
			return nil, false, fmt.Errorf("has standard base64 character '%c' at byte offset %d; JWS uses base64url, with '-' and '_'", c, offset+i)
		case c == '=':
			return nil, false, fmt.Errorf("has '=' inside the part at byte offset %d; base64url has no padding there", offset+i)
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			return nil, false, fmt.Errorf("has whitespace at byte offset %d; a JWT has none: remove line breaks and spaces", offset+i)
		default:
			return nil, false, fmt.Errorf("has a character that is not base64url at byte offset %d", offset+i)
		}
	}
	if len(data)%4 == 1 || pad > 2 || (pad > 0 && (len(data)+pad)%4 != 0) {
		return nil, false, fmt.Errorf("has length %d, which is not a valid base64url length", len(part))
	}
	b, err = base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return nil, false, errors.New("is not valid base64url")
	}
	return b, pad > 0, nil
}

// decodeObject decodes a JSON object with numbers as json.Number. Error messages start after the
// part's name and never quote the data.
func decodeObject(b []byte) (map[string]any, error) {
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errors.New("is empty; it must be a JSON object")
	}
	if trimmed[0] != '{' {
		if kind := jsonKindOf(trimmed[0]); kind != "" {
			return nil, fmt.Errorf("is a JSON %s, not an object", kind)
		}
		return nil, fmt.Errorf("is not JSON (%d bytes); it must be a JSON object", len(b))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		var syntax *json.SyntaxError
		switch {
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("is not valid JSON: syntax error at byte %d of %d", syntax.Offset, len(b))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("is truncated JSON (%d bytes)", len(b))
		default:
			return nil, fmt.Errorf("is not a valid JSON object (%d bytes)", len(b))
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("has data after its JSON object (%d bytes)", len(b))
	}
	return m, nil
}

// jsonKindOf names the JSON type that starts with c, or returns "" when no JSON value does.
func jsonKindOf(c byte) string {
	switch {
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || ('0' <= c && c <= '9'):
		return "number"
	}
	return ""
}

// jsonType names the JSON type of a value decoded with UseNumber.
func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

// readTimes checks that exp, iat and nbf are integers (STS API model, WebIdentityToken: timestamps
// "must be formatted as either an integer or a long integer") and sets Expires.
func (t *JWT) readTimes() {
	for _, name := range []string{"exp", "iat", "nbf"} {
		v, ok := t.Claims[name]
		if !ok {
			continue
		}
		n, isNumber := v.(json.Number)
		if !isNumber {
			t.problem("claim %q is a JSON %s; STS requires an integer NumericDate (seconds since 1970-01-01 UTC)", name, jsonType(v))
			continue
		}
		if strings.ContainsAny(string(n), ".eE") {
			t.problem("claim %q is a number with a fraction or an exponent; STS requires an integer NumericDate (seconds since 1970-01-01 UTC)", name)
			continue
		}
		sec, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			t.problem("claim %q is an integer out of the 64-bit range", name)
			continue
		}
		if name == "exp" {
			t.Exp, t.HasExp = sec, true
			if minExpires <= sec && sec <= maxExpires {
				t.Expires = time.Unix(sec, 0).UTC()
			}
		}
	}
}

// readTags reads the session tags of the nested "https://aws.amazon.com/tags" claim,
// {"principal_tags": {"Key": ["value"]}, "transitive_tag_keys": ["Key"]}, and of the flattened
// claims "https://aws.amazon.com/tags/principal_tags/{Key}" and
// "https://aws.amazon.com/tags/transitive_tag_keys" (IAM User Guide, "Passing session tags using
// AssumeRoleWithWebIdentity").
func (t *JWT) readTags() {
	if v, ok := t.Claims[claimTags]; ok {
		t.readNestedTags(v)
	}
	flat := false
	for _, name := range sortedKeys(t.Claims) {
		if key, ok := strings.CutPrefix(name, claimFlatTagPrefix); ok {
			flat = true
			if key == "" {
				t.problem("claim %q names no tag key; a session tag key has 1 to 128 characters", name)
			} else if value, ok := t.tagValue(key, t.Claims[name], true); ok {
				t.Tags = append(t.Tags, Tag{Key: key, Value: value})
			}
		}
	}
	if v, ok := t.Claims[claimFlatTransitive]; ok {
		flat = true
		t.readTransitive(claimFlatTransitive, v)
	}
	if _, nested := t.Claims[claimTags]; nested && flat {
		t.note("the token passes session tags both in the nested %q claim and in flattened claims; AWS does not document how STS combines the two forms: use one", claimTags)
	}
}

// readNestedTags reads the nested tags claim.
func (t *JWT) readNestedTags(v any) {
	claim, isObject := v.(map[string]any)
	if !isObject {
		t.problem("claim %q is a JSON %s; it must be an object with %q and %q", claimTags, jsonType(v), memberPrincipalTags, memberTransitive)
		return
	}
	for _, name := range sortedKeys(claim) {
		if name != memberPrincipalTags && name != memberTransitive {
			t.note("claim %q has member %s, which STS does not read; it reads %q and %q", claimTags, quote.Short(name), memberPrincipalTags, memberTransitive)
		}
	}
	if v, ok := claim[memberPrincipalTags]; ok {
		tags, isObject := v.(map[string]any)
		if !isObject {
			t.problem("%q is a JSON %s; it must be an object such as {\"Key\": [\"value\"]}", memberPrincipalTags, jsonType(v))
		}
		for _, key := range sortedKeys(tags) {
			if value, ok := t.tagValue(key, tags[key], false); ok {
				t.Tags = append(t.Tags, Tag{Key: key, Value: value})
			}
		}
	}
	if v, ok := claim[memberTransitive]; ok {
		t.readTransitive(memberTransitive, v)
	}
}

// readTransitive reads transitive tag keys: an array of strings.
func (t *JWT) readTransitive(name string, v any) {
	keys, isArray := v.([]any)
	if !isArray {
		t.problem("%q is a JSON %s; it must be an array of strings", name, jsonType(v))
	}
	for i, k := range keys {
		if s, isString := k.(string); isString {
			t.TransitiveTagKeys = append(t.TransitiveTagKeys, s)
		} else {
			t.problem("%q item %d is a JSON %s, not a string", name, i+1, jsonType(k))
		}
	}
}

// tagValue returns the value of a principal tag. AWS documents an array of one string for the
// nested form; a plain string there has been reported to work, which AWS does not document, so
// it is read and noted. The flattened form takes a string or an array of one string.
func (t *JWT) tagValue(key string, v any, flat bool) (string, bool) {
	if s, isString := v.(string); isString {
		if !flat {
			t.note("principal tag %s is a string; AWS documents an array of one string, as in {\"Key\": [\"value\"]}, and not whether STS reads a plain string", quote.Short(key))
		}
		return s, true
	}
	values, isArray := v.([]any)
	switch {
	case !isArray:
		t.problem("principal tag %s is a JSON %s; each value must be an array of one string, as in {\"Key\": [\"value\"]}", quote.Short(key), jsonType(v))
	case len(values) == 0:
		t.problem("principal tag %s is an empty array; give it exactly one value", quote.Short(key))
	case len(values) > 1:
		t.problem("principal tag %s has %d values; STS does not support multi-valued tags: give it exactly one value", quote.Short(key), len(values))
	default:
		if s, isString := values[0].(string); isString {
			return s, true
		}
		t.problem("principal tag %s has a JSON %s as its value; it must be a string", quote.Short(key), jsonType(values[0]))
	}
	return "", false
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
