package corpus

import (
	"context"
	"io"
	"sync/atomic"
)

type readProgressKey struct{}

// WithReadProgress returns a context under which ReadFile reports to fn
// the stored bytes it consumes (compressed bytes for .gz and .zst, bytes
// fetched for Parquet) as it reads, so that progress moves inside a large
// file. fn is called from the reading goroutine, often; it must be cheap
// and safe for concurrent use (an atomic add).
func WithReadProgress(ctx context.Context, fn func(n int64)) context.Context {
	return context.WithValue(ctx, readProgressKey{}, fn)
}

func readProgress(ctx context.Context) func(int64) {
	fn, _ := ctx.Value(readProgressKey{}).(func(int64))
	return fn
}

// progressReader reports the bytes read through it.
type progressReader struct {
	r  io.ReadCloser
	fn func(int64)
}

func (p progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.fn(int64(n))
	}
	return n, err
}

func (p progressReader) Close() error { return p.r.Close() }

// progressReaderAt reports the bytes read through it, at most left in
// all: a Parquet reader reads some ranges (the footer) more than once, and
// progress must not run past the file's size.
type progressReaderAt struct {
	r    io.ReaderAt
	fn   func(int64)
	left *atomic.Int64
}

func newProgressReaderAt(r io.ReaderAt, size int64, fn func(int64)) progressReaderAt {
	p := progressReaderAt{r: r, fn: fn, left: &atomic.Int64{}}
	p.left.Store(size)
	return p
}

func (p progressReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := p.r.ReadAt(b, off)
	if n > 0 {
		if left := p.left.Add(-int64(n)); left >= 0 {
			p.fn(int64(n))
		} else if left+int64(n) > 0 {
			p.fn(left + int64(n))
		}
	}
	return n, err
}
