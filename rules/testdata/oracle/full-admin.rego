# METADATA
# schemas:
#   - input: schema.policylint
package oracle.full_admin

import data.policylint.lib.iam

warn contains {"msg": msg, "pointer": ptr} if {
	some ptr, s in iam.statements
	iam.allow(s)
	some action in {"*", "*:*"}
	iam.has_value(s.Action, action)
	iam.has_value(s.Resource, "*")
	not conditioned(s)
	msg := "statement allows every action on every resource with no condition; grant only the actions and resources the session needs"
}

conditioned(s) if {
	iam.has_field(s, "Condition")
	not is_object(s.Condition)
}

conditioned(s) if count(s.Condition) > 0
