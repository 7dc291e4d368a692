// Package workflow reads GitHub Actions workflows: every step that uses
// aws-actions/configure-aws-credentials becomes the STS request the action sends, as its v6
// source (src/index.ts, src/assumeRole.ts) builds it. On its AssumeRole path (access keys, role
// chaining, or the runner's own credentials) the action adds session tags describing the run;
// on its OIDC and web identity token file paths (AssumeRoleWithWebIdentity) it sends none.
// Values the workflow does not fix (${{ }} expressions, the run's repository and branch) are
// taken at a stated worst case, which each finding they affect names.
package workflow

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/lazyre"
	"github.com/policylint/policylint/internal/quote"
	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/internal/source/yaml"
	"github.com/policylint/policylint/internal/spell"
)

// Action is the action whose steps become requests.
const Action = "aws-actions/configure-aws-credentials"

// Sender names the action in messages.
const Sender = "configure-aws-credentials"

// inputs are the action's inputs (action.yml, v6), so that a misspelt one is found.
var inputs = []string{"aws-region", "aws-profile", "overwrite-aws-profile", "role-to-assume", "aws-access-key-id",
	"aws-secret-access-key", "aws-session-token", "web-identity-token-file", "role-chaining", "audience", "http-proxy",
	"no-proxy", "mask-aws-account-id", "role-duration-seconds", "role-external-id", "role-session-name",
	"role-skip-session-tagging", "transitive-tag-keys", "inline-session-policy", "managed-session-policies",
	"output-credentials", "output-env-credentials", "unset-current-credentials", "disable-retry", "retry-max-attempts",
	"special-characters-workaround", "use-existing-credentials", "allowed-account-ids", "force-skip-oidc",
	"action-timeout-s", "custom-tags", "sts-endpoint"}

// booleans are the inputs the action reads with its getBooleanInput, which fails the step on
// any value but true, True, TRUE, false, False and FALSE.
var booleans = []string{"overwrite-aws-profile", "mask-aws-account-id", "role-skip-session-tagging", "role-chaining",
	"output-credentials", "output-env-credentials", "unset-current-credentials", "disable-retry",
	"special-characters-workaround", "force-skip-oidc"}

// Session tags the action adds on its AssumeRole path (src/assumeRole.ts): GitHub=Actions, the
// six it never drops, and six it drops, retrying once, when STS answers PackedPolicyTooLarge.
var (
	keptTags    = []string{"Repository", "Workflow", "Action", "Actor", "Commit", "Branch"}
	droppedTags = []string{"EventName", "BaseRef", "HeadRef", "RunId", "Job", "TriggeringActor"}
)

const (
	defaultSessionName = "GitHubActions" // ROLE_SESSION_NAME
	defaultDuration    = 3600            // DEFAULT_ROLE_DURATION
	maxTagValue        = 256             // the action truncates tag values to 256 characters
)

// Options configure the reader.
type Options struct {
	// Path is the workflow's path, for the Workflow tag of a workflow without a name.
	Path string
	// Lengths overrides DefaultLengths, by expression; "default" is every other expression.
	Lengths map[string]int
}

// Is reports whether a YAML file is a GitHub workflow: a mapping with jobs, and on or a place
// in .github/workflows.
func Is(f *yaml.File, path string) bool {
	jobs := yaml.Get(f.Root, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return false
	}
	return yaml.Key(f.Root, "on") != nil || strings.Contains(filepath.ToSlash(path), ".github/workflows/")
}

// Read returns the requests of the workflow's configure-aws-credentials steps.
func Read(f *yaml.File, opts Options) source.File {
	r := &reader{f: f, opts: opts}
	r.lengths = map[string]int{}
	for k, v := range DefaultLengths {
		r.lengths[k] = v
	}
	for k, v := range opts.Lengths {
		r.lengths[strings.ToLower(k)] = v
	}
	r.triggers()
	r.env = envValues(f, f.Root)
	r.perms = yaml.Get(f.Root, "permissions")
	r.name = r.workflowName()
	r.spent = expansion{left: maxExpansion, over: -1}
	jobs := yaml.Get(f.Root, "jobs")
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		r.job(jobs.Content[i].Value, jobs.Content[i+1])
	}
	if r.spent.over >= 0 {
		r.finding("not-checkable", r.spent.over, r.spent.over, "", "${{ }} expressions from here on are taken as empty: this file's expressions and the env values they name substitute more than %d MiB, more than any session policy or request holds, so what they would hold is not checked", maxExpansion>>20)
	}
	return r.out
}

