package extract

import (
	"sort"
	"strings"

	"github.com/unitcoder/unitcoder/sample"
)

// function builds the Function for one top-level def: its code, its
// dependency closure in the file, the program made of both, the imports
// it uses, the library calls it makes and its shape.
func function(t *tree, imports *importTable, importPos func(binding) int, m *moduleScope, fn topFn, opts Options) sample.Function {
	fa := analyze(t, fn.def, fn.decorators)
	code := t.text(fn.whole)
	f := sample.Function{Name: t.text(t.child(fn.def, "name")), Code: code}
	f.FreeNames = fa.top.free()
	self := &definition{t: t, node: fn.whole, pos: importPos(binding{stmt: fn.whole})}
	scope := m
	if !closureWanted(t, imports, fa, f.FreeNames, opts.ClosureLibraries) {
		scope = &moduleScope{}
	}
	used, c := resolveClosure(imports, importPos, scope, self, f.Name, f.FreeNames, opts.MaxClosureLines)
	f.Imports = orEmpty(imports.lines(t, append(append([]string(nil), used...), c.imported...)))
	f.APIs = orEmpty(apis(t, imports, used, fa.calls))
	f.Libs = orEmpty(libs(imports, used, f.APIs))
	f.Program = program(f.Imports, c, self, f.Name)
	f.Closure = c.names
	f.Shape = sample.Shape{
		Params:        fa.params,
		HasReturn:     fa.hasReturn,
		Async:         isAsync(t, fn.def),
		Nested:        fa.nested,
		SelfContained: len(c.unresolved) == 0,
		Unresolved:    c.unresolved,
		ClosureLines:  c.lines,
		Literals:      fa.literals,
		Lines:         strings.Count(code, "\n") + 1,
	}
	return f
}

// closureWanted applies the retrieval filter's fixed rules (a parameter,
// a return, nothing nested) and, when libs is set, its library rule to the
// function alone: a function failing them is rejected whatever its
// closure, so none is computed.
func closureWanted(t *tree, imports *importTable, fa *facts, free []string, libs map[string]bool) bool {
	if libs == nil {
		return true
	}
	if len(fa.params) == 0 || !fa.hasReturn || len(fa.nested) > 0 {
		return false
	}
	var used []string
	for _, n := range free {
		if _, ok := imports.resolve(n); ok {
			used = append(used, n)
		}
	}
	for _, a := range apis(t, imports, used, fa.calls) {
		if libs[firstDotted(a)] {
			return true
		}
	}
	return false
}

// apis resolves each call whose callee is a dotted name rooted at a used
// import to its qualified name: np.mean -> numpy.mean, path.join (from os
// import path) -> os.path.join, sqrt (from math import sqrt) -> math.sqrt.
func apis(t *tree, imports *importTable, used []string, calls []int32) []string {
	var out []string
	for _, c := range calls {
		parts := dotted(t, t.child(c, "function"))
		if len(parts) == 0 || !contains(used, parts[0]) {
			continue
		}
		b, _ := imports.resolve(parts[0])
		q := strings.Join(append([]string{b.qual}, parts[1:]...), ".")
		if !contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}

// dotted returns the names of an identifier/attribute chain (a.b.c), or
// nil when the callee is anything else (a call result, a subscript).
func dotted(t *tree, n int32) []string {
	if n < 0 {
		return nil
	}
	switch t.nodes[n].kind {
	case "identifier":
		return []string{t.text(n)}
	case "attribute":
		head := dotted(t, t.child(n, "object"))
		a := t.child(n, "attribute")
		if head == nil || a < 0 {
			return nil
		}
		return append(head, t.text(a))
	}
	return nil
}

// libs are the top-level modules the function uses, through calls or any
// other use of an imported name; relative imports name no library.
func libs(imports *importTable, used, apis []string) []string {
	set := map[string]bool{}
	for _, n := range used {
		if b, ok := imports.resolve(n); ok && b.root != "" {
			set[b.root] = true
		}
	}
	for _, a := range apis {
		if r := firstDotted(a); r != "" {
			set[r] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func isAsync(t *tree, def int32) bool {
	async := false
	t.children(def, func(c int32) { async = async || t.nodes[c].kind == "async" })
	return async
}

// orEmpty keeps JSON output as [] rather than null for empty lists.
func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
