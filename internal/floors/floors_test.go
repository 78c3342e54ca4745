package floors

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/unitcoder/unitcoder/"

// floors maps a package path prefix (module-relative) to its floor; the
// longest matching prefix wins.
var floors = map[string]int{
	"sample": 0, "progress": 0, "sandbox": 0, "internal/perprocess": 0, "deploy": 0,
	"io/":                   1,
	"pyast/":                2,
	"adequacy":              2,
	"runstats":              3,
	"report":                3,
	"transforms/":           4,
	"pipelines":             5,
	"internal/testfixtures": 6,
	"internal/demofixtures": 6,
	"internal/floors":       6,
}

func floorOf(t *testing.T, pkg string) int {
	t.Helper()
	best, floor := "", -1
	for prefix, f := range floors {
		if (pkg == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(pkg, prefix)) && len(prefix) > len(best) {
			best, floor = prefix, f
		}
	}
	if floor < 0 {
		t.Fatalf("package %s stands on no floor: add it to the floors table (and the README's)", pkg)
	}
	return floor
}

// packages lists every package of the module with its non-test imports.
func packages(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		var own []string
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module) {
				own = append(own, strings.TrimPrefix(imp, module))
			}
		}
		pkgs[strings.TrimPrefix(fields[0], module)] = own
	}
	return pkgs
}

// TestFloors: a package imports only packages on lower floors, or on its
// own floor above the base; base packages import nothing of the project
// but the per-process helper; nothing imports the test fixtures.
func TestFloors(t *testing.T) {
	pkgs := packages(t)
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	for pkg, imports := range pkgs {
		own := floorOf(t, pkg)
		for _, imp := range imports {
			f := floorOf(t, imp)
			switch {
			case f == 6 && own != 6:
				t.Errorf("%s imports the test fixtures %s", pkg, imp)
			case f > own, f == own && own == 0 && imp != "internal/perprocess":
				t.Errorf("%s (floor %d) imports %s (floor %d): imports must point down", pkg, own, imp, f)
			}
		}
		switch name := filepath.Base(pkg); name {
		case "stage", "util", "utils", "common":
			t.Errorf("package %s is named %q: name it for what it provides", pkg, name)
		}
	}
}

// TestGraphsHoldNoAccounting: package pipelines wires stages; stats types
// and accounting live in runstats.
func TestGraphsHoldNoAccounting(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join("..", "..", "pipelines", "*.go"))
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			var name string
			switch d := d.(type) {
			case *ast.FuncDecl:
				name = d.Name.Name
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						name = ts.Name.Name
					}
				}
			}
			if strings.Contains(name, "Stats") || strings.Contains(name, "Summar") {
				t.Errorf("%s declares %s: accounting belongs in runstats", path, name)
			}
		}
	}
}
