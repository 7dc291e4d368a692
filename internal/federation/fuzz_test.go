package federation

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkSafe fails when an error or a problem is not one line, or an error quotes a secret of
// more than 12 bytes: the fuzz invariant that no input leaks into a message. Errors never have
// '{', '[' or '<', so no JSON object or array and no XML text can be a part of one.
func checkSafe(t *testing.T, err error, problems []string, secrets ...string) {
	t.Helper()
	for _, p := range problems {
		if strings.ContainsAny(p, "\r\n") || !utf8.ValidString(p) {
			t.Fatalf("problem is not one line of UTF-8: %q", p)
		}
	}
	if err == nil {
		return
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("error is not one line: %q", msg)
	}
	if strings.ContainsAny(msg, "{[<") {
		t.Fatalf("error has a character that starts JSON or XML: %q", msg)
	}
	for _, s := range secrets {
		if len(s) > redactHidden && strings.Contains(msg, s) {
			t.Fatalf("error quotes the input: %q", msg)
		}
	}
}

// FuzzParseJWT decodes a token as given, and one assembled from a header and a payload, so that
// the fuzzer reaches the JSON decoding too.
func FuzzParseJWT(f *testing.F) {
	hs := signerFor(f, "HS256")
	claims := mustJSON(f, taggedClaims(1785600000))
	for _, s := range signers() {
		header := mustJSON(f, map[string]any{"alg": s.alg, "typ": "JWT"})
		if strings.HasPrefix(s.alg, "RS") {
			// Generating an RSA key takes seconds in each instrumented fuzz worker; the parser
			// does not verify, so a signature of the right size stands in.
			input := b64url.EncodeToString(header) + "." + b64url.EncodeToString(claims)
			f.Add(input+"."+b64url.EncodeToString(make([]byte, 256)), header, claims)
			continue
		}
		f.Add(mint(f, s, header, claims), header, claims)
	}
	for _, payload := range []string{
		`{"exp":1.5,"iat":"1","nbf":99999999999999999999}`,
		`{"https://aws.amazon.com/tags":{"principal_tags":{"A":["x","y"],"B":"z","C":[]},"transitive_tag_keys":"A"}}`,
		`{"https://aws.amazon.com/tags":[],"https://aws.amazon.com/source_identity":1}`,
		`[1,2,3]`, `{"a":`, `{} {}`, `null`, ``,
	} {
		header := []byte(`{"alg":"HS256"}`)
		f.Add(mint(f, hs, header, []byte(payload)), header, []byte(payload))
	}
	for _, token := range []string{
		"", ".", "..", "....", "Atza|IwEBIExample", "a.b", "a.b.c.d.e", "e30.e30.", "e30=.e30.", "eyJhbGciOiJub25lIn0.e30.",
		"x+y/z.e30.e30", "e30.e30.\n", strings.Repeat("A", 100) + "." + strings.Repeat("=", 5) + ".x",
	} {
		f.Add(token, []byte(`{"alg":1}`), []byte(`"x"`))
	}
	f.Fuzz(func(t *testing.T, token string, header, payload []byte) {
		got, err := ParseJWT(token)
		if (got == nil) == (err == nil) {
			t.Fatalf("got %v and error %v", got, err)
		}
		if got != nil {
			checkSafe(t, nil, got.Problems)
			checkSafe(t, nil, got.Notes)
			if got.Header == nil || got.Claims == nil {
				t.Fatal("a JWT without header or claims")
			}
			if _, ok := got.Claims["exp"].(json.Number); got.HasExp && !ok {
				t.Fatalf("HasExp = %v with exp %v", got.HasExp, got.Claims["exp"])
			}
		}
		checkSafe(t, err, nil, token)

		assembled := b64url.EncodeToString(header) + "." + b64url.EncodeToString(payload) + ".c2ln"
		got, err = ParseJWT(assembled)
		if got != nil {
			checkSafe(t, nil, got.Problems)
			checkSafe(t, nil, got.Notes)
		}
		var secrets []string
		for _, s := range []string{string(header), string(payload)} {
			if strings.ContainsAny(s, "{[") { // JSON-looking: no error message has these characters
				secrets = append(secrets, s)
			}
		}
		checkSafe(t, err, nil, append(secrets, assembled)...)

		if r := Redact(token); utf8.RuneCountInString(token) > redactHidden {
			if shown, _, _ := strings.Cut(r, "…"); utf8.RuneCountInString(shown) != redactShown {
				t.Fatalf("Redact shows %q", shown)
			}
		} else if strings.Contains(r, "…") || !strings.HasPrefix(r, "(") {
			t.Fatalf("Redact(%d characters) = %q", len(token), r)
		}
	})
}

// FuzzParseSAMLAssertion decodes the input as given (base64 text) and, when encode is set,
// base64-encodes it first, so that the fuzzer reaches the XML reader too.
func FuzzParseSAMLAssertion(f *testing.F) {
	docs := []string{
		samlResponse(
			samlAttr(attrRole, roleA+","+providerA, providerB+","+roleB, "bad"),
			samlAttr(attrRoleSessionName, "jane"),
			samlAttr(attrSessionDuration, "3600"),
			samlAttr(attrPrincipalTag+"Project", "x"),
			samlAttr(attrPrincipalTag+"Team", "a", "b"),
			samlAttr(attrTransitive, "Project"),
		),
		`<Response><Assertion><AttributeStatement><Attribute Name="` + attrSourceIdentity + `"><AttributeValue>a<b/>c</AttributeValue></Attribute></AttributeStatement></Assertion></Response>`,
		`<Response><EncryptedAssertion><Assertion/></EncryptedAssertion><Status><StatusCode Value="x"/></Status></Response>`,
		`<!DOCTYPE r [<!ENTITY a "b">]><Response>&a;</Response>`,
		`<?xml version="1.0" encoding="latin1"?><Response/>`,
		"<Response>" + strings.Repeat("<a>", 70),
	}
	if paths, _ := filepath.Glob(filepath.Join(samplesDir, "saml", "*.xml")); len(paths) > 0 {
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				docs = append(docs, string(b))
			}
		}
	}
	for _, d := range docs {
		f.Add(d, true)
		f.Add(b64(d), false)
	}
	for _, s := range []string{"", "====", "PHg+", "PHg-", "%3D", "<Response/>", "QQ", "QQ=", "QQ==\nQQ=="} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, input string, encode bool) {
		assertion := input
		if encode {
			assertion = base64.StdEncoding.EncodeToString([]byte(input))
		}
		got, err := ParseSAMLAssertion(assertion)
		if (got == nil) == (err == nil) {
			t.Fatalf("got %v and error %v", got, err)
		}
		if got != nil {
			checkSafe(t, nil, got.Problems)
			checkSafe(t, nil, got.Notes)
			for _, r := range got.Roles {
				if r.Role == "" || r.Provider == "" || strings.TrimSpace(r.Raw) != r.Raw {
					t.Fatalf("role pair %+v", r)
				}
			}
		}
		secrets := []string{assertion}
		if encode {
			secrets = append(secrets, input)
		}
		checkSafe(t, err, nil, secrets...)
	})
}
