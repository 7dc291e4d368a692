package team

import rego.v1

# Another namespace: conftest runs it with --namespace team or --all-namespaces.
deny contains msg if {
	some s in input.Statement
	some k, _ in object.get(s, "Condition", {})
	startswith(k, "ForAllValues:")
	msg := sprintf("statement %v uses %v, which matches when the key is absent", [object.get(s, "Sid", "without Sid"), k])
}
