package testgen

import (
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

// testClass is a top-level class deriving from a TestCase.
type testClass struct {
	name string
	body *ts.Node
}

// testClasses calls fn for each top-level class of src that derives from a
// TestCase (by the spelling of its bases).
func testClasses(src []byte, fn func(testClass)) {
	p := parsers.Get().(*ts.Parser)
	defer parsers.Put(p)
	tree := p.Parse(src, nil)
	defer tree.Close()
	root := tree.RootNode()
	for i := uint(0); i < root.NamedChildCount(); i++ {
		cls := unwrapDecorated(root.NamedChild(i))
		if cls == nil || cls.Kind() != "class_definition" {
			continue
		}
		bases := cls.ChildByFieldName("superclasses")
		if bases == nil || !strings.Contains(bases.Utf8Text(src), "TestCase") {
			continue
		}
		fn(testClass{name: cls.ChildByFieldName("name").Utf8Text(src), body: cls.ChildByFieldName("body")})
	}
}

// unwrapDecorated is the definition a decorated statement wraps, or n.
func unwrapDecorated(n *ts.Node) *ts.Node {
	if n != nil && n.Kind() == "decorated_definition" {
		return n.ChildByFieldName("definition")
	}
	return n
}

// method is the name of the method stmt defines, or "".
func method(stmt *ts.Node, src []byte) string {
	m := unwrapDecorated(stmt)
	if m == nil || m.Kind() != "function_definition" {
		return ""
	}
	return m.ChildByFieldName("name").Utf8Text(src)
}

// TestMethods lists "Class.method" for every test method of every
// top-level class deriving from a TestCase.
func TestMethods(tests string) []string {
	src := []byte(tests)
	var out []string
	testClasses(src, func(c testClass) {
		for j := uint(0); c.body != nil && j < c.body.NamedChildCount(); j++ {
			if mn := method(c.body.NamedChild(j), src); strings.HasPrefix(mn, "test") {
				out = append(out, c.name+"."+mn)
			}
		}
	})
	return out
}

// RemoveTests deletes the named test methods ("Class.method", as
// TestMethods spells them) from tests, decorators included, and returns
// the pruned source. A class left without a statement gets `pass`.
// Names that are not there are ignored.
func RemoveTests(tests string, names []string) string {
	drop := map[string]bool{}
	for _, n := range names {
		drop[n] = true
	}
	src := []byte(tests)
	type cut struct {
		start, end uint
		pass       string // replacement: "" or an indented pass
	}
	var cuts []cut
	testClasses(src, func(c testClass) {
		if c.body == nil {
			return
		}
		kept := 0
		var classCuts []cut
		for j := uint(0); j < c.body.NamedChildCount(); j++ {
			stmt := c.body.NamedChild(j)
			if mn := method(stmt, src); mn != "" && drop[c.name+"."+mn] {
				// From the start of the statement's line to the end of its last line.
				start := stmt.StartByte() - uint(stmt.StartPosition().Column)
				end := stmt.EndByte()
				for end < uint(len(src)) && src[end] != '\n' {
					end++
				}
				if end < uint(len(src)) {
					end++
				}
				classCuts = append(classCuts, cut{start: start, end: end})
				continue
			}
			if stmt.Kind() != "comment" {
				kept++
			}
		}
		if kept == 0 && len(classCuts) > 0 {
			first := c.body.NamedChild(0)
			classCuts[0].pass = strings.Repeat(" ", int(first.StartPosition().Column)) + "pass\n"
		}
		cuts = append(cuts, classCuts...)
	})
	var b strings.Builder
	last := uint(0)
	for _, c := range cuts {
		b.Write(src[last:c.start])
		b.WriteString(c.pass)
		last = c.end
	}
	b.Write(src[last:])
	return b.String()
}
