package pytok

import (
	"reflect"
	"strings"
	"testing"
)

// render writes tokens compactly: names/numbers/ops as text, strings quoted,
// layout as NL, IN, DE.
func render(toks []Token) string {
	var parts []string
	for _, t := range toks {
		switch t.Kind {
		case Newline:
			parts = append(parts, "NL")
		case Indent:
			parts = append(parts, "IN")
		case Dedent:
			parts = append(parts, "DE")
		case String:
			parts = append(parts, "'"+t.Text+"'")
		default:
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, " ")
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"simple", "x = 1\n", "x = 1 NL"},
		{"no trailing newline", "x=1", "x = 1 NL"},
		{"comment dropped", "x = 1  # set x\n# alone\n", "x = 1 NL"},
		{"block", "def f(a):\n    return a\n", "def f ( a ) : NL IN return a NL DE"},
		{"nested dedent", "if a:\n  if b:\n    c\nd\n", "if a : NL IN if b : NL IN c NL DE DE d NL"},
		{"blank lines keep level", "if a:\n\n    b\n\n    c\n", "if a : NL IN b NL c NL DE"},
		{"newline in brackets", "f(a,\n  b)\n", "f ( a , b ) NL"},
		{"continuation", "x = a + \\\n    b\n", "x = a + b NL"},
		{"prefixed strings", "s = rb'\\x' + f\"{a}\"\n", "s = '\\x' + '{a}' NL"},
		{"triple string", "s = '''a\n'b'\n'''\n", "s = 'a\n'b'\n' NL"},
		{"escaped quote", `s = "a\"b"` + "\n", `s = 'a\"b' NL`},
		{"operators", "a **= b // c != d -> e := f ...", "a **= b // c != d -> e := f ... NL"},
		{"numbers", "x = 1e-3 + 0x1F + 1_000.5j + .5\n", "x = 1e-3 + 0x1F + 1_000.5j + .5 NL"},
		{"unicode name", "café = 1\n", "café = 1 NL"},
		{"unterminated string", "s = 'abc\nx = 1\n", "s = 'abc' NL x = 1 NL"},
		{"unterminated triple", "s = \"\"\"abc", "s = 'abc' NL"},
		{"trailing backslash in string", "s = 'a\\", "s = 'a\\' NL"},
		{"stray bytes", "x = 1 → 2 $\n", "x = 1 → 2 $ NL"},
		{"unbalanced close", ")) x\ny\n", ") ) x NL y NL"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(Tokenize(tt.src)); got != tt.want {
				t.Errorf("Tokenize(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestDropDocstrings(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"function docstring", "def f():\n    \"\"\"Doc.\"\"\"\n    return 1\n", "def f ( ) : NL IN return 1 NL DE"},
		{"module and class", "'mod'\nclass A:\n    'doc'\n    x = 'v'\n", "class A : NL IN x = 'v' NL DE"},
		{"implicit concat", "def f():\n    'a' 'b'\n    pass\n", "def f ( ) : NL IN pass NL DE"},
		{"string expression kept", "x = 'a'\nf('b')\n", "x = 'a' NL f ( 'b' ) NL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(DropDocstrings(Tokenize(tt.src))); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

const base = `def total(xs, scale=2):
    """Sum scaled values."""
    acc = 0
    for x in xs:
        acc += x * scale  # scale it
    return acc
`

func TestExactKey(t *testing.T) {
	tests := []struct {
		name  string
		other string
		same  bool
	}{
		{"identical", base, true},
		{"comments docstring spacing", "def total( xs,scale = 2 ):\n\n  # hi\n  acc=0\n  for x in xs :\n     acc+=x*scale\n  return acc", true},
		{"quote style", strings.ReplaceAll(base, `"""Sum scaled values."""`, `'''Other doc'''`), true},
		{"renamed variable", strings.ReplaceAll(base, "acc", "total_"), false},
		{"indentation changes meaning", strings.Replace(base, "    return acc", "        return acc", 1), false},
		{"different literal", strings.Replace(base, "acc = 0", "acc = 1", 1), false},
		{"string vs name", strings.Replace(base, "acc = 0", "acc = '0'", 1), false},
	}
	want := ExactKey(base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExactKey(tt.other)
			if (got == want) != tt.same {
				t.Errorf("same key = %v, want %v", got == want, tt.same)
			}
		})
	}
}

func TestFeatures(t *testing.T) {
	tests := []struct {
		name string
		src  string
		keep []string
		want string
	}{
		{"locals replaced", "def f(a, b=1):\n    return a + b\n", nil, "def ID ( ID , ID = 1 ) : return ID + ID"},
		{"attributes kwargs builtins kept", "y = np.sum(x, axis=0)\nprint(len(y))\n", nil, "ID = ID . sum ( ID , axis = 0 ) print ( len ( ID ) )"},
		{"keep set", "y = np.sum(x)\n", []string{"np"}, "ID = np . sum ( ID )"},
		{"strings marked", "x = 'ID'\n", nil, `ID = "ID`},
		{"lambda header then kwarg", "sorted(xs, key=lambda v: v, reverse=True)\n", nil, "sorted ( ID , key = lambda ID : ID , reverse = True )"},
		{"docstring and comments gone", "def f():\n    'doc'\n    return 1  # one\n", nil, "def ID ( ) : return 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := map[string]bool{}
			for _, k := range tt.keep {
				keep[k] = true
			}
			if got := strings.Join(Features(tt.src, keep), " "); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestImportedNames(t *testing.T) {
	lines := []string{
		"import numpy as np",
		"import os.path, sys",
		"from collections import OrderedDict, defaultdict as dd",
		"from . import sibling",
		"x = 1",
		"",
		"try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle",
	}
	want := []string{"np", "os", "sys", "OrderedDict", "dd", "sibling", "pickle", "pickle"}
	if got := ImportedNames(lines); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestTokenPositions(t *testing.T) {
	src := "x = rb'a'  # c\nif y:\n    z(1)\n"
	var got []int
	for _, tk := range Tokenize(src) {
		if !tk.IsLayout() {
			got = append(got, tk.Pos)
			if want := tk.Text; tk.Kind != String && src[tk.Pos:tk.Pos+len(want)] != want {
				t.Errorf("token %q at %d reads %q", want, tk.Pos, src[tk.Pos:tk.Pos+len(want)])
			}
		}
	}
	want := []int{0, 2, 4, 15, 18, 19, 25, 26, 27, 28}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
}
