package extract

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/unitcoder/unitcoder/sample"
)

// Extract returns the top-level functions of doc, or a single file-level
// reject (Unit "file", Stage "extract") saying why it yields none. It never
// panics: any input is either parsed or rejected.
func Extract(doc sample.FileDoc, opts Options) ([]sample.Function, []sample.Rejected) {
	src := source(doc)
	reject := func(reason, detail string) ([]sample.Function, []sample.Rejected) {
		return nil, []sample.Rejected{sample.RejectFile(doc.ID, sample.StageExtract, reason, detail)}
	}
	if reason, detail := checkBytes(src, opts); reason != "" {
		return reject(reason, detail)
	}
	a, any := pick(src)
	if !any {
		return reject(ReasonNoFunctions, "")
	}
	t := parse(a.text)
	if m := python2Marker(t); m != "" {
		return reject(ReasonPython2, m)
	}
	if t.bad {
		line, what := firstError(t, a, src)
		return reject(ReasonSyntaxError, fmt.Sprintf("line %d: %s", line, what))
	}
	out := functions(doc, src, t, a, opts)
	if len(out) == 0 {
		return reject(ReasonNoFunctions, "")
	}
	return out, nil
}

// functions builds the Functions of every top-level def of t, the text a
// cut from src.
func functions(doc sample.FileDoc, src []byte, t *tree, a assembled, opts Options) []sample.Function {
	imports, m := moduleImports(t), newModuleScope(src, t, a)
	importPos := func(b binding) int { return a.origOffset(int(t.nodes[b.stmt].start)) }
	var out []sample.Function
	for _, fn := range topLevelFunctions(t) {
		f := function(t, imports, importPos, m, fn, opts)
		f.ID = doc.ID + "_" + strconv.Itoa(len(out))
		f.Provenance = sample.Provenance{FileID: doc.ID, Path: doc.Path, Repo: doc.Repo, License: doc.License, Source: doc.Source}
		out = append(out, f)
	}
	return out
}

// source is the text to parse: the row's extra import lines (UnitCoder
// stage-1 rows keep them apart from the function) head the content.
func source(doc sample.FileDoc) []byte {
	if len(doc.Imports) == 0 {
		return []byte(doc.Content)
	}
	return []byte(strings.Join(doc.Imports, "\n") + "\n" + doc.Content)
}

// pick returns the text to parse: the statements extraction reads, or the
// whole file when it cannot be split safely. any is false when the file
// has no top-level def at all, which needs no parse to tell.
func pick(src []byte) (a assembled, any bool) {
	chunks, skipped, ok := selectChunks(src)
	if !ok {
		return assembled{text: src}, true
	}
	for _, c := range chunks {
		if w := firstWord(src[c.head:c.end]); w == "def" || w == "async" {
			a = assemble(src, chunks)
			a.skipped = skipped
			return a, true
		}
	}
	return assembled{}, false
}

// checkBytes rejects input that is not worth parsing: too large, binary or
// not UTF-8 (tree-sitter would parse it, but nothing downstream can use it).
func checkBytes(src []byte, opts Options) (reason, detail string) {
	switch {
	case opts.MaxBytes > 0 && len(src) > opts.MaxBytes:
		return ReasonTooLarge, fmt.Sprintf("%d bytes > %d", len(src), opts.MaxBytes)
	case bytes.IndexByte(src, 0) >= 0:
		return ReasonBinary, "NUL byte"
	case !utf8.Valid(src):
		return ReasonInvalidUTF8, ""
	}
	return "", ""
}

// topFn is a top-level function and the decorators applied to it.
type topFn struct {
	def        int32 // the function_definition
	whole      int32 // the decorated_definition, or def when undecorated
	decorators []int32
}

func topLevelFunctions(t *tree) []topFn {
	var out []topFn
	t.children(0, func(c int32) {
		switch t.nodes[c].kind {
		case "function_definition":
			out = append(out, topFn{def: c, whole: c})
		case "decorated_definition":
			d := t.child(c, "definition")
			if d < 0 || t.nodes[d].kind != "function_definition" {
				return
			}
			f := topFn{def: d, whole: c}
			t.children(c, func(k int32) {
				if t.nodes[k].kind == "decorator" {
					f.decorators = append(f.decorators, k)
				}
			})
			out = append(out, f)
		}
	})
	return out
}
