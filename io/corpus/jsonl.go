package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/bytedance/sonic"

	"github.com/unitcoder/unitcoder/io/dataset"
)

// jsonAPI decodes rows. Strings are not validated here so that invalid
// UTF-8 content is reported as invalid_utf8 rather than invalid_json, and
// not copied: each line has its own buffer.
var jsonAPI = sonic.Config{}.Froze()

// readJSONL streams a JSON-lines file. A read error after the stream
// opened means the file is cut short: the rows before it are kept and one
// truncated_stream reject stands for the rest, including a partial line.
func (r *reader) readJSONL(ctx context.Context) error {
	in, closeAll, err := openDecompressed(ctx, r.path)
	if err != nil {
		return err
	}
	defer closeAll()
	counted := &countingReader{r: in}
	br := bufio.NewReaderSize(counted, 256<<10)
	defer func() { r.stats.Bytes = counted.n }()
	for n := 1; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil
		}
		line, oversize, err := dataset.ReadLine(br, r.fields.maxBytes())
		if err != nil && !errors.Is(err, io.EOF) {
			r.fail("", ReasonTruncated, fmt.Sprintf("after line %d: %v", n-1, err))
			return nil
		}
		if len(bytes.TrimSpace(line)) > 0 || oversize > 0 {
			r.stats.Rows++
			r.line(n, line, oversize)
		}
		if err != nil { // io.EOF: the last line had no newline, and is whole
			return nil
		}
	}
}

// line decodes and emits one JSON line.
func (r *reader) line(n int, line []byte, oversize int) {
	if oversize > 0 {
		r.fail(fmt.Sprintf("#%d", n), ReasonTooLarge, fmt.Sprintf("line of %d bytes > %d", oversize, r.fields.maxBytes()))
		return
	}
	var row map[string]any
	if err := jsonAPI.Unmarshal(line, &row); err != nil {
		r.fail(fmt.Sprintf("#%d", n), ReasonInvalidJSON, shorten(err.Error()))
		return
	}
	r.row(n, row)
}

func shorten(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// countingReader counts the uncompressed bytes read.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
