package mutate

import (
	"fmt"
	"slices"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// StubBody is the statement a stub's function bodies become.
const StubBody = `raise NotImplementedError("unitcoder: vacuity stub")`

// Stub returns src with the body of each selected function (top-level
// names or "Class.method"; empty selects every top-level function and
// method) replaced by StubBody, for the vacuity check: a suite that
// passes against it does not test the function. It is an error when src
// does not parse or no function is selected.
func Stub(src string, functions []string) (string, error) {
	p := ts.NewParser()
	defer p.Close()
	if err := p.SetLanguage(ts.NewLanguage(tspython.Language())); err != nil {
		return "", err
	}
	b := []byte(src)
	tree := p.Parse(b, nil)
	defer tree.Close()
	root := tree.RootNode()
	if root.HasError() {
		return "", fmt.Errorf("stub: the source does not parse")
	}
	selected := func(name string) bool { return len(functions) == 0 || slices.Contains(functions, name) }
	var bodies []*ts.Node
	definition := func(n *ts.Node) *ts.Node {
		if n.Kind() == "decorated_definition" {
			return n.ChildByFieldName("definition")
		}
		return n
	}
	for i := uint(0); i < root.NamedChildCount(); i++ {
		n := definition(root.NamedChild(i))
		if n == nil {
			continue
		}
		name := n.ChildByFieldName("name")
		switch n.Kind() {
		case "function_definition":
			if selected(name.Utf8Text(b)) {
				bodies = append(bodies, n.ChildByFieldName("body"))
			}
		case "class_definition":
			body := n.ChildByFieldName("body")
			for j := uint(0); body != nil && j < body.NamedChildCount(); j++ {
				m := definition(body.NamedChild(j))
				if m != nil && m.Kind() == "function_definition" &&
					selected(name.Utf8Text(b)+"."+m.ChildByFieldName("name").Utf8Text(b)) {
					bodies = append(bodies, m.ChildByFieldName("body"))
				}
			}
		}
	}
	if len(bodies) == 0 {
		return "", fmt.Errorf("stub: no function %s in the source", strings.Join(functions, ", "))
	}
	var out strings.Builder
	last := uint(0)
	for _, body := range bodies {
		out.Write(b[last:body.StartByte()])
		out.WriteString(StubBody)
		last = body.EndByte()
	}
	out.Write(b[last:])
	return out.String(), nil
}
