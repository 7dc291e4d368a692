// Package terraform reads Terraform: the configuration's HCL (with hashicorp/hcl/v2, whose
// syntax tree carries every expression's place) and the JSON of terraform show -json. Each place
// that sends a session policy becomes the STS request it leads to: the AWS provider's assume_role
// and assume_role_with_web_identity blocks, aws_eks_pod_identity_association and
// vault_aws_secret_backend_role. A policy written as a string or heredoc is checked in place;
// jsonencode({...}) as Terraform renders it, minified with keys sorted, its findings at the HCL
// expressions; a policy that needs evaluation (a data source, a variable) is reported once as
// not checkable.
package terraform

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source"
)

// SyntaxError is the first error of a file that is not HCL, at its byte range.
type SyntaxError struct {
	Start, End int
	Msg        string
}

func (e *SyntaxError) Error() string { return e.Msg }

type reader struct {
	src []byte
	out source.File
}

// Read returns the requests of a Terraform configuration file.
func Read(src []byte, filename string) (source.File, error) {
	if err := bound(src); err != nil {
		return source.File{}, &SyntaxError{Msg: err.msg, Start: err.at, End: min(err.at+1, len(src))}
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				se := &SyntaxError{Msg: strings.TrimSuffix(d.Summary, ".")}
				if d.Detail != "" {
					se.Msg += ": " + strings.TrimSuffix(d.Detail, ".")
				}
				if d.Subject != nil {
					se.Start, se.End = d.Subject.Start.Byte, d.Subject.End.Byte
				}
				return source.File{}, se
			}
		}
	}
	r := &reader{src: src}
	body := f.Body.(*hclsyntax.Body)
	for _, b := range body.Blocks {
		switch {
		case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "aws":
			r.assumeRoles(b.Body, "provider.aws")
		case b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == "aws_eks_pod_identity_association":
			r.podIdentity(b.Body, b.Labels[0]+"."+b.Labels[1])
		case b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == "vault_aws_secret_backend_role":
			r.vaultRole(b.Body, b.Labels[0]+"."+b.Labels[1])
		}
	}
	return r.out, nil
}

// request is a request being built from attributes.
type request struct {
	r   *reader
	v   source.Value
	doc source.Doc
}

func (r *reader) request(body *hclsyntax.Body, at, op, sender string) *request {
	rng := body.SrcRange
	return &request{r: r, v: source.Value{Kind: jsonpos.Object, Start: rng.Start.Byte, End: rng.End.Byte},
		doc: source.Doc{Kind: source.Request, At: at, Operation: op, Sender: sender}}
}

// The consumers of what the configuration says, for messages.
const (
	senderProvider = "the AWS provider"
	senderEKS      = "EKS"
	senderVault    = "Vault"
)

func (q *request) add(name string, a *hclsyntax.Attribute, v source.Value) {
	q.v.Members = append(q.v.Members, source.Member{Key: source.At(name, a.NameRange.Start.Byte, a.NameRange.End.Byte), Value: v})
}

// str adds a string attribute; one that needs evaluation is supplied at run time.
func (q *request) str(body *hclsyntax.Body, attr, param string) {
	a := body.Attributes[attr]
	if a == nil {
		return
	}
	if t, ok := q.r.text(a.Expr); ok {
		q.add(param, a, source.String(t))
		return
	}
	q.doc.Runtime = append(q.doc.Runtime, param)
}

// list adds a list of strings as PolicyArns (with arn members) or a list of strings.
func (q *request) list(body *hclsyntax.Body, attr, param string, wrap string) {
	a := body.Attributes[attr]
	if a == nil {
		return
	}
	t, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return
	}
	rng := a.Expr.Range()
	list := source.Value{Kind: jsonpos.Array, Start: rng.Start.Byte, End: rng.End.Byte}
	for _, e := range t.Exprs {
		s, ok := q.r.text(e)
		if !ok {
			return // known only at run time
		}
		v := source.String(s)
		if wrap != "" {
			v = source.Value{Kind: jsonpos.Object, Start: s.Start, End: s.End, Members: []source.Member{{Key: source.At(wrap, s.Start, s.End), Value: v}}}
		}
		list.Elems = append(list.Elems, v)
	}
	q.add(param, a, list)
}

