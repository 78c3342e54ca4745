package dataset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// jsonID is the key of the merge tests' rows: their "id" field.
func jsonID(line []byte) (string, error) {
	var r struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return "", err
	}
	return r.ID, nil
}

// splitIntoShardFiles deals rows at random into files of one shard each,
// every one written by WriteShard (so sorted), plain or zstd by turns.
func splitIntoShardFiles(t *testing.T, rows []Row, files int, seed int64) []string {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	parts := make([][]Row, files)
	for _, r := range rows {
		k := rng.Intn(files)
		parts[k] = append(parts[k], r)
	}
	var paths []string
	for k, part := range parts {
		comp := CompressionNone
		if k%3 == 0 {
			comp = CompressionZstd
		}
		dir := filepath.Join(t.TempDir(), fmt.Sprint(k))
		info, err := WriteShard(context.Background(), Params{Dir: dir, Shards: 1, Compression: comp}, 0, part)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, info.Path)
	}
	return paths
}

// linesSize is the bytes rows make as a shard's lines.
func linesSize(rows []Row) int64 {
	var n int64
	for _, r := range rows {
		n += int64(len(r.Line)) + 1
	}
	return n
}

// TestWriteShardLinesDeclaresItsSize: a zstd shard larger than one block
// (128 KB) declares its content size in its frame header, as the shards
// written in one call always did (readers that decode a frame in one call
// need it), and lines that make another size fail the write and leave no
// shard.
func TestWriteShardLinesDeclaresItsSize(t *testing.T) {
	ctx := context.Background()
	rows := mergeRows(4000, 7)
	size := linesSize(rows)
	if size < 256<<10 {
		t.Fatalf("bad test: %d bytes", size)
	}
	dir := t.TempDir()
	info, err := WriteShard(ctx, Params{Dir: dir, Shards: 1}, 0, rows)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	var h zstd.Header
	if err := h.Decode(b); err != nil {
		t.Fatal(err)
	}
	if !h.HasFCS || h.FrameContentSize != uint64(size) {
		t.Fatalf("frame header: content size %v %d, want %d", h.HasFCS, h.FrameContentSize, size)
	}
	out := t.TempDir()
	if _, err := WriteShardLines(ctx, Params{Dir: out, Shards: 1}, 0, size+1, func(write func(string) error) error {
		for _, r := range rows {
			if err := write(r.Line); err != nil {
				return err
			}
		}
		return nil
	}); err == nil || !strings.Contains(err.Error(), "size") {
		t.Fatalf("error %v, want a content size mismatch", err)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Fatalf("a failed write left %v", left)
	}
}

func mergeRows(n int, seed int64) []Row {
	rng := rand.New(rand.NewSource(seed))
	var rows []Row
	for i := 0; i < n; i++ {
		// Few ids, so one id has several lines, some in the same file;
		// some lines repeat whole.
		id := fmt.Sprintf("f-%03d", rng.Intn(n/3+1))
		line := fmt.Sprintf(`{"id":%q,"v":%d,"pad":%q}`, id, rng.Intn(4), strings.Repeat("x", rng.Intn(200)))
		rows = append(rows, Row{ID: id, Line: line})
	}
	return rows
}

// TestMergeSortedLinesEqualsOneShard: shard files written apart and merged
// give, line for line and byte for byte, the shard WriteShard writes from
// all their rows at once; with more files than one pass reads, too.
func TestMergeSortedLinesEqualsOneShard(t *testing.T) {
	ctx := context.Background()
	for _, files := range []int{1, 5, 2*MaxMergeFanIn + 7} {
		t.Run(fmt.Sprint(files, "files"), func(t *testing.T) {
			rows := mergeRows(4*files+50, int64(files))
			paths := splitIntoShardFiles(t, rows, files, int64(files))
			for _, comp := range []string{CompressionZstd, CompressionNone} {
				whole := t.TempDir()
				want, err := WriteShard(ctx, Params{Dir: whole, Shards: 2, Compression: comp}, 1, append([]Row(nil), rows...))
				if err != nil {
					t.Fatal(err)
				}
				merged, tmp := t.TempDir(), t.TempDir()
				got, err := WriteShardLines(ctx, Params{Dir: merged, Shards: 2, Compression: comp}, 1, linesSize(rows), func(write func(string) error) error {
					return MergeSortedLines(ctx, paths, jsonID, tmp, write)
				})
				if err != nil {
					t.Fatal(err)
				}
				if got.Rows != len(rows) || want.Rows != len(rows) {
					t.Fatalf("%s: rows merged %d, whole %d, want %d", comp, got.Rows, want.Rows, len(rows))
				}
				a, _ := os.ReadFile(want.Path)
				b, err := os.ReadFile(got.Path)
				if err != nil || !bytes.Equal(a, b) {
					t.Fatalf("%s: merged shard differs from the whole shard (%d vs %d bytes, err %v)", comp, len(b), len(a), err)
				}
			}
		})
	}
}

func TestMergeSortedLinesOrderAndEmptyInputs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	paths := []string{
		write("a.jsonl", `{"id":"b","x":1}`+"\n"+`{"id":"d"}`+"\n"),
		write("empty.jsonl", ""),
		write("blank.jsonl", "\n\n"),
		// No final newline; a line that sorts before another of its id.
		write("c.jsonl", `{"id":"a"}`+"\n\n"+`{"id":"b","x":0}`),
	}
	var got []string
	if err := MergeSortedLines(ctx, paths, jsonID, t.TempDir(), func(l string) error { got = append(got, l); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"id":"a"}`, `{"id":"b","x":0}`, `{"id":"b","x":1}`, `{"id":"d"}`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("merged %q, want %q", got, want)
	}
	if !sort.StringsAreSorted(want) {
		t.Fatal("bad test")
	}
}

// TestWriteShardLinesFailureLeavesNoShard: a merge that fails (a bad row,
// a missing file) leaves neither the shard nor its temporary file, and
// says which file failed.
func TestWriteShardLinesFailureLeavesNoShard(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(good, []byte(`{"id":"a"}`+"\n"), 0o644)
	os.WriteFile(bad, []byte(`{"id":"b"}`+"\n"+`not json`+"\n"), 0o644)
	for name, files := range map[string][]string{
		"bad row":      {good, bad},
		"missing file": {good, filepath.Join(dir, "missing.jsonl")},
	} {
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			_, err := WriteShardLines(ctx, Params{Dir: out, Shards: 1}, 0, 22, func(write func(string) error) error {
				return MergeSortedLines(ctx, files, jsonID, t.TempDir(), write)
			})
			if err == nil || !strings.Contains(err.Error(), files[1]) {
				t.Fatalf("error %v, want one naming %s", err, files[1])
			}
			left, _ := os.ReadDir(out)
			if len(left) != 0 {
				t.Fatalf("a failed write left %v", left)
			}
		})
	}
	stop := errors.New("stop")
	out := t.TempDir()
	if _, err := WriteShardLines(ctx, Params{Dir: out, Shards: 1}, 0, 2, func(write func(string) error) error {
		if err := write("x"); err != nil {
			return err
		}
		return stop
	}); !errors.Is(err, stop) {
		t.Fatalf("error %v, want the lines' own", err)
	}
}
