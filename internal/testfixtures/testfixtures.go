// Package testfixtures is the one place tests find the shared data beside
// the repository (the UnitCoder authors' demo, HumanEval) and start a
// fake GCS server. It imports only package sample (the base floor), so
// every other package's tests can use it.
package testfixtures

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/unitcoder/unitcoder/sample"
)

// SharedData is the shared data directory: ../shared/data beside the
// repository root.
func SharedData(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(RepoRoot(tb), "..", "shared", "data")
}

// RepoRoot is the repository root (the directory holding go.mod), found
// from the test's working directory.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testfixtures: no go.mod above the test's directory")
		}
		dir = parent
	}
}

// DemoDir is the UnitCoder authors' public demo data.
func DemoDir(tb testing.TB) string { return filepath.Join(SharedData(tb), "unitcoder-demo") }

// Stage1Path is the demo's 860 stage-1 corpus functions.
func Stage1Path(tb testing.TB) string { return filepath.Join(DemoDir(tb), "stage1_functions.jsonl") }

// Stage1RelPath is Stage1Path relative to the test's working directory.
// Runs record the input path they were given (provenance.source), so tests
// that compare outputs byte for byte across checkouts pass this one: it is
// the same wherever the repository and shared/ beside it are.
func Stage1RelPath(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	rel, err := filepath.Rel(wd, Stage1Path(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return rel
}

// HumanEvalPath is OpenAI's HumanEval (164 problems, gzipped JSONL).
func HumanEvalPath(tb testing.TB) string {
	return filepath.Join(SharedData(tb), "humaneval", "HumanEval.jsonl.gz")
}

// HumanEvalTask is one HumanEval row.
type HumanEvalTask struct {
	TaskID            string `json:"task_id"`
	Prompt            string `json:"prompt"`
	CanonicalSolution string `json:"canonical_solution"`
	Test              string `json:"test"`
	EntryPoint        string `json:"entry_point"`
}

// HumanEval reads every HumanEval task, in file order.
func HumanEval(tb testing.TB) []HumanEvalTask {
	tb.Helper()
	f, err := os.Open(HumanEvalPath(tb))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var tasks []HumanEvalTask
	dec := json.NewDecoder(zr)
	for dec.More() {
		var task HumanEvalTask
		if err := dec.Decode(&task); err != nil {
			tb.Fatal(err)
		}
		tasks = append(tasks, task)
	}
	return tasks
}

// Stage1Row is one row of the demo's stage-1 file: a corpus function and
// the import lines of its file.
type Stage1Row struct {
	ID         string   `json:"id"`
	Content    string   `json:"content"`
	ImportCode []string `json:"import_code"`
}

// Function is the row as an unanalysed sample.Function: its id, its
// source as the code, and its import lines.
func (r Stage1Row) Function() sample.Function {
	return sample.Function{ID: r.ID, Code: r.Content, Imports: r.ImportCode}
}

// DemoFunctions reads the demo's stage-1 rows as unanalysed functions:
// real corpus code unrelated to any benchmark.
func DemoFunctions(tb testing.TB) []sample.Function {
	tb.Helper()
	var out []sample.Function
	for _, r := range Stage1(tb) {
		out = append(out, r.Function())
	}
	return out
}

// Stage1 reads the demo's stage-1 rows, in file order.
func Stage1(tb testing.TB) []Stage1Row {
	tb.Helper()
	var rows []Stage1Row
	ForEachJSONL(tb, Stage1Path(tb), func(r Stage1Row) { rows = append(rows, r) })
	return rows
}

// ForEachJSONL decodes every line of a local JSONL file into a T.
func ForEachJSONL[T any](tb testing.TB, path string, fn func(T)) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		fn(v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// FakeGCS serves objects (name → content) from bucket on an in-process
// fake-gcs-server on loopback and points clients at it through
// STORAGE_EMULATOR_HOST, as workers find an emulator. Packages that cache
// a storage client reset it themselves after the call.
func FakeGCS(tb testing.TB, bucket string, objects map[string][]byte) *fakestorage.Server {
	tb.Helper()
	var objs []fakestorage.Object
	for name, content := range objects {
		objs = append(objs, fakestorage.Object{
			ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucket, Name: name},
			Content:     content,
		})
	}
	// A fixed port lets PublicHost name it: clients made from
	// STORAGE_EMULATOR_HOST read objects with host-addressed XML requests.
	port := FreePort(tb)
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		InitialObjects: objs, Scheme: "http", Host: "127.0.0.1", Port: port,
		PublicHost: fmt.Sprintf("127.0.0.1:%d", port),
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(objs) == 0 {
		srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: bucket})
	}
	tb.Cleanup(srv.Stop)
	tb.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(srv.URL(), "http://"))
	return srv
}

// FakeGCSFiles serves local files as gs://bucket/prefix/<base name> with
// FakeGCS.
func FakeGCSFiles(tb testing.TB, bucket, prefix string, files []string) *fakestorage.Server {
	tb.Helper()
	objs := map[string][]byte{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		objs[prefix+"/"+filepath.Base(p)] = b
	}
	return FakeGCS(tb, bucket, objs)
}

// FreePort is a loopback TCP port that was free a moment ago.
func FreePort(tb testing.TB) uint16 {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return uint16(l.Addr().(*net.TCPAddr).Port)
}
