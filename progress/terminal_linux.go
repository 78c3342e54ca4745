package progress

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// terminal reports whether w is a terminal, and whether that terminal
// has a size. A pseudo-terminal nobody sized (script(1) run without a
// controlling terminal, some CI runners) reports 0x0, and mpb then draws
// nothing at all: such a terminal gets log lines in auto mode, and bars
// drawn as for a file in bars mode.
func terminal(w io.Writer) (tty, sized bool) {
	f, ok := w.(*os.File)
	if !ok {
		return false, false
	}
	fd := int(f.Fd())
	if _, err := unix.IoctlGetTermios(fd, unix.TCGETS); err != nil {
		return false, false
	}
	ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	return true, err == nil && ws.Col > 0 && ws.Row > 0
}
