package extract

import "strings"

// python2Marker returns a description of the first Python 2-only construct
// in the tree, or "". tree-sitter-python still parses print and exec
// statements, `<>` and `except X, e`, so those show up as nodes; backticks
// (repr) parse as strings delimited by a backtick.
func python2Marker(t *tree) string {
	for i := range t.nodes {
		n := &t.nodes[i]
		switch n.kind {
		case "print_statement":
			return "print statement"
		case "exec_statement":
			return "exec statement"
		case "<>":
			return "<> operator"
		case ",":
			if n.parent >= 0 && t.nodes[n.parent].kind == "except_clause" {
				return "except X, e"
			}
		case "string_start":
			if strings.HasSuffix(t.text(int32(i)), "`") {
				return "backtick repr"
			}
		case "ERROR":
			if strings.ContainsRune(t.text(int32(i)), '`') {
				return "backtick repr"
			}
		}
	}
	return ""
}

// firstError returns the source line (1-based) and kind of the first
// ERROR or MISSING node, for a reject's detail.
func firstError(t *tree, a assembled, src []byte) (line int, what string) {
	for i := range t.nodes {
		n := &t.nodes[i]
		if n.bad {
			what = "syntax error"
			if n.kind != "ERROR" {
				what = "missing " + n.kind
			}
			off := min(a.origOffset(int(n.start)), len(src))
			return 1 + strings.Count(string(src[:off]), "\n"), what
		}
	}
	return 0, ""
}
