package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/unitcoder/unitcoder/io/dataset"
)

// readReported reads path under WithReadProgress and returns the bytes
// reported, checking that they arrive in more than one call for a file
// larger than one read buffer.
func readReported(t *testing.T, path string) (total int64, calls int) {
	t.Helper()
	var n atomic.Int64
	var c atomic.Int64
	ctx := WithReadProgress(context.Background(), func(k int64) {
		if k <= 0 {
			t.Errorf("reported %d bytes", k)
		}
		n.Add(k)
		c.Add(1)
	})
	if r := read(t, ctx, path, DefaultFields()); r.err != nil || len(r.docs) == 0 {
		t.Fatalf("read %s: %v, %d docs", path, r.err, len(r.docs))
	}
	return n.Load(), int(c.Load())
}

// TestReadProgressReportsStoredBytes checks that every stored byte of a
// JSONL file (plain, gzip, zstd) is reported once as it is read, that a
// Parquet file reports at most its size, and that dataset.TotalSize (the
// total the bytes are shown against) adds up the sizes of the files a
// pattern matches, locally and on gs://.
func TestReadProgressReportsStoredBytes(t *testing.T) {
	dir := t.TempDir()
	big := []byte(strings.Repeat(`{"content":"def f(x):\n    return x\n"}`+"\n", 40000)) // ~1.6 MB
	var paths []string
	var sum int64
	for _, kind := range []string{"plain", "gz", "zst"} {
		name := "rows.jsonl"
		if kind != "plain" {
			name += "." + kind
		}
		p := writeFile(t, filepath.Join(dir, name), compress(t, kind, big))
		got, calls := readReported(t, p)
		if got != sizeOf(t, p) {
			t.Errorf("%s: reported %d bytes, the file has %d", kind, got, sizeOf(t, p))
		}
		if kind == "plain" && calls < 2 {
			t.Errorf("%s: reported in %d call(s): progress would not move inside the file", kind, calls)
		}
		paths = append(paths, p)
		sum += sizeOf(t, p)
	}
	pqDir := filepath.Join(dir, "pq")
	if err := os.Mkdir(pqDir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, pq, err := PackStdlib(pqDir, stdlib, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, size := mustRead(t, pq[0]); got <= size/2 || got > size {
		t.Errorf("parquet: reported %d bytes of %d: want more than half, at most all", got, size)
	}

	// What the progress line measures the reported bytes against.
	if size, err := dataset.TotalSize(context.Background(), filepath.Join(dir, "rows.jsonl*")); err != nil || size != sum {
		t.Errorf("TotalSize = %d bytes, %v; want %d", size, err, sum)
	}
	startGCS(t, paths)
	if size, err := dataset.TotalSize(context.Background(), "gs://corpus/stdlib/rows.jsonl*"); err != nil || size != sum {
		t.Errorf("gs:// TotalSize = %d bytes, %v; want %d", size, err, sum)
	}
	if got, _ := readReported(t, "gs://corpus/stdlib/rows.jsonl.zst"); got != sizeOf(t, paths[2]) {
		t.Errorf("gs:// zst: reported %d bytes, the object has %d", got, sizeOf(t, paths[2]))
	}
}

// mustRead returns the bytes reported while reading path, and its size.
func mustRead(t *testing.T, path string) (reported, size int64) {
	t.Helper()
	reported, _ = readReported(t, path)
	return reported, sizeOf(t, path)
}

func sizeOf(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
