package extract

import (
	"sort"
	"strings"
)

// binding is one name that a module-level import statement binds.
type binding struct {
	name string // the local name, e.g. "np"
	qual string // what it refers to, e.g. "numpy" or "os.path"
	root string // top-level module, "" for relative imports
	stmt int32  // the import statement node
	elem string // the element as written, e.g. "numpy as np"
}

// importTable holds the module-level imports of one file.
type importTable struct {
	byName map[string][]binding // in source order
	from   map[int32]string     // statement -> module text of a from-import
	future []string             // `from __future__ import ...` lines, always kept
}

// moduleImports collects the import statements that run at module level:
// directly in the module or inside module-level if/try/with blocks, but
// never inside a def or class, whose imports are local to it.
func moduleImports(t *tree) *importTable {
	it := &importTable{byName: map[string][]binding{}, from: map[int32]string{}}
	t.walk(0, func(n int32) bool {
		switch t.nodes[n].kind {
		case "function_definition", "class_definition", "decorated_definition":
			return false
		case "if_statement":
			// Imports under `if TYPE_CHECKING:` never run.
			if c := t.child(n, "condition"); c >= 0 && strings.Contains(t.text(c), "TYPE_CHECKING") {
				return false
			}
		case "future_import_statement":
			it.future = append(it.future, strings.Join(strings.Fields(t.text(n)), " "))
			return false
		case "import_statement":
			it.addImport(t, n)
			return false
		case "import_from_statement":
			it.addFrom(t, n)
			return false
		}
		return true
	})
	return it
}

func (it *importTable) add(b binding) {
	it.byName[b.name] = append(it.byName[b.name], b)
}

// addImport handles `import a.b, c as d`: `a.b` binds a, `c as d` binds d.
func (it *importTable) addImport(t *tree, n int32) {
	t.children(n, func(c int32) {
		if t.nodes[c].field != "name" {
			return
		}
		elem := t.text(c)
		switch t.nodes[c].kind {
		case "dotted_name":
			mod := t.text(c)
			top := firstDotted(mod)
			it.add(binding{name: top, qual: top, root: top, stmt: n, elem: elem})
		case "aliased_import":
			name, alias := t.child(c, "name"), t.child(c, "alias")
			if name < 0 || alias < 0 {
				return
			}
			mod := t.text(name)
			it.add(binding{name: t.text(alias), qual: mod, root: firstDotted(mod), stmt: n, elem: elem})
		}
	})
}

// addFrom handles `from m import a, b as c`; wildcard imports bind nothing
// we can name, so names they would supply stay unresolved.
func (it *importTable) addFrom(t *tree, n int32) {
	m := t.child(n, "module_name")
	if m < 0 {
		return
	}
	mod := t.text(m)
	root := ""
	if t.nodes[m].kind == "dotted_name" {
		root = firstDotted(mod)
	}
	it.from[n] = mod
	t.children(n, func(c int32) {
		if t.nodes[c].field != "name" {
			return
		}
		elem := t.text(c)
		switch t.nodes[c].kind {
		case "dotted_name":
			it.add(binding{name: elem, qual: joinQual(mod, elem), root: root, stmt: n, elem: elem})
		case "aliased_import":
			name, alias := t.child(c, "name"), t.child(c, "alias")
			if name < 0 || alias < 0 {
				return
			}
			it.add(binding{name: t.text(alias), qual: joinQual(mod, t.text(name)), root: root, stmt: n, elem: elem})
		}
	})
}

func joinQual(mod, name string) string {
	if strings.HasSuffix(mod, ".") {
		return mod + name
	}
	return mod + "." + name
}

func firstDotted(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return strings.TrimSpace(s)
}

// resolve returns the binding a free name refers to. When a name is bound
// more than once (try: import json / except: import simplejson as json) the
// first binding wins, as it does when the first import succeeds.
func (it *importTable) resolve(name string) (binding, bool) {
	bs := it.byName[name]
	if len(bs) == 0 {
		return binding{}, false
	}
	return bs[0], true
}

// resolveLast returns the last binding of name in source order: the one
// in force after the module has run, when both branches of a try/except
// or if/else rebind it, or an import follows another.
func (it *importTable) resolveLast(name string) (binding, bool) {
	bs := it.byName[name]
	if len(bs) == 0 {
		return binding{}, false
	}
	return bs[len(bs)-1], true
}

