// Package pytoktest makes the kind of disguised copies that dedup and
// decontamination must catch: code with its own variables renamed and its
// indentation changed. Tests of both transforms use it so they agree on
// what "renamed and reformatted" means.
package pytoktest

import (
	"strings"

	"github.com/unitcoder/unitcoder/pyast/pytok"
)

// BoundNames returns the names code binds itself: function names,
// parameters, assignment targets, loop targets and "as" targets. These are
// what a person renames when copying code; attributes, keyword arguments,
// builtins and imported names are not among them.
func BoundNames(code string) map[string]bool {
	toks := pytok.Tokenize(code)
	bound := map[string]bool{}
	depth, inDef, inFor := 0, false, false
	for i, tk := range toks {
		prev, next := pytok.Token{}, pytok.Token{}
		if i > 0 {
			prev = toks[i-1]
		}
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		if tk.Kind == pytok.Op {
			depth = bracketDepth(tk.Text, depth)
			inDef = inDef && !(tk.Text == ":" && depth == 0)
			continue
		}
		if tk.Kind != pytok.Name || pytok.IsReserved(tk.Text) || prev.Text == "." {
			inDef = inDef || tk.Text == "def"
			inFor = (inFor || tk.Text == "for") && tk.Text != "in"
			continue
		}
		if prev.Text == "def" || prev.Text == "as" || inFor ||
			(inDef && depth == 1 && strings.Contains(",)=:", next.Text)) ||
			(depth == 0 && strings.HasSuffix(next.Text, "=") && next.Text != "==") {
			bound[tk.Text] = true
		}
	}
	return bound
}

func bracketDepth(op string, depth int) int {
	return max(depth+strings.Count("([{", op)-strings.Count(")]}", op), 0)
}

// RenameBound appends suffix to every use of every bound name, except where
// the name is a keyword argument of a call or an attribute.
func RenameBound(code, suffix string) string {
	bound := BoundNames(code)
	toks := pytok.Tokenize(code)
	var sb strings.Builder
	last, depth, inDef := 0, 0, false
	for i, tk := range toks {
		if tk.Kind == pytok.Op {
			depth = bracketDepth(tk.Text, depth)
			inDef = inDef && !(tk.Text == ":" && depth == 0)
			continue
		}
		inDef = inDef || tk.Text == "def"
		isKwarg := depth > 0 && !inDef && i+1 < len(toks) && toks[i+1].Text == "="
		if tk.Kind != pytok.Name || !bound[tk.Text] || isKwarg || (i > 0 && toks[i-1].Text == ".") {
			continue
		}
		sb.WriteString(code[last:tk.Pos])
		sb.WriteString(tk.Text + suffix)
		last = tk.Pos + len(tk.Text)
	}
	sb.WriteString(code[last:])
	return sb.String()
}

// Reindent replaces each leading run of four spaces by width spaces, line
// by line, which keeps Python's block structure.
func Reindent(code string, width int) string {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		n := 0
		for strings.HasPrefix(l[n*4:], "    ") {
			n++
		}
		lines[i] = strings.Repeat(" ", n*width) + l[n*4:]
	}
	return strings.Join(lines, "\n")
}
