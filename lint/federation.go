package lint

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/policylint/policylint/internal/federation"
)

// Web identity tokens and SAML assertions are decoded, never verified: policylint reads what STS
// will read from them (algorithm, expiry, session tags, role, session name, duration) but checks
// no signature, issuer or audience. Their text is a secret: findings point at the parameter and
// quote at most federation.Redact's short prefix.

// fedState is what decoding the request's token and assertion found.
type fedState struct {
	jwt     *federation.JWT
	jwtErr  error
	saml    *federation.SAMLResponse
	samlErr error
}

// decodable reports a token or assertion to decode: one that is empty (param-length), a
// placeholder or a file:// path has its own finding.
func decodable(v *sv) bool { return v != nil && v.s != "" && !opaqueValue(v.s) }

// decodeFederation decodes the request's token and assertion, and adds their session tags and
// source identity.
func (r *request) decodeFederation() {
	if decodable(r.token) {
		r.fed.jwt, r.fed.jwtErr = federation.ParseJWT(r.token.s)
		if j := r.fed.jwt; j != nil {
			r.addFederatedTags(j.Tags, j.TransitiveTagKeys, r.token.at, "web identity token")
			if j.SourceIdentity != "" {
				r.sourceIDs = append(r.sourceIDs, sv{s: j.SourceIdentity, at: r.token.at, name: "WebIdentityToken's https://aws.amazon.com/source_identity claim"})
			}
		}
	}
	if decodable(r.assertion) {
		r.fed.saml, r.fed.samlErr = federation.ParseSAMLAssertion(r.assertion.s)
		if s := r.fed.saml; s != nil {
			r.addFederatedTags(s.Tags, s.TransitiveTagKeys, r.assertion.at, "SAML assertion")
			if s.HasSourceIdentity {
				r.sourceIDs = append(r.sourceIDs, sv{s: s.SourceIdentity, at: r.assertion.at, name: "SAMLAssertion's SourceIdentity attribute"})
			}
		}
	}
}

func (r *request) addFederatedTags(tags []federation.Tag, transitive []string, at place, from string) {
	for _, t := range tags {
		r.fedTags = append(r.fedTags, tagValue{key: sv{s: t.Key, at: at, name: "session tag key"}, value: sv{s: t.Value, at: at, name: "session tag " + quoteShort(t.Key) + " value"}, from: from})
	}
	for _, k := range transitive {
		r.fedTransitive = append(r.fedTransitive, sv{s: k, at: at, name: "transitive tag key"})
	}
}

// fedOrigin names where federated tags come from.
func (r *request) fedOrigin() string {
	if r.assertion != nil {
		return "SAML assertion"
	}
	return "web identity token"
}

func (p *Pass) now() time.Time {
	if p.cfg.Now.IsZero() {
		return time.Now()
	}
	return p.cfg.Now
}

// OAuth 2.0 providers whose opaque access tokens STS accepts with ProviderId (STS API Reference,
// AssumeRoleWithWebIdentity, ProviderId).
var oauthProviders = []string{"www.amazon.com", "graph.facebook.com"}

func (r *request) oauthProvider() bool {
	if r.providerID == nil {
		return false
	}
	for _, p := range oauthProviders {
		if r.providerID.s == p {
			return true
		}
	}
	return false
}

// checkTokenFormat reports a web identity token that is not a JWT, and what is wrong inside one:
// as an error what STS rejects, as a warning what it accepts or AWS does not document.
func checkTokenFormat(p *Pass) {
	r := p.req
	if !decodable(r.token) {
		return
	}
	err := r.fed.jwtErr
	switch {
	case errors.Is(err, federation.ErrOpaqueToken) && r.oauthProvider():
		// An OAuth 2.0 access token from Amazon or Facebook: opaque by design.
	case err != nil:
		p.reportAt(r.token.at, fmt.Sprintf("%v (WebIdentityToken %s)", err, federation.Redact(r.token.s)))
	default:
		p.reportDecoded(r.token.at, "WebIdentityToken", r.fed.jwt.Problems, r.fed.jwt.Notes)
	}
}

// reportDecoded reports a decoder's problems as errors and its notes as warnings.
func (p *Pass) reportDecoded(at place, param string, problems, notes []string) {
	for _, m := range problems {
		p.reportAt(at, within(m, param))
	}
	for _, m := range notes {
		p.reportAtSeverity(Warning, at, within(m, param))
	}
}

// Algorithms STS accepts for web identity tokens: "RSA (RS256, RS384, or RS512) or ECDSA (ES256,
// ES384, or ES512)" (sts-2011-06-15 model, AssumeRoleWithWebIdentity, since 2025-01-10); before
// that the documentation said RS256 only.
var (
	tokenAlgorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}
	legacyAlgorithm = []string{"RS256"}
)

