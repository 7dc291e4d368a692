package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/ruleproto"
)

// The input schemas of the two contracts, for OPA's type checker: a rule that reads a path its
// contract's input never has can never fire, and is reported (rule-never-fires) at the place of
// the read.
var (
	//go:embed schema/policy.json
	policySchemaJSON []byte
	//go:embed schema/policylint-input.json
	policylintSchemaJSON []byte

	policylintSchemaRef = ast.MustParseRef("schema.policylint")
)

// schemaSet holds the policy document as the default input schema (the conftest contract) and
// schema.policylint, the policylint contract's input, whose policy member is that document.
var schemaSet = sync.OnceValues(func() (*ast.SchemaSet, error) {
	var policy, input map[string]any
	if err := json.Unmarshal(policySchemaJSON, &policy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(policylintSchemaJSON, &input); err != nil {
		return nil, err
	}
	// The policy's definitions move to the root of the policylint schema, where its
	// "#/definitions/..." references resolve.
	inner := maps.Clone(policy)
	delete(inner, "definitions")
	delete(inner, "$schema")
	input["definitions"] = policy["definitions"]
	input["properties"].(map[string]any)["policy"] = inner
	ss := ast.NewSchemaSet()
	ss.Put(ast.SchemaRootRef, policy)
	ss.Put(policylintSchemaRef, input)
	return ss, nil
})

// generatedVar is a variable the compiler made up, as in input.Statement[__local0__].
var generatedVar = lazyre.New(`\[__local[0-9]+__\]`)

// undefinedRef reads the path of OPA's "undefined ref" type errors.
var undefinedRef = lazyre.New(`^rego_type_error: undefined ref: (\S+)`)

// neverFires type-checks the modules against their contract's input schema and returns, as
// warnings, the errors this finds in user files that the compile without schemas did not: reads
// of paths the input never has, and comparisons that can never hold.
func neverFires(modules, user map[string]*ast.Module) []ruleproto.Problem {
	ss, err := schemaSet()
	if err != nil {
		return []ruleproto.Problem{{Msg: "policylint's input schemas do not load: " + err.Error()}}
	}
	c := newCompiler().WithSchemas(ss).WithUseTypeCheckAnnotations(true)
	c.Compile(modules)
	var out []ruleproto.Problem
	seen := map[string]bool{}
	for _, p := range problems(c.Errors, "") {
		mod, ok := user[p.File]
		if !ok || !strings.HasPrefix(p.Msg, "rego_type_error") {
			continue
		}
		key := fmt.Sprintf("%s:%d:%d", p.File, p.Row, p.Col)
		if seen[key] {
			continue
		}
		seen[key] = true
		p.Msg = neverFiresMessage(p.Msg, contract(mod))
		out = append(out, p)
	}
	return out
}

// neverFiresMessage words a type error against a contract's schema for a rule's author.
func neverFiresMessage(msg, con string) string {
	msg = generatedVar.ReplaceAllString(msg, "[_]")
	if m := undefinedRef.FindStringSubmatch(msg); m != nil {
		if con == ruleproto.Policylint {
			return fmt.Sprintf("this rule can never fire: it reads %s, which the policylint input never has (input is {path, kind, policy, request, positions})", m[1])
		}
		hint := ""
		if strings.HasPrefix(m[1], "input.policy") || strings.HasPrefix(m[1], "input.request") || strings.HasPrefix(m[1], "input.positions") {
			hint = "; to read policylint's {path, policy, request, positions} input, declare it: METADATA schemas: [{input: schema.policylint}], or read the request in data.policylint.context"
		}
		return fmt.Sprintf("this rule can never fire: it reads %s, but under the conftest contract input is the policy document (Version, Id, Statement)%s", m[1], hint)
	}
	return "this rule can never fire: " + strings.TrimPrefix(msg, "rego_type_error: ")
}
