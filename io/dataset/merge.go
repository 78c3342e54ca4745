package dataset

import (
	"bufio"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// MaxMergeFanIn is how many files MergeSortedLines reads at once; more
// are merged in passes through local files.
const MaxMergeFanIn = 64

// mergeReadBuffer is each input's read buffer: with MaxMergeFanIn inputs
// open, the merge holds about MaxMergeFanIn times this plus one line per
// input.
const mergeReadBuffer = 32 << 10

// MergeSortedLines merges the lines of files that are each sorted by
// (key, line), as WriteShard sorts a shard's rows by (ID, line), and
// passes them to write in that order: one stream sorted as WriteShard
// would have sorted all of them. It holds one line per file and a read
// buffer, never a file. Files are opened with Open (local or gs://,
// plain or compressed by their names; plain ones read cheapest: a zstd
// reader holds its whole window). With more than MaxMergeFanIn files it
// merges them in groups into plain files under tmp, then merges those,
// removing each pass's files once the next pass has read them. Empty
// lines are skipped.
func MergeSortedLines(ctx context.Context, files []string, key func(line []byte) (string, error), tmp string, write func(line string) error) error {
	var made []string // the last pass's files
	defer func() { removeAll(made) }()
	for pass := 0; len(files) > MaxMergeFanIn; pass++ {
		var next []string
		for g := 0; g < len(files); g += MaxMergeFanIn {
			group := files[g:min(g+MaxMergeFanIn, len(files))]
			path := filepath.Join(tmp, fmt.Sprintf("merge-%d-%05d.jsonl", pass, len(next)))
			next = append(next, path)
			if err := mergeToFile(ctx, group, key, path); err != nil {
				removeAll(next)
				return err
			}
		}
		removeAll(made)
		files, made = next, next
	}
	return mergeLines(ctx, files, key, write)
}

func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}

func mergeToFile(ctx context.Context, files []string, key func([]byte) (string, error), path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = mergeLines(ctx, files, key, func(line string) error {
		if _, err := w.WriteString(line); err != nil {
			return err
		}
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// mergeInput is one file being merged: its reader and its current line.
type mergeInput struct {
	name string
	r    *bufio.Reader
	c    io.Closer
	line string
	key  string
}

// next reads the input's next non-empty line; false at its end.
func (in *mergeInput) next(key func([]byte) (string, error)) (bool, error) {
	for {
		b, err := in.r.ReadBytes('\n')
		if len(b) > 0 && b[len(b)-1] == '\n' {
			b = b[:len(b)-1]
		}
		if len(b) > 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				return false, fmt.Errorf("read %s: %w", in.name, err)
			}
			k, kerr := key(b)
			if kerr != nil {
				return false, fmt.Errorf("%s: %w", in.name, kerr)
			}
			in.line, in.key = string(b), k
			return true, nil
		}
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read %s: %w", in.name, err)
		}
	}
}

// mergeHeap orders inputs by their current (key, line).
type mergeHeap []*mergeInput

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].key != h[j].key {
		return h[i].key < h[j].key
	}
	return h[i].line < h[j].line
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*mergeInput)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func mergeLines(ctx context.Context, files []string, key func([]byte) (string, error), write func(line string) error) error {
	h := make(mergeHeap, 0, len(files))
	defer func() {
		for _, in := range h {
			in.c.Close()
		}
	}()
	for _, name := range files {
		rc, err := Open(ctx, name)
		if err != nil {
			return err
		}
		in := &mergeInput{name: name, r: bufio.NewReaderSize(rc, mergeReadBuffer), c: rc}
		ok, err := in.next(key)
		if err != nil || !ok {
			rc.Close()
			if err != nil {
				return err
			}
			continue
		}
		h = append(h, in)
	}
	heap.Init(&h)
	for len(h) > 0 {
		in := h[0]
		if err := write(in.line); err != nil {
			return err
		}
		ok, err := in.next(key)
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
			continue
		}
		in.c.Close()
		heap.Pop(&h)
	}
	return nil
}
