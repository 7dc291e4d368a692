package lint

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/placeholder"
	"github.com/policylint/policylint/internal/source"
)

// Operation is an STS API operation that takes a session policy.
type Operation string

// The operations policylint checks.
const (
	AssumeRole                Operation = "AssumeRole"
	AssumeRoleWithSAML        Operation = "AssumeRoleWithSAML"
	AssumeRoleWithWebIdentity Operation = "AssumeRoleWithWebIdentity"
	GetFederationToken        Operation = "GetFederationToken"
)

var operationFlags = []struct {
	flag string
	op   Operation
}{
	{"assume-role", AssumeRole},
	{"assume-role-with-saml", AssumeRoleWithSAML},
	{"assume-role-with-web-identity", AssumeRoleWithWebIdentity},
	{"get-federation-token", GetFederationToken},
}

func operationFlagNames() []string {
	var out []string
	for _, o := range operationFlags {
		out = append(out, o.flag)
	}
	return out
}

// OperationByName reads an operation as the AWS CLI names it (assume-role) or as the API does
// (AssumeRole), or returns "".
func OperationByName(name string) Operation {
	for _, o := range operationFlags {
		if strings.EqualFold(name, o.flag) || strings.EqualFold(name, string(o.op)) {
			return o.op
		}
	}
	return ""
}

// Tag is a session tag.
type Tag struct{ Key, Value string }

// Request holds the parameters that command-line flags send with a policy file.
type Request struct {
	// Operation is the STS operation; "" infers it (for flags: AssumeRole).
	Operation Operation
	// PolicyARNs are the managed policy ARNs passed as PolicyArns.
	PolicyARNs []string
	// Tags are session tags.
	Tags []Tag
	// TransitiveTagKeys are the keys of tags that pass on to chained sessions.
	TransitiveTagKeys []string
	// DurationSeconds is the session duration; 0 leaves it unset.
	DurationSeconds int
	// RoleARN is the role to assume.
	RoleARN string
	// InheritedTags are transitive tags a chained session inherits from the session that calls:
	// they count toward the packed size, and a session tag may not repeat their keys. They apply
	// to request files too, and mean that the call is chained.
	InheritedTags []Tag
	// Chained says that the caller is a role session (role chaining), which caps DurationSeconds
	// at one hour. It applies to request files too.
	Chained bool
}

// sv is a string parameter value and where it was written.
type sv struct {
	s  string
	at place
	// name is how a message names it: "PolicyArns[2].arn", or "--policy-arn #3".
	name string
}

// tagValue is one session tag and where its parts were written.
type tagValue struct {
	key, value sv
	// from names where the tag came from when not the Tags parameter: the token or assertion.
	from string
}

// request is a request under check: its operation and parameters with their places. A request
// from a file has doc; one from flags has places on the command line.
type request struct {
	op      Operation
	doc     *jsonpos.Document // the request file, nil for flags
	inferBy string            // why op was inferred: "WebIdentityToken is present", ...

	arns      []sv
	arnsAt    place // the PolicyArns list (or the command line)
	roleARN   *sv
	principal *sv
	duration  *struct {
		n  int
		at place
	}
	tags       []tagValue
	tagsAt     place
	transitive []sv
	token      *sv
	providerID *sv
	assertion  *sv
	// sourceIDs are the source identities of the request: the SourceIdentity parameter, and the
	// token's or assertion's.
	sourceIDs []sv

	policyText *string            // a Policy string holding JSON
	policyMap  *jsonpos.StringMap // maps policyText offsets into doc
	policyFile string             // a Policy given as file://
	policyAt   place
	// policyFileErr is why the file a file:// Policy names could not be linted.
	policyFileErr error

	problems *[]problem // the param-* walk, done once
	// fileURIs are the values, found by the walk, that the AWS CLI sends as file:// text.
	fileURIs []fileURIValue

	// src is the document a source reader rendered the request from; nil for a JSON file.
	src *source.Doc

	fed fedState
	// fedTags and fedTransitive come from the web identity token or SAML assertion.
	fedTags       []tagValue
	fedTransitive []sv
}

