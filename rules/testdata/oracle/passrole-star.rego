# METADATA
# schemas:
#   - input: schema.policylint
package oracle.passrole_star

import data.oracle.common.quote_short
import data.policylint.lib.iam

fix := "; list the role ARNs the session may pass in Resource, or add an iam:PassedToService condition (StringEquals, without IfExists)"

warn contains {"msg": msg, "pointer": iam.element_pointer(ptr, "Action", s.Action, i)} if {
	some ptr, s in iam.statements
	iam.allow(s)
	not restricts_passed_to_service(s)
	on := on_every(s)
	some i, action in iam.as_array(s.Action)
	is_string(action)
	may_pass_role(action)
	iam.action_covers(action, "iam:PassRole")
	msg := sprintf("action %s allows iam:PassRole %s%s", [quote_short(action), on, fix])
}

warn contains {"msg": msg, "pointer": concat("", [ptr, "/NotAction"])} if {
	some ptr, s in iam.statements
	iam.allow(s)
	not iam.has_field(s, "Action")
	iam.has_field(s, "NotAction")
	not restricts_passed_to_service(s)
	on := on_every(s)
	not excludes_pass_role(s)
	msg := sprintf("NotAction does not exclude iam:PassRole, so the statement allows it %s%s", [on, fix])
}

excludes_pass_role(s) if {
	some a in iam.as_array(s.NotAction)
	is_string(a)
	iam.action_covers(a, "iam:PassRole")
}

on_every(s) := sprintf("on every role (Resource %s)", [quote_short(r)]) if {
	r := [r | some r in iam.as_array(s.Resource); is_string(r); covers_all_roles(r)][0]
}

on_every(s) := "on every role not listed in NotResource" if {
	not iam.has_field(s, "Resource")
	iam.has_field(s, "NotResource")
	not excludes_all_roles(s)
}

covers_all_roles("*")

covers_all_roles(r) if {
	segs := iam.arn_segments(r)
	regex.match(iam.cover_regex(lower(segs[2])), "iam")
	regex.match(iam.cover_regex(segs[5]), "role/*")
}

excludes_all_roles(s) if {
	some e in iam.as_array(s.NotResource)
	is_string(e)
	iam.resource_covers(e, "arn:aws:iam::*:role/*")
}

may_pass_role(action) if {
	svc := split(action, ":")[0]
	lower(svc) == "iam"
}

may_pass_role(action) if iam.wildcard(split(action, ":")[0])

restricts_passed_to_service(s) if {
	some op, block in s.Condition
	is_object(block)
	not endswith(op, "IfExists")
	not startswith(op, "ForAllValues:")
	trim_prefix(op, "ForAnyValue:") in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
	some key, values in block
	lower(key) == "iam:passedtoservice"
	some v in iam.as_array(values)
	is_string(v)
	v != "*"
}
