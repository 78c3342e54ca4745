// Package filter holds the retrieval rules (pure Go, no Beam; the Beam
// step is transforms/retrieval): it decides which extracted
// functions are worth turning into tested programs.
//
// In: a sample.Function from package extract, whose Shape carries the
// structural facts (parameters, returns, nested definitions, free names,
// path-like literals) so nothing is parsed again. Out: keep, or a reason
// code for a Rejected{Unit:"function", Stage:"filter"}. Check applies the
// rules in order and reports the first that fails:
//
//   - no_target_library: no call resolves into Rules.Libraries (default:
//     BigCodeBench's 139 import names, embedded from
//     bigcodebench-libraries.txt; override with LoadLibraries, i.e. the
//     pipeline's --libraries flag);
//   - too_short / too_long: code outside [MinLines, MaxLines] lines or
//     [MinChars, MaxChars] bytes (defaults 3..150 lines, 50..6000 bytes);
//   - no_parameters, no_return: nothing for a test to vary or assert on;
//   - nested_def, nested_class, nested_import: definitions or imports
//     inside the body;
//   - not_self_contained: a name the program cannot resolve: not a
//     parameter, local, module-level import, builtin, or a top-level
//     definition of the same file (package extract adds those, the
//     dependency closure, to the program); e.g. a name from a wildcard
//     import or one bound only inside a module-level if block;
//   - closure_too_large: the closure adds more than MaxClosureLines lines
//     (default 150, the pipeline's --max_closure_lines);
//   - hardcoded_path: a string literal starting with a host path such as
//     'C:\Users\..', '/home/..', '/Users/..' or '/mnt/..'.
//
// Differences from UnitCoder's own filter: UnitCoder drops a whole file as
// soon as any of its imports is outside the library list; here each
// function is judged by the calls it makes, and imports it does not use do
// not matter, so more functions survive from mixed files. UnitCoder checks
// with Python's ast; here the facts come from tree-sitter (package
// extract), which resolves aliases (np.mean -> numpy.mean) and scopes.
// UnitCoder keeps functions that call same-file helpers and lets them fail
// at run time; here their closure makes them runnable programs.
// UnitCoder has no self-containedness, host-path, dedup or decontamination
// step at this point; dedup and decontamination are separate stages here.
package filter
