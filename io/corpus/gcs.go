package corpus

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"cloud.google.com/go/storage"
)

var (
	clientMu sync.Mutex
	client   *storage.Client
)

// SetStorageClient makes gs:// paths use c (for example a client with
// custom credentials). Without it a client is made on first use from the
// environment; it honours STORAGE_EMULATOR_HOST.
func SetStorageClient(c *storage.Client) {
	clientMu.Lock()
	defer clientMu.Unlock()
	client = c
}

func storageClient(ctx context.Context) (*storage.Client, error) {
	clientMu.Lock()
	defer clientMu.Unlock()
	if client != nil {
		return client, nil
	}
	c, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage client: %w", err)
	}
	client = c
	return c, nil
}

// splitGCS splits gs://bucket/object.
func splitGCS(path string) (bucket, object string, ok bool) {
	rest, ok := strings.CutPrefix(path, "gs://")
	if !ok {
		return "", "", false
	}
	bucket, object, _ = strings.Cut(rest, "/")
	return bucket, object, bucket != ""
}

// objectReaderAt reads byte ranges of a GCS object, so Parquet footers and
// column chunks are fetched on demand instead of downloading the object.
type objectReaderAt struct {
	ctx context.Context
	obj *storage.ObjectHandle
}

func (o objectReaderAt) ReadAt(p []byte, off int64) (int, error) {
	rc, err := o.obj.NewRangeReader(o.ctx, off, int64(len(p)))
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.ReadFull(rc, p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// Size is the stored size in bytes of a corpus file, local or gs://.
func Size(ctx context.Context, path string) (int64, error) {
	_, size, closeFn, err := openReaderAt(ctx, path)
	if err != nil {
		return 0, err
	}
	closeFn()
	return size, nil
}

// openReaderAt returns random access to a local file or gs:// object.
func openReaderAt(ctx context.Context, path string) (io.ReaderAt, int64, func(), error) {
	if bucket, object, ok := splitGCS(path); ok {
		c, err := storageClient(ctx)
		if err != nil {
			return nil, 0, nil, err
		}
		obj := c.Bucket(bucket).Object(object)
		attrs, err := obj.Attrs(ctx)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("stat %s: %w", path, err)
		}
		return objectReaderAt{ctx: ctx, obj: obj}, attrs.Size, func() {}, nil
	}
	return openLocalReaderAt(path)
}
