package dataset

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	pathpkg "path"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/klauspost/compress/zstd"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*Row)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*ShardInfo)(nil)).Elem())
	register.DoFn2x0[Row, func(int, Row)](&assignShardFn{})
	register.DoFn2x0[int, func(int, Row)](&seedShardFn{})
	register.DoFn4x1[context.Context, int, func(*Row) bool, func(ShardInfo), error](&writeShardFn{})
	register.Emitter2[int, Row]()
	register.Emitter1[ShardInfo]()
	register.Iter1[Row]()
}

// Params says where and how WriteShards writes.
type Params struct {
	// Dir is the output directory, local or gs://.
	Dir string
	// Shards is the number of files; at least 1.
	Shards int
	// Compression is CompressionZstd (default) or CompressionNone.
	Compression string
}

// ShardInfo describes one written shard.
type ShardInfo struct {
	Path string
	Rows int
}

// WriteShards writes rows (PCollection<Row>) as p.Shards deterministic files
// in p.Dir and returns PCollection<ShardInfo>, one per shard.
func WriteShards(s beam.Scope, rows beam.PCollection, p Params) beam.PCollection {
	s = s.Scope("WriteShards")
	if p.Shards < 1 {
		panic(fmt.Sprintf("dataset.WriteShards: %d shards; need at least 1", p.Shards))
	}
	if p.Compression == "" {
		p.Compression = CompressionZstd
	}
	keyed := beam.ParDo(s, &assignShardFn{Shards: p.Shards}, rows)
	indices := make([]int, p.Shards)
	for i := range indices {
		indices[i] = i
	}
	// Seeds make every shard exist, so readers always see the full set.
	seeds := beam.ParDo(s, &seedShardFn{}, beam.CreateList(s, indices))
	grouped := beam.GroupByKey(s, beam.Flatten(s, keyed, seeds))
	return beam.ParDo(s, &writeShardFn{Dir: p.Dir, Shards: p.Shards, Compression: p.Compression}, grouped)
}

type assignShardFn struct {
	Shards int `json:"shards"`
}

func (fn *assignShardFn) ProcessElement(r Row, emit func(int, Row)) {
	emit(ShardOf(r.ID, fn.Shards), r)
}

// seedShardFn emits an empty marker row for a shard index.
type seedShardFn struct{}

func (fn *seedShardFn) ProcessElement(i int, emit func(int, Row)) {
	emit(i, Row{})
}

type writeShardFn struct {
	Dir         string `json:"dir"`
	Shards      int    `json:"shards"`
	Compression string `json:"compression"`
}

func (fn *writeShardFn) ProcessElement(ctx context.Context, shard int, iter func(*Row) bool, emit func(ShardInfo)) error {
	var rows []Row
	var r Row
	for iter(&r) {
		if r.ID == "" && r.Line == "" {
			continue // seed marker
		}
		rows = append(rows, r)
	}
	info, err := WriteShard(ctx, Params{Dir: fn.Dir, Shards: fn.Shards, Compression: fn.Compression}, shard, rows)
	if err != nil {
		return err
	}
	emit(info)
	return nil
}