type reader struct {
	f       *yaml.File
	opts    Options
	lengths map[string]int // by lower-case expression
	out     source.File
	env     map[string]source.Text // the workflow's env
	perms   *yaml.Node             // the workflow's permissions
	name    string                 // GITHUB_WORKFLOW
	spent   expansion
	// events are the workflow's trigger names: pr says a pull request event is among them,
	// longestEvent is the longest.
	events       []string
	pr           bool
	longestEvent string
	// refLen is the longest GITHUB_REF the triggers allow, and why.
	refLen  int
	refWhy  string
	baseLen int
	baseWhy string
}

func (r *reader) finding(rule string, start, end int, at, format string, args ...any) {
	r.out.Findings = append(r.out.Findings, source.Finding{Rule: rule, Start: start, End: end, At: at, Message: fmt.Sprintf(format, args...)})
}

var globChars = lazyre.New(`[*?+!\[\]]`)

// triggers reads the events of on, and what they allow GITHUB_REF and GITHUB_BASE_REF to be.
func (r *reader) triggers() {
	on := yaml.Get(r.f.Root, "on")
	filters := map[string]*yaml.Node{}
	switch {
	case on == nil:
	case on.Kind == yaml.ScalarNode:
		r.events = append(r.events, on.Value)
	case on.Kind == yaml.SequenceNode:
		for _, e := range on.Content {
			r.events = append(r.events, e.Value)
		}
	case on.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(on.Content); i += 2 {
			r.events = append(r.events, on.Content[i].Value)
			filters[on.Content[i].Value] = on.Content[i+1]
		}
	}
	refName := r.lengths["github.ref_name"]
	longest := func(n *yaml.Node, key string) (int, bool) {
		list := yaml.Get(n, key)
		if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
			return 0, false
		}
		best := 0
		for _, e := range list.Content {
			if globChars.MatchString(e.Value) {
				return 0, false
			}
			best = max(best, len(e.Value))
		}
		return best, true
	}
	r.baseLen, r.baseWhy = r.lengths["github.base_ref"], "github.base_ref"
	for _, ev := range []string{"pull_request", "pull_request_target"} {
		if n, ok := longest(filters[ev], "branches"); ok {
			r.baseLen, r.baseWhy = n, "its longest branches filter"
		}
	}
	for _, ev := range r.events {
		n, why := 11+refName, "refs/heads/ and github.ref_name"
		switch ev {
		case "pull_request":
			n, why = len("refs/pull/1234567/merge"), ""
		case "pull_request_target":
			n, why = 11+r.baseLen, "refs/heads/ and the base branch"
		case "push":
			b, bok := longest(filters[ev], "branches")
			t, tok := longest(filters[ev], "tags")
			if bok || tok {
				n, why = max(11+b, 10+t), ""
			}
		case "release":
			n, why = 10+refName, "refs/tags/ and github.ref_name"
		case "merge_group":
			n, why = len("refs/heads/gh-readonly-queue//pr-1234567-")+r.baseLen+40, "a merge queue branch"
		}
		if n > r.refLen {
			r.refLen, r.refWhy = n, why
		}
	}
	if v, ok := r.opts.Lengths["github.ref"]; ok {
		r.refLen, r.refWhy = v, "github.ref in .policylint.yaml"
	}
	if r.refLen == 0 {
		r.refLen, r.refWhy = 11+refName, "refs/heads/ and github.ref_name"
	}
	for _, e := range r.events {
		r.pr = r.pr || e == "pull_request" || e == "pull_request_target"
		if len(e) > len(r.longestEvent) {
			r.longestEvent = e
		}
	}
}

