package pipelines

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

func TestMain(m *testing.M) { ptest.Main(m) }

// readJSONL decodes every line of a local JSONL file.
func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

// outputs reads a run's records (or function rows) and rejects back.
func outputs[T any](t *testing.T, dir string) ([]T, []sample.Rejected) {
	t.Helper()
	ctx := context.Background()
	var data []T
	err := dataset.ReadLines(ctx, filepath.Join(dir, runstats.DataDir, "part-*"), func(line []byte) error {
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			return err
		}
		data = append(data, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rejected []sample.Rejected
	err = dataset.ReadLines(ctx, filepath.Join(dir, runstats.RejectedDir, "part-*"), func(line []byte) error {
		var r sample.Rejected
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		rejected = append(rejected, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return data, rejected
}

// sameFiles fails the test unless the two directories hold byte-identical
// files under the same names.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(a, "*", "part-*"))
	if len(files) == 0 {
		t.Fatalf("no shards under %s", a)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(a, f)
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between runs (err=%v)", rel, err)
		}
	}
}

// runWithMetrics is ptest.RunWithMetrics as a RunJob.
func runWithMetrics(_ context.Context, p *beam.Pipeline) (beam.PipelineResult, error) {
	return ptest.RunWithMetrics(p)
}
