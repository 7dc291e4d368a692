# METADATA
# schemas:
#   - input: schema.policylint
package oracle.allow_notresource

import data.policylint.lib.iam

warn contains {"msg": msg, "pointer": concat("", [ptr, "/NotResource"])} if {
	some ptr, s in iam.statements
	iam.allow(s)
	iam.has_field(s, "NotResource")
	msg := "allow with NotResource grants access to every resource not listed, including resources created later; list the allowed resources in Resource instead"
}
