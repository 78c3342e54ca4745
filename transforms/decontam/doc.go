// Package decontam removes functions that overlap benchmark solutions, so
// that training data built from the corpus does not leak HumanEval, MBPP or
// BigCodeBench test problems.
//
// In: a PCollection of sample.Function. Out: the kept functions and a
// PCollection of sample.Rejected{Unit: "function", Stage: "decontaminate",
// Reason: "benchmark_overlap", Detail: the task id and the rule that hit,
// "HumanEval/0 (body)" or "HumanEval/0 (ngram)"}; the id is the detail's
// first word.
//
// Benchmarks are read from Params.Paths in their native JSONL layouts, plain
// or gzip-compressed (detected from the bytes); the layout is detected per
// row from its fields (see [DetectFormat]). The indexed code is
// prompt+canonical_solution (HumanEval), code (MBPP, numeric ids become
// "MBPP/<n>") and complete_prompt+canonical_solution (BigCodeBench). Its
// entry function ([Task].Entry) is the module-level def named entry_point
// (HumanEval; BigCodeBench, "task_func" when the row has none), else the
// last module-level def (MBPP).
//
// # Hit rules
//
// Both rules see code as pytok feature tokens: comments, docstrings and
// layout dropped, local names numbered by first appearance.
//
// Body rule (exact copies). Each task's entry function gets a key
// ([BodyKey]): its feature tokens without decorators, its own name
// replaced by a marker (recursion included), every other local name
// numbered across the whole function. Code matches when one of its
// module-level defs has a task's key, so a copy renamed (function, params,
// locals), reformatted or stripped of its docstring matches whatever the
// docstring's length or the task's imports; any change to an operator,
// literal, call, attribute or operand order does not.
//
// N-gram rule (near copies). Code is cut into n-grams of Params.N (default
// 10) tokens, local names numbered inside each n-gram. N-grams found in
// more than one task are boilerplate and dropped. Code matches a task when
// it holds at least Params.MinOverlap (default 4) of the task's remaining
// n-grams and at least Params.MinCoverage (default 0.5) times as many as
// the task's entry function holds; the task with the most is reported.
//
// The body rule is tried first. It was added, and coverage moved from the
// whole task to its entry function, after BigCodeBench's own solutions run
// as a corpus left 13 exact copies: a corpus function is one def, without
// the task's imports. testdata/bigcodebench_prelude.jsonl reproduces both
// causes: fifteen import lines whose n-grams were half the task's (the def
// alone held 58 of 118, under 0.5), and tasks whose n-grams other tasks
// share, leaving fewer than MinOverlap ([Index.Unmatchable]).
//
// # Measured
//
// HumanEval's 164 entry functions, extracted alone as a corpus function
// is, are all caught verbatim, without docstring, renamed and reformatted
// (body_test.go); the n-gram rule alone catches 161 of each (160 with the
// old whole-task coverage), missing the Unmatchable HumanEval/23, 31 and
// 41 ("return len(string)"). A solution body under a new signature has a
// new key: the n-gram rule catches 144 of 164. Against HumanEval plus the
// MBPP and BigCodeBench fixtures (fp_test.go), 0 of the 860 UnitCoder demo
// functions match, 1 of the 3,275 module-level functions of Debian's
// Python 3.11 standard library (getopt.long_has_args ~ HumanEval/29, the
// idiom [o for o in opts if o.startswith(opt)]) and 3 of 109,661 in
// /usr/lib/python3/dist-packages (idioms again), all by the n-gram rule,
// as before the change. The body rule flagged none of these ~114,000
// functions, so it has no minimum size: trivial solutions such as
// HumanEval/23 are caught too. Thresholds were chosen on these data; plain
// "any shared n-gram" over raw tokens was rejected (7 of the 860 demo
// functions flagged, a renamed body keeping a median 14% of its n-grams).
//
// Simplifications of the body key: layout is dropped, so code differing
// only in which block a statement belongs to shares a key; names inside
// f-strings are string text, so renaming them changes the key (the n-gram
// rule remains); annotations and defaults are part of the key.
//
// Each worker builds the index once in the DoFn's Setup, shared through a
// process-wide cache keyed by Params, so Paths must be readable on workers.
// [Decontaminate] validates Params (including that the files open) when the
// pipeline is built and panics if they are wrong; with no Paths it keeps
// everything. Counters: decontaminate/in, kept, benchmark_overlap.
package decontam
