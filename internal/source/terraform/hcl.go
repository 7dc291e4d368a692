package terraform

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/quote"
	"github.com/policylint/policylint/internal/source"
)

// text returns a string expression's value with the place of each byte: a quoted string or a
// heredoc without interpolations. ok is false for anything that needs evaluation.
func (r *reader) text(e hclsyntax.Expression) (source.Text, bool) {
	if w, ok := e.(*hclsyntax.TemplateWrapExpr); ok {
		e = w.Wrapped
	}
	rng := e.Range()
	switch t := e.(type) {
	case *hclsyntax.TemplateExpr:
		heredoc := r.heredoc(rng)
		var b source.TextBuilder
		for _, p := range t.Parts {
			lit, ok := p.(*hclsyntax.LiteralValueExpr)
			if !ok || lit.Val.Type() != cty.String || !lit.Val.IsKnown() || lit.Val.IsNull() {
				return source.Text{}, false
			}
			pr := lit.SrcRange
			part := align(r.src, pr.Start.Byte, pr.End.Byte, lit.Val.AsString(), heredoc)
			b.Copy(part, 0, len(part.S))
		}
		return b.Text(rng.Start.Byte, rng.End.Byte), true
	case *hclsyntax.LiteralValueExpr:
		if t.Val.Type() == cty.String && t.Val.IsKnown() && !t.Val.IsNull() {
			return source.At(t.Val.AsString(), rng.Start.Byte, rng.End.Byte), true
		}
	}
	return source.Text{}, false
}

// heredoc reports an expression written as <<EOT or <<-EOT.
func (r *reader) heredoc(rng hcl.Range) bool {
	return strings.HasPrefix(string(r.src[rng.Start.Byte:min(rng.End.Byte, len(r.src))]), "<<")
}

// align places the bytes of a template's literal part, whose value is v, in src[start:end]: as
// written, but for the escapes of a quoted string (\n, \", \uNNNN), $${ and %%{, and the
// indentation a <<- heredoc strips. Where they part, the part is placed as a whole.
func align(src []byte, start, end int, v string, heredoc bool) source.Text {
	m := jsonpos.NewStringMap(0)
	i, j := 0, start
	litDec, litSrc := -1, -1
	coarse := source.At(v, start, end)
	for i < len(v) {
		if j >= end {
			return coarse
		}
		c := src[j]
		switch {
		case !heredoc && c == '\\':
			r, n := hclEscape(src[j:end])
			var buf [utf8.UTFMax]byte
			w := utf8.EncodeRune(buf[:], r)
			if n == 0 || !strings.HasPrefix(v[i:], string(buf[:w])) {
				return coarse
			}
			m.Atom(i, j)
			i, j = i+w, j+n
			continue
		case (c == '$' || c == '%') && j+2 < end && src[j+1] == c && src[j+2] == '{' && strings.HasPrefix(v[i:], string(c)+"{"):
			m.Atom(i, j)
			i, j = i+2, j+3
			continue
		}
		_, n := utf8.DecodeRune(src[j:end])
		if strings.HasPrefix(v[i:], string(src[j:j+n])) {
			if i != litDec || j != litSrc {
				m.Literal(i, j)
			}
			i, j = i+n, j+n
			litDec, litSrc = i, j
			continue
		}
		if heredoc && (c == ' ' || c == '\t') {
			j++ // indentation a flush heredoc strips
			continue
		}
		return coarse
	}
	m.Atom(len(v), j)
	return source.Text{S: v, Map: m, Start: start, End: end}
}

// hclEscape decodes the escape at the start of b: the rune and its length, 0 when unknown.
func hclEscape(b []byte) (rune, int) {
	if len(b) < 2 {
		return 0, 0
	}
	switch b[1] {
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case '"':
		return '"', 2
	case '\\':
		return '\\', 2
	case 'u', 'U':
		width := 4
		if b[1] == 'U' {
			width = 8
		}
		if len(b) < 2+width {
			return 0, 0
		}
		x, err := strconv.ParseUint(string(b[2:2+width]), 16, 32)
		if err != nil {
			return 0, 0
		}
		return rune(x), 2 + width
	}
	return 0, 0
}

