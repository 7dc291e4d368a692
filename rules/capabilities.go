package rules

import (
	"slices"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// allowedBuiltins are the only built-in functions a custom rule may call: what a rule about a
// policy document needs, comparisons, arithmetic, aggregates, strings, regular expressions,
// globs, objects, sets, JSON, YAML and base64, CIDRs, times and semantic versions. Everything
// else is left out: what reaches the network, the file system, the environment, the clock or
// randomness (http.send, net.lookup_ip_addr, opa.runtime, time.now_ns, rand.intn, uuid.rfc4122,
// io.jwt.encode_sign), and what costs far more than its arguments' size in one call, which no
// deadline can interrupt (bits.lsh, strings.render_template, graph.reachable_paths,
// graphql.parse_query, net.cidr_expand, regex.globs_match, crypto.*). Calling one is a compile
// error at the call: "rego_type_error: undefined function bits.lsh". The rest still runs in the
// rule worker, under its CPU and memory limits.
var allowedBuiltins = map[string]bool{
	// Operators, comparison and arithmetic.
	"assign": true, "eq": true, "equal": true, "neq": true, "gt": true, "gte": true, "lt": true, "lte": true,
	"plus": true, "minus": true, "mul": true, "div": true, "rem": true, "abs": true, "ceil": true, "floor": true,
	"round": true, "and": true, "or": true, "internal.member_2": true, "internal.member_3": true,
	"internal.print": true, "print": true, "internal.template_string": true, "internal.test_case": true,
	"numbers.range": true, "numbers.range_step": true, "trace": true,
	// Aggregates, arrays, sets and objects.
	"count": true, "sum": true, "product": true, "max": true, "min": true, "sort": true, "all": true, "any": true,
	"array.concat": true, "array.reverse": true, "array.slice": true, "array.flatten": true,
	"intersection": true, "union": true,
	"object.get": true, "object.keys": true, "object.remove": true, "object.filter": true, "object.union": true,
	"object.union_n": true, "object.subset": true, "json.filter": true, "json.remove": true, "json.patch": true,
	"walk": true,
	// Types.
	"is_array": true, "is_boolean": true, "is_null": true, "is_number": true, "is_object": true, "is_set": true,
	"is_string": true, "type_name": true, "to_number": true,
	// Strings.
	"concat": true, "contains": true, "endswith": true, "startswith": true, "format_int": true, "indexof": true,
	"indexof_n": true, "lower": true, "upper": true, "replace": true, "split": true, "sprintf": true,
	"substring": true, "trim": true, "trim_left": true, "trim_prefix": true, "trim_right": true,
	"trim_space": true, "trim_suffix": true, "strings.any_prefix_match": true, "strings.any_suffix_match": true,
	"strings.count": true, "strings.replace_n": true, "strings.reverse": true, "strings.split_n": true,
	// Regular expressions (RE2: linear time) and globs.
	"regex.match": true, "re_match": true, "regex.is_valid": true, "regex.find_n": true,
	"regex.find_all_string_submatch_n": true, "regex.replace": true, "regex.split": true,
	"glob.match": true, "glob.quote_meta": true,
	// Encodings.
	"json.marshal": true, "json.marshal_with_options": true, "json.unmarshal": true, "json.is_valid": true,
	"yaml.marshal": true, "yaml.unmarshal": true, "yaml.is_valid": true,
	"base64.encode": true, "base64.decode": true, "base64.is_valid": true, "base64url.encode": true,
	"base64url.encode_no_pad": true, "base64url.decode": true, "hex.encode": true, "hex.decode": true,
	"urlquery.encode": true, "urlquery.decode": true, "urlquery.encode_object": true, "urlquery.decode_object": true,
	"units.parse": true, "units.parse_bytes": true, "uri.is_valid": true, "uri.parse": true,
	// IP addresses (aws:SourceIp), times (Date conditions), versions.
	"net.cidr_contains": true, "net.cidr_contains_matches": true, "net.cidr_intersects": true,
	"net.cidr_is_valid": true, "net.cidr_overlap": true, "net.cidr_merge": true,
	"time.parse_ns": true, "time.parse_rfc3339_ns": true, "time.parse_duration_ns": true, "time.date": true,
	"time.clock": true, "time.weekday": true, "time.add_date": true, "time.diff": true, "time.format": true,
	"semver.compare": true, "semver.is_valid": true,
	// A rule's own METADATA.
	"rego.metadata.rule": true, "rego.metadata.chain": true,
}

// capabilities is what every custom rule is compiled with: OPA's built-ins that allowedBuiltins
// names, none that OPA marks non-deterministic, no network (AllowNet empty, not nil, so that
// not even a JSON schema reference is fetched). The value is shared and must not be modified.
var capabilities = sync.OnceValue(func() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(caps.Builtins, func(b *ast.Builtin) bool {
		return b.Nondeterministic || !allowedBuiltins[b.Name]
	})
	caps.AllowNet = []string{}
	return caps
})

// parserOptions parses Rego v1 with METADATA blocks.
func parserOptions() ast.ParserOptions {
	return ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true, Capabilities: capabilities()}
}
