// Command policylint checks AWS STS session policies before any call is made.
package main

import (
	"os"

	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/rules"
)

func main() {
	// A copy of policylint started to run custom rules serves them and exits here.
	sandbox.RunIfWorker(rules.Serve)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