// lines renders the minimal import lines for the given used names: only
// the elements that bind a used name, grouped by their original statement
// and in source order. `import os` and `import os.path` both bind os, so
// every binding of a used name to the same target module is kept.
func (it *importTable) lines(t *tree, used []string) []string {
	keep := map[int32][]string{}
	fallbacks := map[int32]string{} // first statement -> rendered try/except chain
	for _, name := range used {
		bs := it.byName[name]
		if len(bs) == 0 {
			continue
		}
		if alts := fallbackChain(t, bs); len(alts) > 1 {
			fallbacks[alts[0].stmt] = it.renderFallback(alts)
			continue
		}
		for _, b := range bs {
			if b.root != bs[0].root || (b.root == "" && b.qual != bs[0].qual) {
				continue
			}
			if !contains(keep[b.stmt], b.elem) {
				keep[b.stmt] = append(keep[b.stmt], b.elem)
			}
		}
	}
	stmts := make([]int32, 0, len(keep)+len(fallbacks))
	for s := range keep {
		stmts = append(stmts, s)
	}
	for s := range fallbacks {
		if _, dup := keep[s]; !dup {
			stmts = append(stmts, s)
		}
	}
	sort.Slice(stmts, func(i, j int) bool { return stmts[i] < stmts[j] })
	out := make([]string, 0, len(stmts)+len(it.future))
	out = append(out, it.future...) // they must come first, and change how the rest compiles
	for _, s := range stmts {
		if f, ok := fallbacks[s]; ok {
			out = append(out, f)
			if len(keep[s]) == 0 {
				continue
			}
		}
		elems := orderElems(t, s, keep[s])
		if mod, ok := it.from[s]; ok {
			out = append(out, "from "+mod+" import "+strings.Join(elems, ", "))
		} else {
			out = append(out, "import "+strings.Join(elems, ", "))
		}
	}
	return out
}

// fallbackChain returns the alternatives of an import fallback: bindings
// of one name to different modules by import statements of the same
// module-level try statement (`try: import simplejson as json` / `except
// ImportError: import json`), in source order; fewer than two otherwise.
func fallbackChain(t *tree, bs []binding) []binding {
	if len(bs) < 2 {
		return nil
	}
	try := enclosingTry(t, bs[0].stmt)
	if try < 0 {
		return nil
	}
	alts := []binding{bs[0]}
	for _, b := range bs[1:] {
		if b.stmt != alts[len(alts)-1].stmt && enclosingTry(t, b.stmt) == try && b.qual != bs[0].qual {
			alts = append(alts, b)
		}
	}
	return alts
}

// enclosingTry returns the outermost try statement around n (nested
// fallbacks belong to one chain), or -1.
func enclosingTry(t *tree, n int32) int32 {
	try := int32(-1)
	for p := t.nodes[n].parent; p >= 0; p = t.nodes[p].parent {
		if t.nodes[p].kind == "try_statement" {
			try = p
		}
	}
	return try
}

// renderFallback writes the alternatives as a try/except ImportError
// chain of one-element import lines, nested for more than two.
func (it *importTable) renderFallback(alts []binding) string {
	var b strings.Builder
	for i, a := range alts {
		indent := strings.Repeat("    ", i)
		line := "import " + a.elem
		if mod, ok := it.from[a.stmt]; ok {
			line = "from " + mod + " import " + a.elem
		}
		if i == len(alts)-1 {
			b.WriteString(indent + line)
			break
		}
		b.WriteString(indent + "try:\n" + indent + "    " + line + "\n" + indent + "except ImportError:\n")
	}
	return b.String()
}

// orderElems returns the kept elements in the order the statement lists them.
func orderElems(t *tree, stmt int32, kept []string) []string {
	var out []string
	t.children(stmt, func(c int32) {
		if t.nodes[c].field == "name" && contains(kept, t.text(c)) && !contains(out, t.text(c)) {
			out = append(out, t.text(c))
		}
	})
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// ImportedModules reads import lines (a Function's Imports; an entry may
// be a try/except ImportError chain of alternatives, see
// ImportAlternatives) and returns the top-level modules they load, in
// order without repeats, and the lines that import relatively
// (`from .x import y`), which cannot load outside their package.
func ImportedModules(lines []string) (modules, relative []string) {
	add := func(m string) {
		if m = firstDotted(m); m != "" && !contains(modules, m) {
			modules = append(modules, m)
		}
	}
	var split []string
	for _, entry := range lines {
		split = append(split, ImportAlternatives(entry)...)
	}
	for _, line := range split {
		// One space between words, whatever the source's spacing or
		// backslash continuations.
		words := strings.Fields(strings.ReplaceAll(line, "\\", " "))
		if len(words) < 2 {
			continue
		}
		switch words[0] {
		case "from":
			mod := ""
			for _, w := range words[1:] {
				if w == "import" {
					break
				}
				mod += w // `from . pkg import x` spells one module over several words
			}
			if strings.HasPrefix(mod, ".") {
				relative = append(relative, line)
			} else {
				add(mod)
			}
		case "import":
			for _, elem := range strings.Split(strings.Join(words[1:], " "), ",") {
				if ws := strings.Fields(elem); len(ws) > 0 {
					add(ws[0])
				}
			}
		}
	}
	return modules, relative
}

// ImportAlternatives returns the import lines of one Imports entry: the
// entry itself, or for a fallback chain (`try:` / `import a as x` /
// `except ImportError:` / `import b as x`) each alternative, first to
// last. The entry loads when any alternative does.
func ImportAlternatives(entry string) []string {
	if !strings.HasPrefix(entry, "try:") {
		return []string{entry}
	}
	var alts []string
	for _, l := range strings.Split(entry, "\n") {
		if l = strings.TrimSpace(l); l != "try:" && !strings.HasPrefix(l, "except") && l != "" {
			alts = append(alts, l)
		}
	}
	return alts
}
