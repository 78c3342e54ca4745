package mutate

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// node is one syntax node copied out of the tree-sitter tree, so that the
// analysis walks plain Go data and the C tree can be freed at once.
type node struct {
	kind       string // grammar node kind, e.g. "call"
	field      string // field name in the parent, e.g. "function"; "" if none
	start, end int    // byte range in the source
	parent     int    // index of the parent; -1 for the module
	children   []int
	named      bool
	bad        bool // an ERROR or MISSING node
}

// syntaxTree is a parsed source: nodes[0] is the module, and every node
// comes before its children (pre-order).
type syntaxTree struct {
	src        string
	nodes      []node
	lineStarts []int    // byte offset where each line begins
	tokens     []string // token texts, comments left out (see tokenTexts)
}

var python = ts.NewLanguage(tspython.Language())

// parsers holds tree-sitter parsers; a parser is not safe for concurrent
// use, so each Generate call borrows one. A parser's memory is C's, and
// the pool drops parsers at garbage collections: the finalizer frees it.
var parsers = sync.Pool{New: func() any {
	p := ts.NewParser()
	if err := p.SetLanguage(python); err != nil {
		panic("mutate: tree-sitter-python: " + err.Error())
	}
	runtime.SetFinalizer(p, (*ts.Parser).Close)
	return p
}}

// parseSource parses src and copies its tree. It fails when the parse holds
// an ERROR or MISSING node, naming the line of the first one.
func parseSource(p *ts.Parser, src string) (*syntaxTree, error) {
	tt := p.Parse([]byte(src), nil)
	if tt == nil {
		return nil, fmt.Errorf("mutate: tree-sitter returned no tree")
	}
	defer tt.Close()
	t := &syntaxTree{src: src, lineStarts: lineStarts(src)}
	c := tt.Walk()
	defer c.Close()
	parent := -1
	for {
		n := c.Node()
		i := len(t.nodes)
		t.nodes = append(t.nodes, node{
			kind: n.Kind(), field: c.FieldName(),
			start: int(n.StartByte()), end: int(n.EndByte()),
			parent: parent, named: n.IsNamed(),
			bad: n.IsError() || n.IsMissing(),
		})
		if parent >= 0 {
			t.nodes[parent].children = append(t.nodes[parent].children, i)
		}
		if c.GotoFirstChild() {
			parent = i
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				goto done
			}
			parent = t.nodes[parent].parent
		}
	}
done:
	for i := range t.nodes {
		if t.nodes[i].bad {
			return nil, fmt.Errorf("mutate: source does not parse: syntax error at line %d", t.line(t.nodes[i].start))
		}
	}
	t.tokens = tokenTexts(src, tt)
	return t, nil
}

// reparse parses a mutated source. It reports whether the parse is clean
// (no ERROR or MISSING node) and, when it is, the source's token texts.
func reparse(p *ts.Parser, src string, wantTokens bool) (ok bool, tokens []string) {
	tt := p.Parse([]byte(src), nil)
	if tt == nil {
		return false, nil
	}
	defer tt.Close()
	if tt.RootNode().HasError() {
		return false, nil
	}
	if wantTokens {
		tokens = tokenTexts(src, tt)
	}
	return true, tokens
}

// tokenTexts lists the texts of a tree's tokens in source order, comments
// left out: the leaves, except that a string literal counts as one token
// (its content is not fully covered by leaves when it has escapes).
func tokenTexts(src string, tt *ts.Tree) []string {
	var out []string
	c := tt.Walk()
	defer c.Close()
	for {
		n := c.Node()
		kind := n.Kind()
		descend := false
		switch {
		case kind == "comment":
		case kind == "string" || n.ChildCount() == 0:
			if s, e := n.StartByte(), n.EndByte(); e > s {
				out = append(out, src[s:e])
			}
		default:
			descend = true
		}
		if descend && c.GotoFirstChild() {
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				return out
			}
		}
	}
}

func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line returns the 1-based line of a byte offset.
func (t *syntaxTree) line(offset int) int {
	return sort.Search(len(t.lineStarts), func(i int) bool { return t.lineStarts[i] > offset })
}

// text returns the source text of node i.
func (t *syntaxTree) text(i int) string {
	return t.src[t.nodes[i].start:t.nodes[i].end]
}

// child returns the first child of node i with the given field, or -1.
func (t *syntaxTree) child(i int, field string) int {
	for _, c := range t.nodes[i].children {
		if t.nodes[c].field == field {
			return c
		}
	}
	return -1
}

// namedChildren returns the named children of node i, comments left out.
func (t *syntaxTree) namedChildren(i int) []int {
	var out []int
	for _, c := range t.nodes[i].children {
		if t.nodes[c].named && t.nodes[c].kind != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// stripSpace drops ASCII white space from s.
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			return -1
		}
		return r
	}, s)
}
