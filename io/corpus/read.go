package corpus

import (
	"context"
	"fmt"
	"strings"

	"github.com/unitcoder/unitcoder/sample"
)

// Reject reasons (Unit "file", Stage "read").
const (
	ReasonInvalidJSON      = "invalid_json"
	ReasonMissingContent   = "missing_content"
	ReasonContentNotString = "content_not_string"
	ReasonInvalidUTF8      = "invalid_utf8"
	ReasonBinary           = "binary"
	ReasonTooLarge         = "too_large"
	ReasonTruncated        = "truncated_stream"
	ReasonUnreadable       = "unreadable"
)

// Stats counts what ReadFile saw in one corpus file.
type Stats struct {
	Rows     int   // rows (JSONL lines, Parquet rows) seen, rejected ones included
	Emitted  int   // FileDocs emitted
	Rejected int   // Rejected emitted, file-level ones included
	Bytes    int64 // uncompressed bytes read
}

// ReadFile streams one corpus file (JSONL, optionally .gz/.zst, or
// Parquet; local or gs://). Each good row goes to emit, each bad row or
// file-level failure to reject, so every row is accounted for. Only
// cancellation is returned as an error.
func ReadFile(ctx context.Context, path string, f Fields, emit func(sample.FileDoc), reject func(sample.Rejected)) (Stats, error) {
	r := &reader{path: path, fields: f, emit: emit, reject: reject}
	var err error
	if isParquet(path) {
		err = r.readParquet(ctx)
	} else {
		err = r.readJSONL(ctx)
	}
	if ctx.Err() != nil {
		return r.stats, fmt.Errorf("read %s: %w", path, ctx.Err())
	}
	if err != nil {
		r.fail("", ReasonUnreadable, err.Error())
	}
	return r.stats, nil
}

func isParquet(path string) bool {
	return strings.HasSuffix(strings.ToLower(path), ".parquet")
}

// reader holds the state of one ReadFile call.
type reader struct {
	path   string
	fields Fields
	emit   func(sample.FileDoc)
	reject func(sample.Rejected)
	stats  Stats
}

// row maps and emits one decoded row; n is its 1-based line or row number.
func (r *reader) row(n int, row map[string]any) {
	doc, reason, detail := toDoc(row, r.fields, r.path)
	if reason != "" {
		r.fail(fmt.Sprintf("#%d", n), reason, detail)
		return
	}
	r.stats.Emitted++
	r.emit(doc)
}

// fail emits a reject; suffix is "#n" for a row, "" for the whole file.
func (r *reader) fail(suffix, reason, detail string) {
	r.stats.Rejected++
	r.reject(sample.RejectFile(r.path+suffix, sample.StageRead, reason, detail))
}
