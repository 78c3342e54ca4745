// Package mutate generates mutants of Python functions for mutation
// testing: each Mutant is the source with one small change (an operator
// swapped, a constant nudged, a condition negated, a statement removed, …)
// that a good test suite should notice.
//
// In: a Python source file and Options naming the functions to mutate
// (top-level defs, or methods as "Class.method"), the lines the tests
// executed, and a cap. Out: the mutants and Stats saying what was found and
// why candidates were dropped. Generate works on the tree-sitter tree of the
// source; every mutant replaces one node's byte range (or one operator
// token) with new text, so the rest of the file, its indentation included,
// stays byte for byte as it was. A replacement that would run into a
// neighbouring keyword gets a space: if(x) becomes if not ((x)).
//
// Scope: only the bodies of the selected functions are mutated, their
// nested blocks, defs, classes and lambdas included. Never mutated:
// module-level code, decorators, parameter lists (default values and
// annotations), return and variable annotations, docstrings and other
// literal-only expression statements, and f-strings that hold
// interpolations.
//
// Operators (see the Operator constants for the exact rewrites):
// arithmetic, comparison, boolean, constant, negate_condition, return_none,
// remove_statement, break_continue and swap_args.
//
// Filtering, in this order, each dropped candidate counted once in Stats:
//   - Uncovered: its line is not in Options.Covered (when Covered is set);
//   - Equivalent, cheap cases: the replacement equals the original text, or
//     the change is inside a literal-only expression statement (a
//     docstring, `...`, a bare constant) or removes a `pass`;
//   - Invalid: tree-sitter finds an ERROR or MISSING node in the mutated
//     source, or the change would not compile for a reason spotted
//     statically: removing a statement that binds a name a nested
//     function declares nonlocal (Python rejects the nonlocal when no
//     binding is left; conservatively dropped even when another binding
//     remains);
//   - Equivalent: the mutated source has the same tokens as the original
//     (comments and white space aside), or the same text as an earlier
//     mutant.
//
// Selection under Options.Max: the slots are dealt round-robin over the
// operators in Operators() order, one per operator per round, skipping
// operators whose valid mutants are used up; an operator that gets q slots
// out of n mutants takes the ones at indices floor((2i+1)·n/(2q)) of its
// mutants in source order, i = 0..q-1, an even stride over the whole
// function. The result is sorted by byte position of the change, then
// operator (Operators() order), then generation order. The same source and
// Options always give the same mutants in the same order.
//
// Generate is safe for concurrent use. It reparses the whole source once
// per candidate that survives the cheap filters, Max or not, so Stats are
// exact: a few milliseconds per small function.
//
// Python semantics assumed: Python 3.8 or later (`continue` is allowed in a
// `finally` block).
package mutate
