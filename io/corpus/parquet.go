package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// readParquet streams a Parquet file row group by row group, a batch of
// rows at a time, so memory is bounded by a batch, not the file.
func (r *reader) readParquet(ctx context.Context) (err error) {
	// parquet-go trusts the file's metadata; a corrupt file can make it
	// panic, and one bad file must not take a worker down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("corrupt parquet %s: %v", r.path, p)
		}
	}()
	ra, size, closeFn, err := openReaderAt(ctx, r.path)
	if err != nil {
		return err
	}
	defer closeFn()
	if fn := readProgress(ctx); fn != nil {
		ra = newProgressReaderAt(ra, size, fn)
	}
	pf, err := parquet.OpenFile(ra, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(1<<20))
	if err != nil {
		return fmt.Errorf("open parquet %s: %w", r.path, err)
	}
	names := leafNames(pf.Schema())
	n := 0
	for gi, rg := range pf.RowGroups() {
		if err := r.readRowGroup(ctx, rg, names, &n); err != nil {
			r.fail("", ReasonTruncated, fmt.Sprintf("row group %d after row %d: %v", gi, n, err))
			return nil
		}
	}
	return nil
}

func (r *reader) readRowGroup(ctx context.Context, rg parquet.RowGroup, names []string, n *int) error {
	rows := rg.Rows()
	defer rows.Close()
	batch := make([]parquet.Row, 64)
	for {
		if ctx.Err() != nil {
			return nil
		}
		k, err := rows.ReadRows(batch)
		for _, row := range batch[:k] {
			*n++
			r.stats.Rows++
			r.parquetRow(*n, row, names)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// parquetRow turns a row's leaf values into the same map a JSON line
// decodes to: a string per scalar column, a list for repeated ones.
func (r *reader) parquetRow(n int, row parquet.Row, names []string) {
	m := make(map[string]any, len(names))
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(names) || v.IsNull() {
			continue
		}
		val := valueOf(v)
		if str, ok := val.(string); ok {
			r.stats.Bytes += int64(len(str))
		}
		prev, seen := m[names[c]]
		switch {
		case !seen:
			m[names[c]] = val
		case isRepeated(prev):
			m[names[c]] = append(prev.([]any), val)
		default: // the second value of a repeated column
			m[names[c]] = []any{prev, val}
		}
	}
	r.row(n, m)
}

func isRepeated(v any) bool {
	_, ok := v.([]any)
	return ok
}

func valueOf(v parquet.Value) any {
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	case parquet.Boolean:
		return v.Boolean()
	case parquet.Int32:
		return int64(v.Int32())
	case parquet.Int64:
		return v.Int64()
	case parquet.Float:
		return float64(v.Float())
	case parquet.Double:
		return v.Double()
	}
	return v.String()
}

// leafNames maps each leaf column index to its top-level field name, so a
// list column (detected_licenses.list.element) reads as detected_licenses.
func leafNames(s *parquet.Schema) []string {
	cols := s.Columns()
	names := make([]string, len(cols))
	for i, path := range cols {
		if len(path) > 0 {
			names[i] = path[0]
		}
	}
	return names
}

func openLocalReaderAt(path string) (io.ReaderAt, int64, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("open %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, fmt.Errorf("stat %s: %w", path, err)
	}
	return f, st.Size(), func() { f.Close() }, nil
}
