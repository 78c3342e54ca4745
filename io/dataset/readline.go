package dataset

import (
	"bufio"
	"bytes"
	"errors"
)

// ReadLine returns the next line of br without its newline. A line longer
// than max bytes is skipped without being held in memory; oversize is
// then its length and line is nil, so a caller can reject that one line and
// read on. err is io.EOF when the stream ended (line holds any final
// unterminated line), or the read error.
func ReadLine(br *bufio.Reader, max int) (line []byte, oversize int, err error) {
	var buf []byte
	total := 0
	for {
		frag, err := br.ReadSlice('\n')
		total += len(frag)
		if total <= max+1 {
			buf = append(buf, frag...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case total == 0 && err != nil:
			return nil, 0, err
		case total > max+1:
			return nil, total, err
		}
		return bytes.TrimSuffix(buf, []byte("\n")), 0, err
	}
}
