// Command policylint-rules is policylint's custom-rule worker: policylint starts it, beside
// itself, to evaluate custom Rego rules in a process of their own, with limits on its memory, open
// files and CPU time (internal/sandbox). It is not run by hand.
package main

import (
	"fmt"
	"os"

	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/rules"
)

func main() {
	sandbox.RunIfWorker(rules.Serve)
	fmt.Fprintln(os.Stderr, "policylint-rules is policylint's custom-rule worker: policylint starts it to evaluate --rules; run policylint instead")
	os.Exit(2)
}
