# METADATA
# title: IAM policy helpers
# description: >-
#   Helpers for custom rules: the statements of the policy with their JSON
#   Pointers, and IAM wildcard matching of actions and resource ARNs, with
#   the same answers as policylint's own checks (a Go test holds the two to
#   the same findings). The policy is input itself under the conftest
#   contract and input.policy under the policylint one; both work.
#   Managed policies list up to about 1,500 actions in one array, so nothing
#   here compares every entry with every other: it leans on OPA's native
#   set, sort and prefix built-ins instead.
package policylint.lib.iam

# policy is the policy document: input.policy under the policylint contract,
# input itself under the conftest contract.
policy := input.policy if is_object(input.policy)

else := input

# statements maps the JSON Pointer of each statement object of the policy to
# the statement. Statement may be one object or an array of objects.
statements[ptr] := s if {
	is_array(policy.Statement)
	some i, s in policy.Statement
	is_object(s)
	ptr := sprintf("/Statement/%d", [i])
}

statements["/Statement"] := s if {
	s := policy.Statement
	is_object(s)
}

# as_array returns [x] for a string x and x for an array; else it is undefined.
as_array(x) := [x] if is_string(x)

as_array(x) := x if is_array(x)

# element_pointer is the JSON Pointer of entry i of the element field of the
# statement at ptr, whose value is x (a string, or an array of them).
element_pointer(ptr, field, x, _) := concat("/", [ptr, field]) if is_string(x)

element_pointer(ptr, field, x, i) := sprintf("%s/%s/%d", [ptr, field, i]) if is_array(x)

# allow is true when statement s has Effect Allow.
allow(s) if s.Effect == "Allow"

# has_value is true when x is v or an array containing v.
has_value(x, v) if x == v

has_value(x, v) if {
	is_array(x)
	v in x
}

# has_field is true when statement s has the element name, whatever its value.
has_field(s, name) if name in object.keys(s)

# has_condition is true when statement s has a non-empty Condition.
has_condition(s) if count(s.Condition) > 0

# has_condition_key is true when any operator of the Condition of s tests
# key. Condition keys are case-insensitive.
has_condition_key(s, key) if {
	some block in s.Condition
	some k, _ in block
	lower(k) == lower(key)
}

# wildcard is true when s contains an IAM wildcard.
wildcard(s) if contains(s, "*")

wildcard(s) if contains(s, "?")

# glob_pattern turns an IAM string, where only * and ? are special, into a
# glob.match pattern that treats every other character literally.
glob_pattern(s) := replace(replace(glob.quote_meta(s), `\*`, "*"), `\?`, "?")

# cover_regex turns an IAM pattern into a regular expression that matches
# the values, wildcards included, whose matches it covers: its * absorbs any
# run of characters (a * or ? of the value too), its ? any one character but
# a *, and every other character only itself.
cover_regex(p) := concat("", ["^(?s)", wildcards(regex.replace(p, `[.+()|\[\]{}^$\\]`, `\$0`)), "$"])

wildcards(quoted) := replace(replace(quoted, "*", ".*"), "?", "[^*]")

# covers is true when pattern p matches every value that v matches; v may
# hold wildcards too. Actions are compared in lower case; resources segment
# by segment when both are whole ARNs (a wildcard stays in its segment, but
# for the resource part, where * spans / and :), whole otherwise.
covers(p, v, "action") := regex.match(cover_regex(lower(p)), lower(v))

covers(p, v, "resource") := segmentwise(p, v) if {
	arn_segments(p)
	arn_segments(v)
} else := regex.match(cover_regex(p), v)

segmentwise(p, v) if {
	ps := arn_segments(p)
	vs := arn_segments(v)
	every i, seg in ps {
		regex.match(cover_regex(seg), vs[i])
	}
} else := false

# arn_segments splits an ARN into its six parts; undefined with fewer.
arn_segments(s) := array.concat(array.slice(parts, 0, 5), [concat(":", array.slice(parts, 5, count(parts)))]) if {
	parts := split(s, ":")
	count(parts) >= 6
}

