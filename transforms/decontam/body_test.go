package decontam

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/pyast/pytok"
	"github.com/unitcoder/unitcoder/pyast/pytok/pytoktest"
	"github.com/unitcoder/unitcoder/sample"
)

// heEntry extracts a HumanEval task's entry function from
// prompt+canonical_solution as a corpus function: one module-level def.
func heEntry(t *testing.T, r testfixtures.HumanEvalTask) sample.Function {
	t.Helper()
	fns, rej := extract.Extract(sample.FileDoc{ID: r.TaskID, Content: r.Prompt + r.CanonicalSolution}, extract.DefaultOptions())
	for _, f := range fns {
		if f.Name == r.EntryPoint {
			return f
		}
	}
	t.Fatalf("%s: no function %s (rejects %v)", r.TaskID, r.EntryPoint, rej)
	return sample.Function{}
}

// dropDocstring removes the first string-only line of a function's body:
// its docstring, or a bare string standing in for one (HumanEval/115 has
// an import first).
func dropDocstring(code string) string {
	toks := pytok.Tokenize(code)
	inBody := false
	for i := 1; i+1 < len(toks); i++ {
		inBody = inBody || toks[i].Kind == pytok.Indent
		prev := toks[i-1].Kind
		if !inBody || toks[i].Kind != pytok.String || toks[i+1].Kind != pytok.Newline ||
			(prev != pytok.Newline && prev != pytok.Indent) {
			continue
		}
		start := strings.LastIndexByte(code[:toks[i].Pos], '\n') + 1
		end := min(toks[i+1].Pos+1, len(code))
		return code[:start] + code[end:]
	}
	return code
}

// renameLocals renames the function and every name it binds (parameters,
// locals, comprehension and lambda variables: the names that are not free
// in fn) consistently, wherever they are used as names.
func renameLocals(fn sample.Function) string {
	free := map[string]bool{}
	for _, n := range fn.FreeNames {
		free[n] = n != fn.Name
	}
	code := fn.Code
	toks := pytok.Tokenize(code)
	fresh := map[string]string{}
	var sb strings.Builder
	last, depth, inDef, defDepth := 0, 0, false, 0
	for i, tk := range toks {
		switch tk.Kind {
		case pytok.Newline:
			inDef = false
		case pytok.Op:
			depth = bracketDepth(tk.Text, depth)
			if tk.Text == ":" && inDef && depth == defDepth {
				inDef = false
			}
		case pytok.Name:
			if tk.Text == "def" || tk.Text == "lambda" {
				inDef, defDepth = true, depth
			}
			isKwarg := depth > 0 && !inDef && i+1 < len(toks) && toks[i+1].Text == "="
			isAttr := i > 0 && toks[i-1].Text == "."
			if pytok.IsReserved(tk.Text) || free[tk.Text] || isKwarg || isAttr {
				continue
			}
			nn, ok := fresh[tk.Text]
			if !ok {
				nn = fmt.Sprintf("zq_%d", len(fresh))
				fresh[tk.Text] = nn
			}
			sb.WriteString(code[last:tk.Pos])
			sb.WriteString(nn)
			last = tk.Pos + len(tk.Text)
		}
	}
	sb.WriteString(code[last:])
	return sb.String()
}

func bracketDepth(op string, depth int) int {
	switch op {
	case "(", "[", "{":
		return depth + 1
	case ")", "]", "}":
		return max(depth-1, 0)
	}
	return depth
}

// reformat re-indents code to two spaces, adds a comment and a blank line
// after every logical line, and pads the inside of brackets with spaces.
func reformat(code string) string {
	var sb strings.Builder
	last := 0
	for _, tk := range pytok.Tokenize(code) {
		switch {
		case tk.Kind == pytok.Newline && tk.Pos < len(code) && code[tk.Pos] == '\n':
			sb.WriteString(code[last:tk.Pos])
			sb.WriteString("  # reformatted\n\n")
			last = tk.Pos + 1
		case tk.Kind == pytok.Op && strings.Contains("([{", tk.Text):
			sb.WriteString(code[last : tk.Pos+1])
			sb.WriteString(" ")
			last = tk.Pos + 1
		case tk.Kind == pytok.Op && strings.Contains(")]}", tk.Text):
			sb.WriteString(code[last:tk.Pos])
			sb.WriteString(" ")
			last = tk.Pos
		}
	}
	sb.WriteString(code[last:])
	return pytoktest.Reindent(sb.String(), 2)
}

