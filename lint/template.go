package lint

import (
	"bytes"
	"fmt"

	"github.com/policylint/policylint/internal/placeholder"
)

// checkUnrenderedTemplate reports each templating placeholder left in the file, quoted whole at
// its own range. ${{ }} is an error: GitHub Actions substitutes expressions only in the workflow
// file (GitHub Docs, "Evaluate expressions in workflows and actions"), never in a file a step
// reads, and the AWS CLI sends a request file's values as written, so STS receives the text. {{ }} is a warning: a template
// engine (Helm, Go templates, Jinja) renders the file before use, so the file as written is not
// what is sent. The other checks skip a value that holds one. In a request file, the Policy
// string is left to the policy it holds.
func checkUnrenderedTemplate(p *Pass) {
	src := p.Doc.Src
	skipStart, skipEnd := -1, -1
	if p.req != nil && p.Doc == p.req.doc && p.req.policyText != nil {
		skipStart, skipEnd = p.req.policyAt.start, p.req.policyAt.end
	}
	if !bytes.Contains(src, []byte("{{")) {
		return // the common case, without a copy of the file for Find
	}
	for _, sp := range placeholder.Find(string(src)) {
		if skipStart <= sp.Start && sp.Start < skipEnd {
			continue
		}
		text := quoteShort(string(src[sp.Start:sp.End]))
		unclosed := ""
		if !sp.Closed {
			unclosed = ", never closed,"
		}
		if sp.Kind == placeholder.GitHub {
			p.reportAt(p.span(sp.Start, sp.End), fmt.Sprintf("unrendered GitHub Actions expression %s%s: GitHub substitutes expressions only in the workflow file, never inside a file a step reads, so STS receives this text; pass the value on the command line or write the file in a step (for example with envsubst)", text, unclosed))
			continue
		}
		p.reportAtSeverity(Warning, p.span(sp.Start, sp.End), fmt.Sprintf("unrendered template placeholder %s%s: policylint checks the file as written, and STS would receive this text; lint the rendered file instead", text, unclosed))
	}
}