# action_covers is true when action pattern p allows every action that a
# allows. Action names are case-insensitive.
action_covers(p, a) if covers(p, a, "action")

# resource_covers is true when resource pattern p matches every ARN that r
# matches.
resource_covers(p, r) if covers(p, r, "resource")

# star_prefix is true when p is a literal prefix followed by one *, the
# shape of almost every IAM pattern ("s3:Get*", "arn:aws:s3:::b/*", "*").
star_prefix(p) if regex.match(`^[^*?]*\*$`, p)

# literal_prefix is s up to its first wildcard.
literal_prefix(s) := regex.find_n(`^[^*?]*`, s, 1)[0]

# redundant_actions maps the index of each redundant entry of the Action (or
# NotAction) array values to [k, how]: entry k makes it redundant, and how is
# "repeats" (k is the first entry with the same action, in any case) or
# "covered" (k is the lowest entry that matches every action it matches). It
# is undefined when an entry is not a string or holds a line break.
redundant_actions(values) := redundant(values, split(lower(concat("\n", values)), "\n"), "action")

# redundant_resources is redundant_actions for a Resource (or NotResource)
# array; ARNs are compared as written.
redundant_resources(values) := redundant(values, split(concat("\n", values), "\n"), "resource")

# redundant does the work for both on keys, the entries as compared, split
# from one string: a few native calls in place of one call per entry.
redundant(values, _, _) := {} if count(values) < 2

redundant(values, keys, kind) := object.union(covered(keys, kind, first), repeats(keys, first)) if {
	count(values) > 1
	count(keys) == count(values)
	first := first_index(sort([[v, k] | some k, v in keys]))
}

# repeats maps the index of each entry equal to an earlier one to
# [index of the first, "repeats"].
repeats(keys, first) := {k: [first[v], "repeats"] | some k, v in keys; first[v] != k}

# first_index maps the first element of each pair of the sorted array of
# [key, index] pairs to its lowest index.
first_index(sorted) := {sorted[i][0]: sorted[i][1] |
	some i, _ in sorted
	not same_key_before(sorted, i)
}

same_key_before(sorted, i) if sorted[i - 1][0] == sorted[i][0]

# covered maps the index of each first occurrence that another entry covers
# to [k, "covered"], k the lowest index of such an entry. Of two entries that
# cover each other only the later is reported.
covered(keys, kind, first) := {j: [k, "covered"] |
	some j, v in keys
	first[v] == j
	v != "*"
	k := min(coverers(keys, kind, first, prefixes, others, j, v))
	mutual_ok(keys, kind, j, v, k)
} if {
	# The star-prefix patterns as {literal: lowest index}; the other wildcard
	# patterns as [index, pattern].
	prefixes := {q: first[p] | some p in keys; star_prefix(p); q := trim_suffix(p, "*")}
	others := [[k, p] | some k, p in keys; first[p] == k; wildcard(p); not star_prefix(p)]
}

# coverers lists the entries other than j that cover entry j, value v: the
# star-prefix patterns whose literal starts v's literal prefix (but v
# itself), then the other patterns that cover it.
coverers(keys, kind, first, prefixes, others, j, v) := array.concat(
	[prefixes[q] |
		lit := literal_prefix(v)
		strings.any_prefix_match(lit, object.keys(prefixes))
		some q in prefixes_of(lit, prefixes)
		concat("", [q, "*"]) != v
	],
	[k | some [k, p] in others; k != j; covers(p, v, kind)],
)

mutual_ok(_, _, j, _, k) if k < j

mutual_ok(keys, kind, j, v, k) if {
	k > j
	not covers(v, keys[k], kind)
}

# prefixes_of is the set of literals in prefixes that start lit, found by
# trying either every literal or every prefix of lit, whichever is fewer.
prefixes_of(lit, prefixes) := {q | some q, _ in prefixes; startswith(lit, q)} if {
	count(prefixes) <= count(lit)
}

prefixes_of(lit, prefixes) := {q |
	some n in numbers.range(0, count(lit))
	q := substring(lit, 0, n)
	prefixes[q]
} if {
	count(prefixes) > count(lit)
}
