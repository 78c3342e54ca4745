//go:build !linux

package progress

import (
	"io"
	"os"
)

// terminal reports whether w is a character device, taken for a terminal
// with a size (the size check needs Linux ioctls; see terminal_linux.go).
func terminal(w io.Writer) (tty, sized bool) {
	f, ok := w.(*os.File)
	if !ok {
		return false, false
	}
	fi, err := f.Stat()
	tty = err == nil && fi.Mode()&os.ModeCharDevice != 0
	return tty, tty
}