// ngramOnly is idx without the body rule.
func ngramOnly(idx *Index) *Index {
	c := *idx
	c.bodies = map[uint64]int32{}
	return &c
}

// TestMatchHumanEvalEntryFunctions plants each HumanEval entry function
// the way a corpus holds functions, one def extracted from
// prompt+canonical_solution, verbatim and disguised.
func TestMatchHumanEvalEntryFunctions(t *testing.T) {
	idx := loadHumanEval(t)
	ngramIdx := ngramOnly(idx)
	rows := humanEvalRows(t)
	variants := []struct {
		name string
		make func(sample.Function) string
		// want and wantNgram are how many of the 164 both rules, and the
		// n-gram rule alone, catch.
		want, wantNgram int
	}{
		{"verbatim", func(f sample.Function) string { return f.Code }, 164, 161},
		{"no docstring", func(f sample.Function) string { return dropDocstring(f.Code) }, 164, 161},
		{"renamed", renameLocals, 164, 161},
		{"reformatted", func(f sample.Function) string { return reformat(f.Code) }, 164, 161},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			var caught, ngram, byNgram int
			var missed []string
			for _, r := range rows {
				f := heEntry(t, r)
				code := v.make(f)
				if code == f.Code && v.name != "verbatim" {
					t.Errorf("%s: variant %s left the code unchanged", r.TaskID, v.name)
				}
				h, ok := idx.MatchRule(code)
				switch {
				case ok && h.Task != r.TaskID:
					t.Errorf("%s matched %s by %s", r.TaskID, h.Task, h.Rule)
				case ok:
					caught++
					if h.Rule == RuleNgram {
						byNgram++
					}
				default:
					missed = append(missed, r.TaskID)
				}
				if id, _, ok := ngramIdx.Match(code); ok && id == r.TaskID {
					ngram++
				}
			}
			t.Logf("%d of 164 caught (%d by the n-gram rule after the body rule missed); n-gram rule alone %d; missed %v",
				caught, byNgram, ngram, missed)
			if caught != v.want || ngram != v.wantNgram {
				t.Errorf("caught %d, n-gram rule alone %d; want %d, %d", caught, ngram, v.want, v.wantNgram)
			}
		})
	}
}

func TestBodyKey(t *testing.T) {
	const base = `@cache
def total(xs, scale=2):
    """Sum scaled values."""
    acc = 0
    for x in xs:
        acc += x * scale  # scale it
    return acc + total([], scale) if xs else acc
`
	tests := []struct {
		name, code string
		same       bool
	}{
		{"identical", base, true},
		{"no decorator", strings.Replace(base, "@cache\n", "", 1), true},
		{"other decorators", strings.Replace(base, "@cache\n", "@functools.lru_cache(maxsize=None)\n@trace\n", 1), true},
		{"renamed function and recursion", strings.ReplaceAll(base, "total", "sum_all"), true},
		{"renamed locals", strings.NewReplacer("xs", "values", "acc", "s", "scale", "k", "x ", "v ", "x *", "v *").Replace(base), true},
		{"docstring dropped", strings.Replace(base, "    \"\"\"Sum scaled values.\"\"\"\n", "", 1), true},
		{"docstring rewritten", strings.Replace(base, "Sum scaled values.", "Return the sum of the values,\n    each scaled.\n\n    >>> total([1])\n    2\n    ", 1), true},
		{"comments and layout", "# header\ndef total( xs,scale = 2 ):\n\n\t# note\n\tacc=0\n\tfor x in xs :\n\t\tacc+=x*scale\n\n\treturn acc + total([], scale) \\\n\t        if xs else acc\n", true},
		{"minus for plus", strings.Replace(base, "acc += x * scale", "acc -= x * scale", 1), false},
		{"operands swapped", strings.Replace(base, "return acc + total([], scale)", "return total([], scale) + acc", 1), false},
		{"roles swapped", strings.Replace(base, "for x in xs:", "for xs in x:", 1), false},
		{"default changed", strings.Replace(base, "scale=2", "scale=3", 1), false},
		{"string literal changed", strings.Replace(base, "acc = 0", "acc = '0'", 1), false},
		{"attribute kept", strings.Replace(base, "acc = 0", "acc = xs.zero", 1), false},
		{"async", strings.Replace(base, "def total", "async def total", 1), false},
	}
	want, ok := BodyKey(base)
	if !ok {
		t.Fatal("no key for base")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := BodyKey(tt.code)
			if !ok {
				t.Fatal("no key")
			}
			if (got == want) != tt.same {
				t.Errorf("same key = %v, want %v", got == want, tt.same)
			}
		})
	}
	// "a - b" is not "a + b", and "a - b" is not "b - a" even though each
	// name is a renamed parameter.
	keys := map[uint64]string{}
	for _, code := range []string{
		"def f(a, b):\n    return a + b\n",
		"def f(a, b):\n    return a - b\n",
		"def f(a, b):\n    return b - a\n",
		"def f(a, b):\n    return a - a\n",
		"def f(a, b):\n    c = a\n    return c - b\n",
	} {
		k, _ := BodyKey(code)
		if prev, dup := keys[k]; dup {
			t.Errorf("%q and %q share a key", prev, code)
		}
		keys[k] = code
	}
	for _, code := range []string{"", "x = 1\n", "class A:\n    def f(self): pass\n", "    def f(): pass\n"} {
		if _, ok := BodyKey(code); ok {
			t.Errorf("BodyKey(%q) has a key, want none", code)
		}
	}
}

