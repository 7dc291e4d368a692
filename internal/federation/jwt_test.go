package federation

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	_ "crypto/sha512" // SHA-384 and SHA-512 for RS384/512 and ES384/512
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// samplesDir holds the shared sample inputs, read in place and never copied into the repository.
const samplesDir = "../../../shared/samples"

// signer signs JWS signing inputs for real, so that minted tokens look like real ones.
type signer struct {
	alg    string
	sign   func(t testing.TB, input []byte) []byte
	verify func(input, sig []byte) bool
}

var (
	testRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	testECKeys = sync.OnceValue(func() map[string]*ecdsa.PrivateKey {
		keys := map[string]*ecdsa.PrivateKey{}
		for alg, curve := range map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()} {
			k, err := ecdsa.GenerateKey(curve, rand.Reader)
			if err != nil {
				panic(err)
			}
			keys[alg] = k
		}
		return keys
	})
)

var hmacSecret = []byte("policylint-test-hmac-secret-0123456789abcdef")

// signers returns one signer for each algorithm STS accepts (RS256/384/512, ES256/384/512) and
// HS256, which it does not. Keys are generated on first use.
func signers() []signer {
	digest := func(h crypto.Hash, input []byte) []byte {
		w := h.New()
		w.Write(input)
		return w.Sum(nil)
	}
	var out []signer
	for _, v := range []struct {
		alg string
		h   crypto.Hash
	}{{"RS256", crypto.SHA256}, {"RS384", crypto.SHA384}, {"RS512", crypto.SHA512}} {
		out = append(out, signer{
			alg: v.alg,
			sign: func(t testing.TB, input []byte) []byte {
				sig, err := rsa.SignPKCS1v15(rand.Reader, testRSAKey(), v.h, digest(v.h, input))
				if err != nil {
					t.Fatal(err)
				}
				return sig
			},
			verify: func(input, sig []byte) bool {
				return rsa.VerifyPKCS1v15(&testRSAKey().PublicKey, v.h, digest(v.h, input), sig) == nil
			},
		})
	}
	for _, v := range []struct {
		alg string
		h   crypto.Hash
	}{{"ES256", crypto.SHA256}, {"ES384", crypto.SHA384}, {"ES512", crypto.SHA512}} {
		size := map[string]int{"ES256": 32, "ES384": 48, "ES512": 66}[v.alg] // RFC 7518, 3.4
		out = append(out, signer{
			alg: v.alg,
			sign: func(t testing.TB, input []byte) []byte {
				r, s, err := ecdsa.Sign(rand.Reader, testECKeys()[v.alg], digest(v.h, input))
				if err != nil {
					t.Fatal(err)
				}
				sig := make([]byte, 2*size) // JWS: R and S, each left-padded to the curve size (RFC 7518, 3.4)
				r.FillBytes(sig[:size])
				s.FillBytes(sig[size:])
				return sig
			},
			verify: func(input, sig []byte) bool {
				if len(sig) != 2*size {
					return false
				}
				r := new(big.Int).SetBytes(sig[:size])
				s := new(big.Int).SetBytes(sig[size:])
				return ecdsa.Verify(&testECKeys()[v.alg].PublicKey, digest(v.h, input), r, s)
			},
		})
	}
	mac := func(input []byte) []byte {
		m := hmac.New(sha256.New, hmacSecret)
		m.Write(input)
		return m.Sum(nil)
	}
	out = append(out, signer{
		alg:    "HS256",
		sign:   func(_ testing.TB, input []byte) []byte { return mac(input) },
		verify: func(input, sig []byte) bool { return hmac.Equal(mac(input), sig) },
	})
	return out
}

func signerFor(t testing.TB, alg string) signer {
	for _, s := range signers() {
		if s.alg == alg {
			return s
		}
	}
	t.Fatalf("no signer for %s", alg)
	return signer{}
}

var b64url = base64.RawURLEncoding

