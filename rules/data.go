package rules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/open-policy-agent/opa/v1/util"

	"github.com/policylint/policylint/internal/ruleproto"
)

// dataDocument merges the --data files, JSON or YAML objects, into one data document at its
// root, as conftest's --data does for files at the top of the folder it is given. A key given by
// two files is an error, as is a file that is not an object.
func dataDocument(files []ruleproto.File) (map[string]any, []ruleproto.Problem) {
	out := map[string]any{}
	from := map[string]string{}
	var errs []ruleproto.Problem
	for _, f := range files {
		var doc any
		if err := util.Unmarshal([]byte(f.Source), &doc); err != nil {
			errs = append(errs, ruleproto.Problem{File: f.Name, Msg: "data file is not JSON or YAML: " + oneLine(err.Error())})
			continue
		}
		obj, ok := doc.(map[string]any)
		if !ok {
			if doc == nil {
				continue // an empty file adds nothing
			}
			errs = append(errs, ruleproto.Problem{File: f.Name, Msg: "data file must hold an object (key: value), whose keys become data.<key>"})
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if k == reservedRoot || k == "conftest" {
				errs = append(errs, ruleproto.Problem{File: f.Name, Msg: fmt.Sprintf("data key %q is reserved for policylint's context: rename it", k)})
				continue
			}
			if other, dup := from[k]; dup {
				errs = append(errs, ruleproto.Problem{File: f.Name, Msg: fmt.Sprintf("data key %q is also given by %s: keep one", k, other)})
				continue
			}
			from[k] = f.Name
			out[k] = obj[k]
		}
	}
	return out, errs
}
