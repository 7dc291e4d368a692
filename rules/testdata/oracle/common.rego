# The six security rules of lint/security.go, written in Rego on policylint.lib.iam: a test holds
# the two to the same findings, so the library gives users the answers policylint's own checks
# give.
package oracle.common

# quote_short quotes a value as lint's quoteShort does: whole up to 64 characters, cut after.
quote_short(s) := sprintf("%q", [s]) if count(s) <= 64

else := sprintf("%q…", [substring(s, 0, 64)])
