package dataset

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/klauspost/compress/zstd"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*Line)(nil)).Elem())
	register.DoFn3x1[context.Context, fileio.FileMetadata, func(Line), error](&readLinesFn{})
	register.DoFn3x1[context.Context, string, func(Line), error](&readSpilledLinesFn{})
	register.Emitter1[Line]()
}

var linesRead = beam.NewCounter("read", "lines")

// Line is one line of an input file, or the error that ended reading it.
type Line struct {
	Source string
	Number int
	Text   string
	// Err is set, with Text empty, on a line longer than MaxLineBytes
	// (skipped; reading goes on) and on the last Line of a file that could
	// not be read to the end (truncated stream, I/O error).
	Err string
}

// ReadJSONLines reads every line of every file matching glob (plain, .gz or
// .zst; local or gs://) and returns PCollection<Line>. Files are streamed,
// never loaded whole, and decompressed by this package rather than
// textio, which loses lines of .gz files. A read error becomes a Line with
// Err set, after the lines that were read, so callers can account for it.
func ReadJSONLines(s beam.Scope, glob string) beam.PCollection {
	s = s.Scope("ReadJSONLines")
	files := fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow())
	return beam.ParDo(s, &readLinesFn{}, files)
}

type readLinesFn struct {
	// MaxLine bounds one line (0: MaxLineBytes); tests set it low.
	MaxLine int `json:"max_line,omitempty"`
}

func (fn *readLinesFn) ProcessElement(ctx context.Context, f fileio.FileMetadata, emit func(Line)) error {
	return EachLine(ctx, f.Path, fn.MaxLine, func(l Line) {
		if l.Err == "" {
			linesRead.Inc(ctx, 1)
		}
		emit(l)
	})
}

// EachLine reads the file at path as [ReadJSONLines] reads each file and
// calls emit with every Line, numbered the same way; maxLine bounds one
// line (0: MaxLineBytes). It returns only ctx's error: read errors become
// Lines.
func EachLine(ctx context.Context, path string, maxLine int, emit func(Line)) error {
	r, err := Open(ctx, path)
	if err != nil {
		emit(Line{Source: path, Err: err.Error()})
		return nil
	}
	defer r.Close()
	if maxLine <= 0 {
		maxLine = MaxLineBytes
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, oversize, err := ReadLine(br, maxLine)
		switch {
		case oversize > 0:
			emit(Line{Source: path, Number: n, Err: fmt.Sprintf("line %d of %s: %d bytes > %d", n, path, oversize, maxLine)})
		case len(line) > 0:
			emit(Line{Source: path, Number: n, Text: string(line)})
		}
		if errors.Is(err, io.EOF) {
			return ctx.Err()
		}
		if err != nil {
			emit(Line{Source: path, Number: n + 1, Err: fmt.Sprintf("read %s after line %d: %v", path, n, err)})
			return ctx.Err()
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// LineSpill writes Lines to a local file that [ReadSpilledLines] reads
// back exactly: zstd-compressed JSON, each string field as bytes, so that
// no invalid UTF-8 in a line or a file name is replaced on the way.
type LineSpill struct {
	f   *os.File
	buf *bufio.Writer
	z   *zstd.Encoder
	enc *json.Encoder
}

// spilledLine is a Line as a spill file holds it.
type spilledLine struct {
	Source []byte `json:"s"`
	Number int    `json:"n"`
	Text   []byte `json:"t,omitempty"`
	Err    []byte `json:"e,omitempty"`
}

// CreateLineSpill creates (or truncates) the spill file at path.
func CreateLineSpill(path string) (*LineSpill, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	z, err := zstd.NewWriter(buf, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	return &LineSpill{f: f, buf: buf, z: z, enc: json.NewEncoder(z)}, nil
}

// Write appends l.
func (s *LineSpill) Write(l Line) error {
	return s.enc.Encode(spilledLine{Source: []byte(l.Source), Number: l.Number, Text: []byte(l.Text), Err: []byte(l.Err)})
}

// Close flushes and closes the file.
func (s *LineSpill) Close() error {
	err := s.z.Close()
	if ferr := s.buf.Flush(); err == nil {
		err = ferr
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadSpilledLines reads back, as PCollection<Line>, the Lines written to
// the local spill file at path (a [LineSpill]; the local runner's
// synthesis waves), exactly as they were read. The read counter counts
// them as ReadJSONLines counted them. A line that does not decode fails
// the job: the file is the caller's own.
func ReadSpilledLines(s beam.Scope, path string) beam.PCollection {
	s = s.Scope("ReadSpilledLines")
	return beam.ParDo(s, &readSpilledLinesFn{}, beam.Create(s, path))
}

type readSpilledLinesFn struct{}

func (fn *readSpilledLinesFn) ProcessElement(ctx context.Context, path string, emit func(Line)) error {
	r, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	// base64 makes a spilled line about 4/3 of its text and source.
	sc.Buffer(make([]byte, 64<<10), 2*MaxLineBytes+1<<20)
	for sc.Scan() {
		var l spilledLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("spilled line of %s: %w", path, err)
		}
		if len(l.Err) == 0 {
			linesRead.Inc(ctx, 1)
		}
		emit(Line{Source: string(l.Source), Number: l.Number, Text: string(l.Text), Err: string(l.Err)})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return ctx.Err()
}
