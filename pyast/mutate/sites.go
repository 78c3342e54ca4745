package mutate

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// site is one candidate change: replace src[start:end] with repl.
type site struct {
	op         Operator
	start, end int
	repl       string
	inert      bool // known not to change behaviour (inside a literal-only statement)
	invalid    bool // known not to compile
}

// selectBodies returns the body blocks of the functions that names select
// (every function and method when names is empty), in source order.
func selectBodies(t *syntaxTree, names []string) []int {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var bodies []int
	var find func(i int, prefix string)
	find = func(i int, prefix string) {
		n := &t.nodes[i]
		switch n.kind {
		case "function_definition":
			name := prefix + t.text(t.child(i, "name"))
			if body := t.child(i, "body"); body >= 0 && (len(want) == 0 || want[name]) {
				bodies = append(bodies, body)
			}
			return
		case "class_definition":
			if body := t.child(i, "body"); body >= 0 {
				find(body, prefix+t.text(t.child(i, "name"))+".")
			}
			return
		case "decorator", "lambda", "string", "comment":
			return
		}
		for _, c := range n.children {
			find(c, prefix)
		}
	}
	find(0, "")
	return bodies
}

// walker collects the candidate sites of function bodies.
type walker struct {
	t     *syntaxTree
	sites []site
	inert bool // inside a literal-only expression statement
	scope int  // innermost enclosing function_definition

	// declared[f]: names that function f itself declares global or nonlocal.
	declared map[int]map[string]bool
	// nestedNonlocal[f]: names declared nonlocal by functions nested in f.
	nestedNonlocal map[int]map[string]bool
}

func newWalker(t *syntaxTree) *walker {
	w := &walker{t: t, scope: -1, declared: map[int]map[string]bool{}, nestedNonlocal: map[int]map[string]bool{}}
	for i := range t.nodes {
		kind := t.nodes[i].kind
		if kind != "global_statement" && kind != "nonlocal_statement" {
			continue
		}
		f := t.enclosingFunction(i)
		for _, c := range t.namedChildren(i) {
			name := t.text(c)
			addName(w.declared, f, name)
			if kind == "nonlocal_statement" {
				for a := t.enclosingFunction(f); a >= 0; a = t.enclosingFunction(a) {
					addName(w.nestedNonlocal, a, name)
				}
			}
		}
	}
	return w
}

func addName(m map[int]map[string]bool, f int, name string) {
	if m[f] == nil {
		m[f] = map[string]bool{}
	}
	m[f][name] = true
}

// enclosingFunction returns the nearest function_definition strictly above
// node i, or -1.
func (t *syntaxTree) enclosingFunction(i int) int {
	if i < 0 {
		return -1
	}
	for p := t.nodes[i].parent; p >= 0; p = t.nodes[p].parent {
		if t.nodes[p].kind == "function_definition" {
			return p
		}
	}
	return -1
}

// body collects the sites of one selected function body.
func (w *walker) body(block int) {
	w.scope = w.t.nodes[block].parent
	w.visit(block)
}

// add records a site. A space is added to the replacement where it would
// otherwise run into a neighbouring name or keyword: if(x) -> if not ((x)),
// return(x) -> return None.
func (w *walker) add(op Operator, start, end int, repl string) *site {
	src := w.t.src
	if repl != "" && start > 0 && wordByte(src[start-1]) && wordByte(repl[0]) {
		repl = " " + repl
	}
	if repl != "" && end < len(src) && wordByte(src[end]) && wordByte(repl[len(repl)-1]) {
		repl += " "
	}
	w.sites = append(w.sites, site{op: op, start: start, end: end, repl: repl, inert: w.inert})
	return &w.sites[len(w.sites)-1]
}

func (w *walker) addNode(op Operator, i int, repl string) *site {
	return w.add(op, w.t.nodes[i].start, w.t.nodes[i].end, repl)
}

var (
	arithmeticSwaps = map[string][]string{
		"+": {"-"}, "-": {"+"}, "*": {"/"}, "/": {"*"}, "//": {"/"}, "%": {"*"}, "**": {"*"},
		"+=": {"-="}, "-=": {"+="}, "*=": {"/="}, "/=": {"*="}, "//=": {"/="}, "%=": {"*="}, "**=": {"*="},
	}
	comparisonSwaps = map[string][]string{
		"<": {"<=", ">"}, "<=": {"<", ">="}, ">": {">=", "<"}, ">=": {">", "<="},
		"==": {"!="}, "!=": {"=="}, "is": {"is not"}, "is not": {"is"}, "in": {"not in"}, "not in": {"in"},
	}
	booleanSwaps = map[string][]string{"and": {"or"}, "or": {"and"}}
)

