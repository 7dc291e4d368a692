// Package rules is the custom Rego rule engine. It runs in the rule worker, a copy of
// policylint that internal/sandbox starts with limits (Serve is its main loop), never in the
// process that lints: a rule that crashes, runs away or exhausts memory takes down only the
// worker. policylint's own checks are Go (lint/); this package holds the helper library users
// import (lib/, package policylint.lib.iam) and compiles, evaluates and tests the user's files.
//
// # Contracts: what input a rule sees
//
// A rule written for conftest works unchanged. Under the conftest contract, the default, input
// is the session policy document itself, as `conftest test policy.json` gives it, wherever the
// policy was found (a policy file, a request's Policy string, a workflow, Terraform); the rules
// that give findings are those of the namespaces chosen (main, or --namespace, or
// --all-namespaces) named deny, violation or warn, each with optional _suffix parts, exactly as
// conftest reads them; exception rules skip them as in conftest; --data files are merged into
// data. What policylint knows besides the policy is in data.policylint.context:
//
//	{"path": "policies/tenant.json", "kind": "policy" | "request",
//	 "request": {"operation", "role_arn", "policy_arns", "tags", "transitive_tag_keys", "duration_seconds"},
//	 "positions": {"<JSON Pointer>": {"line", "column"}}}
//
// and data.conftest.file holds {name, dir}, as conftest sets it.
//
// Under the policylint contract, which a module declares with METADATA
//
//	# METADATA
//	# schemas:
//	#   - input: schema.policylint
//
// input is {"path", "kind", "policy", "request", "positions"} instead, and the module's rules
// give findings in any package.
//
// A result is a message string, or an object with a string msg, an optional pointer (a JSON
// Pointer into the policy, which places the finding at its line and column) and an optional
// conftest _loc {line} (the finding is placed at the start of that line of the policy). Anything
// else in a rule's set is a rule error. As in conftest, only sets count: a complete rule
// (deny := "x", deny if ...) never gives a finding, and is reported as never firing.
//
// # Custom rules are rules
//
// Each rule that gives findings is a rule of its own, documented by its METADATA: title,
// description, related_resources (its documentation link) and custom.code (capitals and digits,
// such as ACME001), custom.slug (kebab-case) and custom.severity (error, warning or info; deny
// and violation default to error, warn to warning). Without a code a rule's code is PL9000 and
// its slug custom/<package>/<rule>.
//
// # Rules that can never fire
//
// Every module is type-checked against the schema of its contract's input (schema/policy.json,
// schema/policylint-input.json) with OPA's type checker: a read of a path the input never has
// (input.policy under the conftest contract, input.Statement under the policylint one,
// input.statement anywhere) is a warning at its file:row:col, as is a finding rule outside the
// namespaces evaluated, and a complete finding rule.
//
// # Sandbox
//
// Rules may call only the built-ins of allowedBuiltins (capabilities.go): nothing that reaches
// the network, files, the environment, the clock or randomness, and nothing that costs far more
// than its arguments in one call. Evaluation of one document has a budget of CPU time
// (withCPUBudget); the worker itself has a memory limit, an empty environment, and no file to
// read: policylint reads the rule and data files, through the same confined reader as every
// input, and sends their text.
package rules
