package extract

import (
	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// node is one syntax node copied out of the C tree (see cparse.go).
// Analysis walks this slice in pure Go because every call into tree-sitter
// crosses cgo, and a file is analysed several times (imports, scopes,
// calls, Python 2 checks). go-tree-sitter is used for the grammar's
// node-kind and field-name tables; importing it and tree-sitter-python also
// links in the C library and grammar that cparse.go calls directly.
type node struct {
	kind        string // grammar node kind, e.g. "call"
	field       string // field name in the parent, e.g. "function"; "" if none
	start, end  uint32 // byte range in the source
	parent      int32
	first, next int32 // first child and next sibling, -1 when absent
	named       bool
	bad         bool // an ERROR or MISSING node
}

// tree is a parsed source file.
type tree struct {
	src   []byte
	nodes []node // nodes[0] is the module
	bad   bool   // the parse contains ERROR or MISSING nodes
}

var (
	lang       = ts.NewLanguage(tspython.Language())
	kindNames  = kindTable(lang)
	fieldNames = fieldTable(lang)
)

func kindTable(l *ts.Language) []string {
	n := l.NodeKindCount()
	t := make([]string, n)
	for i := uint32(0); i < n; i++ {
		t[i] = l.NodeKindForId(uint16(i))
	}
	return t
}

func fieldTable(l *ts.Language) []string {
	n := l.FieldCount()
	t := make([]string, n+1)
	for i := uint32(1); i <= n; i++ {
		t[i] = l.FieldNameForId(uint16(i))
	}
	return t
}

func kindName(id uint16) string {
	if int(id) < len(kindNames) {
		return kindNames[id]
	}
	return "ERROR"
}

func fieldName(id uint16) string {
	if int(id) < len(fieldNames) {
		return fieldNames[id]
	}
	return ""
}

// text returns the source text of node i.
func (t *tree) text(i int32) string {
	n := &t.nodes[i]
	return string(t.src[n.start:n.end])
}

// children calls fn for each child of node i.
func (t *tree) children(i int32, fn func(c int32)) {
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		fn(c)
	}
}

// child returns the first child of node i with the given field name, or -1.
func (t *tree) child(i int32, field string) int32 {
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		if t.nodes[c].field == field {
			return c
		}
	}
	return -1
}

// namedChildren returns the named children of node i.
func (t *tree) namedChildren(i int32) []int32 {
	var out []int32
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		if t.nodes[c].named && t.nodes[c].kind != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// walk visits node i and its descendants in source order; fn returns false
// to skip a node's children.
func (t *tree) walk(i int32, fn func(n int32) bool) {
	if !fn(i) {
		return
	}
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		t.walk(c, fn)
	}
}