// tags adds a map of tags as Tags.
func (q *request) tags(body *hclsyntax.Body, attr string) {
	a := body.Attributes[attr]
	if a == nil {
		return
	}
	o, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return
	}
	rng := a.Expr.Range()
	list := source.Value{Kind: jsonpos.Array, Start: rng.Start.Byte, End: rng.End.Byte}
	for _, item := range o.Items {
		k, kok := q.r.keyText(item.KeyExpr)
		v, vok := q.r.text(item.ValueExpr)
		if !kok || !vok {
			return
		}
		list.Elems = append(list.Elems, source.Value{Kind: jsonpos.Object, Start: k.Start, End: v.End, Members: []source.Member{
			{Key: source.At("Key", k.Start, k.End), Value: source.String(k)},
			{Key: source.At("Value", v.Start, v.End), Value: source.String(v)},
		}})
	}
	q.add("Tags", a, list)
}

// seconds adds a duration, written as a Go duration ("1h") or as a number of seconds.
func (q *request) seconds(body *hclsyntax.Body, attr string, goDuration bool) {
	a := body.Attributes[attr]
	if a == nil {
		return
	}
	v, ok := static(a.Expr)
	if !ok {
		return
	}
	rng := a.Expr.Range()
	n := -1
	switch {
	case goDuration && v.Type() == cty.String:
		d, err := time.ParseDuration(v.AsString())
		if err != nil {
			return // the provider rejects it itself
		}
		n = int(d / time.Second)
	case v.Type() == cty.Number:
		i, _ := v.AsBigFloat().Int64()
		n = int(i)
	case v.Type() == cty.String:
		i, err := strconv.Atoi(v.AsString())
		if err != nil {
			return
		}
		n = i
	default:
		return
	}
	q.add("DurationSeconds", a, source.Literal(jsonpos.Number, strconv.Itoa(n), rng.Start.Byte, rng.End.Byte))
}

// policy adds the session policy: a string or heredoc in place, jsonencode as Terraform renders
// it; anything else is not checkable.
func (q *request) policy(body *hclsyntax.Body, attr string) bool {
	a := body.Attributes[attr]
	if a == nil {
		return false
	}
	at := q.doc.At + "." + attr
	if t, ok := q.r.text(a.Expr); ok {
		if t.S == "" {
			return false
		}
		q.add("Policy", a, source.String(t))
		q.doc.PolicyAt = at
		return true
	}
	if call, ok := a.Expr.(*hclsyntax.FunctionCallExpr); ok && call.Name == "jsonencode" && len(call.Args) == 1 {
		if v, ok := q.r.jsonValue(call.Args[0]); ok {
			js, m := source.RenderHTMLEscaped(v)
			rng := a.Expr.Range()
			text := source.Text{S: string(js), Map: m, Start: rng.Start.Byte, End: rng.End.Byte}
			if want, ok := static(a.Expr); ok && want.Type() == cty.String && want.AsString() != text.S {
				// The rendering differs from Terraform's: keep Terraform's, placed at the call.
				text = source.At(want.AsString(), rng.Start.Byte, rng.End.Byte)
			}
			q.add("Policy", a, source.String(text))
			q.doc.PolicyAt = at
			return true
		}
	}
	var e hcl.Expression = a.Expr
	how := "is"
	if vars := a.Expr.Variables(); len(vars) > 0 {
		e, how = traversal{vars[0]}, "refers to"
	}
	rng := e.Range()
	q.r.out.Findings = append(q.r.out.Findings, source.Finding{Rule: "not-checkable", Start: rng.Start.Byte, End: rng.End.Byte, At: at,
		Message: fmt.Sprintf("%s %s %s, known only when Terraform evaluates it, so policylint cannot check it here: lint the plan (terraform show -json) to check the policy it renders", attr, how, q.r.exprText(e))})
	return true
}

func (q *request) done() {
	if len(q.v.Members) == 0 {
		return
	}
	q.doc.JSON, q.doc.Map = source.Render(q.v)
	q.r.out.Add(q.doc, q.v.Start)
}

