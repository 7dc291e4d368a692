package federation

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A marker planted in test documents; no error may quote it.
const secretMarker = "marker-5be1c0-must-not-leak"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// samlAttr renders one Attribute with the given values.
func samlAttr(name string, values ...string) string {
	var b strings.Builder
	b.WriteString(`<saml:Attribute Name="` + name + `" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">`)
	for _, v := range values {
		b.WriteString(`<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">` + v + `</saml:AttributeValue>`)
	}
	b.WriteString("</saml:Attribute>\n")
	return b.String()
}

// samlResponse renders a SAML 2.0 Response with prefixed namespaces, as most identity providers
// write it, with attrs inside its AttributeStatement.
func samlResponse(attrs ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-07-01T12:00:00.123Z" Destination="https://signin.aws.amazon.com/saml">
  <saml:Issuer>https://idp.example.com/</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-07-01T12:00:01Z">
    <saml:Issuer>https://idp.example.com/</saml:Issuer>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">user-1</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="2026-07-01T12:05:00Z" Recipient="https://signin.aws.amazon.com/saml"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="2026-07-01T11:55:00Z" NotOnOrAfter="2026-07-01T12:05:00Z">
      <saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="2026-07-01T12:00:00Z" SessionNotOnOrAfter="2026-07-01T20:00:00Z" SessionIndex="_a1">
      <saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
    </saml:AuthnStatement>
    <saml:AttributeStatement>
` + strings.Join(attrs, "") + `    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>
`
}

const (
	roleA     = "arn:aws:iam::111122223333:role/Admin"
	providerA = "arn:aws:iam::111122223333:saml-provider/Okta"
	roleB     = "arn:aws:iam::444455556666:role/path/ReadOnly"
	providerB = "arn:aws:iam::444455556666:saml-provider/Okta"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

func TestParseSAMLAssertion_Built(t *testing.T) {
	doc := samlResponse(
		samlAttr(attrRole, roleA+","+providerA, "\n\t\t"+providerB+" , "+roleB+"\n\t"),
		samlAttr(attrRoleSessionName, "  jane.doe@example.com\n"),
		samlAttr(attrSourceIdentity, "jane.doe"),
		samlAttr(attrSessionDuration, " 28800 "),
		samlAttr(attrPrincipalTag+"Project", "Automation"),
		samlAttr(attrPrincipalTag+"cost-center", "12345"),
		samlAttr(attrPrincipalTag+"Empty", ""),
		samlAttr(attrTransitive, "Project", "cost-center"),
		samlAttr("https://aws.amazon.com/SAML/Attributes/Unknown", "x", "y"),
		samlAttr("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", roleA+","+providerA),
	)
	want := &SAMLResponse{
		Roles: []RolePair{
			{Role: roleA, Provider: providerA, Raw: roleA + "," + providerA},
			{Role: roleB, Provider: providerB, Raw: providerB + " , " + roleB},
		},
		RoleSessionName:     "jane.doe@example.com",
		HasRoleSessionName:  true,
		SourceIdentity:      "jane.doe",
		HasSourceIdentity:   true,
		SessionDuration:     "28800",
		HasSessionDuration:  true,
		Tags:                []Tag{{"Project", "Automation"}, {"cost-center", "12345"}, {"Empty", ""}},
		TransitiveTagKeys:   []string{"Project", "cost-center"},
		IssueInstant:        mustTime(t, "2026-07-01T12:00:00.123Z"),
		SessionNotOnOrAfter: mustTime(t, "2026-07-01T20:00:00Z"),
		NotOnOrAfter:        mustTime(t, "2026-07-01T12:05:00Z"),
		SubjectNotOnOrAfter: mustTime(t, "2026-07-01T12:05:00Z"),
	}
	wrapped := func(s string) string { // as base64 -w 76 and MIME write it, with CR LF
		enc := b64(s)
		var b strings.Builder
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		return b.String() + enc + "\n"
	}
	for name, input := range map[string]string{
		"one line":        b64(doc),
		"wrapped at 76":   wrapped(doc),
		"without padding": strings.TrimRight(b64(doc+" "), "="),
		"with a BOM":      b64("\ufeff" + doc),
		"spaces":          strings.Join(strings.SplitAfter(b64(doc), "AA"), " \t"),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseSAMLAssertion(input)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// The Response has no IssueInstant: the Assertion's stands in.
func TestParseSAMLAssertion_AssertionIssueInstant(t *testing.T) {
	doc := strings.Replace(samlResponse(), ` IssueInstant="2026-07-01T12:00:00.123Z"`, "", 1)
	got, err := ParseSAMLAssertion(b64(doc))
	if err != nil {
		t.Fatal(err)
	}
	if want := mustTime(t, "2026-07-01T12:00:01Z"); !got.IssueInstant.Equal(want) {
		t.Errorf("IssueInstant = %v, want %v", got.IssueInstant, want)
	}
}

// sampleXML returns the SAML sample files, skipping the test when they are absent.
func sampleXML(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(samplesDir, "saml", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Skipf("no SAML samples at %s/saml (shared samples not staged)", samplesDir)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return files
}

func TestParseSAMLAssertion_Samples(t *testing.T) {
	aadRoles := []RolePair{
		{Role: "arn:aws:iam::012345678901:role/example_role", Provider: "arn:aws:iam::012345678901:saml-provider/EXAMPLE_PROVIDER"},
		{Role: "arn:aws:iam::123456789012:role/example_role", Provider: "arn:aws:iam::123456789012:saml-provider/EXAMPLE_PROVIDER"},
	}
	ping := func(account, role string) RolePair {
		return RolePair{Role: "arn:aws:iam::" + account + ":role/" + role, Provider: "arn:aws:iam::" + account + ":saml-provider/example-idp"}
	}
	adfs := func(role string) RolePair {
		return RolePair{Role: "arn:aws:iam::123123123123:role/" + role, Provider: "arn:aws:iam::123123123123:saml-provider/ExampleADFS"}
	}
	aad := &SAMLResponse{
		Roles:               aadRoles,
		RoleSessionName:     "exampleuser@exampledomain.com",
		HasRoleSessionName:  true,
		IssueInstant:        mustTime(t, "2020-01-01T00:00:00Z"),
		NotOnOrAfter:        mustTime(t, "2020-01-01T00:00:00Z"),
		SubjectNotOnOrAfter: mustTime(t, "2020-01-01T00:00:00Z"),
	}
	derived := *aad
	derived.Tags = []Tag{{"Project", "Automation"}, {"CostCenter", "12345"}, {"Department", "Engineering"}}
	derived.TransitiveTagKeys = []string{"Project", "Department"}
	want := map[string]*SAMLResponse{
		"saml2aws__aad-SAMLResponse.xml":                  aad,
		"derived__aad-SAMLResponse-with-session-tags.xml": &derived,
		"saml2aws__adfs-assertion.xml": {
			Roles:               []RolePair{adfs("AWS-Admin-CloudOPSBuild"), adfs("AWS-Admin-CloudOPSNonProd")},
			RoleSessionName:     "wolfeidau@example.com",
			HasRoleSessionName:  true,
			SessionDuration:     "28800",
			HasSessionDuration:  true,
			IssueInstant:        mustTime(t, "2016-09-10T02:54:39.387Z"),
			NotOnOrAfter:        mustTime(t, "2016-09-10T03:54:39.371Z"),
			SubjectNotOnOrAfter: mustTime(t, "2016-09-10T02:59:39.387Z"),
		},
		"saml2aws__pingfed-assertion.xml": {
			Roles: []RolePair{
				ping("456456456456", "admin"), ping("456456456456", "developer"), ping("789789789789", "admin"),
				ping("123123123123", "developer"), ping("123123123123", "admin"),
			},
			RoleSessionName:     "evan.mclean",
			HasRoleSessionName:  true,
			IssueInstant:        mustTime(t, "2016-09-23T23:29:25.308Z"),
			NotOnOrAfter:        mustTime(t, "2016-09-23T23:34:25.315Z"),
			SubjectNotOnOrAfter: mustTime(t, "2016-09-23T23:34:25.315Z"),
		},
	}
	for name, doc := range sampleXML(t) {
		t.Run(name, func(t *testing.T) {
			got, err := ParseSAMLAssertion(b64(string(doc)))
			if err != nil {
				t.Fatal(err)
			}
			w, ok := want[name]
			if !ok {
				t.Logf("new sample without expectations: %d roles, %d tags, problems %q", len(got.Roles), len(got.Tags), got.Problems)
				return
			}
			for i := range got.Roles {
				if got.Roles[i].Raw == "" {
					t.Errorf("role %d has no Raw", i)
				}
				got.Roles[i].Raw = "" // compared below through Role and Provider
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("got  %+v\nwant %+v", got, w)
			}
		})
	}
}

// The AWS documentation's attribute snippets, wrapped in a Response.
func TestParseSAMLAssertion_AWSDocsSnippets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(samplesDir, "saml", "aws-iam-docs__saml-attribute-snippets.json"))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("SAML attribute snippets absent (shared samples not staged at %s)", samplesDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Snippets []struct {
			Lines      string   `json:"lines"`
			Attributes []string `json:"attributes"`
			WellFormed bool     `json:"well_formed_when_wrapped"`
			XML        string   `json:"xml"`
		} `json:"snippets"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Snippets {
		t.Run(s.Lines, func(t *testing.T) {
			// The snippets are unprefixed, like the PingFederate sample.
			xmlDoc := strings.Replace(samlResponse(), "<saml:AttributeStatement>", "<saml:AttributeStatement>"+s.XML, 1)
			got, err := ParseSAMLAssertion(b64(xmlDoc))
			if !s.WellFormed {
				if err == nil {
					t.Fatal("a snippet that is not well-formed decoded")
				}
				assertSafe(t, err.Error(), xmlDoc, "DiegoRamirez")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Problems) != 0 {
				t.Errorf("Problems = %q", got.Problems)
			}
			for _, a := range s.Attributes {
				var found bool
				switch key, isTag := strings.CutPrefix(a, "PrincipalTag:"); {
				case isTag:
					for _, tag := range got.Tags {
						found = found || tag.Key == key
					}
				case a == "TransitiveTagKeys":
					found = len(got.TransitiveTagKeys) == 2
				case a == "Role":
					found = len(got.Roles) == 3 // with account-number placeholders: pairs, if not valid ARNs
				case a == "RoleSessionName":
					found = got.RoleSessionName == "user-id-name"
				case a == "SessionDuration":
					found = got.SessionDuration == "1800"
				}
				if !found {
					t.Errorf("attribute %s not decoded: %+v", a, got)
				}
			}
		})
	}
}

