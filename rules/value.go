package rules

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/policylint/policylint/internal/jsonpos"
)

// policyValue is the policy the rules see as input, converted from its JSON in one pass of
// policylint's own reader: the value ast.ValueFromReader gives (numbers as written, the last of
// duplicate keys, invalid UTF-8 as U+FFFD), and the same error for a number OPA will not hold
// (1e99999: its big-number arithmetic would cost more than linear time), without encoding/json
// decoding the text into Go values first and OPA converting those again.
func policyValue(src []byte) (ast.Value, error) {
	doc, err := jsonpos.Parse(src, jsonpos.Options{})
	if err != nil {
		return nil, err
	}
	return astValue(doc.Root)
}

// astValue converts a parsed JSON value; its depth is bounded by the parse.
func astValue(v *jsonpos.Value) (ast.Value, error) {
	switch v.Kind {
	case jsonpos.Object:
		obj := ast.NewObjectWithCapacity(len(v.Members))
		for _, m := range v.Members {
			x, err := astValue(m.Value)
			if err != nil {
				return nil, err
			}
			obj.Insert(ast.StringTerm(m.Key), ast.NewTerm(x)) // Insert replaces: the last duplicate wins
		}
		return obj, nil
	case jsonpos.Array:
		terms := make([]*ast.Term, len(v.Elems))
		for i, e := range v.Elems {
			x, err := astValue(e)
			if err != nil {
				return nil, err
			}
			terms[i] = ast.NewTerm(x)
		}
		return ast.NewArray(terms...), nil
	case jsonpos.String:
		return ast.String(v.Str), nil
	case jsonpos.Number:
		return ast.NumberChecked(v.Str)
	case jsonpos.Bool:
		return ast.Boolean(v.Bool), nil
	}
	return ast.Null{}, nil
}
