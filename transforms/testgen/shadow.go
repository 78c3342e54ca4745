package testgen

import (
	"runtime"
	"sort"
	"strings"
	"sync"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

var (
	python  = ts.NewLanguage(tspython.Language())
	parsers = sync.Pool{New: func() any {
		p := ts.NewParser()
		if err := p.SetLanguage(python); err != nil {
			panic("tree-sitter-python: " + err.Error())
		}
		runtime.SetFinalizer(p, (*ts.Parser).Close) // the pool drops parsers; their memory is C's
		return p
	}}
)

// definition is a top-level statement that binds a name.
type definition struct {
	name       string
	start, end uint
}

// topLevelDefinitions lists the names bound at module level by function and
// class definitions (decorated or not) and by plain assignments, with the
// byte range of the whole statement.
func topLevelDefinitions(src string) []definition {
	p := parsers.Get().(*ts.Parser)
	defer parsers.Put(p)
	tree := p.Parse([]byte(src), nil)
	defer tree.Close()
	root := tree.RootNode()
	var defs []definition
	for i := uint(0); i < root.NamedChildCount(); i++ {
		stmt := root.NamedChild(i)
		for _, name := range boundNames(stmt, src) {
			defs = append(defs, definition{name: name, start: stmt.StartByte(), end: stmt.EndByte()})
		}
	}
	return defs
}

func boundNames(stmt *ts.Node, src string) []string {
	switch stmt.Kind() {
	case "function_definition", "class_definition":
		if n := stmt.ChildByFieldName("name"); n != nil {
			return []string{n.Utf8Text([]byte(src))}
		}
	case "decorated_definition":
		if d := stmt.ChildByFieldName("definition"); d != nil {
			return boundNames(d, src)
		}
	case "expression_statement":
		var names []string
		for i := uint(0); i < stmt.NamedChildCount(); i++ {
			c := stmt.NamedChild(i)
			if c.Kind() != "assignment" && c.Kind() != "augmented_assignment" {
				continue
			}
			if left := c.ChildByFieldName("left"); left != nil && left.Kind() == "identifier" {
				names = append(names, left.Utf8Text([]byte(src)))
			}
		}
		return names
	}
	return nil
}

// Shadowing says which names the tests redefine at top level that the code
// under test also defines. Such tests check their own copy, not the code.
func Shadowing(code, tests string) []string {
	defined := map[string]bool{}
	for _, d := range topLevelDefinitions(code) {
		defined[d.name] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range topLevelDefinitions(tests) {
		if defined[d.name] && !seen[d.name] {
			seen[d.name] = true
			out = append(out, d.name)
		}
	}
	sort.Strings(out)
	return out
}

// RemoveShadowing deletes from tests every top-level statement that
// redefines a name the code defines, and returns the repaired tests and the
// names removed.
func RemoveShadowing(code, tests string) (string, []string) {
	names := Shadowing(code, tests)
	if len(names) == 0 {
		return tests, nil
	}
	shadowed := map[string]bool{}
	for _, n := range names {
		shadowed[n] = true
	}
	var b strings.Builder
	last := uint(0)
	for _, d := range topLevelDefinitions(tests) {
		if !shadowed[d.name] || d.start < last {
			continue
		}
		b.WriteString(tests[last:d.start])
		last = d.end
	}
	b.WriteString(tests[last:])
	return b.String(), names
}
