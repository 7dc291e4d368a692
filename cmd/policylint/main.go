// Command policylint checks AWS STS session policies before any call is made.
package main

import "os"

// Custom rules run in policylint-rules (cmd/policylint-rules), a program of its own beside this
// one, so that policylint does not link OPA and starts as fast as a small Go program.
func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
