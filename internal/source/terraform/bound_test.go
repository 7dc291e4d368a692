package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestBound_Refuses: every shape that makes HCL's parser, or the evaluation and walks of what
// it parsed, recurse once per level is refused before HCL sees it, at one byte or a few a
// level; so are files of more tokens than maxTokens. Each would overflow the stack.
func TestBound_Refuses(t *testing.T) {
	deep := func(open, mid, close string, n int) string {
		return strings.Repeat(open, n) + mid + strings.Repeat(close, n)
	}
	const n = 200_000
	cases := map[string]string{
		"brackets":        "x = " + deep("[", "", "]", n),
		"parentheses":     "x = " + deep("(", "1", ")", n),
		"objects":         "x = " + deep("{a = ", "1", "}", n),
		"blocks":          deep("a {\n", "", "}\n", n),
		"not":             "x = " + strings.Repeat("!", n) + "true",
		"minus":           "x = " + strings.Repeat("-", n) + "1",
		"conditionals":    "x = " + strings.Repeat("a ? a : ", n) + "a",
		"binary chain":    "x = " + strings.Repeat("1 + ", n) + "1",
		"comparisons":     "x = " + strings.Repeat("a == ", n) + "a",
		"index chain":     "x = a" + strings.Repeat("[b]", n),
		"attribute chain": "x = a" + strings.Repeat("[b].c", n),
		"in a string":     `x = "${` + deep("(", "1", ")", n) + `}"`,
		"in a heredoc":    "x = <<EOT\n\" ${" + deep("(", "1", ")", n) + "}\nEOT\n",
		"interpolations":  "x = " + deep(`"${`, "1", `}"`, n),
		"directives":      `x = "` + deep("%{if a}", "", "%{endif}", n) + `"`,
		"for directives":  "x = <<EOT\n" + deep("%{for a in b}", "", "%{endfor}", n) + "\nEOT\n",
		"function calls":  "x = " + deep("f(", "1", ")", n),
		"for expressions": "x = " + deep("[for a in b : ", "a", "]", n),
		"tokens":          "x = [" + strings.Repeat("1,", maxTokens) + "]\n",
		"unmatched":       "x = (a}\n" + deep("(", "", ")", n),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Read([]byte(src), "x.tf")
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("read: %v", err)
			}
			if se.Start < 0 || se.End > len(src) || se.Start >= se.End {
				t.Errorf("refused at [%d, %d) of %d bytes", se.Start, se.End, len(src))
			}
		})
	}
}

// TestBound_Accepts: what real configurations hold is read, brackets in strings, heredocs and
// comments included, and so are long flat lists and many attributes with operators.
func TestBound_Accepts(t *testing.T) {
	goldens, _ := filepath.Glob("../../../testdata/sources/terraform/*.tf")
	if len(goldens) == 0 {
		t.Fatal("no golden Terraform files")
	}
	var cases []string
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(b))
	}
	cases = append(cases,
		"x = \"((((((\"\ny = <<-EOT\n  "+strings.Repeat("{", 2*maxNesting)+"\n  EOT\n# "+strings.Repeat("[", 2*maxNesting)+"\n/* "+strings.Repeat("(", 2*maxNesting)+" */\n",
		"x = ["+strings.Repeat("\"a\", ", 100_000)+"]\n",
		"locals {\n"+strings.Repeat("  a = var.b == \"c\" && !var.d ? -1 : local.e.f[0] + 2\n", 10_000)+"}\n",
		"x = {for k, v in var.m :\n  k => v\n  if v != null\n}\n",
		"x = \"$${not} %%{interpolated} \\\" (\"\n",
		"x = "+strings.Repeat("(", maxNesting/2)+"1"+strings.Repeat(")", maxNesting/2)+"\n",
	)
	for _, src := range cases {
		if err := bound([]byte(src)); err != nil {
			t.Errorf("refused at %d (%s): %.80q", err.at, err.msg, src[max(0, err.at-20):])
		}
	}
}

// astDepth is the depth of the syntax tree HCL parsed.
func astDepth(n hclsyntax.Node) int {
	w := &depthWalker{}
	hclsyntax.Walk(n, w)
	return w.deepest
}

type depthWalker struct{ depth, deepest int }

func (w *depthWalker) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.depth++
	w.deepest = max(w.deepest, w.depth)
	return nil
}

func (w *depthWalker) Exit(hclsyntax.Node) hcl.Diagnostics {
	w.depth--
	return nil
}

// TestRead_NoLoopsEvaluated: for expressions over literal lists, three nested, make a billion
// values from six kilobytes; Read does not evaluate them, as a duration or in a policy.
func TestRead_NoLoopsEvaluated(t *testing.T) {
	list := "[" + strings.Repeat("1,", 999) + "1]"
	bomb := "[for a in " + list + " : [for b in " + list + " : [for c in " + list + " : c]]]"
	directive := `"%{for a in ` + list + `}%{for b in ` + list + `}%{for c in ` + list + `}x%{endfor}%{endfor}%{endfor}"`
	for _, attr := range []string{"duration_seconds = " + bomb, "policy = jsonencode({Statement = " + bomb + "})", "policy = " + directive} {
		src := "provider \"aws\" {\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/r\"\n    " + attr + "\n  }\n}\n"
		if _, err := Read([]byte(src), "x.tf"); err != nil {
			t.Errorf("%.40s: %v", attr, err)
		}
	}
}
