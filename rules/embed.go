package rules

import (
	"embed"
	"io/fs"
	"path"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// libFS holds policylint's Rego library, package policylint.lib.iam, which custom rules may
// import, and its tests.
//
//go:embed lib/*.rego
var libFS embed.FS

// libPrefix starts the module name (and so the file name in locations) of the library's
// modules, to keep them apart from user files.
const libPrefix = "policylint:"

// libModules parses the library; its tests too when tests is set.
func libModules(tests bool) (map[string]*ast.Module, error) {
	out := map[string]*ast.Module{}
	err := fs.WalkDir(libFS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".rego" || strings.HasSuffix(name, testSuffix) && !tests {
			return err
		}
		src, err := libFS.ReadFile(name)
		if err != nil {
			return err
		}
		mod, err := ast.ParseModuleWithOpts(libPrefix+name, string(src), parserOptions())
		if err != nil {
			return err
		}
		out[libPrefix+name] = mod
		return nil
	})
	return out, err
}
