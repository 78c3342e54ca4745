package extract

import (
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

func TestExtractRejects(t *testing.T) {
	tests := []struct {
		name, src, reason string
	}{
		{"print statement", "def f(x):\n    print x\n    return x\n", ReasonPython2},
		{"print chevron", "import sys\ndef f(x):\n    print >>sys.stderr, x\n", ReasonPython2},
		{"except comma", "def f(x):\n    try:\n        return x\n    except ValueError, e:\n        return e\n", ReasonPython2},
		{"backticks", "def f(x):\n    return `x`\n", ReasonPython2},
		{"not equal", "def f(x):\n    return x <> 1\n", ReasonPython2},
		{"exec statement", "def f(x):\n    exec \"y = 1\"\n    return x\n", ReasonPython2},
		{"syntax error", "def f(x):\n    return (x +\n", ReasonSyntaxError},
		{"missing colon", "def f(x)\n    return x\n", ReasonSyntaxError},
		{"no functions", "import os\nclass A:\n    def m(self):\n        return 1\nx = 1\n", ReasonNoFunctions},
		{"empty", "", ReasonNoFunctions},
		{"binary", "def f(x):\n    return x\x00\n", ReasonBinary},
		{"invalid utf8", "def f(x):\n    return '\xff\xfe'\n", ReasonInvalidUTF8},
		{"too large", "def f(x):\n    return x\n" + strings.Repeat("# pad\n", 200000), ReasonTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, rs := Extract(sample.FileDoc{ID: "doc1", Content: tc.src}, DefaultOptions())
			if len(fs) != 0 || len(rs) != 1 {
				t.Fatalf("want one reject, got %d functions and %+v", len(fs), rs)
			}
			r := rs[0]
			if r.Reason != tc.reason || r.ID != "doc1" || r.Unit != sample.UnitFile || r.Stage != sample.StageExtract {
				t.Errorf("got %+v, want reason %s", r, tc.reason)
			}
		})
	}
}

// TestExtractReadsOnlyWhatItNeeds pins the behaviour of statement
// selection: code outside top-level functions and imports is not parsed,
// so faults there do not reject the file, and error lines still refer to
// the original file.
func TestExtractReadsOnlyWhatItNeeds(t *testing.T) {
	py2Class := "class Old:\n    def m(self):\n        print 'x'\n\ndef f(x):\n    return x\n"
	if fs, rs := Extract(sample.FileDoc{ID: "d", Content: py2Class}, DefaultOptions()); len(fs) != 1 || len(rs) != 0 {
		t.Errorf("python 2 class body: %d functions, %+v", len(fs), rs)
	}
	broken := "class A:\n    x = 1\n\n\ndef f(x):\n    return (x +\n\ndef g(y):\n    return y\n"
	_, rs := Extract(sample.FileDoc{ID: "d", Content: broken}, DefaultOptions())
	// Line 6 of the file is line 2 of the parsed text: the class is skipped.
	if len(rs) != 1 || rs[0].Reason != ReasonSyntaxError || rs[0].Detail != "line 6: syntax error" {
		t.Fatalf("got %+v", rs)
	}
	if _, rs := Extract(sample.FileDoc{ID: "d", Content: "x = (1,\n"}, DefaultOptions()); len(rs) != 1 || rs[0].Reason != ReasonSyntaxError {
		t.Errorf("unbalanced file without functions: %+v", rs)
	}
}

func TestExtractPython3Accepted(t *testing.T) {
	// Python 3 constructs that resemble Python 2 ones must not be rejected.
	src := "def f(x, print=print):\n    print(x)\n    exec('y = 1')\n    try:\n        return x != 1\n    except (ValueError, TypeError) as e:\n        return e\n"
	f := extractOne(t, src)
	if f.Name != "f" {
		t.Errorf("name %q", f.Name)
	}
}

func TestExtractShape(t *testing.T) {
	src := "import os\n\n@decorate\ndef g(a, b: int = 2, *c, d, **e):\n" +
		"    '''Reads /home/docs/file, says the docstring.'''\n" +
		"    import json\n" +
		"    def inner(y):\n        return y\n" +
		"    class K:\n        pass\n" +
		"    p = 'C:\\\\Users\\\\me'\n" +
		"    return os.path.join(p, '/home/me/data.csv')\n\n" +
		"def h():\n    yield 1\n\nclass Skip:\n    def m(self):\n        return 1\n\nasync def k(x):\n    return x\n"
	fs, rs := Extract(sample.FileDoc{ID: "d", Path: "p.py", Repo: "r", Content: src}, DefaultOptions())
	if len(rs) != 0 || len(fs) != 3 {
		t.Fatalf("got %d functions, rejects %+v", len(fs), rs)
	}
	g, h, k := fs[0], fs[1], fs[2]
	if g.ID != "d_0" || h.ID != "d_1" || k.ID != "d_2" || g.Provenance.FileID != "d" || g.Provenance.Repo != "r" {
		t.Errorf("ids %s %s %s provenance %+v", g.ID, h.ID, k.ID, g.Provenance)
	}
	if !strings.HasPrefix(g.Code, "@decorate\ndef g(") {
		t.Errorf("code does not start with the decorator: %q", g.Code[:20])
	}
	s := g.Shape
	checks := []struct {
		what string
		ok   bool
	}{
		{"params", strings.Join(s.Params, ",") == "a,b,c,d,e"},
		{"return", s.HasReturn && !h.Shape.HasReturn},
		{"nested", strings.Join(s.Nested, ",") == "import,def,class"},
		{"unresolved", strings.Join(s.Unresolved, ",") == "decorate" && !s.SelfContained},
		{"literals", strings.Join(s.Literals, "|") == `'C:\\Users\\me'|'/home/me/data.csv'`},
		{"lines", s.Lines == 10},
		{"async", k.Shape.Async && !g.Shape.Async},
		{"no params", len(h.Shape.Params) == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s wrong: %+v", c.what, s)
		}
	}
}
