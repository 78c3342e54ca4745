package retrieval

import (
	"context"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/progress"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
)

func init() {
	register.DoFn4x1[context.Context, fileio.FileMetadata, func(sample.FileDoc), func(sample.Rejected), error](&readCorpusFn{})
	register.Emitter1[sample.FileDoc]()
	register.Emitter1[sample.Rejected]()
}

var (
	rowsEmitted  = runstats.RowsEmitted.Beam()
	rowsRejected = runstats.RowsRejected.Beam()
	bytesRead    = beam.NewCounter("read", "bytes")

	progressRead       = progress.Get(progress.Read)
	progressInputBytes = progress.Get(progress.InputBytesRead)
)

// ReadCorpus streams every corpus file matching glob into FileDocs and
// read rejects. Files are read by io/corpus, not textio, which loses lines
// of .gz files. The matched file names are reshuffled so that files are
// read in parallel; the rows are not, so reading, extraction and
// everything up to the next shuffle run fused, row by row, and no runner
// holds the corpus's contents.
func ReadCorpus(s beam.Scope, glob string, fields corpus.Fields) (docs, rejected beam.PCollection) {
	s = s.Scope("ReadCorpus")
	files := fileio.MatchFiles(s, glob, fileio.MatchEmptyDisallow())
	return beam.ParDo2(s, &readCorpusFn{Fields: fields}, beam.Reshuffle(s, files))
}

// ReadFiles is ReadCorpus over a list of files, taken as named (not as
// globs): one wave of pipelines.ExtractWave.
func ReadFiles(s beam.Scope, paths []string, fields corpus.Fields) (docs, rejected beam.PCollection) {
	s = s.Scope("ReadCorpus")
	files := make([]fileio.FileMetadata, len(paths))
	for i, p := range paths {
		files[i] = fileio.FileMetadata{Path: p}
	}
	return beam.ParDo2(s, &readCorpusFn{Fields: fields}, beam.Reshuffle(s, beam.CreateList(s, files)))
}

type readCorpusFn struct {
	Fields corpus.Fields `json:"fields"`
}

func (fn *readCorpusFn) ProcessElement(ctx context.Context, f fileio.FileMetadata, emit func(sample.FileDoc), reject func(sample.Rejected)) error {
	// Counted per row, not per file, so progress moves inside big files.
	countedEmit := func(d sample.FileDoc) { progressRead.Add(1); emit(d) }
	ctx = corpus.WithReadProgress(ctx, progressInputBytes.Add)
	st, err := corpus.ReadFile(ctx, f.Path, fn.Fields, countedEmit, reject)
	rowsEmitted.Inc(ctx, int64(st.Emitted))
	rowsRejected.Inc(ctx, int64(st.Rejected))
	bytesRead.Inc(ctx, st.Bytes)
	return err
}
