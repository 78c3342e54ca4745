package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/sample"
)

const stdlib = "/usr/lib/python3.11"

// readAll reads files in order and returns every doc, failing on rejects.
func readAll(t *testing.T, files []string) []sample.FileDoc {
	t.Helper()
	var docs []sample.FileDoc
	for _, p := range files {
		r := read(t, context.Background(), p, DefaultFields())
		if r.err != nil || len(r.rejects) != 0 {
			t.Fatalf("%s: err %v, rejects %+v", p, r.err, r.rejects)
		}
		for _, d := range r.docs {
			d.Source = "" // differs by format by design
			docs = append(docs, d)
		}
	}
	return docs
}

// TestPackStdlibRoundTrip packs the Debian stdlib and checks that JSONL.zst,
// Parquet and the same files served by a GCS API all read back the same
// rows, matching the source files.
func TestPackStdlibRoundTrip(t *testing.T) {
	dir := t.TempDir()
	jz, pq, err := PackStdlib(dir, stdlib, 3)
	if err != nil {
		t.Fatal(err)
	}
	fromJSONL, fromParquet := readAll(t, jz), readAll(t, pq)
	if len(fromJSONL) < 500 || !reflect.DeepEqual(fromJSONL, fromParquet) {
		t.Fatalf("%d JSONL rows, %d Parquet rows, equal=%v", len(fromJSONL), len(fromParquet), reflect.DeepEqual(fromJSONL, fromParquet))
	}
	for _, d := range fromJSONL[:20] {
		src, err := os.ReadFile(filepath.Join(stdlib, d.Path))
		if err != nil || string(src) != d.Content || d.Repo != "cpython-3.11" || d.License != "PSF-2.0" {
			t.Fatalf("%s does not match its source (err %v)", d.Path, err)
		}
	}

	startGCS(t, append(jz, pq...))
	for _, ext := range []string{"jsonl.zst", "parquet"} {
		files, err := Match(context.Background(), "gs://corpus/stdlib/*."+ext)
		if err != nil || len(files) != 3 {
			t.Fatalf("match %s: %v %v", ext, files, err)
		}
		if got := readAll(t, files); !reflect.DeepEqual(got, fromJSONL) {
			t.Errorf("gs:// %s rows differ from local ones (%d vs %d)", ext, len(got), len(fromJSONL))
		}
	}
}

// startGCS serves files as gs://corpus/stdlib/<name> from an in-process
// fake-gcs-server on loopback, and points this package's client at it
// through STORAGE_EMULATOR_HOST, the way workers find an emulator.
func startGCS(t *testing.T, files []string) *fakestorage.Server {
	t.Helper()
	srv := testfixtures.FakeGCSFiles(t, "corpus", "stdlib", files)
	SetStorageClient(nil)
	t.Cleanup(func() { SetStorageClient(nil) })
	return srv
}

// TestGCSFromEnvironment reads a gzip JSONL object and a missing one.
func TestGCSFromEnvironment(t *testing.T) {
	p := writeFile(t, filepath.Join(t.TempDir(), "rows.jsonl.gz"), compress(t, "gz", []byte(mixedJSONL)))
	startGCS(t, []string{p})
	r := read(t, context.Background(), "gs://corpus/stdlib/rows.jsonl.gz", DefaultFields())
	if r.err != nil || len(r.docs) != 3 || len(r.rejects) != 6 {
		t.Fatalf("err %v, %d docs, %d rejects %+v", r.err, len(r.docs), len(r.rejects), r.rejects)
	}
	r = read(t, context.Background(), "gs://corpus/stdlib/absent.jsonl", DefaultFields())
	if len(r.rejects) != 1 || r.rejects[0].Reason != ReasonUnreadable {
		t.Fatalf("absent object: %+v", r.rejects)
	}
}

func TestMatchLocal(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.jsonl", "b.jsonl", "c.parquet"} {
		writeFile(t, filepath.Join(dir, n), nil)
	}
	got, err := Match(context.Background(), filepath.Join(dir, "*.jsonl")+","+filepath.Join(dir, "c.parquet")+","+filepath.Join(dir, "a.jsonl"))
	want := []string{filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl"), filepath.Join(dir, "c.parquet")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v %v", got, err)
	}
	if _, err := Match(context.Background(), filepath.Join(dir, "*.zst")); err == nil {
		t.Error("empty match gave no error")
	}
}

// TestPython2RowReadsThenExtractRejects: the reader has no opinion on
// Python versions; a Python 2 file is a good row that extraction rejects.
func TestPython2RowReadsThenExtractRejects(t *testing.T) {
	py2 := `{"content":"import os\n\ndef main(argv):\n    print \"usage: %s\" % argv[0]\n    return 1\n","path":"old.py"}` + "\n"
	p := writeFile(t, filepath.Join(t.TempDir(), "py2.jsonl"), []byte(py2))
	r := read(t, context.Background(), p, DefaultFields())
	if len(r.docs) != 1 {
		t.Fatalf("rejects %+v", r.rejects)
	}
	fs, rejects := extract.Extract(r.docs[0], extract.DefaultOptions())
	if len(fs) != 0 || len(rejects) != 1 || rejects[0].Reason != extract.ReasonPython2 {
		t.Fatalf("extract: %d functions, %s", len(fs), fmt.Sprint(rejects))
	}
}
