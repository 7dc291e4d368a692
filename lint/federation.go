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

// decodeFederation decodes the request's token and assertion, and adds their session tags.
func (r *request) decodeFederation() {
	if r.token != nil {
		r.fed.jwt, r.fed.jwtErr = federation.ParseJWT(r.token.s)
		if j := r.fed.jwt; j != nil {
			r.addFederatedTags(j.Tags, j.TransitiveTagKeys, r.token.at, "web identity token")
		}
	}
	if r.assertion != nil {
		r.fed.saml, r.fed.samlErr = federation.ParseSAMLAssertion(r.assertion.s)
		if s := r.fed.saml; s != nil {
			r.addFederatedTags(s.Tags, s.TransitiveTagKeys, r.assertion.at, "SAML assertion")
		}
	}
}

func (r *request) addFederatedTags(tags []federation.Tag, transitive []string, at place, from string) {
	for _, t := range tags {
		r.fedTags = append(r.fedTags, tagValue{key: sv{s: t.Key, at: at, name: "session tag key"}, value: sv{s: t.Value, at: at, name: fmt.Sprintf("session tag %q value", t.Key)}, from: from})
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

// checkTokenFormat reports a web identity token that is not a JWT, and what is wrong inside one.
func checkTokenFormat(p *Pass) {
	r := p.req
	if r.token == nil {
		return
	}
	err := r.fed.jwtErr
	switch {
	case errors.Is(err, federation.ErrOpaqueToken) && r.oauthProvider():
		// An OAuth 2.0 access token from Amazon or Facebook: opaque by design.
	case err != nil:
		p.reportAt(r.token.at, fmt.Sprintf("%v (WebIdentityToken %s)", err, federation.Redact(r.token.s)))
	default:
		for _, problem := range r.fed.jwt.Problems {
			p.reportAt(r.token.at, within(problem, "WebIdentityToken"))
		}
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
// ExpiredTokenException if it is sent as it is.
func checkTokenExpired(p *Pass) {
	j := p.req.fed.jwt
	if j == nil || !j.HasExp {
		return
	}
	if !j.Expires.After(p.now()) {
		p.reportAt(p.req.token.at, fmt.Sprintf("WebIdentityToken expired at %s; STS rejects an expired token: fetch a fresh one just before the call",
			j.Expires.UTC().Format(time.RFC3339)))
	}
}

// checkProviderID reports a ProviderId that STS rejects: set for an OpenID Connect ID token, not
// one of the two OAuth 2.0 providers, or written with a scheme or port.
func checkProviderID(p *Pass) {
	r := p.req
	if r.providerID == nil {
		return
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
		p.reportAt(r.providerID.at, fmt.Sprintf("ProviderId %s has a scheme; STS wants the bare host name: write %q", quoteShort(v), host))
	case strings.Contains(v, ":"):
		p.reportAt(r.providerID.at, fmt.Sprintf("ProviderId %s has a port; STS wants the bare host name: write %q", quoteShort(v), v[:strings.Index(v, ":")]))
	case !r.oauthProvider():
		p.reportAt(r.providerID.at, fmt.Sprintf("ProviderId %s is not one STS accepts: only www.amazon.com and graph.facebook.com, for their OAuth 2.0 access tokens; omit it for OpenID Connect", quoteShort(v)))
	}
}

// checkSAMLAssertion reports a SAMLAssertion that is not a base64 SAML 2.0 Response, and what is
// wrong inside one.
func checkSAMLAssertion(p *Pass) {
	r := p.req
	if r.assertion == nil {
		return
	}
	if err := r.fed.samlErr; err != nil {
		p.reportAt(r.assertion.at, fmt.Sprintf("%v (SAMLAssertion %s)", err, federation.Redact(r.assertion.s)))
		return
	}
	for _, problem := range r.fed.saml.Problems {
		p.reportAt(r.assertion.at, within(problem, "SAMLAssertion"))
	}
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
	if s == nil || r.roleARN == nil || r.principal == nil {
		return
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
	var roles []string
	for _, pair := range s.Roles {
		if pair.Provider == r.principal.s || pair.Role == r.roleARN.s {
			roles = append(roles, pair.Raw)
		}
	}
	hint := fmt.Sprintf("it has %d Role values, none for this role and provider", len(s.Roles))
	if len(roles) > 0 {
		hint = fmt.Sprintf("the closest is %q", roles[0])
	}
	p.reportAt(r.roleARN.at, fmt.Sprintf("no Role attribute value of the SAMLAssertion pairs this RoleArn with PrincipalArn %q (%s): STS rejects the call; assume a role the assertion lists, or map this one in the identity provider", r.principal.s, hint),
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

// within says which parameter a decoder's message is about, unless it says so itself.
func within(msg, param string) string {
	if strings.HasPrefix(msg, "web identity token") || strings.HasPrefix(msg, param) {
		return msg
	}
	return msg + " (in the " + param + ")"
}
