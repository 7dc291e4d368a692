package terraform

import (
	"strconv"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source"
)

// ReadPlan returns the requests of the JSON of terraform show -json: the resources of
// planned_values, whose policies are rendered (a data source's JSON, a variable's value), and
// the AWS provider's assume_role blocks where the configuration gives them as constants. Every
// value is placed in the plan file, a policy's characters through its string's escapes.
func ReadPlan(doc *jsonpos.Document) source.File {
	p := &plan{doc: doc}
	root, _ := doc.Lookup("/planned_values/root_module")
	p.module(root, 0)
	if aws, ok := doc.Lookup("/configuration/provider_config/aws/expressions"); ok {
		for _, kind := range []string{"assume_role", "assume_role_with_web_identity"} {
			blocks, _ := aws.Get(kind)
			if blocks == nil || blocks.Kind != jsonpos.Array {
				continue
			}
			for i, b := range blocks.Elems {
				p.providerBlock(b, kind, i)
			}
		}
	}
	return p.out
}

type plan struct {
	doc *jsonpos.Document
	out source.File
}

// maxModules bounds the nesting of child_modules read.
const maxModules = 32

func (p *plan) module(m *jsonpos.Value, depth int) {
	if m == nil || m.Kind != jsonpos.Object || depth > maxModules {
		return
	}
	if rs, ok := m.Get("resources"); ok && rs.Kind == jsonpos.Array {
		for _, r := range rs.Elems {
			p.resource(r)
		}
	}
	if cs, ok := m.Get("child_modules"); ok && cs.Kind == jsonpos.Array {
		for _, c := range cs.Elems {
			p.module(c, depth+1)
		}
	}
}

func (p *plan) str(v *jsonpos.Value, key string) (*jsonpos.Value, string) {
	x, ok := v.Get(key)
	if !ok || x.Kind != jsonpos.String {
		return nil, ""
	}
	return x, x.Str
}

// text is a plan string with the place of each byte.
func (p *plan) text(v *jsonpos.Value) source.Text {
	s, m, _ := p.doc.Unquote(v)
	return source.Text{S: s, Map: m, Start: v.Start, End: v.End}
}

// planRequest builds a request from plan values.
type planRequest struct {
	p   *plan
	v   source.Value
	doc source.Doc
}

func (q *planRequest) add(name string, key *jsonpos.Value, v source.Value) {
	q.v.Members = append(q.v.Members, source.Member{Key: source.At(name, key.Start, key.End), Value: v})
}

func (q *planRequest) str(vals *jsonpos.Value, key, param string) {
	if x, s := q.p.str(vals, key); x != nil && s != "" {
		q.add(param, x, source.String(q.p.text(x)))
	}
}

func (q *planRequest) list(vals *jsonpos.Value, key, param, wrap string) {
	x, ok := vals.Get(key)
	if !ok || x.Kind != jsonpos.Array || len(x.Elems) == 0 {
		return
	}
	list := source.Value{Kind: jsonpos.Array, Start: x.Start, End: x.End}
	for _, e := range x.Elems {
		if e.Kind != jsonpos.String {
			return
		}
		v := source.String(q.p.text(e))
		if wrap != "" {
			v = source.Value{Kind: jsonpos.Object, Start: e.Start, End: e.End, Members: []source.Member{{Key: source.At(wrap, e.Start, e.End), Value: v}}}
		}
		list.Elems = append(list.Elems, v)
	}
	q.add(param, x, list)
}

func (q *planRequest) tags(vals *jsonpos.Value, key string) {
	x, ok := vals.Get(key)
	if !ok || x.Kind != jsonpos.Object || len(x.Members) == 0 {
		return
	}
	list := source.Value{Kind: jsonpos.Array, Start: x.Start, End: x.End}
	for _, m := range x.Members {
		if m.Value.Kind != jsonpos.String {
			return
		}
		kv := &jsonpos.Value{Kind: jsonpos.String, Start: m.KeyStart, End: m.KeyEnd}
		list.Elems = append(list.Elems, source.Value{Kind: jsonpos.Object, Start: m.KeyStart, End: m.Value.End, Members: []source.Member{
			{Key: source.At("Key", m.KeyStart, m.KeyEnd), Value: source.String(q.p.text(kv))},
			{Key: source.At("Value", m.Value.Start, m.Value.End), Value: source.String(q.p.text(m.Value))},
		}})
	}
	q.add("Tags", x, list)
}

