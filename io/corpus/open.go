package corpus

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// openRaw opens a local file or a gs:// object as a stream.
func openRaw(ctx context.Context, path string) (io.ReadCloser, error) {
	if bucket, object, ok := splitGCS(path); ok {
		c, err := storageClient(ctx)
		if err != nil {
			return nil, err
		}
		// Raw bytes: a .gz object stored with Content-Encoding gzip would
		// otherwise arrive already decompressed.
		rc, err := c.Bucket(bucket).Object(object).ReadCompressed(true).NewReader(ctx)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		return rc, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return f, nil
}

// openRawCounted is openRaw, reporting the bytes read to the context's
// WithReadProgress callback if it has one.
func openRawCounted(ctx context.Context, path string) (io.ReadCloser, error) {
	rc, err := openRaw(ctx, path)
	if fn := readProgress(ctx); err == nil && fn != nil {
		return progressReader{r: rc, fn: fn}, nil
	}
	return rc, err
}

// openDecompressed opens path and undoes the compression its extension
// names (.gz, .zst); close releases everything.
func openDecompressed(ctx context.Context, path string) (io.Reader, func(), error) {
	raw, err := openRawCounted(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".gz"):
		zr, err := gzip.NewReader(raw)
		if err != nil {
			raw.Close()
			return nil, nil, fmt.Errorf("gzip header of %s: %w", path, err)
		}
		return zr, func() { zr.Close(); raw.Close() }, nil
	case strings.HasSuffix(lower, ".zst") || strings.HasSuffix(lower, ".zstd"):
		// One decoder goroutine: workers already read many files at once.
		zr, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(64<<20))
		if err != nil {
			raw.Close()
			return nil, nil, fmt.Errorf("zstd stream of %s: %w", path, err)
		}
		return zr, func() { zr.Close(); raw.Close() }, nil
	}
	return raw, func() { raw.Close() }, nil
}
