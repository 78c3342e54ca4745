package extract

import (
	"bytes"
	"sort"
	"strings"
)

// definition is a top-level statement that binds names a function may
// read: a def or class (decorators included) or an assignment.
type definition struct {
	t     *tree
	node  int32
	pos   int      // offset of the statement in the source file
	names []string // names it binds at module level
	reads []string // names it reads from the module scope
	lines int
}

func (d *definition) text() string { return d.t.text(d.node) }

// moduleScope holds a file's top-level definitions by the names they bind:
// those of the parsed statements, and those of skipped class and
// assignment statements, each parsed on its own the first time a closure
// needs a name it binds (statement selection leaves them out because
// parsing them is most of a file's cost and most closures need none).
type moduleScope struct {
	byName map[string][]*definition
	// skipped maps a name to the skipped statements that bind it
	// (lexically); parsed marks those already parsed.
	src     []byte
	skipped map[string][]chunk
	parsed  map[int]bool
	// main is the parsed text; nil once collected (or for no closure).
	main       *tree
	mainOffset func(int) int
}

// newModuleScope is the scope of the parsed tree t (a mapping its offsets
// to the file's) and the skipped statements; the definitions are collected
// when a closure first needs one.
func newModuleScope(src []byte, t *tree, a assembled) *moduleScope {
	return &moduleScope{src: src, skipped: a.skipped, main: t, mainOffset: a.origOffset}
}

// collect adds the statements directly in t's module that bind names:
// defs, classes and (augmented) assignments. Definitions inside
// module-level if/try/for blocks are conditional and are not collected, so
// names only they bind stay unresolved.
func (m *moduleScope) collect(t *tree, orig func(int) int) {
	t.children(0, func(c int32) {
		if !bindsAtModuleLevel(t, c) {
			return
		}
		v := &visitor{t: t, f: &facts{}, fn: -1}
		s := newScope(nil, false)
		v.visit(c, s)
		d := &definition{t: t, node: c, pos: orig(int(t.nodes[c].start)), names: sortedKeys(s.bound), reads: s.free(),
			lines: strings.Count(t.text(c), "\n") + 1}
		for _, n := range d.names {
			m.byName[n] = append(m.byName[n], d)
		}
	})
}

// lookup returns the definitions binding name, in source order, parsing
// the skipped statements that bind it first. A skipped statement that
// does not parse on its own binds nothing. A skipped statement longer
// than budget lines (when budget > 0) is not parsed: it is returned as a
// definition with its lines and nothing else, since the closure is over
// its bound anyway.
func (m *moduleScope) lookup(name string, budget int) []*definition {
	if m.main != nil {
		m.byName, m.parsed = map[string][]*definition{}, map[int]bool{}
		m.collect(m.main, m.mainOffset)
		m.main = nil
	}
	if m.byName == nil {
		return nil // no closure is followed
	}
	added := false
	var unparsed []*definition
	for _, c := range m.skipped[name] {
		if m.parsed[c.start] {
			continue
		}
		if lines := bytes.Count(m.src[c.start:c.end], []byte("\n")); budget > 0 && lines > budget {
			unparsed = append(unparsed, &definition{pos: c.start, names: []string{name}, lines: lines})
			continue
		}
		m.parsed[c.start] = true
		t := parse(m.src[c.start:c.end])
		if t.bad || python2Marker(t) != "" {
			continue
		}
		start := c.start
		m.collect(t, func(off int) int { return start + off })
		added = true
	}
	ds := m.byName[name]
	if added {
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].pos < ds[j].pos })
	}
	if len(unparsed) > 0 {
		return append(append([]*definition(nil), ds...), unparsed...)
	}
	return ds
}

func bindsAtModuleLevel(t *tree, n int32) bool {
	switch t.nodes[n].kind {
	case "function_definition", "class_definition", "decorated_definition":
		return true
	case "expression_statement":
		kids := t.namedChildren(n)
		if len(kids) == 0 {
			return false
		}
		k := t.nodes[kids[0]].kind
		return k == "assignment" || k == "augmented_assignment"
	}
	return false
}

// closure is what a function needs from its own file.
type closure struct {
	defs       []*definition // in source order
	names      []string      // the names those definitions bind, in source order
	imported   []string      // import-bound names the definitions use
	unresolved []string      // names neither the file nor builtins define
	lines      int
	// over is set when following stopped at the line bound: lines is then
	// only known to exceed it, and defs are not a program.
	over bool
}

// resolveClosure follows the free names of the function fn through the
// module's definitions, transitively. A name bound both by an import and
// by definitions resolves to whichever binds it last in the file, as at
// run time; a definition shadows a builtin. The function's own name is
// the function itself (recursion). own are the import-bound names the
// function itself reads.
func resolveClosure(imports *importTable, importPos func(binding) int, m *moduleScope, self *definition, name string, free []string, maxLines int) (own []string, c closure) {
	seen := map[string]bool{name: true}
	in := map[*definition]bool{}
	queue := append([]string(nil), free...)
	top := len(free) // names before this index are the function's own
	for i := 0; i < len(queue); i++ {
		n := queue[i]
		if seen[n] {
			continue
		}
		seen[n] = true
		if maxLines > 0 && c.lines > maxLines {
			// Over the bound: follow nothing more, but still find the
			// imports the function itself reads (its APIs).
			c.over = true
			if _, imported := imports.resolveLast(n); imported && i < top {
				own = append(own, n)
			}
			continue
		}
		var defs []*definition
		for _, d := range m.lookup(n, maxLines-c.lines) {
			if d.t != self.t || d.node != self.node {
				defs = append(defs, d)
			}
		}
		b, imported := imports.resolveLast(n)
		switch {
		case len(defs) > 0 && (!imported || defs[len(defs)-1].pos > importPos(b)):
			for _, d := range defs {
				if !in[d] {
					in[d] = true
					c.lines += d.lines
					queue = append(queue, d.reads...)
				}
			}
		case imported:
			if i < top {
				own = append(own, n)
			} else {
				c.imported = append(c.imported, n)
			}
		case !builtins[n]:
			c.unresolved = append(c.unresolved, n)
		}
	}
	if maxLines > 0 && c.lines > maxLines {
		c.over = true
	}
	if c.over {
		return own, c
	}
	for d := range in {
		c.defs = append(c.defs, d)
	}
	sort.Slice(c.defs, func(i, j int) bool { return c.defs[i].pos < c.defs[j].pos })
	for _, d := range c.defs {
		for _, n := range d.names {
			if !contains(c.names, n) {
				c.names = append(c.names, n)
			}
		}
	}
	return own, c
}

// program renders the import lines, then the closure's definitions in
// source order, then the function, each block separated by a blank line.
// The function comes last so that records split into a prefix and the
// body as completion; but when a closure statement that runs at load time
// (an assignment or a class, not a def) reads the function, as a dispatch
// table does, the function keeps its place in the source order.
func program(importLines []string, c closure, self *definition, name string) string {
	var b strings.Builder
	for _, l := range importLines {
		b.WriteString(strings.TrimRight(l, "\n"))
		b.WriteByte('\n')
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	defs := append(append([]*definition(nil), c.defs...), self)
	for _, d := range c.defs {
		if contains(d.reads, name) && d.t.nodes[d.node].kind != "function_definition" {
			sort.SliceStable(defs, func(i, j int) bool { return defs[i].pos < defs[j].pos })
			break
		}
	}
	for i, d := range defs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.TrimRight(d.text(), "\n"))
	}
	b.WriteByte('\n')
	return b.String()
}