// functions are the functions a static value may call: jsonencode, as Terraform's.
var functions = map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc}

// static evaluates an expression that needs no variables, resources or data sources. One that
// holds a for expression or a template's for directive is not evaluated: over literal lists,
// three nested in a few kilobytes make a billion values.
func static(e hcl.Expression) (cty.Value, bool) {
	if loops(e) {
		return cty.NilVal, false
	}
	v, diags := e.Value(&hcl.EvalContext{Functions: functions})
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return v, true
}

// loops reports whether e holds a for expression or a template's for directive.
func loops(e hcl.Expression) bool {
	n, ok := e.(hclsyntax.Node)
	if !ok {
		return false
	}
	found := false
	hclsyntax.VisitAll(n, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n.(type) {
		case *hclsyntax.ForExpr, *hclsyntax.TemplateJoinExpr:
			found = true
		}
		return nil
	})
	return found
}

// jsonValue renders an HCL expression as jsonencode does, minified with object keys sorted,
// each value placed at the expression that wrote it; ok is false when any part needs
// evaluation.
func (r *reader) jsonValue(e hclsyntax.Expression) (source.Value, bool) {
	rng := e.Range()
	start, end := rng.Start.Byte, rng.End.Byte
	switch t := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return r.jsonValue(t.Expression)
	case *hclsyntax.ObjectConsExpr:
		v := source.Value{Kind: jsonpos.Object, Start: start, End: end}
		for _, item := range t.Items {
			key, ok := r.keyText(item.KeyExpr)
			if !ok {
				return v, false
			}
			val, ok := r.jsonValue(item.ValueExpr)
			if !ok {
				return v, false
			}
			v.Members = append(v.Members, source.Member{Key: key, Value: val})
		}
		sortMembers(v.Members)
		return v, true
	case *hclsyntax.TupleConsExpr:
		v := source.Value{Kind: jsonpos.Array, Start: start, End: end}
		for _, x := range t.Exprs {
			ev, ok := r.jsonValue(x)
			if !ok {
				return v, false
			}
			v.Elems = append(v.Elems, ev)
		}
		return v, true
	}
	if txt, ok := r.text(e); ok {
		return source.String(txt), true
	}
	val, ok := static(e)
	if !ok {
		return source.Value{}, false
	}
	b, err := ctyjson.Marshal(val, val.Type())
	if err != nil {
		return source.Value{}, false
	}
	kind := jsonpos.Number
	switch {
	case val.IsNull():
		kind = jsonpos.Null
	case val.Type() == cty.Bool:
		kind = jsonpos.Bool
	case val.Type() == cty.String:
		return source.String(source.At(val.AsString(), start, end)), true
	case val.Type() != cty.Number:
		return source.Value{}, false
	}
	return source.Literal(kind, string(b), start, end), true
}

// keyText is an object key: a bare name or a string.
func (r *reader) keyText(e hclsyntax.Expression) (source.Text, bool) {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
				rng := k.Wrapped.Range()
				return source.Text{S: name, Map: shift(rng.Start.Byte), Start: rng.Start.Byte, End: rng.End.Byte}, true
			}
		}
		e = k.Wrapped
	}
	return r.text(e)
}

// shift maps the bytes of a name to where it starts.
type shift int

func (s shift) Source(i int) int { return int(s) + i }

// sortMembers orders an object's members by key, as cty and so jsonencode do.
func sortMembers(ms []source.Member) {
	slices.SortStableFunc(ms, func(a, b source.Member) int { return strings.Compare(a.Key.S, b.Key.S) })
}

// exprText is an expression's source on one line, cut for a message.
func (r *reader) exprText(e hcl.Expression) string {
	rng := e.Range()
	src := r.src[rng.Start.Byte:rng.End.Byte]
	if len(src) > 16*quote.MaxRunes {
		src = src[:16*quote.MaxRunes] // enough for the characters quote.Cut keeps, however spaced
	}
	return quote.Cut(strings.ToValidUTF8(strings.Join(strings.Fields(string(src)), " "), ""))
}
