package main

import rego.v1

# Guardrails written for `conftest test policy.json`: input is the policy document.

# METADATA
# title: no wildcard actions
# custom:
#   code: ACME001
#   slug: no-wildcard-action
deny contains msg if {
	some s in input.Statement
	s.Effect == "Allow"
	some a in actions(s)
	contains(a, "*")
	msg := sprintf("statement %v allows the wildcard action %v", [object.get(s, "Sid", "without Sid"), a])
}

deny_s3_everywhere contains msg if {
	some s in input.Statement
	s.Effect == "Allow"
	some a in actions(s)
	startswith(a, "s3:")
	s.Resource == "*"
	msg := sprintf("statement %v grants %v on every resource", [object.get(s, "Sid", "without Sid"), a])
}

violation contains {"msg": msg, "details": {"statement": s}} if {
	some s in input.Statement
	not s.Sid
	msg := "every statement needs a Sid, for the audit trail"
}

warn contains msg if {
	not input.Version
	msg := "the policy has no Version"
}

warn_deny_only contains msg if {
	every s in input.Statement {
		s.Effect == "Deny"
	}
	msg := "the policy only denies: the session gets no permissions from it"
}

# A sandbox policy may use wildcards: conftest's exception skips deny_s3_everywhere for it.
exception contains rules if {
	input.Id == "sandbox"
	rules := ["s3_everywhere"]
}

actions(s) := [s.Action] if is_string(s.Action)

actions(s) := s.Action if is_array(s.Action)
