# METADATA
# schemas:
#   - input: schema.policylint
package oracle.allow_notaction

import data.policylint.lib.iam

warn contains {"msg": msg, "pointer": concat("", [ptr, "/NotAction"])} if {
	some ptr, s in iam.statements
	iam.allow(s)
	iam.has_field(s, "NotAction")
	msg := "allow with NotAction grants every action not listed, including actions AWS adds later; list the allowed actions in Action instead"
}
