package dataset

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

func init() {
	beam.RegisterType(reflect.TypeOf((*Line)(nil)).Elem())
	register.DoFn3x1[context.Context, fileio.FileMetadata, func(Line), error](&readLinesFn{})
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
	r, err := Open(ctx, f.Path)
	if err != nil {
		emit(Line{Source: f.Path, Err: err.Error()})
		return nil
	}
	defer r.Close()
	max := fn.MaxLine
	if max <= 0 {
		max = MaxLineBytes
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, oversize, err := ReadLine(br, max)
		switch {
		case oversize > 0:
			emit(Line{Source: f.Path, Number: n, Err: fmt.Sprintf("line %d of %s: %d bytes > %d", n, f.Path, oversize, max)})
		case len(line) > 0:
			linesRead.Inc(ctx, 1)
			emit(Line{Source: f.Path, Number: n, Text: string(line)})
		}
		if errors.Is(err, io.EOF) {
			return ctx.Err()
		}
		if err != nil {
			emit(Line{Source: f.Path, Number: n + 1, Err: fmt.Sprintf("read %s after line %d: %v", f.Path, n, err)})
			return ctx.Err()
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