// visit collects the sites of node i and its descendants.
func (w *walker) visit(i int) {
	t := w.t
	n := &t.nodes[i]
	switch n.kind {
	case "comment", "decorator", "parameters", "lambda_parameters", "type", "type_parameter":
		return // never mutated
	case "function_definition":
		saved := w.scope
		w.scope = i
		if body := t.child(i, "body"); body >= 0 {
			w.visit(body)
		}
		w.scope = saved
		return
	case "class_definition":
		if body := t.child(i, "body"); body >= 0 {
			w.visit(body)
		}
		return
	case "decorated_definition":
		if def := t.child(i, "definition"); def >= 0 {
			w.visit(def)
		}
		return
	case "lambda":
		if body := t.child(i, "body"); body >= 0 {
			w.visit(body)
		}
		return
	case "string":
		w.stringSite(i)
		return // f-string internals are never mutated
	case "expression_statement":
		s := w.addNode(RemoveStmt, i, "pass")
		if t.literalStatement(i) {
			s.inert = true
			saved := w.inert
			w.inert = true
			defer func() { w.inert = saved }()
		} else if w.removesNonlocalBinding(i) {
			s.invalid = true
		}
	case "pass_statement":
		w.addNode(RemoveStmt, i, "pass").inert = true
		return
	case "binary_operator", "augmented_assignment":
		if op := t.child(i, "operator"); op >= 0 {
			for _, r := range arithmeticSwaps[t.text(op)] {
				w.addNode(Arithmetic, op, r)
			}
		}
	case "comparison_operator":
		for _, c := range n.children {
			if t.nodes[c].field == "operators" {
				// "is not" and "not in" may hold more than one space.
				for _, r := range comparisonSwaps[strings.Join(strings.Fields(t.text(c)), " ")] {
					w.addNode(Comparison, c, r)
				}
			}
		}
	case "boolean_operator":
		if op := t.child(i, "operator"); op >= 0 {
			for _, r := range booleanSwaps[t.text(op)] {
				w.addNode(Boolean, op, r)
			}
		}
	case "true":
		w.addNode(Boolean, i, "False")
	case "false":
		w.addNode(Boolean, i, "True")
	case "integer":
		for _, r := range integerReplacements(t.text(i)) {
			w.addNode(Constant, i, r)
		}
	case "float":
		for _, r := range floatReplacements(t.text(i)) {
			w.addNode(Constant, i, r)
		}
	case "if_statement", "elif_clause", "while_statement":
		if c := t.child(i, "condition"); c >= 0 {
			w.addNode(NegateCond, c, "not ("+t.text(c)+")")
		}
	case "return_statement":
		if vals := t.namedChildren(i); len(vals) > 0 {
			w.add(ReturnNone, t.nodes[vals[0]].start, t.nodes[vals[len(vals)-1]].end, "None")
		}
	case "break_statement":
		w.addNode(BreakContinue, i, "continue")
	case "continue_statement":
		w.addNode(BreakContinue, i, "break")
	case "call":
		if args := t.child(i, "arguments"); args >= 0 && t.nodes[args].kind == "argument_list" {
			w.swapSites(args)
		}
	}
	for _, c := range n.children {
		w.visit(c)
	}
}

// wordByte reports whether b can be part of a Python name, keyword or
// number (any byte of a non-ASCII character counts).
func wordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// literalStatement reports whether expression statement i is a lone
// literal (a docstring, `...`, a bare number): changing it changes nothing.
func (t *syntaxTree) literalStatement(i int) bool {
	kids := t.namedChildren(i)
	if len(kids) != 1 {
		return false
	}
	switch t.nodes[kids[0]].kind {
	case "string", "concatenated_string", "integer", "float", "true", "false", "none", "ellipsis":
		return true
	}
	return false
}

// removesNonlocalBinding reports whether removing statement i could leave a
// nested function's nonlocal declaration with no binding to refer to, which
// Python rejects at compile time. It is conservative: any name the
// statement binds that a nested function declares nonlocal counts.
func (w *walker) removesNonlocalBinding(i int) bool {
	nested := w.nestedNonlocal[w.scope]
	if len(nested) == 0 {
		return false
	}
	for _, name := range w.t.boundNames(i) {
		if nested[name] && !w.declared[w.scope][name] {
			return true
		}
	}
	return false
}

