package mutate

import (
	"fmt"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

// StubBody is the statement a stub's function bodies become.
const StubBody = `raise NotImplementedError("unitcoder: vacuity stub")`

// Stub returns src with the body of each function Generate would mutate
// for the same names (top-level names or "Class.method"; empty selects
// every function and method) replaced by StubBody, for the vacuity check:
// a suite that passes against it does not test the function. It is an
// error when src does not parse or no function is selected.
func Stub(src string, functions []string) (string, error) {
	p := parsers.Get().(*ts.Parser)
	defer parsers.Put(p)
	t, err := parseSource(p, src)
	if err != nil {
		return "", err
	}
	bodies := selectBodies(t, functions)
	if len(bodies) == 0 {
		return "", fmt.Errorf("stub: no function %s in the source", strings.Join(functions, ", "))
	}
	var out strings.Builder
	last := 0
	for _, b := range bodies {
		out.WriteString(src[last:t.nodes[b].start])
		out.WriteString(StubBody)
		last = t.nodes[b].end
	}
	out.WriteString(src[last:])
	return out.String(), nil
}