// job reads the configure-aws-credentials steps of one job.
func (r *reader) job(id string, job *yaml.Node) {
	steps := yaml.Get(job, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return
	}
	jobEnv := envValues(r.f, job)
	matrix := matrixValues(job)
	idToken := r.idToken(job)
	uses := 0
	for i, st := range steps.Content {
		u := yaml.Get(st, "uses")
		if u == nil || u.Kind != yaml.ScalarNode {
			continue
		}
		name, _, _ := strings.Cut(u.Value, "@")
		if !strings.EqualFold(name, Action) {
			continue
		}
		uses++
		if r.out.Full(r.f.Start(st)) {
			continue
		}
		ctx := &context{lengths: r.lengths, env: []map[string]source.Text{envValues(r.f, st), jobEnv, r.env}, matrix: matrix,
			exact: map[string]string{"github.job": id}, spent: &r.spent}
		s := &step{r: r, node: st, uses: u, ctx: ctx, jobID: id, idToken: idToken,
			at: "/jobs/" + jsonpos.EscapeToken(id) + "/steps/" + strconv.Itoa(i), nth: uses}
		s.read()
	}
}

// step is one configure-aws-credentials step.
type step struct {
	r     *reader
	node  *yaml.Node
	uses  *yaml.Node
	with  *yaml.Node
	ctx   *context
	jobID string
	// idToken says the job may request an OIDC token.
	idToken bool
	at      string
	nth     int // its place among the job's steps that use the action, from 1

	assumed []source.Assumption
}

// input returns an input's value as the action reads it (getInput trims it), with expressions
// substituted, and whether it is set.
func (s *step) input(name string) (source.Text, bool) {
	n, _ := s.inputNode(name)
	if n == nil {
		return source.Text{}, false
	}
	t := s.r.f.Text(n).TrimSpace()
	t, more := s.ctx.expand(t)
	s.assumed = append(s.assumed, more...)
	return t, t.S != ""
}

// raw returns an input's value as written, trimmed.
func (s *step) raw(name string) (source.Text, bool) {
	n, _ := s.inputNode(name)
	if n == nil {
		return source.Text{}, false
	}
	t := s.r.f.Text(n).TrimSpace()
	return t, t.S != ""
}

// inputNode finds an input; GitHub passes inputs as INPUT_NAME variables, so case does not matter.
func (s *step) inputNode(name string) (*yaml.Node, *yaml.Node) {
	if s.with == nil || s.with.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := len(s.with.Content) - 2; i >= 0; i -= 2 {
		if strings.EqualFold(s.with.Content[i].Value, name) {
			return s.with.Content[i+1], s.with.Content[i]
		}
	}
	return nil, nil
}

func (s *step) boolean(name string) bool {
	t, ok := s.raw(name)
	return ok && (t.S == "true" || t.S == "True" || t.S == "TRUE")
}

func (s *step) usesText() source.Text { return s.r.f.Text(s.uses) }

