package pytok

import "strings"

// reserved holds Python keywords, soft keywords, builtins, common exception
// names and the conventional self/cls: names a copy keeps when it renames
// its own variables, so they stay visible in Features.
var reserved = toSet(`
False None True and as assert async await break class continue def del elif
else except finally for from global if import in is lambda nonlocal not or
pass raise return try while with yield match case type self cls __name__
__main__ __init__ abs aiter all anext any ascii bin bool breakpoint bytearray
bytes callable chr classmethod compile complex delattr dict dir divmod
enumerate eval exec filter float format frozenset getattr globals hasattr
hash help hex id input int isinstance issubclass iter len list locals map max
memoryview min next object oct open ord pow print property range repr
reversed round set setattr slice sorted staticmethod str sum super tuple vars
zip Exception BaseException ValueError TypeError KeyError IndexError
AttributeError RuntimeError StopIteration NotImplementedError
NotImplemented ZeroDivisionError OSError IOError FileNotFoundError
AssertionError ImportError NameError Ellipsis`)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// IsReserved reports whether name is a keyword, builtin or one of the other
// names Features never replaces.
func IsReserved(name string) bool { return reserved[name] }

// ImportedNames returns the names bound by Python import lines such as
// "import numpy as np" (np), "import os.path" (os) or
// "from a import b, c as d" (b, d). Lines that are not imports are ignored.
func ImportedNames(lines []string) []string {
	var names []string
	var split []string // an entry may be a try/except chain of import lines
	for _, entry := range lines {
		for _, l := range strings.Split(entry, "\n") {
			split = append(split, strings.TrimSpace(l))
		}
	}
	for _, line := range split {
		toks := Tokenize(line)
		if len(toks) == 0 || toks[0].Kind != Name {
			continue
		}
		switch toks[0].Text {
		case "import":
			names = append(names, boundNames(toks[1:], true)...)
		case "from":
			for i, t := range toks {
				if t.Kind == Name && t.Text == "import" {
					names = append(names, boundNames(toks[i+1:], false)...)
					break
				}
			}
		}
	}
	return names
}

// boundNames reads a comma-separated import list. For "import a.b" the
// bound name is the first dotted part; "as x" binds x instead.
func boundNames(toks []Token, dotted bool) []string {
	var names []string
	expectName := true
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Kind == Name && t.Text == "as" && i+1 < len(toks):
			names[len(names)-1] = toks[i+1].Text
			i++
		case t.Kind == Name && expectName:
			names = append(names, t.Text)
			expectName = false
		case t.Kind == Op && t.Text == ",":
			expectName = true
		case t.Kind == Op && t.Text == "." && dotted:
			i++ // skip the attribute part of a dotted module path
		}
	}
	return names
}
