// Package catalog is AWS's service reference: for every service prefix its actions, resource types
// (with their ARN formats) and condition keys (with their types), as AWS publishes them at
// https://servicereference.us-east-1.amazonaws.com/. The data ships embedded in a compact form
// generated from that format (go generate, see gen/); `policylint catalog update` fetches a newer
// copy into the user cache, and Load reads one in AWS's own format from a directory.
//
// A Catalog decodes lazily: opening one reads only its index of services, and a service's actions,
// resources and keys are decoded the first time a lookup needs that service. Lookups of names are
// case-insensitive, as IAM matches action names and condition keys.
package catalog

import (
	"sort"
	"strings"
	"sync"
)

// KeyType is the data type of a condition key, as a set: aws:EpochTime is both Date and Numeric.
type KeyType uint8

// The types the service reference uses ("ArrayOf" types are the same types, multivalued).
const (
	String KeyType = 1 << iota
	ARN
	Numeric
	Date
	Bool
	IPAddress
	Binary
)

var keyTypeNames = []struct {
	t    KeyType
	name string
}{{String, "String"}, {ARN, "ARN"}, {Numeric, "Numeric"}, {Date, "Date"}, {Bool, "Bool"}, {IPAddress, "IPAddress"}, {Binary, "Binary"}}

func (t KeyType) String() string {
	var parts []string
	for _, n := range keyTypeNames {
		if t&n.t != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, " or ")
}

// parseKeyType reads one of the service reference's type names; multi reports an ArrayOf type.
func parseKeyType(name string) (t KeyType, multi, ok bool) {
	if rest, found := strings.CutPrefix(name, "ArrayOf"); found {
		name, multi = rest, true
	}
	if name == "Boolean" {
		name = "Bool"
	}
	for _, n := range keyTypeNames {
		if strings.EqualFold(n.name, name) {
			return n.t, multi, true
		}
	}
	return 0, false, false
}

// Valued says whether a condition key holds one value or a set of them in the request context.
type Valued uint8

// Single-valued and multivalued keys; Either is a key the reference lists with both kinds of type.
const (
	Single Valued = iota
	Multi
	Either
)

// Key is a condition key. Name is as AWS writes it, with a ${...} placeholder where the key
// takes a part of the user's choosing: aws:RequestTag/${TagKey}, s3:ExistingObjectTag/${TagKey}.
type Key struct {
	Name   string
	Type   KeyType
	Valued Valued
}

// Resource is a resource type of a service and the ARN formats it has, such as
// arn:${Partition}:s3:::${BucketName}/${ObjectName}.
type Resource struct {
	Name       string
	ARNFormats []string
	// Keys are the condition keys that apply to actions on this resource type.
	Keys []string
}

// ActionResource is one resource type an action applies to.
type ActionResource struct {
	// Resource is the type, or nil when the service reference names a type it does not define.
	Resource *Resource
	// Keys are condition keys that apply to the action on this resource type only.
	Keys []string
}

// Action is one action of a service.
type Action struct {
	Name string
	// Resources are the resource types the action applies to; none means it supports only
	// "Resource": "*".
	Resources []ActionResource
	// Keys are the condition keys the action supports, besides those of its resource types.
	Keys []string
	// Supplement marks an action known only from a list of newer action names: its resources and
	// keys are not known.
	Supplement bool
}

// Service is one service prefix.
type Service struct {
	// Name is the prefix, lower-case.
	Name string
	// Actions are sorted by name, ignoring case.
	Actions   []Action
	Resources []Resource
	// Keys are sorted by name, ignoring case.
	Keys []Key
	// Partial marks a service known only from a list of newer action names: its list of actions is
	// incomplete and its resources and keys are unknown.
	Partial bool

	keysOnce sync.Once
	keyIndex *keyIndex

	namesOnce sync.Once
	names     map[string]int32 // action names as AWS spells them → index in Actions
}

// Action returns the action of that name, ignoring case, or nil. A name spelt as AWS spells it,
// as most are, is found in a map; another is searched for, ignoring case.
func (s *Service) Action(name string) *Action {
	s.namesOnce.Do(func() {
		s.names = make(map[string]int32, len(s.Actions))
		for i := range s.Actions {
			s.names[s.Actions[i].Name] = int32(i)
		}
	})
	if i, ok := s.names[name]; ok {
		return &s.Actions[i]
	}
	i, ok := sort.Find(len(s.Actions), func(i int) int { return compareFold(name, s.Actions[i].Name) })
	if !ok {
		return nil
	}
	return &s.Actions[i]
}

