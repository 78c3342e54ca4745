// Package extract parses Python files with tree-sitter and returns their
// top-level functions, each with what later stages need to know about it.
//
// In: a sample.FileDoc (its Imports lines, if any, are parsed as if they
// headed Content). Out: for every module-level def or async def
// (decorators included) a sample.Function with
//   - Code: the function's source;
//   - Imports: the minimal module-level import lines its program uses,
//     rewritten to the names it uses (`import os, sys` -> `import sys`);
//   - Program, Closure: Imports, then its dependency closure (the
//     top-level defs, classes and assignments of the file it reads,
//     transitively, in source order; Closure names them), then Code. A
//     name bound both by an import and by a definition resolves to the
//     later binding, a definition shadows a builtin, and definitions in
//     module-level if/try blocks are conditional and never added;
//   - APIs: its calls into imported names, aliases resolved
//     (np.mean -> numpy.mean, path.join -> os.path.join, sqrt -> math.sqrt);
//   - Libs: the top-level modules of its used imports and APIs;
//   - FreeNames and Shape (parameters, return, nested definitions,
//     self-containedness against a Python 3.11 builtins list, path-like
//     string literals, line count, closure lines) for package filter;
//     self-containedness is judged on the program.
//
// IDs are doc.ID + "_" + index of the function in the file, so they are
// stable across runs. Scoping follows Python: names bound anywhere in a
// function (assignment, for, with, except, walrus, import, def, class,
// del, match capture) are local to it; comprehensions and lambdas are
// their own scopes; global/nonlocal names count as free. Module-level
// imports are those at module level, including inside if/try blocks, but
// not inside classes or functions. Known simplifications: a name that one
// nested scope binds counts as local for API resolution in the whole
// function; wildcard imports bind nothing, so the names they supply are
// unresolved (the function is not self-contained).
//
// Rejects are file-level (Unit "file", Stage "extract"): too_large (over
// Options.MaxBytes, default 1 MiB), binary (NUL bytes), invalid_utf8,
// python2 (print or exec statements, `except X, e`, backticks, `<>`),
// syntax_error (ERROR or MISSING nodes; the detail gives the line) and
// no_functions. Extract never panics; FuzzExtract checks this.
//
// Speed: tree-sitter's parse is nearly all the cost, so a lexical scan
// (strings, brackets, comments, continuations) first cuts the file into
// top-level statements and only the needed ones are parsed: defs with
// their decorators, imports, and if/try/with/for/while blocks that
// mention import (about a fifth of the standard library's bytes). The
// consequence: syntax errors and Python 2 constructs are detected only in
// those statements; a broken class body or module-level statement does
// not reject a file whose functions and imports are sound, and a file
// with no top-level def is no_functions without a parse. When a function
// reads a name that only a skipped class or assignment binds (read
// lexically), the file is parsed again with those statements; if they do
// not parse, the first result stands. A file the scan
// cannot split (unterminated string, unbalanced brackets) is parsed whole.
// The C tree is copied into a Go slice in one cgo call (cparse.go), since
// a cgo call per node cost more than the parse, and tree-sitter is set to
// allocate with libc malloc instead of go-tree-sitter's Go callbacks.
// Parsers are pooled per goroutine. scripts/bench-extract.sh compares
// throughput per core with a Python ast baseline, and with the parse
// floor (BenchmarkParseFloorStdlib: scan and parse only, tree discarded),
// which bounds what any analysis on tree-sitter-python can reach.
package extract