// WriteShard writes shard i of p with rows, as [WriteShards] writes it:
// sorted by ID then line, and encoded so the bytes depend only on the
// rows. Callers that gather a shard's rows themselves (the local runner's
// waves) write files identical to a pipeline's. rows is sorted in place.
func WriteShard(ctx context.Context, p Params, i int, rows []Row) (ShardInfo, error) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].ID != rows[j].ID {
			return rows[i].ID < rows[j].ID
		}
		return rows[i].Line < rows[j].Line
	})
	var size int64
	for _, r := range rows {
		size += int64(len(strings.TrimRight(r.Line, "\n"))) + 1
	}
	return WriteShardLines(ctx, p, i, size, func(write func(line string) error) error {
		for _, r := range rows {
			if err := write(r.Line); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteShardLines writes shard i of p with the lines lines passes to
// write, in that order, streamed through the encoder to the file: the
// same lines give the same bytes as [WriteShard], without holding the
// shard. A caller that passes them sorted by row ID then line (a merge
// of shards WriteShard wrote) writes WriteShard's file. size is the
// bytes the lines make, each with its newline, and goes into the zstd
// frame's header (readers that decode a frame in one call need it); the
// write fails if the lines make another size.
func WriteShardLines(ctx context.Context, p Params, i int, size int64, lines func(write func(line string) error) error) (ShardInfo, error) {
	if p.Compression == "" {
		p.Compression = CompressionZstd
	}
	path := JoinPath(p.Dir, ShardName(i, p.Shards, p.Compression))
	n := 0
	err := writeAtomic(ctx, path, func(w io.Writer) error {
		var enc io.WriteCloser
		err := lines(func(line string) error {
			if enc == nil {
				var err error
				if enc, err = newShardEncoder(w, p.Compression, size); err != nil {
					return err
				}
			}
			n++
			if _, err := io.WriteString(enc, strings.TrimRight(line, "\n")); err != nil {
				return err
			}
			_, err := enc.Write(newline)
			return err
		})
		if enc == nil {
			if err == nil {
				err = writeEmptyShard(w, p.Compression)
			}
			return err
		}
		if cerr := enc.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return ShardInfo{}, err
	}
	if observe := rowsWritten.Load(); observe != nil {
		(*observe)(pathpkg.Base(strings.TrimRight(p.Dir, "/")), int64(n))
	}
	return ShardInfo{Path: path, Rows: n}, nil
}

var newline = []byte{'\n'}

var rowsWritten atomic.Pointer[func(dir string, rows int64)]

// OnRowsWritten sets the function told, after each shard is written, how
// many rows went into which output directory (its base name: "data",
// "rejected"). The live progress display listens here; nil stops it. It
// sees only shards written in this process.
func OnRowsWritten(fn func(dir string, rows int64)) {
	if fn == nil {
		rowsWritten.Store(nil)
		return
	}
	rowsWritten.Store(&fn)
}

// newShardEncoder compresses what is written to it into w, with settings
// that make the bytes depend only on the bytes written (one encoder
// goroutine; zstd cuts blocks by size, not by Write calls), in one frame
// that declares size. Plain output is buffered.
func newShardEncoder(w io.Writer, compression string, size int64) (io.WriteCloser, error) {
	if compression != CompressionZstd {
		return bufferedWriteCloser{bufio.NewWriterSize(w, 256<<10)}, nil
	}
	enc, err := newZstdShardEncoder()
	if err != nil {
		return nil, err
	}
	enc.ResetContentSize(w, size)
	return enc, nil
}

// newZstdShardEncoder is the zstd encoder of every shard.
func newZstdShardEncoder() (*zstd.Encoder, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	return enc, nil
}

// emptyZstdShard is a zstd shard without rows: the encoder's frame for
// empty input (a stream closed without input would add a checksum;
// shards have always held this frame).
var emptyZstdShard = sync.OnceValues(func() ([]byte, error) {
	enc, err := newZstdShardEncoder()
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	return enc.EncodeAll(nil, nil), nil
})

// writeEmptyShard writes a shard without rows.
func writeEmptyShard(w io.Writer, compression string) error {
	if compression != CompressionZstd {
		return nil
	}
	frame, err := emptyZstdShard()
	if err != nil {
		return err
	}
	_, err = w.Write(frame)
	return err
}

// bufferedWriteCloser flushes its buffer on Close.
type bufferedWriteCloser struct{ *bufio.Writer }

func (b bufferedWriteCloser) Close() error { return b.Flush() }

// WriteFileAtomic writes data to path (local or gs://) so that readers see
// either the old file or the whole new one.
func WriteFileAtomic(ctx context.Context, path string, data []byte) error {
	return writeAtomic(ctx, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic writes what fill writes to path, as WriteFileAtomic: a local
// file is written beside path and renamed over it; an object store's
// upload is cancelled, not committed, when fill fails.
func writeAtomic(ctx context.Context, path string, fill func(w io.Writer) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer fs.Close()
	target := path
	renamer, canRename := fs.(filesystem.Renamer)
	local := !strings.Contains(path, "://")
	if local && canRename {
		target = path + ".tmp"
	}
	w, err := fs.OpenWrite(ctx, target)
	if err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	if err := fill(w); err != nil {
		cancel()
		w.Close()
		if target != path {
			os.Remove(target)
		}
		return fmt.Errorf("write %s: %w", target, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("close %s: %w", target, err)
	}
	if target != path {
		if err := renamer.Rename(ctx, target, path); err != nil {
			return fmt.Errorf("rename %s: %w", target, err)
		}
	}
	return nil
}