func (q *planRequest) policy(vals *jsonpos.Value, key string) bool {
	x, s := q.p.str(vals, key)
	if x == nil || s == "" {
		return false
	}
	q.add("Policy", x, source.String(q.p.text(x)))
	q.doc.PolicyAt = q.doc.At + "." + key
	return true
}

func (q *planRequest) done() {
	q.doc.JSON, q.doc.Map = source.Render(q.v)
	q.p.out.Add(q.doc, q.v.Start)
}

func (p *plan) request(vals *jsonpos.Value, at, op, sender string, runtime ...string) *planRequest {
	return &planRequest{p: p, v: source.Value{Kind: jsonpos.Object, Start: vals.Start, End: vals.End},
		doc: source.Doc{Kind: source.Request, At: at, Operation: op, Sender: sender, Runtime: runtime}}
}

func (p *plan) resource(r *jsonpos.Value) {
	_, typ := p.str(r, "type")
	_, addr := p.str(r, "address")
	vals, ok := r.Get("values")
	if !ok || vals.Kind != jsonpos.Object || (typ == "aws_eks_pod_identity_association" || typ == "vault_aws_secret_backend_role") && p.out.Full(r.Start) {
		return
	}
	switch typ {
	case "aws_eks_pod_identity_association":
		q := p.request(vals, addr, "AssumeRole", senderEKS, "RoleSessionName")
		q.str(vals, "role_arn", "RoleArn")
		if !q.policy(vals, "policy") {
			return
		}
		if d, ok := vals.Get("disable_session_tags"); !ok || d.Kind != jsonpos.Bool || !d.Bool {
			at := vals
			if ok {
				at = d
			}
			p.out.Findings = append(p.out.Findings, source.Finding{Rule: "eks-session-tags", Start: at.Start, End: at.End, At: addr,
				Message: "the association has a session policy but session tags on: AWS requires disable_session_tags = true with a policy, and rejects the association; set disable_session_tags = true"})
		}
		q.done()
	case "vault_aws_secret_backend_role":
		_, ct := p.str(vals, "credential_type")
		var q *planRequest
		switch ct {
		case "assumed_role":
			q = p.request(vals, addr, "AssumeRole", senderVault, "RoleSessionName", "RoleArn")
			if x, ok := vals.Get("role_arns"); ok && x.Kind == jsonpos.Array && len(x.Elems) > 0 && x.Elems[0].Kind == jsonpos.String {
				q.add("RoleArn", x, source.String(p.text(x.Elems[0])))
			}
			q.tags(vals, "session_tags")
			q.str(vals, "external_id", "ExternalId")
		case "federation_token":
			q = p.request(vals, addr, "GetFederationToken", senderVault, "Name")
		default:
			return
		}
		q.policy(vals, "policy_document")
		q.list(vals, "policy_arns", "PolicyArns", "arn")
		if x, ok := vals.Get("default_sts_ttl"); ok && x.Kind == jsonpos.Number && x.Str != "0" {
			q.add("DurationSeconds", x, source.Literal(jsonpos.Number, x.Str, x.Start, x.End))
		}
		q.done()
	}
}

// providerBlock reads an assume_role block of the provider configuration, where its values are
// constants ({"role_arn": {"constant_value": "..."}}).
func (p *plan) providerBlock(b *jsonpos.Value, kind string, i int) {
	if b.Kind != jsonpos.Object {
		return
	}
	consts := &jsonpos.Value{Kind: jsonpos.Object, Start: b.Start, End: b.End}
	for _, m := range b.Members {
		if c, ok := m.Value.Get("constant_value"); ok {
			consts.Members = append(consts.Members, jsonpos.Member{Key: m.Key, KeyStart: m.KeyStart, KeyEnd: m.KeyEnd, Value: c})
		}
	}
	op, runtime := "AssumeRole", []string{"RoleSessionName", "RoleArn"}
	if kind == "assume_role_with_web_identity" {
		op, runtime = "AssumeRoleWithWebIdentity", append(runtime, "WebIdentityToken")
	}
	q := p.request(consts, "provider.aws."+kind+"["+strconv.Itoa(i)+"]", op, senderProvider, runtime...)
	q.str(consts, "role_arn", "RoleArn")
	q.str(consts, "session_name", "RoleSessionName")
	q.policy(consts, "policy")
	q.list(consts, "policy_arns", "PolicyArns", "arn")
	if op == "AssumeRole" {
		q.tags(consts, "tags")
		q.list(consts, "transitive_tag_keys", "TransitiveTagKeys", "")
		q.str(consts, "external_id", "ExternalId")
	}
	if len(q.v.Members) > 0 {
		q.done()
	}
}
