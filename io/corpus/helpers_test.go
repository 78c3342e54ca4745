package corpus

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/unitcoder/unitcoder/sample"
)

// result collects everything one ReadFile call produced.
type result struct {
	docs    []sample.FileDoc
	rejects []sample.Rejected
	stats   Stats
	err     error
}

func (r result) reasons() map[string]int {
	m := map[string]int{}
	for _, rj := range r.rejects {
		m[rj.Reason]++
	}
	return m
}

func read(t *testing.T, ctx context.Context, path string, f Fields) result {
	t.Helper()
	var r result
	r.stats, r.err = ReadFile(ctx, path, f,
		func(d sample.FileDoc) { r.docs = append(r.docs, d) },
		func(rj sample.Rejected) { r.rejects = append(r.rejects, rj) })
	if r.stats.Emitted != len(r.docs) || r.stats.Rejected != len(r.rejects) {
		t.Errorf("stats %+v disagree with %d docs, %d rejects", r.stats, len(r.docs), len(r.rejects))
	}
	return r
}

func compress(t *testing.T, kind string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	switch kind {
	case "gz":
		w := gzip.NewWriter(&buf)
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	case "zst":
		w, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	default:
		buf.Write(data)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
