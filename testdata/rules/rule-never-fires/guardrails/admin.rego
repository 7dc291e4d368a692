package main

# Written for policylint's input ({path, policy, request, positions}) but without declaring it:
# under the conftest contract input is the policy itself, so input.policy is never there.
deny contains "statement allows every action" if {
	some s in input.policy.Statement
	s.Action == "*"
}

# A complete rule: conftest, and so policylint, reads only sets of messages.
warn := "always"
