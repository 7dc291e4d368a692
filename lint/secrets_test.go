package lint

import (
	"strings"
	"testing"
)

func TestSecretSpans(t *testing.T) {
	const secret = "ABCDEFsecretpart"
	for _, tc := range []struct{ name, src, secret string }{
		{"jwt", `{"WebIdentityToken":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}`, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"},
		{"key in another case", `{"webIdentityTOKEN": "` + secret + `"}`, secret},
		{"unquoted", `password: ` + secret + "\n", secret},
		{"hcl", `api_key = "` + secret + `"`, secret},
		{"pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIE" + secret + "\n-----END RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----\nMIIE" + secret + "\n-----END RSA PRIVATE KEY-----"},
		{"base64 run", `"SAMLAssertion_": "` + strings.Repeat("PHNhbWw+", 12) + `"`, strings.Repeat("PHNhbWw+", 12)},
		{"access key id", `"id": "AKIAIOSFODNN7EXAMPLE"`, "AKIAIOSFODNN7EXAMPLE"},
		{"every word in mixed case", `ApiKey=` + secret, secret},
		{"word last in the file", `{"x": 1} CREDENTIAL: ` + secret, secret},
		{"env file", "DB_PASSWORD=" + secret + "\n", secret},
		{"yaml key after a list", "- name: x\n  secretKey:   " + secret, secret},
	} {
		spans := secretSpans([]byte(tc.src))
		i := strings.Index(tc.src, tc.secret)
		covered := false
		for _, s := range spans {
			if s[0] <= i && s[1] >= i+len(tc.secret) {
				covered = true
			}
		}
		if !covered {
			t.Errorf("%s: spans %v do not cover the secret at %d–%d", tc.name, spans, i, i+len(tc.secret))
		}
		if got := redact(tc.src); strings.Contains(got, tc.secret[6:]) {
			t.Errorf("%s: redact left the secret: %q", tc.name, got)
		}
	}
	for _, w := range secretWords { // byteClasses and secretWordsByFirst take them for lower-case ASCII words
		if w[0] < 'a' || w[0] > 'z' || strings.ToLower(w) != w {
			t.Errorf("secret word %q does not start with a lower-case letter or is not lower case", w)
		}
		for _, spelt := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			if secretWordAt([]byte(spelt+"x"), 0) != len(w) {
				t.Errorf("secretWordAt(%q) does not find %q", spelt, w)
			}
		}
	}
	for _, clean := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::tenant-a/reports/2026/q3/*"}]}`,
		`{"Action": "sts:TagSession", "Resource": "arn:aws:iam::123456789012:role/token-broker"}`,
		`{"Action": ["secretsmanager:GetSecretValue", "sts:GetSessionToken"], "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"}`,
		"Action:\n  - secretsmanager:GetSecretValue\n  - secretsmanager:PutSecretValue\n",
	} {
		if spans := secretSpans([]byte(clean)); len(spans) > 0 {
			t.Errorf("%q: spans %v in a policy without secrets", clean, spans)
		}
	}
}
