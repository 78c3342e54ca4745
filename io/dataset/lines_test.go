package dataset

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
)

// TestReadLinesSkipsOversizeLines: a line over the limit becomes one Err
// line and reading goes on, so the rows after it are not lost; blank lines
// are skipped and the last line needs no newline.
func TestReadLinesSkipsOversizeLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rows.jsonl")
	text := "{\"a\":1}\n\n" + strings.Repeat("x", 100) + "\n{\"a\":3}\n{\"a\":4}"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []Line
	fn := &readLinesFn{MaxLine: 20}
	if err := fn.ProcessElement(context.Background(), fileio.FileMetadata{Path: path}, func(l Line) { got = append(got, l) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d lines, want 4: %+v", len(got), got)
	}
	for i, want := range []struct {
		number    int
		text, err string
	}{{1, `{"a":1}`, ""}, {3, "", "bytes > 20"}, {4, `{"a":3}`, ""}, {5, `{"a":4}`, ""}} {
		l := got[i]
		if l.Number != want.number || l.Text != want.text || !strings.Contains(l.Err, want.err) || (want.err == "") != (l.Err == "") {
			t.Errorf("line %d = %+v, want number %d text %q err containing %q", i, l, want.number, want.text, want.err)
		}
	}
}
