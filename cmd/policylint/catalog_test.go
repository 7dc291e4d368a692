package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/policylint/policylint/internal/catalog"
)

// serviceDoc is a service document in AWS's service-reference format.
func serviceDoc(name string, actions ...string) string {
	var acts []map[string]any
	for _, a := range actions {
		acts = append(acts, map[string]any{"Name": a, "Resources": []map[string]string{{"Name": "thing"}}})
	}
	doc := map[string]any{
		"Name": name, "Version": "v1.4", "Actions": acts,
		"Resources":     []map[string]any{{"Name": "thing", "ARNFormats": []string{"arn:${Partition}:" + name + ":${Region}:${Account}:thing/${ThingId}"}}},
		"ConditionKeys": []map[string]any{{"Name": name + ":ThingColour", "Types": []string{"String"}}},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// referenceServer serves a service reference the way AWS's endpoint does: the list at /, then
// /v1/<prefix>/<prefix>.json. docs maps a prefix to its document; a missing one is a 500.
func referenceServer(t *testing.T, docs map[string]string, list []string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			var entries []map[string]string
			for _, s := range list {
				entries = append(entries, map[string]string{"service": s, "url": srv.URL + "/v1/" + s + "/" + s + ".json"})
			}
			json.NewEncoder(w).Encode(entries)
			return
		}
		name := strings.TrimSuffix(filepath.Base(r.URL.Path), ".json")
		doc, ok := docs[name]
		if !ok {
			http.Error(w, "no such service", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, doc)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// userCache points the user cache of this test at a new folder and returns the catalogue's path.
func userCache(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	t.Setenv("HOME", dir)
	if runtime.GOOS == "windows" {
		t.Setenv("LocalAppData", dir)
	}
	path, err := catalog.CachePath()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

const tenantPolicy = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["tenantdb:GetThing", "s3:GetObject"], "Resource": "*"}]}`

// TestCatalog_UpdateFromServer fetches a reference from a local server into the user cache, and
// checks that the checks, --version and 'catalog show' then use it instead of the built-in copy.
func TestCatalog_UpdateFromServer(t *testing.T) {
	path := userCache(t)
	srv := referenceServer(t, map[string]string{"tenantdb": serviceDoc("tenantdb", "GetThing", "PutThing"), "iam": serviceDoc("iam", "PassRole")}, []string{"iam", "tenantdb"})
	r := runWith(t, "", "catalog", "update", "--from", srv.URL+"/")
	if r.code != exitOK || !strings.Contains(r.stdout, "2 services, 3 actions") || !strings.Contains(r.stdout, "fetched from "+srv.URL) {
		t.Fatalf("update: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	dir := writeFiles(t, map[string]string{"p.json": tenantPolicy})
	r = runWith(t, "", "lint", "--fail-on", "warning", filepath.Join(dir, "p.json"))
	if !strings.Contains(r.stdout, `"s3:GetObject" names service "s3", which is not in AWS's service reference of `+catalog.Today()) || strings.Contains(r.stdout, "tenantdb") {
		t.Errorf("lint against the fetched catalogue:\n%s%s", r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"--version"}, {"catalog", "show"}} {
		if r := runWith(t, "", args...); !strings.Contains(r.stdout, "fetched from "+srv.URL) || !strings.Contains(r.stdout, path) {
			t.Errorf("%v does not name the fetched catalogue:\n%s", args, r.stdout)
		}
	}
	// --catalog wins over the cache.
	ref := writeFiles(t, map[string]string{"v1/service-list.json": `[{"service": "s3", "url": "x"}]`, "v1/s3.json": serviceDoc("s3", "GetObject")})
	r = runWith(t, "", "lint", "--fail-on", "warning", "--catalog", ref, filepath.Join(dir, "p.json"))
	if !strings.Contains(r.stdout, `names service "tenantdb"`) || strings.Contains(r.stdout, `"s3"`) {
		t.Errorf("lint --catalog DIR:\n%s%s", r.stdout, r.stderr)
	}
}

