package pack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The shared data points, read in place from the shared tree beside the
// repository (../shared from the repository root): packed-datapoints.json
// ("old") and packed-datapoints-exact.json ("exact", real AWS results with
// exact inputs, each with a request file in packed-points/).
const (
	sharedDataPoints  = "../../shared/docs/packed-datapoints.json"
	sharedExactPoints = "../../shared/docs/packed-datapoints-exact.json"
	sharedPointsDir   = "../../shared/docs/packed-points"
)

type sharedRecord struct {
	Source     string   `json:"source"`
	Operation  string   `json:"operation"`
	Policy     *string  `json:"policy"`
	PolicyARNs []string `json:"policy_arns"`
	Tags       []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"tags"`
	PackedPolicySize *float64 `json:"packed_policy_size"`
	ErrorText        *string  `json:"error_text"`
	Notes            string   `json:"notes"`
}

var (
	gradeRE   = regexp.MustCompile(`\[reliability ([A-D])`)
	percentRE = regexp.MustCompile(`(\d+)%|percent (\d+)`)
)

func (r sharedRecord) grade() string {
	if m := gradeRE.FindStringSubmatch(r.Notes); m != nil {
		return m[1]
	}
	return ""
}

// observed is the reported size, or the percentage in the error text.
func (r sharedRecord) observed() (float64, bool) {
	if r.PackedPolicySize != nil {
		return *r.PackedPolicySize, true
	}
	if r.ErrorText == nil {
		return 0, false
	}
	m := percentRE.FindStringSubmatch(*r.ErrorText)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1] + m[2])
	return float64(n), err == nil
}

// request returns the record's inputs, and whether they are complete: no
// placeholder ("<...>"), and something to pack unless exact is set (in the
// exact file an empty request is exactly that; in the old one it means the
// inputs were not published).
func (r sharedRecord) request(exact bool) (Request, bool) {
	var req Request
	placeholder := false
	if r.Policy != nil {
		req.Policy = *r.Policy
		placeholder = strings.HasPrefix(req.Policy, "<") || req.Policy == "JSON-IAM-POLICY" || req.Policy == "URL-encoded-JSON-IAM-POLICY"
	}
	for _, a := range r.PolicyARNs {
		req.PolicyARNs = append(req.PolicyARNs, a)
		placeholder = placeholder || strings.Contains(a, "<")
	}
	for _, t := range r.Tags {
		req.Tags = append(req.Tags, Tag{t.Key, t.Value})
		placeholder = placeholder || strings.Contains(t.Key+t.Value, "<")
	}
	empty := req.Policy == "" && len(req.PolicyARNs) == 0 && len(req.Tags) == 0
	return req, !placeholder && (exact || !empty)
}

func (r sharedRecord) matchKey(file string, observed float64) string {
	op, _, _ := strings.Cut(r.Operation, " ")
	return fmt.Sprintf("%s %s %v %d", file, op, observed, len(r.Tags))
}

// requestFileRE finds the request file an exact record names in its notes.
var requestFileRE = regexp.MustCompile(`Request file: packed-points/([a-z0-9-]+\.json)`)

// TestSharedDataPoints checks the test's data points against both shared
// files: every grade A, B and C record with complete inputs has a data point
// with exactly those inputs, every data point matches one record, every exact
// record is grade A and names a request file with its inputs, and every
// record's error is logged. Grade D records are logged for interest only:
// they are documentation examples and never used.
func TestSharedDataPoints(t *testing.T) {
	points := map[string]dataPoint{}
	for _, p := range dataPoints() {
		points[p.match] = p
	}
	matched := map[string]bool{}
	for _, file := range []struct{ name, path string }{{"old", sharedDataPoints}, {"exact", sharedExactPoints}} {
		data, err := os.ReadFile(file.path)
		if errors.Is(err, fs.ErrNotExist) {
			t.Skipf("shared data points not found at %s (the shared tree sits beside the repository): skipping", file.path)
		}
		if err != nil {
			t.Fatal(err)
		}
		var records []sharedRecord
		if err := json.Unmarshal(data, &records); err != nil {
			t.Fatalf("%s: %v", file.path, err)
		}
		exact := file.name == "exact"
		counts := map[string]int{}
		for i, r := range records {
			grade := r.grade()
			counts[grade]++
			observed, ok := r.observed()
			req, complete := r.request(exact)
			switch {
			case grade == "":
				t.Errorf("%s record %d: no reliability grade in notes %q", file.name, i, r.Notes)
				continue
			case exact && (grade != "A" || !complete || !ok):
				t.Errorf("exact record %d: grade %s, complete %v, percentage %v: want an exact grade A record", i, grade, complete, ok)
			case grade == "D":
				if ok && complete {
					t.Logf("D record %2d %-26s documented %4v%%  estimate %4v%% (illustrative, not used)", i, r.Operation, observed, DefaultModel.Estimate(req).Percent)
				}
				continue
			case !ok:
				t.Logf("%s record %2d: no percentage (%v): not reproducible", grade, i, ptr(r.ErrorText))
				continue
			}
			if exact {
				checkRequestFile(t, i, r, req)
			}
			p, found := points[r.matchKey(file.name, observed)]
			switch {
			case !found && complete:
				t.Errorf("%s record %2d (%s) has complete inputs but no data point", grade, i, r.matchKey(file.name, observed))
			case !found:
				t.Logf("%s record %2d %-26s observed %4v%%: inputs not published, not reproducible", grade, i, r.Operation, observed)
			default:
				matched[p.match] = true
				if p.grade != grade {
					t.Errorf("%s record %d is grade %s, data point %s says %s", file.name, i, grade, p.name, p.grade)
				}
				if complete && p.recon == "" && !reflect.DeepEqual(req, p.req) {
					t.Errorf("%s record %d: inputs differ from data point %s:\n%+v\n%+v", file.name, i, p.name, req, p.req)
				}
				if complete != (p.recon == "") {
					t.Errorf("%s record %d: complete=%v but data point %s has reconstruction %q", file.name, i, complete, p.name, p.recon)
				}
				e := DefaultModel.Estimate(p.req)
				t.Logf("%s record %2d %-26s observed %4v%%  estimate %4v%%  error %+4v  (%s)", grade, i, p.name, observed, e.Percent, e.Percent-observed, orExact(p.recon))
			}
		}
		t.Logf("%s: records by grade: %v", file.path, counts)
	}
	for key, p := range points {
		if !matched[key] {
			t.Errorf("data point %s (%s) matches no record", p.name, key)
		}
	}
}

// checkRequestFile checks that an exact record's request file (AWS CLI
// --cli-input-json shape) carries the record's policy and tags.
func checkRequestFile(t *testing.T, i int, r sharedRecord, req Request) {
	t.Helper()
	m := requestFileRE.FindStringSubmatch(r.Notes)
	if m == nil {
		t.Errorf("exact record %d names no request file in its notes", i)
		return
	}
	data, err := os.ReadFile(filepath.Join(sharedPointsDir, m[1]))
	if err != nil {
		t.Errorf("exact record %d: %v", i, err)
		return
	}
	var file struct {
		Policy     string
		PolicyArns []struct{ Arn string }
		Tags       []struct{ Key, Value string }
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Errorf("%s: %v", m[1], err)
		return
	}
	got := Request{Policy: file.Policy}
	for _, a := range file.PolicyArns {
		got.PolicyARNs = append(got.PolicyARNs, a.Arn)
	}
	for _, tag := range file.Tags {
		got.Tags = append(got.Tags, Tag{tag.Key, tag.Value})
	}
	if !reflect.DeepEqual(got, req) {
		t.Errorf("%s differs from exact record %d:\n%+v\n%+v", m[1], i, got, req)
	}
}

func ptr(s *string) string {
	if s == nil {
		return "none"
	}
	return *s
}

func orExact(recon string) string {
	if recon == "" {
		return "exact inputs"
	}
	return "reconstructed: " + recon
}