func (s *step) read() {
	f := s.r.f
	s.with = yaml.Get(s.node, "with")
	s.checkInputs()
	role, hasRole := s.input("role-to-assume")
	if !hasRole {
		for _, name := range []string{"inline-session-policy", "managed-session-policies", "role-session-name", "role-duration-seconds"} {
			if n, k := s.inputNode(name); n != nil {
				s.r.finding("action-input-ignored", f.Start(k), f.End(k), s.at, "%s is set but role-to-assume is not, so %s assumes no role and sends no session policy: set role-to-assume or remove %s", name, Sender, name)
			}
		}
		return
	}
	accessKey := s.has("aws-access-key-id")
	tokenFile := s.has("web-identity-token-file")
	chaining := s.boolean("role-chaining")
	oidc := !s.boolean("force-skip-oidc") && s.idToken && !accessKey && !tokenFile && !chaining
	webIdentity := oidc || tokenFile

	u := s.usesText()
	req := source.Value{Kind: jsonpos.Object, Start: f.Start(s.node), End: f.End(s.node)}
	add := func(key string, keyAt source.Text, v source.Value) {
		req.Members = append(req.Members, source.Member{Key: source.At(key, keyAt.Start, keyAt.End), Value: v})
	}
	keyOf := func(name string) source.Text {
		if _, k := s.inputNode(name); k != nil {
			return f.Text(k)
		}
		return u
	}
	if !strings.HasPrefix(role.S, "arn:aws") {
		// The action builds the ARN in the caller's account (src/assumeRole.ts).
		var b source.TextBuilder
		b.Atom("arn:aws:iam::account-id:role/", role.Start)
		b.Copy(role, 0, len(role.S))
		role = b.Text(role.Start, role.End)
	}
	add("RoleArn", keyOf("role-to-assume"), source.String(role))
	s.branchInSessionName()
	name, ok := s.input("role-session-name")
	if !ok {
		name = source.At(defaultSessionName, u.Start, u.End)
	}
	add("RoleSessionName", keyOf("role-session-name"), source.String(name))
	add("DurationSeconds", keyOf("role-duration-seconds"), s.duration())

	tags, tagged := s.tags(webIdentity)
	custom := s.customTags(tagged)
	if tagged {
		tags.Elems = append(tags.Elems, custom...)
		add("Tags", u, tags)
		if keys := s.transitive(tags); len(keys.Elems) > 0 {
			add("TransitiveTagKeys", keyOf("transitive-tag-keys"), keys)
		}
	} else if t, ok := s.raw("transitive-tag-keys"); ok {
		_, k := s.inputNode("transitive-tag-keys")
		s.r.finding("action-input-ignored", f.Start(k), t.End, s.at, "transitive-tag-keys is ignored: this step's path sends no session tags (OIDC, a web identity token file, or role-skip-session-tagging)")
	}
	if ext, ok := s.input("role-external-id"); ok {
		if webIdentity {
			_, k := s.inputNode("role-external-id")
			s.r.finding("action-input-ignored", f.Start(k), f.End(k), s.at, "role-external-id is ignored on the OIDC path: AssumeRoleWithWebIdentity takes no ExternalId, so the role's trust policy cannot require one here")
		} else {
			add("ExternalId", keyOf("role-external-id"), source.String(ext))
		}
	}
	doc := source.Doc{Kind: source.Request, At: s.at, Sender: Sender, Operation: "AssumeRole"}
	switch {
	case webIdentity:
		doc.Operation, doc.Runtime = "AssumeRoleWithWebIdentity", []string{"WebIdentityToken"}
	case chaining:
		// The action assumes the role with the credentials an earlier step left in the
		// environment, a role session's.
		doc.Chained = "role-chaining: true on this step"
	}
	if !webIdentity && tagged {
		doc.Retry = droppedTags
	}
	if p, ok := s.policy(); ok {
		add("Policy", keyOf("inline-session-policy"), source.String(p))
		doc.PolicyAt = s.at + "/with/inline-session-policy"
	}
	if arns := s.managed(); len(arns.Elems) > 0 {
		add("PolicyArns", keyOf("managed-session-policies"), arns)
	}
	doc.JSON, doc.Map = source.Render(req)
	doc.Assumed = s.assumed
	s.r.out.Add(doc, req.Start)
}

func (s *step) has(name string) bool {
	_, ok := s.raw(name)
	return ok
}

// idToken reports whether a job may request an OIDC token: permissions id-token: write, or
// write-all, on the job or else the workflow. GitHub grants it by no default.
func (r *reader) idToken(job *yaml.Node) bool {
	perms := yaml.Get(job, "permissions")
	if perms == nil {
		perms = r.perms
	}
	if perms == nil {
		return false
	}
	if perms.Kind == yaml.ScalarNode {
		return perms.Value == "write-all"
	}
	v := yaml.Get(perms, "id-token")
	return v != nil && v.Value == "write"
}

// checkInputs reports inputs the action does not have, and booleans it rejects.
func (s *step) checkInputs() {
	f := s.r.f
	if s.with == nil || s.with.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(s.with.Content); i += 2 {
		k, v := s.with.Content[i], s.with.Content[i+1]
		name := strings.ToLower(k.Value)
		if !contains(inputs, name) {
			hint := ""
			if near := spell.Suggest(name, inputs); near != "" {
				hint = fmt.Sprintf(": did you mean %q?", near)
			}
			s.r.finding("action-input-ignored", f.Start(k), f.End(k), s.at, "%s has no input %s; GitHub warns and the action ignores it%s", Sender, quote.Short(k.Value), hint)
			continue
		}
		if contains(booleans, name) && v.Kind == yaml.ScalarNode && !strings.Contains(v.Value, "${{") {
			switch strings.TrimSpace(v.Value) {
			case "", "true", "True", "TRUE", "false", "False", "FALSE":
			default:
				s.r.finding("action-input", f.Start(v), f.End(v), s.at, "%s is %s; %s accepts only true, True, TRUE, false, False or FALSE and fails the step on anything else", k.Value, quote.Short(v.Value), Sender)
			}
		}
	}
}