// mint returns a signed JWT. header and payload are JSON texts; header gets no "alg" added.
func mint(t testing.TB, s signer, header, payload []byte) string {
	t.Helper()
	input := b64url.EncodeToString(header) + "." + b64url.EncodeToString(payload)
	return input + "." + b64url.EncodeToString(s.sign(t, []byte(input)))
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Values planted in minted tokens; no error or problem may quote them.
const (
	secretSubject  = "subject-7c1e9d2a-must-not-leak"
	secretTagValue = "tagvalue-91f0ab-must-not-leak"
	secretSourceID = "source-4d2e11-must-not-leak"
)

func taggedClaims(exp int64) map[string]any {
	return map[string]any{
		"iss": "https://idp.example.com",
		"sub": secretSubject,
		"aud": "sts.amazonaws.com",
		"iat": exp - 3600,
		"exp": exp,
		"https://aws.amazon.com/tags": map[string]any{
			"principal_tags": map[string]any{
				"Project":    []string{"Automation"},
				"CostCenter": []string{"987654"},
				"Secret":     []string{secretTagValue},
			},
			"transitive_tag_keys": []string{"Project", "CostCenter"},
		},
		"https://aws.amazon.com/source_identity": secretSourceID,
	}
}

func TestParseJWT_SignedWithEachAlgorithm(t *testing.T) {
	const exp = 1785600000
	wantTags := []Tag{{"CostCenter", "987654"}, {"Project", "Automation"}, {"Secret", secretTagValue}}
	for _, s := range signers() {
		t.Run(s.alg, func(t *testing.T) {
			header := mustJSON(t, map[string]any{"alg": s.alg, "typ": "JWT", "kid": "test-key-1"})
			token := mint(t, s, header, mustJSON(t, taggedClaims(exp)))
			parts := strings.Split(token, ".")
			sig, err := b64url.DecodeString(parts[2])
			if err != nil || !s.verify([]byte(parts[0]+"."+parts[1]), sig) {
				t.Fatalf("minted token does not verify (%v)", err)
			}
			got, err := ParseJWT(token)
			if err != nil {
				t.Fatal(err)
			}
			if got.Alg != s.alg {
				t.Errorf("Alg = %q, want %q", got.Alg, s.alg)
			}
			if !got.HasExp || !got.Expires.Equal(time.Unix(exp, 0)) {
				t.Errorf("Expires = %v, HasExp = %v; want %v", got.Expires, got.HasExp, time.Unix(exp, 0).UTC())
			}
			if !reflect.DeepEqual(got.Tags, wantTags) {
				t.Errorf("Tags = %v, want %v", got.Tags, wantTags)
			}
			if want := []string{"Project", "CostCenter"}; !reflect.DeepEqual(got.TransitiveTagKeys, want) {
				t.Errorf("TransitiveTagKeys = %v, want %v", got.TransitiveTagKeys, want)
			}
			if got.SourceIdentity != secretSourceID {
				t.Errorf("SourceIdentity = %q", got.SourceIdentity)
			}
			if got.Claims["sub"] != secretSubject || got.Header["kid"] != "test-key-1" {
				t.Errorf("Claims[sub] = %v, Header[kid] = %v", got.Claims["sub"], got.Header["kid"])
			}
			if got.Claims["exp"] != json.Number("1785600000") {
				t.Errorf("Claims[exp] = %#v, want json.Number", got.Claims["exp"])
			}
			if len(got.Problems) != 0 {
				t.Errorf("Problems = %q", got.Problems)
			}
		})
	}
}

// samplePayload reads a decoded token sample, skipping the test when the samples are absent.
func samplePayload(t *testing.T, name string) (header, payload json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(samplesDir, "oidc", name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("sample %s is absent (shared samples not staged at %s)", name, samplesDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Header  json.RawMessage `json:"header"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Header, doc.Payload
}

func TestParseJWT_AWSDocsSessionTagsSample(t *testing.T) {
	header, payload := samplePayload(t, "aws-iam-docs__session-tags-jwt.decoded.json")
	if string(header) != "null" {
		t.Fatalf("the sample now has a header: %s", header)
	}
	token := mint(t, signerFor(t, "RS256"), []byte(`{"alg":"RS256","typ":"JWT","kid":"xyz-1"}`), payload)
	got, err := ParseJWT(token)
	if err != nil {
		t.Fatal(err)
	}
	wantTags := []Tag{{"CostCenter", "987654"}, {"Department", "Engineering"}, {"Project", "Automation"}}
	if !reflect.DeepEqual(got.Tags, wantTags) {
		t.Errorf("Tags = %v, want %v", got.Tags, wantTags)
	}
	if want := []string{"Project", "CostCenter"}; !reflect.DeepEqual(got.TransitiveTagKeys, want) {
		t.Errorf("TransitiveTagKeys = %v, want %v", got.TransitiveTagKeys, want)
	}
	if !got.HasExp || got.Expires.Unix() != 1566583354 {
		t.Errorf("Expires = %v (HasExp %v), want unix 1566583354", got.Expires, got.HasExp)
	}
	if got.SourceIdentity != "" || len(got.Problems) != 0 {
		t.Errorf("SourceIdentity = %q, Problems = %q", got.SourceIdentity, got.Problems)
	}
}

func TestParseJWT_GitHubActionsSample(t *testing.T) {
	header, payload := samplePayload(t, "github-actions__oidc-token.decoded.json")
	token := mint(t, signerFor(t, "RS256"), header, payload)
	got, err := ParseJWT(token)
	if err != nil {
		t.Fatal(err)
	}
	if got.Alg != "RS256" || got.Header["kid"] != "example-key-id" || got.Header["x5t"] != "example-thumbprint" {
		t.Errorf("header = %v", got.Header)
	}
	if !got.HasExp || got.Expires.Unix() != 1632493867 {
		t.Errorf("Expires = %v (HasExp %v)", got.Expires, got.HasExp)
	}
	if got.Claims["sub"] != "repo:octo-org/octo-repo:environment:prod" || got.Claims["iss"] != "https://token.actions.githubusercontent.com" {
		t.Errorf("claims sub = %v, iss = %v", got.Claims["sub"], got.Claims["iss"])
	}
	if len(got.Claims) != 27 {
		t.Errorf("%d claims, want 27", len(got.Claims))
	}
	if got.Tags != nil || got.TransitiveTagKeys != nil || len(got.Problems) != 0 {
		t.Errorf("Tags = %v, TransitiveTagKeys = %v, Problems = %q", got.Tags, got.TransitiveTagKeys, got.Problems)
	}
}

// An EKS service account token (IRSA): aud is an array and claims nest. Synthetic: the shared
// samples explain why no real one is staged.
func TestParseJWT_EKSServiceAccountShape(t *testing.T) {
	claims := map[string]any{
		"aud": []string{"sts.amazonaws.com"},
		"exp": 1785603600,
		"iat": 1785600000,
		"nbf": 1785600000,
		"iss": "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
		"sub": "system:serviceaccount:payments:api",
		"kubernetes.io": map[string]any{
			"namespace":      "payments",
			"pod":            map[string]any{"name": "api-7d9c", "uid": "2b6f0cc9-0000-4000-8000-000000000001"},
			"serviceaccount": map[string]any{"name": "api", "uid": "2b6f0cc9-0000-4000-8000-000000000002"},
		},
	}
	token := mint(t, signerFor(t, "RS256"), []byte(`{"alg":"RS256","kid":"eks-1"}`), mustJSON(t, claims))
	got, err := ParseJWT(token)
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasExp || got.Expires.Unix() != 1785603600 || len(got.Problems) != 0 || got.Tags != nil {
		t.Errorf("Expires = %v, Problems = %q, Tags = %v", got.Expires, got.Problems, got.Tags)
	}
}

// assertSafe fails when msg is not one line without a final period, or quotes the input or a
// planted secret longer than 12 bytes.
// assertProblems checks that each problem contains its expected text and is safe to print.
func assertProblems(t *testing.T, problems, want []string, input string, secrets ...string) {
	t.Helper()
	if len(problems) != len(want) {
		t.Fatalf("Problems = %q, want %d", problems, len(want))
	}
	for i, p := range problems {
		if !strings.Contains(p, want[i]) {
			t.Errorf("problem %d = %q, want it to contain %q", i, p, want[i])
		}
		assertSafe(t, p, input, secrets...)
	}
}

func assertSafe(t *testing.T, msg, input string, secrets ...string) {
	t.Helper()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message is not one line: %q", msg)
	}
	if strings.HasSuffix(msg, ".") {
		t.Errorf("message ends with a period: %q", msg)
	}
	if len(input) > redactHidden && strings.Contains(msg, input) {
		t.Errorf("message quotes the input: %q", msg)
	}
	for _, s := range secrets {
		if len(s) > redactHidden && strings.Contains(msg, s) {
			t.Errorf("message quotes %q: %q", s, msg)
		}
	}
}

func TestParseJWT_NotAJWT(t *testing.T) {
	rs := signerFor(t, "RS256")
	okHeader := []byte(`{"alg":"RS256","typ":"JWT"}`)
	okPayload := mustJSON(t, taggedClaims(1785600000))
	enc := b64url.EncodeToString
	good := mint(t, rs, okHeader, okPayload)
	parts := strings.Split(good, ".")
	// withHeader mints a token with the given header text and the secret-carrying payload.
	withHeader := func(h string) string { return mint(t, rs, []byte(h), okPayload) }
	jweHeader := enc([]byte(`{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"k1"}`))
	tests := []struct {
		name   string
		token  string
		is     error
		substr string
	}{
		{"empty", "", nil, "is empty"},
		{"opaque Login with Amazon token", "Atza|IwEBIExampleAccessTokenMustNotLeak0123456789", ErrOpaqueToken, "no dots"},
		{"opaque Facebook token", "EAABwzLixnjYBAExampleTokenMustNotLeak", ErrOpaqueToken, "ProviderId"},
		{"2 parts", parts[0] + "." + parts[1], nil, "has 2 dot-separated parts"},
		{"4 parts", good + "." + parts[2], nil, "has 4 dot-separated parts"},
		{"5 parts: JWE", jweHeader + ".ZW5jcnlwdGVkLWtleQ.aXYtOTY.Y2lwaGVydGV4dC1zZWNyZXQ.dGFn", ErrEncryptedToken, "encrypted JWT (JWE)"},
		{"6 parts", good + ".a.b.c", nil, "has 6 dot-separated parts"},
		{"standard base64 plus", parts[0] + "." + parts[1][:10] + "+" + parts[1][11:] + "." + parts[2], nil, "standard base64 character '+'"},
		{"standard base64 slash", parts[0] + "." + parts[1] + "." + parts[2][:4] + "/" + parts[2][5:], nil, "standard base64 character '/'"},
		{"bad base64 character", parts[0][:3] + "!" + parts[0][4:] + "." + parts[1] + "." + parts[2], nil, "part 1 (header) has a character that is not base64url at byte offset 3"},
		{"line break", parts[0] + "." + parts[1] + "\n." + parts[2], nil, "has whitespace"},
		{"padding inside", parts[0] + "." + parts[1][:8] + "=" + parts[1][9:] + "." + parts[2], nil, "'=' inside"},
		{"impossible length", parts[0] + "." + parts[1] + "A." + parts[2], nil, "not a valid base64url length"},
		{"empty header", "." + parts[1] + "." + parts[2], nil, "header is empty"},
		{"empty payload", parts[0] + ".." + parts[2], nil, "payload is empty"},
		{"header not JSON", withHeader("alg=RS256; not json at all"), nil, "header is not JSON"},
		{"header JSON array", withHeader(`["RS256"]`), nil, "header is a JSON array, not an object"},
		{"header JSON string", withHeader(`"RS256"`), nil, "header is a JSON string"},
		{"header JSON null", withHeader(`null`), nil, "header is a JSON null"},
		{"header syntax error", withHeader(`{"alg":"RS256",}`), nil, "header is not valid JSON: syntax error at byte"},
		{"header truncated", withHeader(`{"alg":"RS256"`), nil, "header is truncated JSON"},
		{"header trailing data", withHeader(`{"alg":"RS256"} {"x":1}`), nil, "header has data after its JSON object"},
		{"no alg", withHeader(`{"typ":"JWT","kid":"k1"}`), nil, `header has no "alg"`},
		{"alg not a string", withHeader(`{"alg":256}`), nil, `"alg" is a JSON number`},
		{"payload not an object", mint(t, rs, okHeader, []byte(`["`+secretSubject+`"]`)), nil, "payload is a JSON array"},
		{"payload syntax error", mint(t, rs, okHeader, []byte(`{"sub":"`+secretSubject+`" "x":1}`)), nil, "payload is not valid JSON"},
		{"oversized", parts[0] + "." + strings.Repeat("A", maxTokenBytes) + "." + parts[2], nil, "policylint decodes at most 65536"},
		{"at the cap plus one", strings.Repeat("a", maxTokenBytes+1), nil, "is 65537 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJWT(tt.token)
			if err == nil {
				t.Fatalf("no error; decoded %v", got.Claims)
			}
			if got != nil {
				t.Errorf("a JWT alongside the error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %q", err, tt.is)
			}
			if tt.is == nil && (errors.Is(err, ErrOpaqueToken) || errors.Is(err, ErrEncryptedToken)) {
				t.Errorf("error %q is a sentinel", err)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q does not contain %q", err, tt.substr)
			}
			assertSafe(t, err.Error(), tt.token, secretSubject, secretTagValue, secretSourceID, "IwEBIExample", "must-not-leak", "RSA-OAEP")
		})
	}
}

func TestParseJWT_MaxSize(t *testing.T) {
	rs := signerFor(t, "RS256")
	header := []byte(`{"alg":"RS256"}`)
	// A payload whose token is exactly maxTokenBytes long decodes.
	pad := maxTokenBytes
	for {
		token := mint(t, rs, header, []byte(`{"pad":"`+strings.Repeat("x", pad)+`"}`))
		if d := len(token) - maxTokenBytes; d > 0 {
			pad -= (d*3 + 3) / 4
			continue
		}
		if len(token) < maxTokenBytes-3 {
			t.Fatalf("could not mint a token near the cap: %d bytes", len(token))
		}
		if _, err := ParseJWT(token); err != nil {
			t.Fatalf("%d-byte token: %v", len(token), err)
		}
		break
	}
}

func TestParseJWT_Problems(t *testing.T) {
	hs := signerFor(t, "HS256")
	tests := []struct {
		name      string
		header    string
		payload   string
		want      []string // substrings, one problem each, in order
		notes     []string // substrings, one note each, in order
		wantTags  []Tag
		wantTrans []string
		hasExp    bool
	}{
		{
			name:    "fractional exp",
			payload: `{"exp":1785600000.5,"iat":1785599000}`,
			want:    []string{`claim "exp" is a number with a fraction or an exponent; STS requires an integer NumericDate`},
		},
		{
			name:    "exponent exp and string iat",
			payload: `{"exp":1.7856e9,"iat":"1785599000","nbf":true}`,
			want:    []string{`claim "exp" is a number with a fraction`, `claim "iat" is a JSON string; STS requires an integer`, `claim "nbf" is a JSON boolean`},
		},
		{
			name:    "exp out of range",
			payload: `{"exp":99999999999999999999}`,
			want:    []string{`claim "exp" is an integer out of the 64-bit range`},
		},
		{
			name:    "negative exp is an integer",
			payload: `{"exp":-1}`,
			hasExp:  true,
		},
		{
			name:    "largest 64-bit exp",
			payload: `{"exp":9223372036854775807}`,
			hasExp:  true,
		},
		{
			name:     "multi-valued principal tag",
			payload:  `{"https://aws.amazon.com/tags":{"principal_tags":{"Project":["Automation"],"Team":["` + secretTagValue + `","b"]}}}`,
			want:     []string{`principal tag "Team" has 2 values; STS does not support multi-valued tags: give it exactly one value`},
			wantTags: []Tag{{"Project", "Automation"}},
		},
		{
			name:    "principal tag shapes",
			payload: `{"https://aws.amazon.com/tags":{"principal_tags":{"A":"` + secretTagValue + `","B":[],"C":[42],"D":[null],"E":{"x":"y"}}}}`,
			want: []string{
				`principal tag "B" is an empty array`,
				`principal tag "C" has a JSON number as its value`,
				`principal tag "D" has a JSON null as its value`,
				`principal tag "E" is a JSON object`,
			},
			notes:    []string{`principal tag "A" is a string; AWS documents an array of one string`},
			wantTags: []Tag{{"A", secretTagValue}},
		},
		{
			name: "flattened claims",
			payload: `{"https://aws.amazon.com/tags/principal_tags/Team":"data","https://aws.amazon.com/tags/principal_tags/Project":["Automation"],` +
				`"https://aws.amazon.com/tags/principal_tags/":"x","https://aws.amazon.com/tags/principal_tags/Multi":["a","b"],` +
				`"https://aws.amazon.com/tags/transitive_tag_keys":["Team"]}`,
			want: []string{
				`claim "https://aws.amazon.com/tags/principal_tags/" names no tag key`,
				`principal tag "Multi" has 2 values`,
			},
			wantTags:  []Tag{{"Project", "Automation"}, {"Team", "data"}},
			wantTrans: []string{"Team"},
		},
		{
			name:      "nested and flattened forms together",
			payload:   `{"https://aws.amazon.com/tags":{"principal_tags":{"A":["1"]}},"https://aws.amazon.com/tags/principal_tags/B":"2","https://aws.amazon.com/tags/transitive_tag_keys":["B"]}`,
			notes:     []string{`both in the nested "https://aws.amazon.com/tags" claim and in flattened claims`},
			wantTags:  []Tag{{"A", "1"}, {"B", "2"}},
			wantTrans: []string{"B"},
		},
		{
			name:    "a long tag key is quoted short",
			payload: `{"https://aws.amazon.com/tags":{"principal_tags":{"` + strings.Repeat("k", 5000) + `":["a","b"]}}}`,
			want:    []string{`principal tag "` + strings.Repeat("k", 64) + `"… has 2 values`},
		},
		{
			name:     "empty tag value is a value",
			payload:  `{"https://aws.amazon.com/tags":{"principal_tags":{"Empty":[""]}}}`,
			wantTags: []Tag{{"Empty", ""}},
		},
		{
			name:    "tags claim not an object",
			payload: `{"https://aws.amazon.com/tags":[{"Key":"Project","Value":"x"}]}`,
			want:    []string{`claim "https://aws.amazon.com/tags" is a JSON array; it must be an object with "principal_tags" and "transitive_tag_keys"`},
		},
		{
			name:    "principal_tags not an object",
			payload: `{"https://aws.amazon.com/tags":{"principal_tags":[["Project","x"]]}}`,
			want:    []string{`"principal_tags" is a JSON array; it must be an object`},
		},
		{
			name:    "transitive_tag_keys not an array",
			payload: `{"https://aws.amazon.com/tags":{"transitive_tag_keys":"Project"}}`,
			want:    []string{`"transitive_tag_keys" is a JSON string; it must be an array of strings`},
		},
		{
			name:      "transitive_tag_keys with a number",
			payload:   `{"https://aws.amazon.com/tags":{"transitive_tag_keys":["Project",7,"Team"]}}`,
			want:      []string{`"transitive_tag_keys" item 2 is a JSON number, not a string`},
			wantTrans: []string{"Project", "Team"},
		},
		{
			name:     "misspelt member",
			payload:  `{"https://aws.amazon.com/tags":{"principal_tag":{"Project":["x"]},"principal_tags":{"Team":["y"]}}}`,
			notes:    []string{`claim "https://aws.amazon.com/tags" has member "principal_tag", which STS does not read`},
			wantTags: []Tag{{"Team", "y"}},
		},
		{
			name:    "source identity not a string",
			payload: `{"https://aws.amazon.com/source_identity":["` + secretSourceID + `"]}`,
			notes:   []string{`claim "https://aws.amazon.com/source_identity" is a JSON array, not a string`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header
			if header == "" {
				header = `{"alg":"HS256"}`
			}
			token := mint(t, hs, []byte(header), []byte(tt.payload))
			got, err := ParseJWT(token)
			if err != nil {
				t.Fatal(err)
			}
			assertProblems(t, got.Problems, tt.want, token, secretTagValue, secretSourceID)
			assertProblems(t, got.Notes, tt.notes, token, secretTagValue, secretSourceID)
			if !reflect.DeepEqual(got.Tags, tt.wantTags) {
				t.Errorf("Tags = %v, want %v", got.Tags, tt.wantTags)
			}
			if !reflect.DeepEqual(got.TransitiveTagKeys, tt.wantTrans) {
				t.Errorf("TransitiveTagKeys = %v, want %v", got.TransitiveTagKeys, tt.wantTrans)
			}
			if got.HasExp != tt.hasExp || (!tt.hasExp && !got.Expires.IsZero()) {
				t.Errorf("HasExp = %v, Expires = %v", got.HasExp, got.Expires)
			}
			if tt.hasExp && !got.Expires.IsZero() && got.Expires.Unix() != got.Exp {
				t.Errorf("Expires = %v, Exp = %d", got.Expires, got.Exp)
			}
		})
	}
}

func TestParseJWT_SegmentProblems(t *testing.T) {
	hs := signerFor(t, "HS256")
	header := b64url.EncodeToString([]byte(`{"alg":"HS256","x":12}`)) // 22 bytes: 30 characters, 2 short of a multiple of 4
	payload := b64url.EncodeToString([]byte(`{"exp":1785600000}`))
	input := header + "." + payload
	sig := b64url.EncodeToString(hs.sign(t, []byte(input)))

	got, err := ParseJWT(header + "==." + payload + "." + sig)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) != 0 || len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "part 1 (header) ends in '=' padding") {
		t.Errorf("padded header: Problems = %q, Notes = %q", got.Problems, got.Notes)
	}

	_, err = ParseJWT(header + "=." + payload + "." + sig)
	if err == nil || !strings.Contains(err.Error(), "not a valid base64url length") {
		t.Errorf("one '=' short: err = %v", err)
	}

	got, err = ParseJWT(b64url.EncodeToString([]byte(`{"alg":"none"}`)) + "." + payload + ".")
	if err != nil {
		t.Fatal(err)
	}
	if got.Alg != "none" || len(got.Problems) != 1 || !strings.Contains(got.Problems[0], "empty signature") {
		t.Errorf("alg none: Alg = %q, Problems = %q", got.Alg, got.Problems)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "(0 characters)"},
		{"a", "(1 character)"},
		{"abcdefghijkl", "(12 characters)"},
		{"abcdefghijklm", "abcdef… (13 characters)"},
		{"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "eyJhbG… (41 characters)"},
		{"ééééééééééééé", "éééééé… (13 characters)"},
		{"ab\ncd\x00efghijklmn", "ab\ufffdcd\ufffd… (16 characters)"},
		{"\xff\xfeabcdefghijklmnop", "\ufffd\ufffdabcd… (18 characters)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