// assumeRoles reads the assume_role and assume_role_with_web_identity blocks of the AWS
// provider (several chain roles, in order).
func (r *reader) assumeRoles(body *hclsyntax.Body, at string) {
	n := map[string]int{}
	for _, b := range body.Blocks {
		if b.Type != "assume_role" && b.Type != "assume_role_with_web_identity" {
			continue
		}
		if r.out.Full(b.TypeRange.Start.Byte) {
			continue
		}
		where := fmt.Sprintf("%s.%s[%d]", at, b.Type, n[b.Type])
		n[b.Type]++
		op := "AssumeRole"
		if b.Type == "assume_role_with_web_identity" {
			op = "AssumeRoleWithWebIdentity"
		}
		q := r.request(b.Body, where, op, senderProvider)
		q.str(b.Body, "role_arn", "RoleArn")
		if b.Body.Attributes["session_name"] == nil {
			q.doc.Runtime = append(q.doc.Runtime, "RoleSessionName") // the provider names the session
		}
		q.str(b.Body, "session_name", "RoleSessionName")
		q.seconds(b.Body, "duration", true)
		q.seconds(b.Body, "duration_seconds", false)
		q.policy(b.Body, "policy")
		q.list(b.Body, "policy_arns", "PolicyArns", "arn")
		if op == "AssumeRole" {
			q.tags(b.Body, "tags")
			q.list(b.Body, "transitive_tag_keys", "TransitiveTagKeys", "")
			q.str(b.Body, "external_id", "ExternalId")
			q.str(b.Body, "source_identity", "SourceIdentity")
		} else {
			q.doc.Runtime = append(q.doc.Runtime, "WebIdentityToken")
		}
		q.done()
	}
}

// podIdentity reads an EKS Pod Identity association: EKS assumes its role with its policy, and
// requires session tags off when it has one.
func (r *reader) podIdentity(body *hclsyntax.Body, at string) {
	if body.Attributes["policy"] == nil || r.out.Full(body.SrcRange.Start.Byte) {
		return
	}
	q := r.request(body, at, "AssumeRole", senderEKS)
	q.doc.Runtime = []string{"RoleSessionName"}
	q.str(body, "role_arn", "RoleArn")
	if !q.policy(body, "policy") {
		return
	}
	if a := body.Attributes["disable_session_tags"]; a == nil || !isTrue(a.Expr) {
		rng := body.Attributes["policy"].NameRange
		msg := "the association has a session policy but session tags on: AWS requires disable_session_tags = true with a policy, and rejects the association; set disable_session_tags = true"
		if a != nil {
			if _, known := static(a.Expr); !known {
				msg = ""
			}
			rng = a.Range()
		}
		if msg != "" {
			r.out.Findings = append(r.out.Findings, source.Finding{Rule: "eks-session-tags", Start: rng.Start.Byte, End: rng.End.Byte, At: at, Message: msg})
		}
	}
	q.done()
}

// traversal is a reference as an expression, for its range.
type traversal struct{ hcl.Traversal }

func (t traversal) Value(*hcl.EvalContext) (cty.Value, hcl.Diagnostics) { return cty.DynamicVal, nil }
func (t traversal) Variables() []hcl.Traversal                          { return []hcl.Traversal{t.Traversal} }
func (t traversal) Range() hcl.Range                                    { return t.SourceRange() }
func (t traversal) StartRange() hcl.Range                               { return t.SourceRange() }

func isTrue(e hcl.Expression) bool {
	v, ok := static(e)
	return ok && v.Type() == cty.Bool && v.True()
}

// vaultRole reads a Vault AWS secrets engine role: assumed_role calls AssumeRole with its policy
// document, policy ARNs and session tags; federation_token calls GetFederationToken. Vault names
// the session (and the federated user) itself.
func (r *reader) vaultRole(body *hclsyntax.Body, at string) {
	ct := body.Attributes["credential_type"]
	if ct == nil {
		return
	}
	v, ok := static(ct.Expr)
	if !ok || v.Type() != cty.String {
		return
	}
	if v.AsString() != "assumed_role" && v.AsString() != "federation_token" || r.out.Full(body.SrcRange.Start.Byte) {
		return // iam_user and session_token send no session policy
	}
	var q *request
	switch v.AsString() {
	case "assumed_role":
		q = r.request(body, at, "AssumeRole", senderVault)
		q.doc.Runtime = []string{"RoleSessionName", "RoleArn"}
		if a := body.Attributes["role_arns"]; a != nil {
			if t, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok && len(t.Exprs) > 0 {
				if s, ok := r.text(t.Exprs[0]); ok {
					q.add("RoleArn", a, source.String(s))
				}
			}
		}
		q.tags(body, "session_tags")
		q.str(body, "external_id", "ExternalId")
	default:
		q = r.request(body, at, "GetFederationToken", senderVault)
		q.doc.Runtime = []string{"Name"}
	}
	q.policy(body, "policy_document")
	q.list(body, "policy_arns", "PolicyArns", "arn")
	q.seconds(body, "default_sts_ttl", false)
	q.done()
}