// flagRequest is the request the command-line flags describe, sent with every policy file.
func (l *Linter) flagRequest() *request {
	f := l.cfg.Request
	r := &request{op: f.Operation}
	if r.op == "" {
		r.op = AssumeRole
	}
	for i, a := range f.PolicyARNs {
		r.arns = append(r.arns, sv{s: a, name: fmt.Sprintf("--policy-arn #%d", i+1)})
	}
	for i, t := range f.Tags {
		name := fmt.Sprintf("--tag #%d", i+1)
		r.tags = append(r.tags, tagValue{key: sv{s: t.Key, name: name + " key"}, value: sv{s: t.Value, name: name + " value"}})
	}
	for i, k := range f.TransitiveTagKeys {
		r.transitive = append(r.transitive, sv{s: k, name: fmt.Sprintf("--transitive-tag-key #%d", i+1)})
	}
	if f.DurationSeconds != 0 {
		r.duration = &struct {
			n  int
			at place
		}{n: f.DurationSeconds}
	}
	if f.RoleARN != "" {
		r.roleARN = &sv{s: f.RoleARN, name: "--role-arn"}
	}
	return r
}

// isRequestDocument tells a request file from a policy: an object without Statement whose keys
// include an STS request parameter (in any case, so that misspelt ones are reported as such).
func isRequestDocument(d *jsonpos.Document) bool {
	root := d.Root
	if root == nil || root.Kind != jsonpos.Object {
		return false
	}
	if _, ok := root.Get("Statement"); ok {
		return false
	}
	for _, m := range root.Members {
		if paramByName(m.Key, true) != nil {
			return true
		}
	}
	return false
}

// parseRequest reads a request file's parameters with their places. It does not judge them: the
// param-* checks do, over the same tree.
func parseRequest(d *jsonpos.Document, op Operation) *request {
	r := &request{doc: d, op: op}
	root := d.Root
	at := func(v *jsonpos.Value) place { return place{d, v.Start, v.End} }
	str := func(key string) *sv {
		if v, ok := root.Get(key); ok && v.Kind == jsonpos.String {
			return &sv{s: v.Str, at: at(v), name: key}
		}
		return nil
	}
	if r.op == "" {
		r.op, r.inferBy = inferOperation(root)
	}
	r.roleARN, r.principal = str("RoleArn"), str("PrincipalArn")
	r.token, r.providerID, r.assertion = str("WebIdentityToken"), str("ProviderId"), str("SAMLAssertion")
	if v := str("SourceIdentity"); v != nil {
		r.sourceIDs = append(r.sourceIDs, *v)
	}
	if v, ok := root.Get("PolicyArns"); ok && v.Kind == jsonpos.Array {
		r.arnsAt = at(v)
		for i, e := range v.Elems {
			if a, ok := e.Get("arn"); ok && a.Kind == jsonpos.String {
				r.arns = append(r.arns, sv{s: a.Str, at: at(a), name: fmt.Sprintf("PolicyArns[%d].arn", i)})
			}
		}
	}
	if v, ok := root.Get("Tags"); ok && v.Kind == jsonpos.Array {
		r.tagsAt = at(v)
		for i, e := range v.Elems {
			k, kok := e.Get("Key")
			val, vok := e.Get("Value")
			if kok && k.Kind == jsonpos.String {
				t := tagValue{key: sv{s: k.Str, at: at(k), name: fmt.Sprintf("Tags[%d].Key", i)}}
				if vok && val.Kind == jsonpos.String {
					t.value = sv{s: val.Str, at: at(val), name: fmt.Sprintf("Tags[%d].Value", i)}
				}
				r.tags = append(r.tags, t)
			}
		}
	}
	if v, ok := root.Get("TransitiveTagKeys"); ok && v.Kind == jsonpos.Array {
		for i, e := range v.Elems {
			if e.Kind == jsonpos.String {
				r.transitive = append(r.transitive, sv{s: e.Str, at: at(e), name: fmt.Sprintf("TransitiveTagKeys[%d]", i)})
			}
		}
	}
	if v, ok := root.Get("DurationSeconds"); ok && v.Kind == jsonpos.Number {
		if n, err := strconv.Atoi(v.Str); err == nil {
			r.duration = &struct {
				n  int
				at place
			}{n, at(v)}
		}
	}
	if v, ok := root.Get("Policy"); ok && v.Kind == jsonpos.String {
		r.policyAt = at(v)
		if file, ok := strings.CutPrefix(v.Str, "file://"); ok {
			r.policyFile = file
		} else if text, m, ok := d.Unquote(v); ok && text != "" && !isFileURI(text) {
			r.policyText, r.policyMap = &text, m
		}
	}
	r.decodeFederation()
	return r
}

