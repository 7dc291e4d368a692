package catalog

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// keyPattern turns a key name with placeholders into a wildcard pattern, and reports whether it
// had any. The service reference writes them ${TagKey} mostly, <key> in the s3 keys, tag-key in
// secretsmanager:ResourceTag/tag-key and ssm:resourceTag/tag-key, and as a trailing slash in
// sagemaker:ResourceTag/.
func keyPattern(name string) (string, bool) {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, "/") {
		lower += "${key}"
	} else if strings.HasSuffix(lower, "/tag-key") {
		lower = strings.TrimSuffix(lower, "tag-key") + "${key}"
	}
	var b strings.Builder
	found := false
	for {
		i, close := strings.Index(lower, "${"), byte('}')
		if j := strings.IndexByte(lower, '<'); j >= 0 && (i < 0 || j < i) {
			i, close = j, '>'
		}
		if i < 0 {
			break
		}
		j := strings.IndexByte(lower[i:], close)
		if j < 0 {
			break
		}
		b.WriteString(escapeWildcards(lower[:i]))
		b.WriteString("?*")
		lower = lower[i+j+1:]
		found = true
	}
	b.WriteString(escapeWildcards(lower))
	return b.String(), found
}

// escapeWildcards keeps literal * and ? of a key name from acting as wildcards; key names have
// none, so this only guards against a damaged reference.
func escapeWildcards(s string) string {
	if !strings.ContainsAny(s, "*?") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '*' || r == '?' {
			return -1
		}
		return r
	}, s)
}

// patterns caches keyPattern by reference name: the reference has a few thousand distinct names.
var patterns sync.Map

type keyPatternEntry struct {
	pattern     string
	placeholder bool
}

// cachedPattern is keyPattern, computed once per name; names that cannot have a placeholder
// are answered without the cache.
func cachedPattern(name string) (string, bool) {
	if !strings.ContainsAny(name, "$</") && !strings.HasSuffix(name, "tag-key") {
		return "", false
	}
	if v, ok := patterns.Load(name); ok {
		e := v.(keyPatternEntry)
		return e.pattern, e.placeholder
	}
	p, ok := keyPattern(name)
	patterns.Store(name, keyPatternEntry{p, ok})
	return p, ok
}

// KeyMatches reports whether a condition key written in a policy is the key a reference name
// denotes, ignoring case and filling placeholders: aws:ResourceTag/team is
// aws:ResourceTag/${TagKey}.
func KeyMatches(refName, name string) bool {
	p, ok := cachedPattern(refName)
	if !ok {
		return strings.EqualFold(refName, name)
	}
	return wildcardFold(p, name)
}

// keyIndex finds condition keys by name: exactly, ignoring case, by binary search; then among
// the names with placeholders, in their order, each pattern made once.
type keyIndex struct {
	sorted       []Key
	placeholders []placeholderKey
}

type placeholderKey struct {
	pattern string
	key     Key
}

// newKeyIndex indexes keys, which need not be sorted.
func newKeyIndex(keys []Key) *keyIndex {
	ix := &keyIndex{sorted: slices.Clone(keys)}
	sort.SliceStable(ix.sorted, func(i, j int) bool { return compareFold(ix.sorted[i].Name, ix.sorted[j].Name) < 0 })
	for _, k := range keys {
		if p, ok := keyPattern(k.Name); ok {
			ix.placeholders = append(ix.placeholders, placeholderKey{p, k})
		}
	}
	return ix
}

func (ix *keyIndex) lookup(name string) (Key, bool) {
	if i, ok := sort.Find(len(ix.sorted), func(i int) int { return compareFold(name, ix.sorted[i].Name) }); ok {
		return ix.sorted[i], true
	}
	for _, p := range ix.placeholders {
		if wildcardFold(p.pattern, name) {
			return p.key, true
		}
	}
	return Key{}, false
}