// duration is role-duration-seconds as the action reads it: Number.parseInt, with 3600 for a
// value that is not a number or is 0.
func (s *step) duration() source.Value {
	f := s.r.f
	t, ok := s.input("role-duration-seconds")
	if !ok {
		u := s.usesText()
		return source.Literal(jsonpos.Number, strconv.Itoa(defaultDuration), u.Start, u.End)
	}
	m := leadingInt.FindString(t.S)
	n, err := strconv.Atoi(m)
	_, k := s.inputNode("role-duration-seconds")
	switch {
	case err != nil || n == 0:
		s.r.finding("action-input-ignored", f.Start(k), t.End, s.at, "role-duration-seconds %s is not a number the action reads, so it asks for the default %d seconds: write the seconds as digits", quote.Short(t.S), defaultDuration)
		n = defaultDuration
	case m != t.S && !strings.Contains(t.S, "${{"):
		s.r.finding("action-input-ignored", f.Start(k), t.End, s.at, "role-duration-seconds %s is read as %d: the action reads only its leading digits; write the seconds as digits", quote.Short(t.S), n)
	}
	return source.Literal(jsonpos.Number, strconv.Itoa(n), t.Start, t.End)
}

// tags returns the session tags the action sends, and false on a path that sends none.
func (s *step) tags(webIdentity bool) (source.Value, bool) {
	u := s.usesText()
	list := source.Value{Kind: jsonpos.Array, Start: u.Start, End: u.End}
	if webIdentity || s.boolean("role-skip-session-tagging") {
		return list, false
	}
	tag := func(key, value string, assumedAs string) {
		value = truncate(value, maxTagValue)
		list.Elems = append(list.Elems, source.Value{Kind: jsonpos.Object, Start: u.Start, End: u.End, Members: []source.Member{
			{Key: source.At("Key", u.Start, u.End), Value: source.String(source.At(key, u.Start, u.End))},
			{Key: source.At("Value", u.Start, u.End), Value: source.String(source.At(value, u.Start, u.End))},
		}})
		if assumedAs != "" && !strings.HasPrefix(assumedAs, "its ") {
			s.assumed = append(s.assumed, source.Assumption{Start: u.Start, End: u.End, Counts: source.CountsTags, What: fmt.Sprintf("%s tag as %d characters (%s)", key, len(value), assumedAs)})
		}
	}
	assumed := func(key, ctx string) {
		n, _ := s.ctx.length(ctx)
		tag(key, standIn(ctx, n), ctx)
	}
	tag("GitHub", "Actions", "")
	assumed("Repository", "github.repository")
	tag("Workflow", s.r.name, "")
	tag("Action", s.actionName(), "")
	assumed("Actor", "github.actor")
	tag("Commit", standIn("github.sha", 40), "")
	tag("Branch", standIn("github.ref", s.r.refLen), s.r.refWhy)
	if s.r.longestEvent != "" {
		tag("EventName", s.r.longestEvent, "")
	}
	if s.r.pr {
		tag("BaseRef", standIn("github.base_ref", s.r.baseLen), s.r.baseWhy)
		assumed("HeadRef", "github.head_ref")
	}
	assumed("RunId", "github.run_id")
	tag("Job", s.jobID, "")
	assumed("TriggeringActor", "github.triggering_actor")
	return list, true
}

