package filter

import (
	"regexp"

	"github.com/unitcoder/unitcoder/sample"
)

// hostPath matches a string literal (with optional r/b/u/f prefixes) that
// starts with an absolute path on someone's machine: a Windows drive,
// a home directory or a mount point. Such functions read or write files a
// sandbox does not have, so their tests cannot pass for the right reason.
var hostPath = regexp.MustCompile(`^(?i:[rbuf]{0,2})(?:'''|"""|'|")(?:[A-Za-z]:(?:\\\\|\\|/)|(?:/home|/Users|/mnt|/media|/root|/content/drive|/scratch|/gpfs|/nfs)(?:/|\\))`)

func hostPaths(f sample.Function, r Rules) string {
	if r.AllowHostPaths {
		return ""
	}
	for _, lit := range f.Shape.Literals {
		if hostPath.MatchString(lit) {
			return ReasonHardcodedPath
		}
	}
	return ""
}
