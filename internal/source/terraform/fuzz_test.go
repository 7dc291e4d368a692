package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/policylint/policylint/internal/jsonpos"
	"github.com/policylint/policylint/internal/source/sourcetest"
)

func seedFiles(f *testing.F, pattern string, more ...string) {
	f.Helper()
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		f.Fatalf("no seeds at %s", pattern)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range more {
		f.Add(s)
	}
}

// FuzzRead reads any Terraform file: no panic and no stack overflow, every place inside the
// file, every document valid JSON whose every byte maps into the file, the same result twice.
func FuzzRead(f *testing.F) {
	seedFiles(f, "../../../testdata/sources/terraform/*.tf",
		"provider \"aws\" {\n  assume_role {\n    role_arn = \"a\"\n    policy = jsonencode({A = [1, true, null, \"<&>\", -2.5e3], \"b c\" = {x = \"\\u2013\"}})\n    tags = {k = \"v\", \"K\" = \"w\"}\n    duration_seconds = 3600\n  }\n  assume_role_with_web_identity {\n    policy = \"${var.p}\"\n    duration = \"1h30m\"\n  }\n}\n",
		"resource \"vault_aws_secret_backend_role\" \"r\" {\n  credential_type = \"assumed_role\"\n  role_arns = [\"arn:aws:iam::1:role/r\"]\n  session_tags = {a = \"b\"}\n  policy_document = <<-EOT\n    {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"$${x}\"}]}\n    EOT\n  default_sts_ttl = \"900\"\n}\n",
		"x = \"${(!!-a ? b[c][d] : \"%{if e}f%{endif}\")}\" # (((\ny = /* { */ [for a in b : a.c if !d]\n")
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Read([]byte(src), "x.tf")
		if err != nil {
			se := err.(*SyntaxError)
			if se.Start < 0 || se.End < se.Start || se.End > len(src) {
				t.Fatalf("syntax error at [%d, %d), outside the file of %d bytes", se.Start, se.End, len(src))
			}
			return
		}
		sourcetest.Check(t, len(src), out)
		again, _ := Read([]byte(src), "x.tf")
		if !reflect.DeepEqual(sourcetest.Snapshot(out), sourcetest.Snapshot(again)) {
			t.Fatalf("two reads differ:\n%v\n%v", sourcetest.Snapshot(out), sourcetest.Snapshot(again))
		}
	})
}

// FuzzReadPlan reads any terraform show -json output with the same invariants.
func FuzzReadPlan(f *testing.F) {
	seedFiles(f, "../../../testdata/sources/plan/*.json",
		`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"resources":[{"type":"vault_aws_secret_backend_role","address":"a","values":{"credential_type":"assumed_role","role_arns":["r"],"session_tags":{"k":"v"},"default_sts_ttl":3600,"policy_document":"{\"Statement\":[]}"}}]}]}},"configuration":{"provider_config":{"aws":{"expressions":{"assume_role":[{"role_arn":{"constant_value":"r"},"tags":{"constant_value":{"a":"b"}}}]}}}}}`)
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := jsonpos.Parse([]byte(src), jsonpos.Options{MaxBytes: 1 << 20})
		if err != nil || doc.Root == nil {
			return
		}
		out := ReadPlan(doc)
		sourcetest.Check(t, len(src), out)
		if again := ReadPlan(doc); !reflect.DeepEqual(sourcetest.Snapshot(out), sourcetest.Snapshot(again)) {
			t.Fatal("two reads differ")
		}
	})
}

// FuzzBound checks bound against HCL itself: on any file bound accepts, the tree HCL parses
// nests at most a few levels per level bound measured (a block is three nodes deep, a for
// directive three), so that what bound lets through cannot recurse deeper than it says.
func FuzzBound(f *testing.F) {
	seedFiles(f, "../../../testdata/sources/terraform/*.tf",
		"x = \"${(!!-a ? b[c][d] : \"%{if e}f%{endif}\")}\" # (((\ny = /* { */ [for a in b : a.c if !d]\n",
		"x = <<-EOT\n  %{for a in b~}\n  ${a[*].c}\n  %{~endfor}\n  EOT\ny = {for k, v in m :\n k => v... }\n",
		"a \"b\" {\n  c = f(1, -2.5e3, \"$${x}\", <<EOT\n)))\nEOT\n  )\n  d { e = [[{f = g.0.h}]] }\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := measure([]byte(src))
		if err != nil {
			if err.at < 0 || err.at > len(src) {
				t.Fatalf("refused at %d, outside the file of %d bytes", err.at, len(src))
			}
			return
		}
		file, _ := hclsyntax.ParseConfig([]byte(src), "x.tf", hcl.InitialPos)
		if file == nil {
			return
		}
		body, ok := file.Body.(*hclsyntax.Body)
		if !ok {
			return
		}
		if a := astDepth(body); a > 3*d+6 {
			t.Fatalf("HCL's tree is %d deep where bound measured %d", a, d)
		}
	})
}
