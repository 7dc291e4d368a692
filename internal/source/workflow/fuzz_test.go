package workflow

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/policylint/policylint/internal/source"
	"github.com/policylint/policylint/internal/source/sourcetest"
	"github.com/policylint/policylint/internal/source/yaml"
)

// seedWorkflows are the golden workflows, and steps on each of the action's paths.
func seedWorkflows(f *testing.F) {
	f.Helper()
	for _, pattern := range []string{"../../../testdata/sources/workflow/*.yml", "../../../testdata/sources/workflow/*/.github/workflows/*.yml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"on: push\njobs:\n  a:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v6\n        with:\n          role-to-assume: r\n          role-chaining: true\n          role-duration-seconds: 7200\n",
		"on: [pull_request]\nenv: {A: '${{ env.B }}x', B: '${{ env.A }}'}\njobs:\n  a:\n    strategy: {matrix: {s: [x, yy], include: [{s: zzz}]}}\n    steps:\n      - uses: aws-actions/configure-aws-credentials@main\n        with:\n          aws-access-key-id: k\n          role-to-assume: arn:aws:iam::1:role/${{ matrix.s }}\n          custom-tags: '{\"Team\": \"a\", \"N\": 1, \"GitHub\": \"x\"}'\n          transitive-tag-keys: |\n            Team\n            team\n          inline-session-policy: '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::${{ env.A }}/*\"}]}'\n          managed-session-policies: \"arn:aws:iam::aws:policy/A\\n\\narn:aws:iam::aws:policy/B\"\n",
		"on: {push: {branches: [main, 'rel/**']}, merge_group: {}}\npermissions: write-all\njobs:\n  a:\n    steps:\n      - id: c\n        uses: AWS-Actions/Configure-AWS-Credentials@v4\n        with: {Role-To-Assume: x, role-session-name: '${{ github.head_ref }}', inline-session-policy: '${{ secrets.P }}', role-external-id: e, rol-chaining: yes}\n",
	} {
		f.Add(s)
	}
}

// FuzzRead reads any workflow: no panic, every place inside the file, every document valid JSON
// whose every byte maps into the file, and the same result twice.
func FuzzRead(f *testing.F) {
	seedWorkflows(f)
	f.Fuzz(func(t *testing.T, src string) {
		read := func() (source.File, bool) {
			file, err := yaml.Parse([]byte(src))
			if err != nil || file.Root == nil || !Is(file, ".github/workflows/ci.yml") {
				return source.File{}, false
			}
			return Read(file, Options{Path: ".github/workflows/ci.yml", Lengths: map[string]int{"github.repository": 30}}), true
		}
		out, ok := read()
		if !ok {
			return
		}
		sourcetest.Check(t, len(src), out)
		again, _ := read()
		if !reflect.DeepEqual(sourcetest.Snapshot(out), sourcetest.Snapshot(again)) {
			t.Fatalf("two reads differ:\n%v\n%v", sourcetest.Snapshot(out), sourcetest.Snapshot(again))
		}
	})
}