func TestParseSAMLAssertion_Problems(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		want  []string // substrings, one problem each, in order
		notes []string // substrings, one note each, in order
		check func(t *testing.T, r *SAMLResponse)
	}{
		{
			name: "principal tags with zero and several values",
			doc: samlResponse(
				samlAttr(attrPrincipalTag+"None"),
				samlAttr(attrPrincipalTag+"Many", secretMarker, "b"),
				samlAttr(attrPrincipalTag+"", "x"),
				samlAttr(attrPrincipalTag+"Good", "ok"),
			),
			want: []string{
				`principal tag "None" has no AttributeValue; give it exactly one`,
				`principal tag "Many" has 2 values; STS does not support multi-valued tags: give it exactly one`,
				`a PrincipalTag attribute has an empty tag key`,
			},
			check: func(t *testing.T, r *SAMLResponse) {
				if want := []Tag{{"Good", "ok"}}; !reflect.DeepEqual(r.Tags, want) {
					t.Errorf("Tags = %v, want %v", r.Tags, want)
				}
			},
		},
		{
			name: "role values that are not pairs",
			doc: samlResponse(samlAttr(attrRole,
				roleA+","+providerA,
				roleA,
				roleA+","+roleB,
				providerA+","+providerB,
				roleA+","+providerA+","+secretMarker,
				"arn:aws:iam::111122223333:user/"+secretMarker+","+providerA,
				"",
			)),
			notes: []string{
				"value 2 of the Role attribute is not a role ARN and a SAML provider ARN separated by a comma",
				"value 3 of the Role attribute", "value 4 of", "value 5 of", "value 6 of", "value 7 of",
			},
			check: func(t *testing.T, r *SAMLResponse) {
				if len(r.Roles) != 1 {
					t.Errorf("Roles = %v", r.Roles)
				}
			},
		},
		{
			name: "repeated and multi-valued single attributes",
			doc: samlResponse(
				samlAttr(attrRoleSessionName, "first", secretMarker),
				samlAttr(attrRoleSessionName, "second"),
				samlAttr(attrSessionDuration),
				samlAttr(attrPrincipalTag+"Project", "a"),
				samlAttr(attrPrincipalTag+"Project", "b"),
			),
			want: []string{`attribute "https://aws.amazon.com/SAML/Attributes/SessionDuration" has no AttributeValue`},
			notes: []string{
				`attribute "https://aws.amazon.com/SAML/Attributes/RoleSessionName" has 2 values; policylint reads the first`,
				`attribute "https://aws.amazon.com/SAML/Attributes/RoleSessionName" appears more than once; policylint reads the first`,
				`attribute "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Project" appears more than once`,
			},
			check: func(t *testing.T, r *SAMLResponse) {
				if r.RoleSessionName != "first" || !r.HasRoleSessionName || r.HasSessionDuration {
					t.Errorf("RoleSessionName = %q (%v), HasSessionDuration = %v", r.RoleSessionName, r.HasRoleSessionName, r.HasSessionDuration)
				}
				if want := []Tag{{"Project", "a"}}; !reflect.DeepEqual(r.Tags, want) {
					t.Errorf("Tags = %v, want %v", r.Tags, want)
				}
			},
		},
		{
			name: "times",
			doc: strings.NewReplacer(
				`IssueInstant="2026-07-01T12:00:00.123Z"`, `IssueInstant="2026-07-01T12:00:00"`,
				`NotBefore="2026-07-01T11:55:00Z" NotOnOrAfter="2026-07-01T12:05:00Z"`, `NotOnOrAfter="`+secretMarker+`"`,
				`SessionNotOnOrAfter="2026-07-01T20:00:00Z"`, `SessionNotOnOrAfter="2026-07-01 20:00:00Z"`,
			).Replace(samlResponse()),
			want: []string{
				"the Conditions NotOnOrAfter is not an xs:dateTime",
				"the AuthnStatement SessionNotOnOrAfter is not an xs:dateTime",
			},
			notes: []string{"the Response IssueInstant has no time zone; SAML times are UTC and end in 'Z'"},
			check: func(t *testing.T, r *SAMLResponse) {
				if want := mustTime(t, "2026-07-01T12:00:00Z"); !r.IssueInstant.Equal(want) {
					t.Errorf("IssueInstant = %v, want %v", r.IssueInstant, want)
				}
				if !r.NotOnOrAfter.IsZero() || !r.SessionNotOnOrAfter.IsZero() {
					t.Errorf("NotOnOrAfter = %v, SessionNotOnOrAfter = %v", r.NotOnOrAfter, r.SessionNotOnOrAfter)
				}
			},
		},
		{
			name: "encrypted assertion",
			doc: `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Version="2.0" IssueInstant="2026-07-01T12:00:00Z">
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:EncryptedAssertion>
    <xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">
      <xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>
      <xenc:CipherData><xenc:CipherValue>bm90IHJlYWxseSBjaXBoZXJ0ZXh0</xenc:CipherValue></xenc:CipherData>
    </xenc:EncryptedData>
    <saml:AttributeStatement>` + samlAttr(attrRole, roleA+","+providerA) + `</saml:AttributeStatement>
  </saml:EncryptedAssertion>
</samlp:Response>`,
			check: func(t *testing.T, r *SAMLResponse) {
				if !r.Encrypted || r.Roles != nil {
					t.Errorf("Encrypted = %v, Roles = %v", r.Encrypted, r.Roles)
				}
			},
		},
		{
			name: "encrypted attribute",
			doc: samlResponse(samlAttr(attrRole, roleA+","+providerA),
				`<saml:EncryptedAttribute><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAttribute>`),
			notes: []string{"the Assertion has an EncryptedAttribute, which policylint cannot read"},
			check: func(t *testing.T, r *SAMLResponse) {
				if r.Encrypted || len(r.Roles) != 1 {
					t.Errorf("Encrypted = %v, Roles = %v", r.Encrypted, r.Roles)
				}
			},
		},
		{
			name: "failure status without assertion",
			doc: `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0">
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:StatusCode>
  </samlp:Status>
</samlp:Response>`,
			want: []string{
				"the Response StatusCode is not Success: the identity provider reports a failure",
				"the Response has no Assertion",
			},
		},
		{
			name: "two assertions",
			doc: strings.Replace(samlResponse(samlAttr(attrRoleSessionName, "first")), "</samlp:Response>",
				`<saml:Assertion><saml:AttributeStatement>`+samlAttr(attrRoleSessionName, "second")+`</saml:AttributeStatement></saml:Assertion></samlp:Response>`, 1),
			notes: []string{"the Response has 2 assertions; policylint reads the first"},
			check: func(t *testing.T, r *SAMLResponse) {
				if r.RoleSessionName != "first" {
					t.Errorf("RoleSessionName = %q", r.RoleSessionName)
				}
			},
		},
		{
			name: "version and nested value",
			doc: strings.Replace(samlResponse(samlAttr(attrSourceIdentity, "<x>"+secretMarker+"</x>")),
				`Version="2.0" IssueInstant="2026-07-01T12:00:00.123Z"`, `Version="2.1" IssueInstant="2026-07-01T12:00:00.123Z"`, 1),
			want:  []string{`the Response Version is not "2.0"`},
			notes: []string{`a value of attribute "https://aws.amazon.com/SAML/Attributes/SourceIdentity" has child elements; AWS documents text values`},
			check: func(t *testing.T, r *SAMLResponse) {
				if !r.HasSourceIdentity || r.SourceIdentity != "" {
					t.Errorf("SourceIdentity = %q (%v)", r.SourceIdentity, r.HasSourceIdentity)
				}
			},
		},
		{
			name: "attributes outside an AttributeStatement are not read",
			doc: strings.Replace(samlResponse(), "<saml:Subject>",
				samlAttr(attrRole, roleA+","+providerA)+"<saml:Subject>", 1),
			check: func(t *testing.T, r *SAMLResponse) {
				if r.Roles != nil {
					t.Errorf("Roles = %v", r.Roles)
				}
			},
		},
		{
			name: "entities and character references are decoded",
			doc:  samlResponse(samlAttr(attrPrincipalTag+"Team", "R&amp;D &#x263A;"), samlAttr(attrRoleSessionName, "<![CDATA[a&b]]>")),
			check: func(t *testing.T, r *SAMLResponse) {
				if want := []Tag{{"Team", "R&D ☺"}}; !reflect.DeepEqual(r.Tags, want) || r.RoleSessionName != "a&b" {
					t.Errorf("Tags = %v, RoleSessionName = %q", r.Tags, r.RoleSessionName)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := b64(tt.doc)
			got, err := ParseSAMLAssertion(input)
			if err != nil {
				t.Fatal(err)
			}
			assertProblems(t, got.Problems, tt.want, input, secretMarker)
			assertProblems(t, got.Notes, tt.notes, input, secretMarker)
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func deflate(t *testing.T, s string) string {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(s))
	w.Close()
	return buf.String()
}

func TestParseSAMLAssertion_Errors(t *testing.T) {
	valid := samlResponse(samlAttr(attrRoleSessionName, secretMarker))
	lol := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "` + secretMarker + `">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol9;</samlp:Response>`
	deep := "<Response>" + strings.Repeat("<Extensions>", maxXMLDepth) + strings.Repeat("</Extensions>", maxXMLDepth) + "</Response>"
	notDeep := "<Response>" + strings.Repeat("<Extensions>", maxXMLDepth-1) + strings.Repeat("</Extensions>", maxXMLDepth-1) + "</Response>"
	if _, err := ParseSAMLAssertion(b64(notDeep)); err != nil {
		t.Fatalf("%d levels: %v", maxXMLDepth, err)
	}
	many := "<Response>" + strings.Repeat("<Extensions/>", maxXMLElements) + "</Response>"
	tests := []struct {
		name   string
		input  string
		substr string
	}{
		{"empty", "", "SAMLAssertion is empty"},
		{"whitespace", " \r\n\t", "SAMLAssertion is empty"},
		{"raw XML", valid, "is XML text, not base64"},
		{"raw XML after a line break", "\n" + valid, "is XML text"},
		{"base64url", strings.NewReplacer("+", "-", "/", "_").Replace(b64(valid + "\xfb\xff")), "base64url character"},
		{"URL-encoded", strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(b64(valid + "\xfb\xff")), "looks URL-encoded"},
		{"not base64", b64(valid)[:40] + "!" + b64(valid)[41:], "character that is not base64 at byte offset 40"},
		{"padding in the middle", b64("ab") + b64(valid), "'=' before the end"},
		{"too much padding", b64(valid[:30]) + "==", "not a valid base64 length"},
		{"truncated base64", b64(valid)[:len(b64(valid))-3] + "A", ""},
		{"not XML", b64("grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer&assertion=" + secretMarker), "decodes to data that is not XML"},
		{"deflated", b64(deflate(t, valid)), "not XML"},
		{"UTF-16", b64("\xff\xfe<\x00R\x00e\x00s\x00"), "UTF-16"},
		{"ISO-8859-1 declared", b64(strings.Replace(valid, "UTF-8", "ISO-8859-1", 1)), `declares encoding "ISO-8859-1"; policylint reads only UTF-8`},
		{"odd encoding name", b64(strings.Replace(valid, "UTF-8", secretMarker+" x", 1)), "declares an encoding other than UTF-8"},
		{"XML 1.1", b64(strings.Replace(valid, `version="1.0"`, `version="1.1"`, 1)), "cannot be read"},
		{"assertion root", b64(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="` + secretMarker + `"/>`), "root element Assertion, not a SAML 2.0 Response; STS wants the whole Response"},
		{"metadata root", b64(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + secretMarker + `"/>`), "root element EntityDescriptor, not"},
		{"unknown root", b64(`<` + secretMarker + `/>`), "has a root element that is not a SAML 2.0 Response"},
		{"SAML 1.1 response", b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" MajorVersion="1" MinorVersion="1"/>`), "SAML 1.x Response"},
		{"billion laughs", b64(lol), "has a DOCTYPE"},
		{"external entity", b64(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response>&x;</Response>`), "has a DOCTYPE"},
		{"DOCTYPE after the root opens", b64(`<Response><!DOCTYPE r></Response>`), "has a DOCTYPE"},
		{"undeclared entity", b64(`<Response>&` + secretMarker + `;</Response>`), "unknown or malformed entity reference (line 1)"},
		{"deep nesting", b64(deep), "nests deeper than 64 elements"},
		{"element count", b64(many), "more than 10000 elements"},
		{"truncated XML", b64(valid[:len(valid)/2]), "ends inside an element"},
		{"mismatched tags", b64(`<Response><a>` + secretMarker + `</b></Response>`), "is not well-formed (line 1)"},
		{"two roots", b64(`<Response/><Response/>`), "more than one root element"},
		{"text after the root", b64(`<Response/>` + secretMarker), "text outside its root element"},
		{"no root", b64(`<?xml version="1.0"?><!-- ` + secretMarker + ` -->`), "has no root element"},
		{"invalid UTF-8", b64("<Response>\xff" + secretMarker + "</Response>"), "not valid UTF-8"},
		{"oversized", strings.Repeat("QUFB", maxAssertionBytes/4) + "QQ==", "SAMLAssertion is 1048580 bytes; policylint decodes at most 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSAMLAssertion(tt.input)
			if err == nil {
				t.Fatalf("no error; decoded %+v", got)
			}
			if got != nil {
				t.Error("a response alongside the error")
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("error %q does not contain %q", err, tt.substr)
			}
			decoded, _ := base64.StdEncoding.DecodeString(tt.input)
			assertSafe(t, err.Error(), tt.input, secretMarker, "file:///", string(decoded))
		})
	}
}

// A Response at the size STS accepts decodes; the cap is far above it.
func TestParseSAMLAssertion_STSMaxSize(t *testing.T) {
	var attrs []string
	for i := 0; len(b64(samlResponse(attrs...))) < 100_000; i++ {
		attrs = append(attrs, samlAttr(attrPrincipalTag+"k"+strings.Repeat("x", i%50), "v"))
	}
	input := b64(samlResponse(attrs...))
	got, err := ParseSAMLAssertion(input)
	if err != nil {
		t.Fatalf("%d characters: %v", len(input), err)
	}
	if len(got.Tags) == 0 {
		t.Error("no tags decoded")
	}
}