// truncate cuts s to n UTF-16 code units, as JavaScript's slice does, without splitting a
// character in two.
func truncate(s string, n int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

// leadingInt is what Number.parseInt reads of a string.
var leadingInt = lazyre.New(`^[+-]?[0-9]+`)

// sanitize replaces what a tag value may not hold as the action does (sanitizeGitHubVariables).
var unsafeTagChars = lazyre.New(`[^\p{L}\p{Z}\p{N}_.:/=+\-@]`)

// workflowName is GITHUB_WORKFLOW: the workflow's name, or its path in the repository.
func (r *reader) workflowName() string {
	if n := yaml.Get(r.f.Root, "name"); n != nil && n.Kind == yaml.ScalarNode && n.Value != "" {
		return unsafeTagChars.ReplaceAllString(n.Value, "_")
	}
	p := filepath.ToSlash(r.opts.Path)
	if i := strings.Index(p, ".github/workflows/"); i >= 0 {
		return p[i:]
	}
	return ".github/workflows/" + filepath.Base(p)
}

// actionName is GITHUB_ACTION: the step's id, or the action's name with a suffix from its second
// use in the job.
func (s *step) actionName() string {
	if id := yaml.Get(s.node, "id"); id != nil && id.Value != "" {
		return id.Value
	}
	name := "__aws-actions_configure-aws-credentials"
	if s.nth > 1 {
		name += "_" + strconv.Itoa(s.nth)
	}
	return name
}

// customTags validates custom-tags as the action does (parseAndValidateCustomTags), on every
// path, and returns its tags for a path that sends tags.
func (s *step) customTags(tagged bool) []source.Value {
	f := s.r.f
	t, ok := s.input("custom-tags")
	if !ok {
		return nil
	}
	var out []source.Value
	_, k := s.inputNode("custom-tags")
	fail := func(start, end int, format string, args ...any) {
		s.r.finding("action-input", start, end, s.at, "custom-tags "+format+"; %s fails the step before calling STS", append(args, Sender)...)
	}
	doc, err := jsonpos.Parse([]byte(t.S), jsonpos.Options{MaxBytes: 1 << 20})
	if err != nil {
		se, _ := err.(*jsonpos.SyntaxError)
		at := t.Start
		if se != nil {
			at = t.Source(se.Start)
		}
		fail(at, at, "is not valid JSON")
		return nil
	}
	if doc.Root.Kind != jsonpos.Object {
		fail(t.Start, t.End, "must be a JSON object, not %s", doc.Root.Kind)
		return nil
	}
	protected := append(append([]string{"GitHub"}, keptTags...), droppedTags...)
	for _, m := range doc.Root.Members {
		kt := textOf(t, doc, m.KeyStart, m.KeyEnd)
		if m.Value.Kind == jsonpos.Object || m.Value.Kind == jsonpos.Array {
			fail(kt.Start, t.Source(m.Value.End), "value for %s must be a string, number or boolean", quote.Short(m.Key))
			continue
		}
		if contains(protected, m.Key) {
			fail(kt.Start, kt.End, "key %s is a session tag the action sets itself and may not be overridden", quote.Short(m.Key))
			continue
		}
		vt := textOf(t, doc, m.Value.Start, m.Value.End)
		if m.Value.Kind != jsonpos.String {
			vt = source.At(string(doc.Src[m.Value.Start:m.Value.End]), vt.Start, vt.End)
		}
		out = append(out, source.Value{Kind: jsonpos.Object, Start: kt.Start, End: vt.End, Members: []source.Member{
			{Key: source.At("Key", kt.Start, kt.End), Value: source.String(kt)},
			{Key: source.At("Value", vt.Start, vt.End), Value: source.String(vt)},
		}})
	}
	if !tagged {
		s.r.finding("action-input-ignored", f.Start(k), f.End(k), s.at, "custom-tags is ignored: this step's path sends no session tags (OIDC, a web identity token file, or role-skip-session-tagging)")
		return nil
	}
	return out
}

// textOf is the decoded JSON string (or literal) at [start, end) of doc, a document parsed from t.
func textOf(t source.Text, doc *jsonpos.Document, start, end int) source.Text {
	_, v, ok := doc.Enclosing(start)
	if ok && v.Kind == jsonpos.String && v.Start == start {
		s, m, _ := doc.Unquote(v)
		return source.Within(t, s, m, start, end)
	}
	// A key: unquote it as a string of its own.
	kd, err := jsonpos.Parse(doc.Src[start:end], jsonpos.Options{})
	if err == nil && kd.Root.Kind == jsonpos.String {
		s, m, _ := kd.Unquote(kd.Root)
		return source.Within(t, s, offsetMap{m, start}, start, end)
	}
	return source.At(string(doc.Src[start:end]), t.Source(start), t.Source(end))
}

// offsetMap shifts a map of a slice back to the text it was cut from.
type offsetMap struct {
	m   source.Mapper
	off int
}

func (o offsetMap) Source(i int) int { return o.m.Source(i) + o.off }

// transitive returns transitive-tag-keys as the action sends them: only the keys equal to one
// of its tags' (case matters); it drops the others silently, which this reports.
func (s *step) transitive(tags source.Value) source.Value {
	keys := source.Value{Kind: jsonpos.Array}
	t, ok := s.input("transitive-tag-keys")
	if !ok {
		return keys
	}
	keys.Start, keys.End = t.Start, t.End
	sent := map[string]bool{}
	for _, e := range tags.Elems {
		if k, _ := e.Get("Key"); k != nil {
			sent[k.Text.S] = true
		}
	}
	for _, line := range lines(t) {
		if sent[line.S] {
			keys.Elems = append(keys.Elems, source.String(line))
			continue
		}
		s.r.finding("action-input-ignored", line.Start, line.End, s.at, "transitive tag key %s names no session tag this step sends (keys must match exactly); %s drops it silently", quote.Short(line.S), Sender)
	}
	return keys
}

// lines splits a multi-line input as getMultilineInput does: lines, empty ones dropped, trimmed.
func lines(t source.Text) []source.Text {
	var out []source.Text
	start := 0
	for i := 0; i <= len(t.S); i++ {
		if i == len(t.S) || t.S[i] == '\n' {
			if i > start {
				out = append(out, t.Slice(start, i).TrimSpace())
			}
			start = i + 1
		}
	}
	return out
}

// managed returns managed-session-policies, one ARN per line, as PolicyArns.
func (s *step) managed() source.Value {
	t, ok := s.input("managed-session-policies")
	v := source.Value{Kind: jsonpos.Array, Start: t.Start, End: t.End}
	if !ok {
		return v
	}
	for _, line := range lines(t) {
		v.Elems = append(v.Elems, source.Value{Kind: jsonpos.Object, Start: line.Start, End: line.End, Members: []source.Member{
			{Key: source.At("arn", line.Start, line.End), Value: source.String(line)},
		}})
	}
	return v
}

// policy returns inline-session-policy as the action sends it, with its expressions
// substituted; a policy whose expressions are not inside JSON strings is reported as not
// checkable.
func (s *step) policy() (source.Text, bool) {
	raw, ok := s.raw("inline-session-policy")
	if !ok {
		return source.Text{}, false
	}
	if !inJSONStrings(raw.S) {
		exprs := expressions(raw.S)
		first := exprs[0]
		s.r.finding("not-checkable", raw.Source(first.start), raw.Source(first.end), s.at+"/with/inline-session-policy",
			"inline-session-policy is built at run time by ${{ %s }}, outside any JSON string, so policylint cannot check it: its grammar, length and share of the packed size are left out; write the policy in the workflow, with expressions only inside strings", quote.Cut(first.text))
		return source.Text{}, false
	}
	from := len(s.assumed)
	t, _ := s.input("inline-session-policy")
	for i := from; i < len(s.assumed); i++ {
		s.assumed[i].Counts = source.CountsPolicy
	}
	return t, t.S != ""
}

// branchContexts are the expressions whose values are branch or tag names.
var branchContexts = []string{"github.ref_name", "github.head_ref", "github.base_ref", "github.ref",
	"github.event.pull_request.head.ref", "github.event.pull_request.base.ref"}

// branchInSessionName warns of a branch or tag name in role-session-name: the action passes the
// name as it is (src/index.ts), branch names often hold a slash (feature/x, every Dependabot
// branch), and STS accepts none in RoleSessionName. The stand-in the expression is checked with
// has none, so the parameter check cannot see it.
func (s *step) branchInSessionName() {
	raw, ok := s.raw("role-session-name")
	if !ok {
		return
	}
	for _, e := range expressions(raw.S) {
		if ref := strings.ToLower(e.text); contains(branchContexts, ref) {
			start, end := raw.Source(e.start), raw.Source(e.end)
			s.r.out.Findings = append(s.r.out.Findings, source.Finding{Rule: "param-pattern", Start: start, End: end, At: s.at, Warning: true,
				Message: fmt.Sprintf("RoleSessionName holds ${{ %s }}, a branch or tag name, and such names often hold a slash (feature/x, dependabot/...), which STS rejects in RoleSessionName (letters, digits and _+=,.@- only): use ${{ github.run_id }}, or a name with the slashes replaced in an earlier step", ref)})
		}
	}
}