// Match returns the actions whose name matches a pattern with * and ? wildcards, ignoring case.
func (s *Service) Match(pattern string) []*Action {
	out, _ := s.MatchWithin(pattern, nil)
	return out
}

// MatchWithin is Match charging its steps to budget: the pattern's length, then for each name
// compared about its length (more for a pattern with many stars, which backtracks). A caller that
// shares one budget over a document so bounds the cost of its patterns, which would otherwise be a
// comparison with every action of their service for each of 500,000 distinct wildcards. It returns
// ok false, and no actions, when the budget runs out; a nil budget is unlimited.
func (s *Service) MatchWithin(pattern string, budget *int) (out []*Action, ok bool) {
	i := strings.IndexAny(pattern, "*?")
	if i < 0 {
		if a := s.Action(pattern); a != nil {
			return []*Action{a}, true
		}
		return nil, true
	}
	if !spend(budget, len(pattern)) {
		return nil, false
	}
	prefix := pattern[:i]
	run := literalRun(pattern[i:])
	start, _ := sort.Find(len(s.Actions), func(i int) int { return compareFold(prefix, s.Actions[i].Name) })
	for j := start; j < len(s.Actions) && hasPrefixFold(s.Actions[j].Name, prefix); j++ {
		name := s.Actions[j].Name
		if !spend(budget, len(name)+1) {
			return nil, false
		}
		if !containsFold(name[len(prefix):], run) {
			continue
		}
		match, steps := wildcardSteps(pattern, name, true)
		if !spend(budget, steps) {
			return nil, false
		}
		if match {
			out = append(out, &s.Actions[j])
		}
	}
	return out, true
}

// spend takes n steps from budget, reporting false when it has run out; a nil budget is
// unlimited.
func spend(budget *int, n int) bool {
	if budget == nil {
		return true
	}
	*budget -= n
	return *budget >= 0
}

// literalRun is the longest run of a pattern without wildcards: every name the pattern matches
// holds it, which settles most non-matches in one scan.
func literalRun(pattern string) string {
	best, start := "", 0
	for i := 0; i <= len(pattern); i++ {
		if i == len(pattern) || pattern[i] == '*' || pattern[i] == '?' {
			if i-start > len(best) {
				best = pattern[start:i]
			}
			start = i + 1
		}
	}
	return best
}

// containsFold reports whether s holds sub, ignoring ASCII case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
	}
	return false
}

// Key returns the service's condition key matching name, ignoring case and filling placeholders:
// s3:ExistingObjectTag/team matches s3:ExistingObjectTag/<key>.
func (s *Service) Key(name string) (Key, bool) {
	s.keysOnce.Do(func() { s.keyIndex = newKeyIndex(s.Keys) })
	return s.keyIndex.lookup(name)
}

// sortService puts a parsed service in the order lookups search.
func sortService(s *Service) {
	sort.SliceStable(s.Actions, func(i, j int) bool { return compareFold(s.Actions[i].Name, s.Actions[j].Name) < 0 })
	sort.SliceStable(s.Keys, func(i, j int) bool { return compareFold(s.Keys[i].Name, s.Keys[j].Name) < 0 })
}

// sorted reports whether a decoded service is in that order.
func (s *Service) sorted() bool {
	for i := 1; i < len(s.Actions); i++ {
		if compareFold(s.Actions[i-1].Name, s.Actions[i].Name) >= 0 {
			return false
		}
	}
	for i := 1; i < len(s.Keys); i++ {
		if compareFold(s.Keys[i-1].Name, s.Keys[i].Name) > 0 {
			return false
		}
	}
	return true
}

// compareFold compares two strings as if ASCII letters were lower-case, without allocating.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := lowerASCII(a[i]), lowerASCII(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && compareFold(s[:len(prefix)], prefix) == 0
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Catalog is one copy of the service reference. It is safe for concurrent use.
type Catalog struct {
	// Date is the day the data was published or fetched, YYYY-MM-DD.
	Date string
	// Source names the data in messages: AWSSource.
	Source string
	// Note adds what is merged into AWS's data, if anything (a supplement of newer action names).
	Note string
	// Origin is where this copy was read from: "embedded", a cache file or a folder. It is not
	// part of the encoded data.
	Origin string

	slots  []slot // sorted by name
	index  sync.Once
	byARN  map[string][]int // ARN service field → slots
	byKey  map[string][]int // condition key prefix → slots of the services that define such keys
	mu     sync.Mutex
	broken []string // services whose data could not be decoded

	namesOnce sync.Once
	names     map[string]int // service prefix → slot

	formatsMu sync.Mutex
	formats   map[string]arnFormats // ARNFormats, by ARN service field in lower case
}

