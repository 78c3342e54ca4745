// Package pytok is a small, lenient Python tokenizer shared by the dedup and
// decontam transforms. It turns source text into a token stream (names,
// numbers, strings, operators and layout tokens NEWLINE/INDENT/DEDENT),
// drops comments and docstrings, and derives the two views those transforms
// need:
//
//   - [ExactKey]: a hash of the token stream with layout kept, so code that
//     differs only in comments, docstrings, blank lines, spacing, quote style
//     or line wrapping inside brackets gets the same key. Identifiers are NOT
//     renamed: renamed copies are the near-duplicate stage's job, and keeping
//     names keeps the exact stage free of false merges.
//   - [Features]: the token sequence without layout, with local identifiers
//     replaced by the placeholder [Placeholder], so renamed and reformatted
//     copies share most of their n-grams. Keywords, builtins, attribute names,
//     keyword-argument names and caller-supplied names (imports, free names)
//     are kept because they carry what the code does.
//
// The tokenizer never fails: unterminated strings run to the end of the line
// (or file for triple quotes) and unknown characters become one-character
// operator tokens, so any input, even non-Python, yields a result.
package pytok