// TestCatalog_UpdateFailures checks that a failed update changes nothing: a service that does
// not come, a list that points elsewhere, a document for another service, an unreachable URL.
func TestCatalog_UpdateFailures(t *testing.T) {
	path := userCache(t)
	good := referenceServer(t, map[string]string{"tenantdb": serviceDoc("tenantdb", "GetThing")}, []string{"tenantdb"})
	if r := runWith(t, "", "catalog", "update", "--from", good.URL+"/"); r.code != exitOK {
		t.Fatalf("first update: %s", r.stderr)
	}
	before, _ := os.ReadFile(path)
	missing := referenceServer(t, map[string]string{"tenantdb": serviceDoc("tenantdb", "GetThing")}, []string{"tenantdb", "gone"})
	wrong := referenceServer(t, map[string]string{"tenantdb": serviceDoc("other", "GetThing")}, []string{"tenantdb"})
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"service": "tenantdb", "url": "http://attacker.example/tenantdb.json"}]`)
	}))
	defer elsewhere.Close()
	for _, tc := range []struct{ from, want string }{
		{missing.URL + "/", "500 Internal Server Error"},
		{wrong.URL + "/", `document is for service "other", not "tenantdb"`},
		{elsewhere.URL + "/", "which is not on http://127.0.0.1"},
		{"http://127.0.0.1:1/", "127.0.0.1:1"},
		{filepath.Join(t.TempDir(), "nothing"), "not a service reference folder"},
		{good.URL + "/ --date 2026-13-01", `--date "2026-13-01": want YYYY-MM-DD`},
	} {
		r := runWith(t, "", append([]string{"catalog", "update", "--from"}, strings.Fields(tc.from)...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "the catalogue in use is unchanged") {
			t.Errorf("--from %s: exit %d, stderr %q, want %q", tc.from, r.code, r.stderr, tc.want)
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Errorf("--from %s changed the cache", tc.from)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the cache folder holds %d files, want only the catalogue: %v", len(entries), entries)
	}
}

// TestCatalog_UpdateFromDir reads a reference in AWS's format from a folder, laid out as AWS's
// endpoint (v1/<prefix>/<prefix>.json) or flat (<prefix>.json).
func TestCatalog_UpdateFromDir(t *testing.T) {
	userCache(t)
	for _, layout := range []map[string]string{
		{"service-list.json": `[{"service": "tenantdb", "url": "x"}]`, "tenantdb.json": serviceDoc("tenantdb", "GetThing")},
		{"v1/service-list.json": `[{"service": "tenantdb", "url": "x"}]`, "v1/tenantdb/tenantdb.json": serviceDoc("tenantdb", "GetThing")},
	} {
		dir := writeFiles(t, layout)
		if r := runWith(t, "", "catalog", "update", "--from", dir, "--date", "2026-03-01"); r.code != exitOK || !strings.Contains(r.stdout, "1 services, 1 actions") ||
			!strings.Contains(r.stdout, "AWS's service reference of 2026-03-01") {
			t.Errorf("--from %v: exit %d\n%s%s", layout, r.code, r.stdout, r.stderr)
		}
	}
}

// TestCatalog_DamagedCache checks that a damaged cache is reported and the built-in catalogue
// serves, and that a bad --catalog is a usage error.
func TestCatalog_DamagedCache(t *testing.T) {
	path := userCache(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("policylint-catalog 1\ngarbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"p.json": goodPolicy})
	r := runWith(t, "", "lint", filepath.Join(dir, "p.json"))
	if r.code != exitOK || !strings.Contains(r.stderr, "catalogue cache") || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, "using the built-in catalogue") {
		t.Errorf("damaged cache: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runWith(t, "", "lint", "--catalog", filepath.Join(dir, "missing"), filepath.Join(dir, "p.json"))
	if r.code != exitUsage || !strings.HasPrefix(r.stderr, "policylint: --catalog: ") {
		t.Errorf("missing --catalog: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestVersion_CatalogueDate checks the line --version adds: the built-in data and its date.
func TestVersion_CatalogueDate(t *testing.T) {
	userCache(t)
	r := runWith(t, "", "--version")
	if !strings.Contains(r.stdout, "IAM catalogue:") || !strings.Contains(r.stdout, "AWS's service reference of 2026-02-13 (embedded)") {
		t.Errorf("--version:\n%s", r.stdout)
	}
}

// TestLint_CatalogConfined checks that --catalog reads through the confined opener: a document
// of the folder that is a link out of it is refused, not followed.
func TestLint_CatalogConfined(t *testing.T) {
	userCache(t)
	outside := writeFiles(t, map[string]string{"s3.json": serviceDoc("s3", "GetObject")})
	ref := writeFiles(t, map[string]string{"v1/service-list.json": `[{"service": "s3", "url": "x"}]`})
	if err := os.Symlink(filepath.Join(outside, "s3.json"), filepath.Join(ref, "v1", "s3.json")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	dir := writeFiles(t, map[string]string{"p.json": goodPolicy})
	r := runWith(t, "", "lint", "--catalog", ref, filepath.Join(dir, "p.json"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "--catalog") || !strings.Contains(r.stderr, "s3.json") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
