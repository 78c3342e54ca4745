// Package demofixtures builds test inputs from the UnitCoder authors'
// demo: the function rows of the 16 functions their run recorded, and a
// replay LLM server serving those recordings.
package demofixtures

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/pyast/extract"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

// RecordingFiles are the demo's recorded model outputs.
var RecordingFiles = []string{"stage2_passed.jsonl", "stage2_failed.jsonl", "stage3_polished.jsonl"}

// RecordedIDs are the ids of the 16 functions the authors' run recorded,
// in file order.
func RecordedIDs(tb testing.TB) []string {
	tb.Helper()
	var ids []string
	for _, name := range RecordingFiles[:2] {
		testfixtures.ForEachJSONL(tb, filepath.Join(testfixtures.DemoDir(tb), name),
			func(r struct{ ID string }) { ids = append(ids, r.ID) })
	}
	return ids
}

// RecordedFunctions writes function rows (extract's data/ format) for the
// 16 recorded functions, extracted from their stage-1 rows as extract
// would, and returns the file's path and the ids (their corpus-row ids),
// in stage-1 order.
func RecordedFunctions(tb testing.TB) (string, []string) {
	tb.Helper()
	recorded := map[string]bool{}
	for _, id := range RecordedIDs(tb) {
		recorded[id] = true
	}
	var buf bytes.Buffer
	var ids []string
	for _, r := range testfixtures.Stage1(tb) {
		if !recorded[r.ID] {
			continue
		}
		funcs, rejects := extract.Extract(sample.FileDoc{ID: r.ID, Content: r.Content, Imports: r.ImportCode}, extract.DefaultOptions())
		if len(funcs) != 1 || len(rejects) != 0 {
			tb.Fatalf("%s: extracted %d functions, %v", r.ID, len(funcs), rejects)
		}
		fn := funcs[0]
		fn.ID = r.ID
		b, _ := json.Marshal(runstats.KeptFunction(fn))
		buf.Write(append(b, '\n'))
		ids = append(ids, r.ID)
	}
	if len(ids) != 16 {
		tb.Fatalf("found %d recorded functions in stage 1, want 16", len(ids))
	}
	path := filepath.Join(tb.TempDir(), "functions.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path, ids
}

// StartReplay serves the demo's recordings on loopback with opts until
// the test ends, and returns its base URL and the server.
func StartReplay(tb testing.TB, opts replay.Options) (string, *replay.Server) {
	tb.Helper()
	var paths []string
	for _, name := range RecordingFiles {
		paths = append(paths, filepath.Join(testfixtures.DemoDir(tb), name))
	}
	rec, err := replay.LoadRecordings(paths...)
	if err != nil {
		tb.Fatal(err)
	}
	url, srv, stop, err := replay.Start(context.Background(), rec, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return url, srv
}
