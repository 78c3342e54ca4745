package dataset

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	// Outputs live on local disk or in GCS.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// MaxLineBytes bounds one JSON line when reading outputs back.
const MaxLineBytes = 256 << 20

// Glob lists the files matching pattern (local or gs://), sorted.
func Glob(ctx context.Context, pattern string) ([]string, error) {
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("glob %s: %w", pattern, err)
	}
	defer fs.Close()
	files, err := fs.List(ctx, pattern)
	if err != nil {
		return nil, fmt.Errorf("glob %s: %w", pattern, err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".tmp") {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out, nil
}

// TotalSize is the summed stored size of the files pattern matches, listed
// the way fileio.MatchFiles lists a pipeline's input (Beam's filesystems,
// local or gs://), for showing how much of an input has been read.
func TotalSize(ctx context.Context, pattern string) (int64, error) {
	_, sizes, err := ListSizes(ctx, pattern)
	var total int64
	for _, n := range sizes {
		total += n
	}
	return total, err
}

// ListSizes lists the files pattern matches, sorted, with their stored
// sizes, the way fileio.MatchFiles lists a pipeline's input.
func ListSizes(ctx context.Context, pattern string) ([]string, []int64, error) {
	fs, err := filesystem.New(ctx, pattern)
	if err != nil {
		return nil, nil, fmt.Errorf("size of %s: %w", pattern, err)
	}
	defer fs.Close()
	files, err := fs.List(ctx, pattern)
	if err != nil {
		return nil, nil, fmt.Errorf("size of %s: %w", pattern, err)
	}
	sort.Strings(files)
	sizes := make([]int64, len(files))
	for i, f := range files {
		if sizes[i], err = fs.Size(ctx, f); err != nil {
			return nil, nil, fmt.Errorf("size of %s: %w", f, err)
		}
	}
	return files, sizes, nil
}

// Open opens path (local or gs://) and decompresses it by extension
// (.gz, .zst, otherwise plain).
func Open(ctx context.Context, path string) (io.ReadCloser, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	raw, err := fs.OpenRead(ctx, path)
	if err != nil {
		fs.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	closeAll := func() error { err := raw.Close(); fs.Close(); return err }
	switch {
	case strings.HasSuffix(path, ".zst"):
		dec, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(1))
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("open %s: zstd: %w", path, err)
		}
		return readCloser{dec.IOReadCloser(), closeAll}, nil
	case strings.HasSuffix(path, ".gz"):
		dec, err := gzip.NewReader(raw)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("open %s: gzip: %w", path, err)
		}
		return readCloser{dec, closeAll}, nil
	}
	return readCloser{raw, closeAll}, nil
}

type readCloser struct {
	io.ReadCloser
	closeRaw func() error
}

func (r readCloser) Close() error {
	r.ReadCloser.Close()
	return r.closeRaw()
}

// ReadLines calls fn for every non-empty line of every file matching
// pattern, in file order.
func ReadLines(ctx context.Context, pattern string, fn func(line []byte) error) error {
	files, err := Glob(ctx, pattern)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := readFileLines(ctx, f, fn); err != nil {
			return err
		}
	}
	return nil
}

// ReadFileLines calls fn for every non-empty line of the file at path,
// taken as named, not as a glob; a missing file is an error.
func ReadFileLines(ctx context.Context, path string, fn func(line []byte) error) error {
	return readFileLines(ctx, path, fn)
}

func readFileLines(ctx context.Context, path string, fn func(line []byte) error) error {
	r, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := fn(sc.Bytes()); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