func TestTopLevelDefs(t *testing.T) {
	code := `import os

@wrap(1,
      2)
def a(x):
    def inner():
        pass
    return inner

class C:
    def method(self):
        pass

x = 1
async def b():
    await c()
# trailing comment
`
	var got []string
	for _, d := range topLevelDefs(code) {
		got = append(got, fmt.Sprintf("%s:%q", d.name, code[d.start:d.end]))
	}
	want := []string{
		`a:"def a(x):\n    def inner():\n        pass\n    return inner\n\n"`,
		`b:"async def b():\n    await c()\n# trailing comment\n"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	defs := topLevelDefs(code)
	for _, tt := range []struct{ entry, want string }{{"a", "a"}, {"b", "b"}, {"missing", "b"}, {"", "b"}} {
		if d, ok := entryDef(defs, tt.entry); !ok || d.name != tt.want {
			t.Errorf("entryDef(%q) = %s, %v; want %s", tt.entry, d.name, ok, tt.want)
		}
	}
}

// TestMatchBigCodeBenchPrelude covers BigCodeBench-shaped tasks a corpus
// copy of the function alone used to miss. fixture-2: fifteen import lines
// hold half the task's specific n-grams, so the def alone (with its long
// docstring, two-line body) covered under half of them. fixture-3 and -4:
// one import block and body, differing only in the returned value, so
// nearly every n-gram is shared and neither has MinOverlap specific ones.
func TestMatchBigCodeBenchPrelude(t *testing.T) {
	path := filepath.Join("testdata", "bigcodebench_prelude.jsonl")
	idx, err := LoadBenchmarks([]string{path, filepath.Join("testdata", "bigcodebench.jsonl.gz")}, DefaultN)
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := ReadTasks(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(idx.Unmatchable(), ","); got != "BigCodeBench/fixture-3,BigCodeBench/fixture-4" {
		t.Errorf("Unmatchable = %s", got)
	}
	ngram := ngramOnly(idx)
	wantNgram := map[string]bool{"BigCodeBench/fixture-2": true}
	for _, task := range tasks {
		fns, _ := extract.Extract(sample.FileDoc{ID: task.ID, Content: task.Code}, extract.DefaultOptions())
		if len(fns) != 1 || fns[0].Name != "task_func" {
			t.Fatalf("%s: extracted %d functions", task.ID, len(fns))
		}
		fn := fns[0]
		for name, code := range map[string]string{
			"def alone":   fn.Code,
			"renamed":     renameLocals(fn),
			"reformatted": reformat(dropDocstring(fn.Code)),
		} {
			h, ok := idx.MatchRule(code)
			if !ok || h.Task != task.ID || h.Rule != RuleBody {
				t.Errorf("%s %s: MatchRule = %+v, %v; want %s by the body rule", task.ID, name, h, ok, task.ID)
			}
			id, overlap, ok := ngram.Match(code)
			if ok != wantNgram[task.ID] || (ok && id != task.ID) {
				t.Errorf("%s %s: n-gram rule alone = %s, %d, %v", task.ID, name, id, overlap, ok)
			}
		}
		// What the n-gram rule saw of fixture-2 before its coverage counted
		// the entry function only: under half of the whole task's specific
		// n-grams.
		if ti := slicesIndex(idx.ids, task.ID); wantNgram[task.ID] {
			if _, overlap, _ := ngram.Match(fn.Code); 2*overlap >= idx.sizes[ti] {
				t.Errorf("%s: the def alone holds %d of the task's %d specific n-grams; the fixture no longer shows the prelude problem",
					task.ID, overlap, idx.sizes[ti])
			}
		}
	}
}

func slicesIndex(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