type arnFormats struct {
	formats []string
	partial bool
}

// slot holds one service, decoded on first use.
type slot struct {
	name    string
	partial bool
	arnSvcs string // the service fields of its ARN formats, comma-separated
	keySvcs string // the prefixes of its condition keys other than its own and aws, comma-separated
	body    string // the encoded service, for a decoded catalogue
	once    sync.Once
	svc     *Service
}

// FromServices builds a catalogue of parsed services.
func FromServices(date, source, note string, services []*Service) *Catalog {
	c := &Catalog{Date: date, Source: source, Note: note, slots: make([]slot, len(services))}
	sorted := append([]*Service(nil), services...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, s := range sorted {
		sortService(s)
		sl := &c.slots[i]
		sl.name, sl.partial, sl.svc = s.Name, s.Partial, s
		sl.arnSvcs, sl.keySvcs = strings.Join(arnServices(s), ","), strings.Join(keyPrefixes(s), ",")
		sl.once.Do(func() {})
	}
	return c
}

// arnServices are the service fields of a service's ARN formats: usually its own prefix, but
// execute-api's ARNs are apigateway actions' resources, for instance.
func arnServices(s *Service) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range s.Resources {
		for _, f := range r.ARNFormats {
			parts, ok := SplitARN(f)
			if !ok {
				continue
			}
			if svc := strings.ToLower(parts[2]); !seen[svc] && svc != "" && !strings.Contains(svc, ",") {
				seen[svc] = true
				out = append(out, svc)
			}
		}
	}
	sort.Strings(out)
	return out
}

// keyPrefixes are the prefixes of a service's condition keys other than its own and aws: sts
// defines the saml: and accounts.google.com: keys, for instance.
func keyPrefixes(s *Service) []string {
	seen := map[string]bool{s.Name: true, "aws": true}
	var out []string
	for _, k := range s.Keys {
		prefix, _, ok := strings.Cut(k.Name, ":")
		if lower := strings.ToLower(prefix); ok && !seen[lower] && !strings.Contains(lower, ",") {
			seen[lower] = true
			out = append(out, lower)
		}
	}
	sort.Strings(out)
	return out
}

// Len is the number of services.
func (c *Catalog) Len() int { return len(c.slots) }

// Names returns the service prefixes, sorted.
func (c *Catalog) Names() []string {
	out := make([]string, len(c.slots))
	for i := range c.slots {
		out[i] = c.slots[i].name
	}
	return out
}

func (c *Catalog) find(prefix string) (int, bool) {
	c.namesOnce.Do(func() {
		c.names = make(map[string]int, len(c.slots))
		for i := range c.slots {
			c.names[c.slots[i].name] = i
		}
	})
	if i, ok := c.names[prefix]; ok { // spelt as the catalogue spells it, in lower case, as most are
		return i, true
	}
	return sort.Find(len(c.slots), func(i int) int { return compareFold(prefix, c.slots[i].name) })
}

// Service returns the service with that prefix, ignoring case, or nil. It decodes the service on
// first use; a service whose data is damaged is reported missing (Broken lists it).
func (c *Catalog) Service(prefix string) *Service {
	i, ok := c.find(prefix)
	if !ok {
		return nil
	}
	return c.at(i)
}

func (c *Catalog) at(i int) *Service {
	s := &c.slots[i]
	s.once.Do(func() {
		svc, err := decodeService(s.name, s.partial, s.body)
		if err != nil {
			c.mu.Lock()
			c.broken = append(c.broken, s.name)
			c.mu.Unlock()
			return
		}
		s.svc = svc
	})
	return s.svc
}

// Known reports whether a service prefix is in the catalogue, without decoding it, and whether
// it is known only from the supplement of newer action names.
func (c *Catalog) Known(prefix string) (known, partial bool) {
	i, ok := c.find(prefix)
	return ok, ok && c.slots[i].partial
}

