package lint

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/policylint/policylint/internal/jsonpos"
)

// The IAM policy grammar as a JSON Schema (lint/schema/session-policy.json), validated with
// santhosh-tekuri/jsonschema. Its errors are mapped through their JSON Pointers to places and
// rewritten into messages here: schema error text never reaches users.

//go:embed schema/session-policy.json
var schemaJSON []byte

// The oracle: the grammar as a JSON Schema, the schema validator the checks used until issue 15,
// and the mapping of its errors to problems, kept for TestGrammar_AgreesWithTheSchema.

const schemaURL = "https://github.com/policylint/policylint/lint/schema/session-policy.json"

var schemas struct {
	once      sync.Once
	doc, stmt *jsonschema.Schema
}

// compiledSchemas compiles the embedded schema once: the document, and one statement.
func compiledSchemas() (doc, stmt *jsonschema.Schema) {
	schemas.once.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft7
		c.LoadURL = func(url string) (io.ReadCloser, error) {
			return nil, fmt.Errorf("policylint loads no schema from %s", url)
		}
		if err := c.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
			panic(err) // the embedded schema is tested
		}
		schemas.doc = c.MustCompile(schemaURL)
		schemas.stmt = c.MustCompile(schemaURL + "#/definitions/statement")
	})
	return schemas.doc, schemas.stmt
}

// schemaProblems validates the policy against the schema, as the grammar checks did before they
// were written on the tree (grammar.go): the oracle the direct checks are tested against.
func (p *Pass) schemaProblems() []problem {
	var out []problem
	root := p.Doc.Root
	if root == nil {
		return out
	}
	docSchema, stmtSchema := compiledSchemas()
	doc := toAny(p.Doc.Root)
	out = append(out, p.schemaErrors(docSchema, doc, "")...)
	if root.Kind != jsonpos.Object {
		return out
	}
	// The statements are validated one by one, on their part of the converted document.
	var stmts []any
	switch st := doc.(map[string]any)["Statement"].(type) {
	case map[string]any:
		stmts = []any{st}
	case []any:
		stmts = st
	}
	for _, s := range p.statements() {
		if len(s.v.Members) == 0 {
			continue // empty-statement says it once
		}
		i := 0
		if s.pointer != "/Statement" {
			i, _ = strconv.Atoi(strings.TrimPrefix(s.pointer, "/Statement/"))
		}
		out = append(out, p.schemaErrors(stmtSchema, stmts[i], s.pointer)...)
	}
	return out
}

// schemaErrors validates v (a converted part of the policy) against sc and turns each leaf error
// into a problem; base is v's pointer in the document.
func (p *Pass) schemaErrors(sc *jsonschema.Schema, v any, base string) []problem {
	err := sc.Validate(v)
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil
	}
	var out []problem
	seen := map[string]bool{}
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				leaves(c)
			}
			return
		}
		for _, pr := range p.rewriteSchemaError(e, base) {
			if key := pr.slug + pr.msg + fmt.Sprint(pr.at.start); !seen[key] {
				seen[key] = true
				out = append(out, pr)
			}
		}
	}
	leaves(ve)
	return out
}

