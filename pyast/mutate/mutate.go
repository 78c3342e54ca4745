package mutate

import (
	"sort"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

// Operator names one kind of mutation.
type Operator string

// The mutation operators.
const (
	// Arithmetic swaps a binary arithmetic operator: + <-> -, * <-> /,
	// // -> /, % -> *, ** -> *; augmented assignments likewise (+= <-> -=,
	// *= <-> /=, //= -> /=, %= -> *=, **= -> *=).
	Arithmetic Operator = "arithmetic"
	// Comparison swaps a comparison operator: < -> <= and >, <= -> < and >=,
	// > -> >= and <, >= -> > and <=, == <-> !=, is <-> is not, in <-> not in.
	Comparison Operator = "comparison"
	// Boolean swaps and <-> or, True <-> False.
	Boolean Operator = "boolean"
	// Constant changes a literal: integer 0 -> 1, 1 -> 0 and 2, n -> n+1 and
	// n-1; floats likewise; a non-empty string -> "" and "" -> "X" (prefix
	// and quote kept, e.g. b'abc' -> b'').
	Constant Operator = "constant"
	// NegateCond rewrites an if, elif or while condition c as not (c).
	NegateCond Operator = "negate_condition"
	// ReturnNone rewrites return expr as return None.
	ReturnNone Operator = "return_none"
	// RemoveStmt replaces an expression statement (assignment, augmented
	// assignment, call, …) with pass.
	RemoveStmt Operator = "remove_statement"
	// BreakContinue swaps break <-> continue.
	BreakContinue Operator = "break_continue"
	// SwapArgs swaps two adjacent positional arguments of a call.
	SwapArgs Operator = "swap_args"
)

var operators = []Operator{Arithmetic, Comparison, Boolean, Constant, NegateCond, ReturnNone, RemoveStmt, BreakContinue, SwapArgs}

// Operators returns all operators in a fixed order, the order that
// selection under Options.Max deals slots in and that breaks ties when
// mutants are sorted.
func Operators() []Operator {
	return append([]Operator(nil), operators...)
}

func operatorRank(op Operator) int {
	for i, o := range operators {
		if o == op {
			return i
		}
	}
	return len(operators)
}

// Mutant is one single-point change of the source.
type Mutant struct {
	Operator    Operator `json:"operator"`
	Line        int      `json:"line"`        // 1-based line of the change in the original source
	Original    string   `json:"original"`    // replaced text
	Replacement string   `json:"replacement"` // new text
	Code        string   `json:"-"`           // the whole mutated source
	// Offset is the byte offset of the replaced text in the original
	// source: Code == src[:Offset] + Replacement + src[Offset+len(Original):].
	Offset int `json:"offset"`
}

// Options selects what to mutate.
type Options struct {
	// Functions names the functions whose bodies are mutated: top-level
	// defs by name, methods as "Class.method" (nested classes as
	// "Outer.Inner.method"). Empty means every function and method body in
	// the source. Defs inside module-level if/try/with blocks count as
	// top-level; defs nested in functions are mutated as part of the
	// enclosing body and cannot be named on their own.
	Functions []string
	// Covered holds the 1-based lines the tests executed; only changes that
	// start on a covered line are kept. Nil means every line is covered.
	Covered map[int]bool
	// Max caps the number of mutants returned; <= 0 means no cap.
	Max int
}

// Stats counts what Generate considered and why it dropped candidates.
// Candidates == Uncovered + Invalid + Equivalent + Capped + Selected.
type Stats struct {
	Candidates int              // single-point changes found in the selected bodies (before any filtering)
	Uncovered  int              // dropped: line not covered
	Invalid    int              // dropped: mutated source does not parse, or would not compile
	Equivalent int              // dropped: cheaply spotted as equivalent or duplicate
	Capped     int              // dropped: valid, but over Options.Max
	Selected   int              // returned
	ByOperator map[Operator]int // returned, per operator
}

// Generate returns the mutants of the selected function bodies of src,
// filtered and capped as the package documentation describes. The error is
// non-nil only when src does not parse.
func Generate(src string, opts Options) ([]Mutant, Stats, error) {
	stats := Stats{ByOperator: map[Operator]int{}}
	p := parsers.Get().(*ts.Parser)
	defer parsers.Put(p)
	t, err := parseSource(p, src)
	if err != nil {
		return nil, stats, err
	}
	sites := collectSites(t, opts.Functions)
	stats.Candidates = len(sites)
	valid := filterSites(p, t, sites, opts.Covered, &stats)
	out := selectMutants(valid, opts.Max)
	stats.Capped = len(valid) - len(out)
	stats.Selected = len(out)
	for _, m := range out {
		stats.ByOperator[m.Operator]++
	}
	return out, stats, nil
}

// collectSites returns the candidate sites of the selected function
// bodies, sorted by byte position, then operator, then generation order.
func collectSites(t *syntaxTree, functions []string) []site {
	w := newWalker(t)
	for _, body := range selectBodies(t, functions) {
		w.body(body)
	}
	sites := w.sites
	sort.SliceStable(sites, func(a, b int) bool {
		if sites[a].start != sites[b].start {
			return sites[a].start < sites[b].start
		}
		return operatorRank(sites[a].op) < operatorRank(sites[b].op)
	})
	return sites
}

// filterSites turns sites into mutants, dropping (and counting in stats)
// the uncovered, equivalent, duplicate and invalid ones; the order of
// sites is kept.
func filterSites(p *ts.Parser, t *syntaxTree, sites []site, covered map[int]bool, stats *Stats) []Mutant {
	src := t.src
	seen := map[string]bool{}
	var valid []Mutant
	for _, s := range sites {
		line := t.line(s.start)
		if covered != nil && !covered[line] {
			stats.Uncovered++
			continue
		}
		orig := src[s.start:s.end]
		if s.inert || s.repl == orig {
			stats.Equivalent++
			continue
		}
		if s.invalid {
			stats.Invalid++
			continue
		}
		code := src[:s.start] + s.repl + src[s.end:]
		// Token sequences can only match if the texts match once white
		// space is gone, unless comments or line continuations are involved.
		maybeSame := stripSpace(orig) == stripSpace(s.repl) ||
			strings.ContainsAny(orig+s.repl, "#\\")
		ok, tokens := reparse(p, code, maybeSame)
		if !ok {
			stats.Invalid++
			continue
		}
		if maybeSame && equalStrings(tokens, t.tokens) {
			stats.Equivalent++
			continue
		}
		if seen[code] {
			stats.Equivalent++
			continue
		}
		seen[code] = true
		valid = append(valid, Mutant{Operator: s.op, Line: line, Original: orig,
			Replacement: s.repl, Code: code, Offset: s.start})
	}
	return valid
}

// selectMutants applies the Max rule of the package documentation to
// mutants sorted by position, returning them in that same order.
func selectMutants(valid []Mutant, max int) []Mutant {
	if max <= 0 || len(valid) <= max {
		return valid
	}
	byOp := make([][]int, len(operators)) // indices into valid, source order
	for i, m := range valid {
		r := operatorRank(m.Operator)
		byOp[r] = append(byOp[r], i)
	}
	quota := make([]int, len(operators))
	for left := max; left > 0; {
		for r := range operators {
			if left > 0 && quota[r] < len(byOp[r]) {
				quota[r]++
				left--
			}
		}
	}
	var picked []int
	for r, idx := range byOp {
		n, q := len(idx), quota[r]
		for i := 0; i < q; i++ {
			picked = append(picked, idx[(2*i+1)*n/(2*q)])
		}
	}
	sort.Ints(picked) // valid is already in (position, operator, generation) order
	out := make([]Mutant, len(picked))
	for i, j := range picked {
		out[i] = valid[j]
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
