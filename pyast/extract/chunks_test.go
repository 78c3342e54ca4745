package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

func TestSelectChunks(t *testing.T) {
	src := "import os\n" +
		"X = '''\ndef not_a_function():\n'''\n" +
		"@deco(\n    arg)\ndef f(a):\n    # comment\n# col-0 comment inside\n    return (a +\n1)\n" +
		"class C:\n    def m(self):\n        return 1\n" +
		"if True:\n    import json\nelif False:\n    pass\nelse:\n    pass\n" +
		"try:\n    import x\nexcept ImportError:\n    x = None\nfinally:\n    pass\n" +
		"s = 'a \\' b'; t = \"#\" \\\n    + 'x'\n" +
		"async  def g():\n    return 2\n"
	chunks, _, ok := selectChunks([]byte(src))
	if !ok {
		t.Fatal("scan failed")
	}
	var got []string
	for _, c := range chunks {
		got = append(got, strings.SplitN(src[c.head:c.end], "\n", 2)[0])
	}
	want := []string{"import os", "def f(a):", "if True:", "try:", "async  def g():"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"x = 'open\n", "x = (1,\n", "x = 1)\n", "s = '''never closed\n"} {
		if _, _, ok := selectChunks([]byte(bad)); ok {
			t.Errorf("%q scanned as clean", bad)
		}
	}
}

// TestChunkedMatchesFullParse checks on all 682 stdlib files that parsing only the
// selected statements yields the same functions as parsing whole files.
func TestChunkedMatchesFullParse(t *testing.T) {
	docs, _ := stdlibDocs(t)
	for _, doc := range docs {
		got, rj := Extract(doc, Options{})
		want := extractWhole(doc)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: chunked and whole-file extraction differ (%d vs %d functions, rejects %v)", doc.ID, len(got), len(want), rj)
		}
	}
}

// extractWhole is Extract without statement selection.
func extractWhole(doc sample.FileDoc) []sample.Function {
	src := source(doc)
	t := parse(src)
	if t.bad || python2Marker(t) != "" {
		return nil
	}
	return functions(doc, src, t, assembled{text: src}, Options{})
}

// TestExtractConcurrent runs Extract from several goroutines, as Beam
// workers do, and checks they agree with a sequential run.
func TestExtractConcurrent(t *testing.T) {
	files, _ := filepath.Glob("/usr/lib/python3.11/*.py")
	if len(files) == 0 {
		t.Skip("no stdlib")
	}
	files = files[:min(len(files), 40)]
	var docs []sample.FileDoc
	want := map[string]int{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		d := sample.FileDoc{ID: p, Content: string(b)}
		fs, _ := Extract(d, DefaultOptions())
		want[p] = len(fs)
		docs = append(docs, d)
	}
	errs := make(chan string, 4*len(docs))
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for _, d := range docs {
				if fs, _ := Extract(d, DefaultOptions()); len(fs) != want[d.ID] {
					errs <- d.ID
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	close(errs)
	for id := range errs {
		t.Errorf("%s differs under concurrency", id)
	}
}
