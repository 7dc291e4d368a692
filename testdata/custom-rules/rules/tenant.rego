# METADATA
# description: Rules written for policylint's input, with the request and positions.
# schemas:
#   - input: schema.policylint
package tenant

# Every session policy must scope S3 to the tenant prefix; the finding points at the resource,
# so policylint reports its line and column.
deny contains {"msg": msg, "pointer": sprintf("/Statement/%d/Resource", [i])} if {
	some i, s in input.policy.Statement
	s.Effect == "Allow"
	startswith(s.Action, "s3:")
	not contains(s.Resource, "${aws:PrincipalTag/tenant}")
	msg := sprintf("statement %d grants S3 outside the tenant prefix ${aws:PrincipalTag/tenant}", [i])
}

# Rules see positions too: warn when the first statement starts past line 20.
warn contains msg if {
	pos := input.positions["/Statement/0"]
	pos.line > 20
	msg := sprintf("the first statement starts at line %d: keep session policies short", [pos.line])
}