// checkTokenAlgorithm reports a token signed with an algorithm STS does not accept.
func checkTokenAlgorithm(p *Pass) {
	j := p.req.fed.jwt
	if j == nil {
		return
	}
	allowed := tokenAlgorithms
	if p.cfg.RS256Only {
		allowed = legacyAlgorithm
	}
	for _, a := range allowed {
		if j.Alg == a {
			return
		}
	}
	p.reportAt(p.req.token.at, fmt.Sprintf("WebIdentityToken is signed with %s; STS accepts %s: configure the identity provider to sign with one of them",
		quoteShort(j.Alg), strings.Join(allowed, ", ")))
}

// checkTokenExpired warns that the token's exp claim has passed: STS will reject it as
// ExpiredTokenException if it is sent as it is. Seconds compare as integers, so that no exp
// overflows a time.
func checkTokenExpired(p *Pass) {
	j := p.req.fed.jwt
	if j == nil || !j.HasExp || j.Exp > p.now().Unix() {
		return
	}
	when := fmt.Sprintf("at exp %d", j.Exp)
	if !j.Expires.IsZero() {
		when = "at " + j.Expires.UTC().Format(time.RFC3339)
	}
	p.reportAt(p.req.token.at, fmt.Sprintf("WebIdentityToken expired %s; STS rejects an expired token: fetch a fresh one just before the call", when))
}

// checkProviderID reports a ProviderId that STS rejects: set for an OpenID Connect ID token, not
// one of the two OAuth 2.0 providers, or written with a scheme or port.
func checkProviderID(p *Pass) {
	r := p.req
	if r.providerID == nil || r.providerID.s == "" || opaqueValue(r.providerID.s) {
		return // param-length, unrendered-template or request-file-uri reports it
	}
	v := r.providerID.s
	switch {
	case r.fed.jwt != nil:
		p.reportAt(r.providerID.at, "ProviderId is set, but the WebIdentityToken is a JWT (an OpenID Connect ID token): ProviderId is only for OAuth 2.0 access tokens from www.amazon.com or graph.facebook.com; remove it")
	case strings.Contains(v, "://"):
		u, err := url.Parse(v)
		host := v
		if err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		p.reportAt(r.providerID.at, fmt.Sprintf("ProviderId %s has a scheme; STS wants the bare host name: write %s", quoteShort(v), quoteShort(host)))
	case strings.Contains(v, ":"):
		p.reportAt(r.providerID.at, fmt.Sprintf("ProviderId %s has a port; STS wants the bare host name: write %s", quoteShort(v), quoteShort(v[:strings.Index(v, ":")])))
	case !r.oauthProvider():
		p.reportAt(r.providerID.at, fmt.Sprintf("ProviderId %s is not one STS accepts: only www.amazon.com and graph.facebook.com, for their OAuth 2.0 access tokens; omit it for OpenID Connect", quoteShort(v)))
	}
}

// checkSAMLAssertion reports a SAMLAssertion that is not a base64 SAML 2.0 Response, and what is
// wrong inside one.
func checkSAMLAssertion(p *Pass) {
	r := p.req
	if !decodable(r.assertion) {
		return
	}
	if err := r.fed.samlErr; err != nil {
		p.reportAt(r.assertion.at, fmt.Sprintf("%v (SAMLAssertion %s)", err, federation.Redact(r.assertion.s)))
		return
	}
	p.reportDecoded(r.assertion.at, "SAMLAssertion", r.fed.saml.Problems, r.fed.saml.Notes)
}

// samlReadable returns the decoded assertion when its attributes can be read.
func (p *Pass) samlReadable() *federation.SAMLResponse {
	s := p.req.fed.saml
	if s == nil || s.Encrypted {
		return nil
	}
	return s
}

// checkSAMLRoleMismatch reports an assertion whose Role attribute has no value pairing the
// request's RoleArn with its PrincipalArn: STS rejects the call.
func checkSAMLRoleMismatch(p *Pass) {
	s, r := p.samlReadable(), p.req
	if s == nil || r.roleARN == nil || r.principal == nil || !wellFormedARN(r.roleARN.s, "role", roleARN) || !wellFormedARN(r.principal.s, "saml-provider", samlProviderARN) {
		return // role-arn-format or principal-arn-format explains it
	}
	for _, pair := range s.Roles {
		if pair.Role == r.roleARN.s && pair.Provider == r.principal.s {
			return
		}
	}
	if len(s.Roles) == 0 {
		p.reportAt(r.assertion.at, "SAMLAssertion has no https://aws.amazon.com/SAML/Attributes/Role value: STS needs one pairing RoleArn with PrincipalArn; map the Role attribute in the identity provider")
		return
	}
	hint := fmt.Sprintf("it has %d Role values, none for this role and provider", len(s.Roles))
	for _, pair := range s.Roles {
		if pair.Provider == r.principal.s {
			hint = "with this provider it lists role " + quoteShort(pair.Role)
			break
		}
		if pair.Role == r.roleARN.s {
			hint = "it lists this role with provider " + quoteShort(pair.Provider)
			break
		}
	}
	p.reportAt(r.roleARN.at, fmt.Sprintf("no Role attribute value of the SAMLAssertion pairs this RoleArn with PrincipalArn %s (%s): STS rejects the call; assume a role the assertion lists, or map this one in the identity provider", quoteShort(r.principal.s), hint),
		p.relatedAt(r.assertion.at, "the assertion"))
}