// inferOperation names the operation a request file is for, from its parameters.
func inferOperation(root *jsonpos.Value) (Operation, string) {
	has := func(k string) bool { _, ok := root.Get(k); return ok }
	switch {
	case has("WebIdentityToken"):
		return AssumeRoleWithWebIdentity, "WebIdentityToken is present"
	case has("SAMLAssertion"):
		return AssumeRoleWithSAML, "SAMLAssertion is present"
	case has("Name") && !has("RoleArn"):
		return GetFederationToken, "Name is present without RoleArn"
	}
	return AssumeRole, "no WebIdentityToken, SAMLAssertion or Name"
}

// The STS API constraints, from the sts-2011-06-15 service model (aws-cli v2, 2026-07) and the
// STS API Reference. Java's \w is [A-Za-z0-9_], as in RE2.
var (
	// arnType: [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+
	arnPattern = lazyre.New(`^[\x{9}\x{A}\x{D}\x{20}-\x{7E}\x{85}\x{A0}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]+$`)
	// roleSessionNameType, sourceIdentityType, userNameType: [\w+=,.@-]*
	namePattern = lazyre.New(`^[\w+=,.@-]*$`)
	// externalIdType: [\w+=,.@:\/-]*
	externalIDPattern = lazyre.New(`^[\w+=,.@:/-]*$`)
	// serialNumberType: [\w+=/:,.@-]*
	serialPattern = lazyre.New(`^[\w+=/:,.@-]*$`)
	// tokenCodeType: [\d]*
	tokenCodePattern = lazyre.New(`^[0-9]*$`)
	// tagKeyType: [\p{L}\p{Z}\p{N}_.:/=+\-@]+ ; tagValueType: the same with *
	tagPattern = lazyre.New(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

type paramKind uint8

const (
	kString paramKind = iota
	kInteger
	kPolicy      // a string holding the policy JSON, checked by the policy rules
	kStruct      // an object with the members of fields
	kList        // an array of elem
	kListStrings // an array of strings with the constraints of elem
)

// param is one parameter or member shape of the model.
type param struct {
	name     string
	kind     paramKind
	min, max int // string length in characters, integer range, or list items; max 0: none
	pattern  *lazyre.Regexp
	// patternText is the pattern as the model writes it, for messages.
	patternText string
	elem        *param   // list element
	fields      []*param // struct members
	required    bool     // a struct member that must be present
	sensitive   bool     // a secret: never quoted
}

var (
	pARN        = &param{name: "arn", kind: kString, min: 20, max: 2048, pattern: arnPattern, patternText: "printable characters", required: true}
	pRoleArn    = &param{name: "RoleArn", kind: kString, min: 20, max: 2048, pattern: arnPattern, patternText: "printable characters"}
	pPrincipal  = &param{name: "PrincipalArn", kind: kString, min: 20, max: 2048, pattern: arnPattern, patternText: "printable characters"}
	pSession    = &param{name: "RoleSessionName", kind: kString, min: 2, max: 64, pattern: namePattern, patternText: `letters, digits and _+=,.@-`}
	pPolicyArns = &param{name: "PolicyArns", kind: kList, elem: &param{name: "PolicyDescriptorType", kind: kStruct, fields: []*param{pARN}}}
	pPolicy     = &param{name: "Policy", kind: kPolicy}
	pTagKey     = &param{name: "Key", kind: kString, min: 1, max: 128, pattern: tagPattern, patternText: `letters, digits, spaces and _.:/=+-@`, required: true}
	pTagValue   = &param{name: "Value", kind: kString, min: 0, max: 256, pattern: tagPattern, patternText: `letters, digits, spaces and _.:/=+-@`, required: true}
	pTags       = &param{name: "Tags", kind: kList, max: 50, elem: &param{name: "Tag", kind: kStruct, fields: []*param{pTagKey, pTagValue}}}
	pTransitive = &param{name: "TransitiveTagKeys", kind: kListStrings, max: 50, elem: pTagKey}
	pExternalID = &param{name: "ExternalId", kind: kString, min: 2, max: 1224, pattern: externalIDPattern, patternText: `letters, digits and _+=,.@:/-`}
	pSerial     = &param{name: "SerialNumber", kind: kString, min: 9, max: 256, pattern: serialPattern, patternText: `letters, digits and _+=/:,.@-`}
	pTokenCode  = &param{name: "TokenCode", kind: kString, min: 6, max: 6, pattern: tokenCodePattern, patternText: "digits"}
	pSourceID   = &param{name: "SourceIdentity", kind: kString, min: 2, max: 64, pattern: namePattern, patternText: `letters, digits and _+=,.@-`}
	pContexts   = &param{name: "ProvidedContexts", kind: kList, min: 1, max: 5, elem: &param{name: "ProvidedContext", kind: kStruct, fields: []*param{
		{name: "ProviderArn", kind: kString, min: 20, max: 2048, pattern: arnPattern, patternText: "printable characters"},
		{name: "ContextAssertion", kind: kString, min: 4, max: 2048, sensitive: true},
	}}}
	pToken      = &param{name: "WebIdentityToken", kind: kString, min: 4, max: 20000, sensitive: true}
	pProviderID = &param{name: "ProviderId", kind: kString, min: 4, max: 2048}
	pAssertion  = &param{name: "SAMLAssertion", kind: kString, min: 4, max: 100000, sensitive: true}
	pName       = &param{name: "Name", kind: kString, min: 2, max: 32, pattern: namePattern, patternText: `letters, digits and _+=,.@-`}
	// roleDurationSecondsType 900–43200; durationSecondsType (GetFederationToken) 900–129600.
	pDuration    = &param{name: "DurationSeconds", kind: kInteger, min: 900, max: 43200}
	pDurationGFT = &param{name: "DurationSeconds", kind: kInteger, min: 900, max: 129600}
)

// operationSpec lists an operation's parameters and which are required.
type operationSpec struct {
	params   []*param
	required []string
}

var operations = map[Operation]operationSpec{
	AssumeRole: {
		params:   []*param{pRoleArn, pSession, pPolicyArns, pPolicy, pDuration, pTags, pTransitive, pExternalID, pSerial, pTokenCode, pSourceID, pContexts},
		required: []string{"RoleArn", "RoleSessionName"},
	},
	AssumeRoleWithSAML: {
		params:   []*param{pRoleArn, pPrincipal, pAssertion, pPolicyArns, pPolicy, pDuration},
		required: []string{"RoleArn", "PrincipalArn", "SAMLAssertion"},
	},
	AssumeRoleWithWebIdentity: {
		params:   []*param{pRoleArn, pSession, pToken, pProviderID, pPolicyArns, pPolicy, pDuration},
		required: []string{"RoleArn", "RoleSessionName", "WebIdentityToken"},
	},
	GetFederationToken: {
		params:   []*param{pName, pPolicy, pPolicyArns, pDurationGFT, pTags},
		required: []string{"Name"},
	},
}

// paramByName finds a parameter of any operation, exactly or (fold) ignoring case.
func paramByName(name string, fold bool) *param {
	for _, op := range []Operation{AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity, GetFederationToken} {
		for _, p := range operations[op].params {
			if p.name == name || fold && strings.EqualFold(p.name, name) {
				return p
			}
		}
	}
	return nil
}

func (s operationSpec) param(name string) *param {
	for _, p := range s.params {
		if p.name == name {
			return p
		}
	}
	return nil
}

// suggest returns the candidate closest to name when it is close enough to be a typo.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
		lc := strings.ToLower(c)
		if d := len(lc) - len(lower); d >= bestDist || -d >= bestDist {
			continue // the distance is at least the difference in length: a long name costs nothing
		}
		if d := editDistance(lower, lc); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func paramNames(ps []*param) []string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.name
	}
	return names
}