// boundNames lists the plain names that statement i assigns: assignment
// and augmented-assignment targets and walrus names.
func (t *syntaxTree) boundNames(i int) []string {
	var names []string
	var targets func(j int)
	targets = func(j int) {
		switch t.nodes[j].kind {
		case "identifier":
			names = append(names, t.text(j))
		case "pattern_list", "tuple_pattern", "list_pattern", "list_splat_pattern",
			"tuple", "list", "expression_list", "parenthesized_expression", "list_splat":
			for _, c := range t.namedChildren(j) {
				targets(c)
			}
		}
	}
	var walk func(j int)
	walk = func(j int) {
		switch t.nodes[j].kind {
		case "assignment", "augmented_assignment":
			if l := t.child(j, "left"); l >= 0 {
				targets(l)
			}
		case "named_expression":
			if l := t.child(j, "name"); l >= 0 {
				targets(l)
			}
		}
		for _, c := range t.nodes[j].children {
			walk(c)
		}
	}
	walk(i)
	return names
}

// stringSite adds the Constant change of string literal i: non-empty to
// empty, empty to "X", keeping the prefix (b, r, u, f) and the quote
// character. Strings with interpolations are left alone.
func (w *walker) stringSite(i int) {
	t := w.t
	opening, closing := -1, -1
	for _, c := range t.nodes[i].children {
		switch t.nodes[c].kind {
		case "interpolation":
			return
		case "string_start":
			opening = c
		case "string_end":
			closing = c
		}
	}
	if opening < 0 || closing < 0 {
		return
	}
	delim := t.text(opening)
	prefix := strings.TrimRight(delim, `"'`)
	quote := delim[len(delim)-1:]
	if t.nodes[opening].end == t.nodes[closing].start {
		w.addNode(Constant, i, prefix+quote+"X"+quote)
	} else {
		w.addNode(Constant, i, prefix+quote+quote)
	}
}

// swapSites adds a SwapArgs change for every two adjacent positional
// arguments of argument list args.
func (w *walker) swapSites(args int) {
	t := w.t
	kids := t.namedChildren(args)
	positional := func(j int) bool {
		switch t.nodes[j].kind {
		case "keyword_argument", "list_splat", "dictionary_splat", "parenthesized_list_splat":
			return false
		}
		return true
	}
	for k := 0; k+1 < len(kids); k++ {
		a, b := kids[k], kids[k+1]
		if !positional(a) || !positional(b) {
			continue
		}
		between := t.src[t.nodes[a].end:t.nodes[b].start]
		w.add(SwapArgs, t.nodes[a].start, t.nodes[b].end, t.text(b)+between+t.text(a))
	}
}

// integerReplacements returns the Constant changes of an integer literal:
// 0 -> 1, 1 -> 0 and 2, n -> n+1 and n-1. Literals it cannot read
// (imaginary 1j, Python 2 longs) get none.
func integerReplacements(text string) []string {
	v, ok := new(big.Int).SetString(text, 0)
	if !ok || v.Sign() < 0 {
		return nil
	}
	one := big.NewInt(1)
	switch {
	case v.Sign() == 0:
		return []string{"1"}
	case v.Cmp(one) == 0:
		return []string{"0", "2"}
	}
	return []string{new(big.Int).Add(v, one).String(), new(big.Int).Sub(v, one).String()}
}

// floatReplacements returns the Constant changes of a float literal: 0.0 ->
// 1.0, 1.0 -> 0.0 and 2.0, x -> x+1 and x-1 (negative results in
// parentheses). Imaginary literals get none.
func floatReplacements(text string) []string {
	if strings.HasSuffix(text, "j") || strings.HasSuffix(text, "J") {
		return nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	var vals []float64
	switch v {
	case 0:
		vals = []float64{1}
	case 1:
		vals = []float64{0, 2}
	default:
		vals = []float64{v + 1, v - 1}
	}
	var out []string
	for _, x := range vals {
		if x == v {
			out = append(out, text) // too large to change by 1: a no-op, dropped as equivalent
			continue
		}
		out = append(out, formatFloat(x))
	}
	return out
}

func formatFloat(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	if x < 0 {
		s = "(" + s + ")"
	}
	return s
}
