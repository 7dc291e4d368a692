# METADATA
# schemas:
#   - input: schema.policylint
package oracle.redundant_action

import data.oracle.common.quote_short
import data.policylint.lib.iam

warn contains {"msg": msg, "pointer": sprintf("%s/%s/%d", [ptr, field, j])} if {
	some ptr, s in iam.statements
	some field in ["Action", "NotAction"]
	values := s[field]
	is_array(values)
	count(values) > 1
	some j, [k, how] in iam.redundant_actions(values)
	msg := sprintf("action %s %s %s in the same statement; remove it", [quote_short(values[j]), verb[how], quote_short(values[k])])
}

verb := {"covered": "is already covered by", "repeats": "repeats"}