// ByARNService returns the services whose resource types have ARNs with that service field, such
// as "s3" or "execute-api".
func (c *Catalog) ByARNService(arnService string) []*Service {
	c.buildIndex()
	return c.services(c.byARN[strings.ToLower(arnService)])
}

// ARNFormats returns the ARN formats, of every service, whose service field is arnService (in
// any case), in the order of the services and their resource types, once per catalogue; partial
// is set, and no formats returned, when a service with such ARNs is known only from the
// supplement of newer action names, whose formats are missing.
func (c *Catalog) ARNFormats(arnService string) (formats []string, partial bool) {
	key := strings.ToLower(arnService)
	c.formatsMu.Lock()
	f, ok := c.formats[key]
	c.formatsMu.Unlock()
	if ok {
		return f.formats, f.partial
	}
	for _, svc := range c.ByARNService(key) {
		if svc.Partial {
			f = arnFormats{partial: true}
			break
		}
		for i := range svc.Resources {
			for _, format := range svc.Resources[i].ARNFormats {
				if parts, _ := SplitARN(format); strings.EqualFold(parts[2], key) {
					f.formats = append(f.formats, format)
				}
			}
		}
	}
	c.formatsMu.Lock()
	if c.formats == nil {
		c.formats = map[string]arnFormats{}
	}
	c.formats[key] = f
	c.formatsMu.Unlock()
	return f.formats, f.partial
}

// KeyServices returns the services that define condition keys with that prefix: the service of
// that name, and others such as sts for saml:.
func (c *Catalog) KeyServices(prefix string) []*Service {
	c.buildIndex()
	var out []*Service
	if s := c.Service(prefix); s != nil {
		out = append(out, s)
	}
	return append(out, c.services(c.byKey[strings.ToLower(prefix)])...)
}

func (c *Catalog) services(slots []int) []*Service {
	var out []*Service
	for _, i := range slots {
		if s := c.at(i); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (c *Catalog) buildIndex() {
	c.index.Do(func() {
		c.byARN, c.byKey = map[string][]int{}, map[string][]int{}
		for i := range c.slots {
			for _, a := range splitList(c.slots[i].arnSvcs) {
				c.byARN[a] = append(c.byARN[a], i)
			}
			for _, k := range splitList(c.slots[i].keySvcs) {
				c.byKey[k] = append(c.byKey[k], i)
			}
		}
	})
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// MatchServicesWithin is MatchServices charging its steps to budget as MatchWithin does.
func (c *Catalog) MatchServicesWithin(pattern string, budget *int) (out []*Service, ok bool) {
	for i := range c.slots {
		match, steps := wildcardSteps(pattern, c.slots[i].name, true)
		if !spend(budget, steps+1) {
			return nil, false
		}
		if match {
			if s := c.at(i); s != nil {
				out = append(out, s)
			}
		}
	}
	return out, true
}

// Broken returns the services whose data could not be decoded so far.
func (c *Catalog) Broken() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.broken...)
}

// Describe says which data this is, for --version and rules explain: "AWS's service reference of
// 2026-02-13 (embedded), with ...".
func (c *Catalog) Describe() string {
	s := c.Source + " of " + c.Date
	if c.Origin != "" {
		s += " (" + c.Origin + ")"
	}
	if c.Note != "" {
		s += ", " + c.Note
	}
	return s
}

// Wildcard reports whether s matches pattern, in which * matches any run of characters and ? any
// one character. It runs in O(len(pattern)·len(s)) at worst, with no recursion.
func Wildcard(pattern, s string) bool { return wildcard(pattern, s, false) }

// wildcardFold is Wildcard ignoring the case of ASCII letters.
func wildcardFold(pattern, s string) bool {
	ok, _ := wildcardSteps(pattern, s, true)
	return ok
}

func wildcard(pattern, s string, fold bool) bool {
	ok, _ := wildcardSteps(pattern, s, fold)
	return ok
}

// wildcardSteps is the greedy wildcard match, backtracking to the last *; it also returns the
// steps it took, about len(s) for real patterns and at most about len(pattern)·len(s).
func wildcardSteps(pattern, s string, fold bool) (match bool, steps int) {
	p, i := 0, 0
	star, mark := -1, 0
	same := func(a, b byte) bool { return a == b || fold && lowerASCII(a) == lowerASCII(b) }
	for i < len(s) {
		steps++
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] != '*' && same(pattern[p], s[i])):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false, steps
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
		steps++
	}
	return p == len(pattern), steps
}
