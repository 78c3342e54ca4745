package format

import (
	"bytes"
	"runtime"
	"strings"
	"sync"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

var parsers = sync.Pool{New: func() any {
	p := ts.NewParser()
	if err := p.SetLanguage(ts.NewLanguage(tspython.Language())); err != nil {
		panic("tree-sitter-python: " + err.Error())
	}
	runtime.SetFinalizer(p, (*ts.Parser).Close) // the pool drops parsers; their memory is C's
	return p
}}

// Parts is a program split around one top-level function.
type Parts struct {
	// Prefix runs from the start of the program through the signature and
	// the docstring (if any), ending with a newline.
	Prefix string
	// Completion is the rest of the function body.
	Completion string
	// Head runs from the start of the program through the signature's
	// line: imports and signature, without the docstring.
	Head string
	// Signature is the "def name(params) -> ret" line without the colon.
	Signature string
	// Docstring is the docstring's text, without quotes or indentation.
	Docstring string
}

// Split splits program around the top-level function named name; ok is
// false when there is no such function.
func Split(program, name string) (Parts, bool) {
	p := parsers.Get().(*ts.Parser)
	defer parsers.Put(p)
	src := []byte(program)
	tree := p.Parse(src, nil)
	defer tree.Close()
	root := tree.RootNode()
	for i := uint(0); i < root.NamedChildCount(); i++ {
		fn := root.NamedChild(i)
		if fn.Kind() == "decorated_definition" {
			fn = fn.ChildByFieldName("definition")
		}
		if fn == nil || fn.Kind() != "function_definition" || fn.ChildByFieldName("name").Utf8Text(src) != name {
			continue
		}
		body := fn.ChildByFieldName("body")
		if body == nil || body.NamedChildCount() == 0 {
			return Parts{}, false
		}
		var parts Parts
		parts.Signature = signature(fn, body, src)
		colon := bytes.LastIndexByte(src[:body.StartByte()], ':')
		parts.Head = program[:lineEnd(src, uint(colon))]
		cut := lineStart(src, body.NamedChild(0).StartByte())
		if first := body.NamedChild(0); isDocstring(first) {
			parts.Docstring = docText(first.NamedChild(0).Utf8Text(src))
			cut = lineEnd(src, first.EndByte())
		}
		parts.Prefix = program[:cut]
		parts.Completion = program[cut:]
		return parts, true
	}
	return Parts{}, false
}

func signature(fn, body *ts.Node, src []byte) string {
	sig := string(src[fn.StartByte():body.StartByte()])
	sig = strings.TrimSpace(sig)
	sig = strings.TrimSuffix(sig, ":")
	return strings.Join(strings.Fields(sig), " ")
}

func isDocstring(n *ts.Node) bool {
	return n.Kind() == "expression_statement" && n.NamedChildCount() == 1 && n.NamedChild(0).Kind() == "string"
}

// docText strips the quotes and the common indentation of a docstring.
func docText(lit string) string {
	lit = strings.TrimLeft(lit, "rRuUbBfF")
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if strings.HasPrefix(lit, q) && strings.HasSuffix(lit, q) && len(lit) >= 2*len(q) {
			lit = lit[len(q) : len(lit)-len(q)]
			break
		}
	}
	lines := strings.Split(lit, "\n")
	indent := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i := 1; i < len(lines) && indent > 0; i++ {
		if len(lines[i]) >= indent {
			lines[i] = lines[i][indent:]
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func lineStart(src []byte, at uint) uint {
	for at > 0 && src[at-1] != '\n' {
		at--
	}
	return at
}

func lineEnd(src []byte, at uint) uint {
	for at < uint(len(src)) && src[at] != '\n' {
		at++
	}
	if at < uint(len(src)) {
		at++
	}
	return at
}