// otherOperations names the operations that take a parameter the given one does not.
func otherOperations(name string, except Operation) []string {
	var out []string
	for _, op := range []Operation{AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity, GetFederationToken} {
		if op != except && operations[op].param(name) != nil {
			out = append(out, string(op))
		}
	}
	return out
}

// secretValues returns the string values of a request file that hold secrets: the web identity
// token, the SAML assertion and provided context assertions. Keys match in any case, so that a
// misspelt "webIdentityToken", which STS would not take, is still masked.
func secretValues(d *jsonpos.Document) []*jsonpos.Value {
	var out []*jsonpos.Value
	secret := func(ptr string) bool {
		if strings.EqualFold(ptr, "/WebIdentityToken") || strings.EqualFold(ptr, "/SAMLAssertion") {
			return true
		}
		rest, ok := cutPrefixFold(ptr, "/ProvidedContexts/")
		_, last, _ := strings.Cut(rest, "/")
		return ok && strings.EqualFold(last, "ContextAssertion")
	}
	d.Walk(func(ptr string, v *jsonpos.Value) bool {
		if v.Kind == jsonpos.String && secret(ptr) {
			out = append(out, v)
		}
		_, nested := cutPrefixFold(ptr, "/ProvidedContexts")
		return ptr == "" || nested && strings.Count(ptr, "/") <= 2
	})
	return out
}

