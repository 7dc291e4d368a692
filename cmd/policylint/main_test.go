package main

import (
	"os"
	"testing"

	"github.com/policylint/policylint/internal/sandbox"
	"github.com/policylint/policylint/rules"
)

// TestMain clears the environment that changes the CLI's defaults, so that the tests give the
// same output on a developer's machine and inside GitHub Actions (where --format defaults to
// github), and points the user cache at an empty folder, so that a catalogue fetched by
// 'policylint catalog update' on the machine does not change the output.
//
// The test binary is also the rule worker the custom rule tests start (as policylint is), and
// the policylint command the hostile-input tests run in a process of their own.
func TestMain(m *testing.M) {
	sandbox.RunIfWorker(rules.Serve)
	runAsCLI()
	os.Unsetenv("GITHUB_ACTIONS")
	os.Unsetenv("NO_COLOR")
	cache, err := os.MkdirTemp("", "policylint-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}