// rewrite turns one schema error into problems with human messages.
func (p *Pass) rewriteSchemaError(e *jsonschema.ValidationError, base string) []problem {
	ptr := base + e.InstanceLocation
	v, ok := p.Doc.Lookup(ptr)
	if !ok {
		return nil
	}
	at := place{p.Doc, v.Start, v.End}
	kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
	name := elementName(ptr)
	inCondition := strings.Contains(ptr, "/Condition/")
	switch {
	case kw == "additionalProperties":
		allowed := documentElements
		if base != "" {
			allowed = statementElements
		}
		var out []problem
		for _, m := range v.Members {
			if !slices.Contains(allowed, m.Key) {
				msg := fmt.Sprintf("unknown element %q", m.Key)
				if s := suggest(m.Key, allowed); s != "" {
					msg += fmt.Sprintf(": did you mean %q?", s)
				} else {
					msg += fmt.Sprintf(" in a %s: IAM accepts %s", map[bool]string{true: "statement", false: "policy"}[base != ""], strings.Join(allowed, ", "))
				}
				out = append(out, problem{slug: "unknown-element", at: place{p.Doc, m.KeyStart, m.KeyEnd}, msg: msg})
			}
		}
		return out
	case kw == "required" && base == "":
		return []problem{{"missing-statement", place{p.Doc, v.Start, v.Start + 1}, "the policy has no Statement: IAM rejects it; add \"Statement\": [...] with at least one statement", false}}
	case kw == "required":
		return []problem{{"missing-effect", place{p.Doc, v.Start, v.Start + 1}, "statement has no Effect: IAM rejects it; add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"", false}}
	case name == "Effect":
		msg := fmt.Sprintf("Effect must be \"Allow\" or \"Deny\"; got %s", describeValue(v))
		if v.Kind == jsonpos.String {
			if s := suggest(v.Str, []string{"Allow", "Deny"}); s != "" {
				msg += fmt.Sprintf(": did you mean %q?", s)
			}
		}
		return []problem{{"invalid-effect", at, msg, false}}
	case name == "Version" && ptr == "/Version":
		return []problem{{"invalid-version", at, fmt.Sprintf("Version must be \"2012-10-17\" (or the legacy \"2008-10-17\"); got %s", describeValue(v)), false}}
	case inCondition && kw == "type":
		return []problem{{"condition-type", at, fmt.Sprintf("condition value %s must be a string, number or boolean, or a list of them", describeValue(v)), false}}
	case kw == "minItems":
		return []problem{{"element-type", at, fmt.Sprintf("%s is an empty list: IAM rejects it; give at least one value or remove the element", name), false}}
	case kw == "type":
		return []problem{{"element-type", at, fmt.Sprintf("%s must be %s; got %s", name, expectedType(e.KeywordLocation, ptr), v.Kind), false}}
	}
	return []problem{{"element-type", at, fmt.Sprintf("%s is not valid here", name), false}}
}

// expectedType words what the schema wanted at a keyword location.
func expectedType(keyword, ptr string) string {
	switch {
	case ptr == "/Statement":
		return "a statement object or a list of them"
	case strings.Contains(keyword, "stringOrStrings/items"):
		return "a string"
	case strings.Contains(keyword, "stringOrStrings"):
		return "a string or a list of strings"
	case strings.HasSuffix(ptr, "/Condition"):
		return `an object of condition operators, like {"StringEquals": {"aws:PrincipalTag/team": "data"}}`
	case strings.Count(ptr[strings.Index(ptr+"/Condition", "/Condition"):], "/") == 2:
		return `an object of condition keys and values, like {"aws:PrincipalTag/team": "data"}`
	}
	return "a string"
}

// toAny converts a tree to what encoding/json decodes with UseNumber, for the schema validator.
func toAny(v *jsonpos.Value) any {
	switch v.Kind {
	case jsonpos.Bool:
		return v.Bool
	case jsonpos.Number:
		return json.Number(v.Str)
	case jsonpos.String:
		return v.Str
	case jsonpos.Array:
		a := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			a[i] = toAny(e)
		}
		return a
	case jsonpos.Object:
		m := make(map[string]any, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = toAny(mem.Value)
		}
		return m
	}
	return nil
}

// elementName is the policy element a pointer is in: its last token that is not an index.
func elementName(ptr string) string {
	toks := strings.Split(ptr, "/")
	for i := len(toks) - 1; i >= 0; i-- {
		if t := toks[i]; t != "" && (t[0] < '0' || t[0] > '9') {
			return strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
		}
	}
	return "the policy"
}

// TestGrammar_AgreesWithTheSchema checks every golden and corpus file with the grammar checks and
// with the JSON Schema they replaced, and requires the same problems, by rule and place. The
// one difference is deliberate: a condition operator whose block is not an object is the
// block's type (element-type), where the schema saw a condition value (condition-type).
func TestGrammar_AgreesWithTheSchema(t *testing.T) {
	inputs, _ := filepath.Glob("../testdata/rules/*/*.json")
	if _, err := os.Stat(corpusDir); err == nil {
		for _, sub := range []string{"managed", "real", "malformed"} {
			inputs = append(inputs, corpusFiles(t, sub)...)
		}
	}
	compared := 0
	for _, path := range inputs {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := jsonpos.Parse(src, jsonpos.Options{MaxBytes: MaxInputBytes})
		if doc.Root == nil || isRequestDocument(doc) {
			continue
		}
		compared++
		p := &Pass{Doc: doc}
		key := func(pr problem) string { return fmt.Sprintf("%s@%d", pr.slug, pr.at.start) }
		var direct, schema []string
		for _, pr := range p.grammarProblems() {
			direct = append(direct, key(pr))
		}
		for _, pr := range p.schemaProblems() {
			if ptr, _, _ := doc.Enclosing(pr.at.start); pr.slug == "condition-type" && strings.Count(ptr[strings.Index(ptr+"/Condition", "/Condition"):], "/") == 2 {
				pr.slug = "element-type"
			}
			schema = append(schema, key(pr))
		}
		slices.Sort(direct)
		slices.Sort(schema)
		direct, schema = slices.Compact(direct), slices.Compact(schema)
		if !slices.Equal(direct, schema) {
			t.Errorf("%s:\n  grammar: %v\n  schema:  %v", path, direct, schema)
		}
	}
	t.Logf("%d policies checked both ways", compared)
}