// checkSAMLSessionName reports a missing or invalid RoleSessionName attribute: STS takes the
// session name from it and rejects the call without a valid one.
func checkSAMLSessionName(p *Pass) {
	s := p.samlReadable()
	if s == nil {
		return
	}
	at := p.req.assertion.at
	if !s.HasRoleSessionName {
		p.reportAt(at, "SAMLAssertion has no https://aws.amazon.com/SAML/Attributes/RoleSessionName attribute: STS requires it; map it in the identity provider (an e-mail address or user name)")
		return
	}
	name := s.RoleSessionName
	if n := utf8.RuneCountInString(name); n < pSession.min || n > pSession.max {
		p.reportAt(at, fmt.Sprintf("SAMLAssertion's RoleSessionName %s is %s; STS accepts %s", quoteShort(name), plural(n, "character"), bounds(pSession.min, pSession.max, "characters")))
	} else if !namePattern.MatchString(name) {
		p.reportAt(at, fmt.Sprintf("SAMLAssertion's RoleSessionName %s has characters STS rejects; it accepts only %s", quoteShort(name), pSession.patternText))
	}
}

// checkSAMLDuration reports a SessionDuration attribute out of range (error), and warns when
// DurationSeconds asks for longer than the assertion's SessionNotOnOrAfter allows: STS ends the
// session at whichever comes first.
func checkSAMLDuration(p *Pass) {
	s := p.samlReadable()
	if s == nil {
		return
	}
	at := p.req.assertion.at
	if s.HasSessionDuration {
		n, err := strconv.Atoi(s.SessionDuration)
		if err != nil || n < 900 || n > 43200 {
			p.reportAt(at, fmt.Sprintf("SAMLAssertion's SessionDuration %s is not a whole number of seconds from 900 to 43,200; STS rejects the call", quoteShort(s.SessionDuration)))
		}
	}
	d := p.req.duration
	if d == nil || s.SessionNotOnOrAfter.IsZero() || s.IssueInstant.IsZero() {
		return
	}
	if allowed := s.SessionNotOnOrAfter.Sub(s.IssueInstant); time.Duration(d.n)*time.Second > allowed {
		p.reportAtSeverity(Warning, d.at, fmt.Sprintf("DurationSeconds is %s, but the SAMLAssertion's SessionNotOnOrAfter ends the session %s after it was issued: STS ends it then, not when DurationSeconds says",
			thousands(d.n), allowed.Round(time.Second)), p.relatedAt(at, "the assertion"))
	}
}

// samlRedeemWindow is how long after IssueInstant STS has been seen to accept a SAML response:
// "ExpiredTokenException: Token must be redeemed within 5 minutes of issuance" (reported in
// Nike-Inc/gimme-aws-creds#251). AWS does not document it.
const samlRedeemWindow = 5 * time.Minute

// checkSAMLExpired warns that the assertion's NotOnOrAfter, of its Conditions or of its
// SubjectConfirmationData (which AWS requires, IAM User Guide, Configuring SAML assertions), has
// passed: STS rejects it with ExpiredTokenException ("Response has expired", reported in
// Versent/saml2aws#759). A warning, as for a web identity token: an assertion saved in a file
// is stale within minutes, and a real run posts a fresh one.
func checkSAMLExpired(p *Pass) {
	s := p.samlReadable()
	if s == nil {
		return
	}
	now := p.now()
	for _, t := range []struct {
		at   time.Time
		what string
	}{{s.NotOnOrAfter, "Conditions NotOnOrAfter"}, {s.SubjectNotOnOrAfter, "SubjectConfirmationData NotOnOrAfter"}} {
		if !t.at.IsZero() && !t.at.After(now) {
			p.reportAt(p.req.assertion.at, fmt.Sprintf("SAMLAssertion expired at %s (its %s); STS rejects an expired response with ExpiredTokenException: post a fresh one from the identity provider just before the call",
				t.at.UTC().Format(time.RFC3339), t.what))
			return
		}
	}
	if !s.IssueInstant.IsZero() && now.Sub(s.IssueInstant) > samlRedeemWindow {
		p.reportAt(p.req.assertion.at, fmt.Sprintf("SAMLAssertion was issued at %s, more than 5 minutes ago; STS has been seen to reject older responses (\"Token must be redeemed within 5 minutes of issuance\"), which AWS does not document: post a fresh one just before the call",
			s.IssueInstant.UTC().Format(time.RFC3339)))
	}
}

// within says which parameter a decoder's message is about, unless it says so itself.
func within(msg, param string) string {
	if strings.HasPrefix(msg, "web identity token") || strings.HasPrefix(msg, param) {
		return msg
	}
	return msg + " (in the " + param + ")"
}