// cutPrefixFold is strings.CutPrefix ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// isFileURI reports a value in the AWS CLI's file:// or fileb:// form. The CLI reads the file only
// for a command-line argument; in the values of --cli-input-json and --cli-input-yaml "the string
// will be taken literally" (aws-cli, awscli/customizations/cliinput.py: the loaded parameters go
// to the call as they are, and only command-line arguments pass through paramfile.py's
// get_paramfile).
func isFileURI(s string) bool {
	return strings.HasPrefix(s, "file://") || strings.HasPrefix(s, "fileb://")
}

// opaqueValue reports a value whose meaning policylint cannot judge: an unrendered template
// placeholder, or a file:// path that the AWS CLI sends as text. Each has its own finding
// (unrendered-template, request-file-uri); the other checks skip the value.
func opaqueValue(s string) bool { return placeholder.Contains(s) || isFileURI(s) }

// fileURIValue is a request file value that the AWS CLI sends as the text file://...
type fileURIValue struct {
	sv
	// rejected says that STS rejects the text as that parameter; otherwise it accepts it, and the
	// value is likely wrong.
	rejected bool
}

// checkRequestFileURI reports request file values written as file:// paths: STS receives the
// path as the value. The fix is the command-line option, where the CLI does read the file.
func checkRequestFileURI(p *Pass) {
	if p.req.doc == nil {
		return
	}
	p.paramProblems() // the walk finds the values
	for _, f := range p.req.fileURIs {
		option := "write the value itself here"
		if !strings.ContainsAny(f.name, "[.") {
			option = fmt.Sprintf("pass --%s %s on the command line, or write the value itself here", cliOption(f.name), quoteShort(f.s))
		}
		var msg string
		switch {
		case f.name == pPolicy.name:
			msg = fmt.Sprintf("Policy is the text %s: the AWS CLI reads file:// only in command-line arguments, never in a --cli-input-json or --cli-input-yaml file, so STS receives this text as the policy and rejects it as MalformedPolicyDocument; pass --policy %s on the command line, or write the policy JSON into this string",
				quoteShort(f.s), quoteShort(f.s))
		case f.rejected:
			msg = fmt.Sprintf("%s is the text %s: the AWS CLI reads file:// only in command-line arguments, never in a request file, so STS receives this text as %s and rejects it; %s", f.name, quoteShort(f.s), f.name, option)
		default:
			msg = fmt.Sprintf("%s is the text %s: the AWS CLI reads file:// only in command-line arguments, never in a request file, so STS accepts this text as the value, which is likely not what you meant; %s", f.name, quoteShort(f.s), option)
		}
		sev := Error
		if !f.rejected {
			sev = Warning
		}
		p.reportAtSeverity(sev, f.at, msg)
	}
}

// cliOption names the AWS CLI option of an API parameter, as botocore's xform_name does:
// RoleArn is --role-arn, SAMLAssertion --saml-assertion.
func cliOption(param string) string {
	var b strings.Builder
	runes := []rune(param)
	for i, r := range runes {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(runes[i-1]) || i+1 < len(runes) && unicode.IsLower(runes[i+1])) {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// errNotPolicy is why a file named by a file:// Policy is not linted: it does not read as a JSON
// policy. Its content is never shown, since the path is the request author's choice.
var errNotPolicy = errors.New("it is not a JSON policy (an object with Statement), so policylint does not lint it or show it")

// policyFilePath resolves a file:// Policy against the request file's folder, so that the check
// does not depend on where policylint runs.
func policyFilePath(requestPath, file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(filepath.Dir(requestPath), file)
}

// readPolicyFile reads the file a file:// Policy names, as a convenience: it is the policy the
// author meant, to be passed with --policy file://... instead. It is read through read (the
// linter's confined reader) and returned only when it reads as a JSON policy.
func readPolicyFile(read func(string) ([]byte, error), path string) (*jsonpos.Document, error) {
	src, err := read(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	doc, err := jsonpos.Parse(src, jsonpos.Options{MaxBytes: MaxInputBytes})
	if se := syntaxError(err); se != nil {
		pos := doc.Pos(se.Start)
		return nil, fmt.Errorf("it is not valid JSON (line %d, column %d), so policylint does not lint it or show it", pos.Line, pos.Column)
	}
	if _, ok := doc.Root.Get("Statement"); !ok {
		return nil, errNotPolicy
	}
	return doc, nil
}

// checkPolicyFile reports that the file a file:// Policy names could not be linted.
func checkPolicyFile(p *Pass) {
	if err := p.req.policyFileErr; err != nil {
		p.reportAt(p.req.policyAt, fmt.Sprintf("policylint cannot lint %s, the file Policy names: %v", quoteShort(p.req.policyFile), err))
	}
}
