package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// listModules prints what the interpreter can import at top level, as the
// sandbox's workers start it (-s -P: no user site, no script dir): builtin
// modules, every module and package on sys.path, and directories that are
// namespace packages (google/ of google.protobuf has no __init__.py).
const listModules = `
import json, os, pkgutil, sys
names = set(sys.builtin_module_names)
names.update(m.name for m in pkgutil.iter_modules())
dirs = [d for d in sys.path if d and os.path.isdir(d)]
for d in dirs:
    for e in os.listdir(d):
        if e.isidentifier() and os.path.isdir(os.path.join(d, e)):
            names.add(e)
print(json.dumps({"modules": sorted(names), "dirs": dirs}))
`

// RefusedModules are the modules whose import the static guard refuses in
// any form (guard.py's raw-memory rule): a program importing one is
// rejected before it runs, so retrieval rejects it before any LLM call.
var RefusedModules = []string{"ctypes", "_ctypes", "cffi"}

// moduleCache is the cached list and what it was computed from.
type moduleCache struct {
	Modules []string `json:"modules"`
	// Dirs are the interpreter's sys.path directories; a change to any of
	// them (a package installed or removed) invalidates the list.
	Dirs  []string  `json:"dirs"`
	Stamp []string  `json:"stamp"`
	Made  time.Time `json:"made"`
}

// InstalledModules returns the top-level modules python (the sandbox's
// interpreter; "" means /usr/bin/python3) can import, sorted. The list is
// computed once and cached under the user cache directory, keyed by the
// interpreter, and recomputed when the interpreter or any directory on its
// sys.path changes. Retrieval uses it to reject functions whose imports
// cannot load before any LLM call is paid for them.
func InstalledModules(ctx context.Context, python string) ([]string, error) {
	if python == "" {
		python = "/usr/bin/python3"
	}
	real, err := filepath.EvalSymlinks(python)
	if err != nil {
		return nil, fmt.Errorf("sandbox: interpreter %s: %w", python, err)
	}
	sum := sha256.Sum256([]byte(real))
	cacheFile := ""
	if dir, err := os.UserCacheDir(); err == nil {
		cacheFile = filepath.Join(dir, "unitcoder", "modules-"+hex.EncodeToString(sum[:8])+".json")
	}
	if c, ok := readModuleCache(cacheFile, real); ok {
		return c.Modules, nil
	}
	cmd := exec.CommandContext(ctx, python, "-s", "-P", "-c", listModules)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"} // workers get no PYTHONPATH either
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("sandbox: list the modules of %s: %w", python, err)
	}
	var c moduleCache
	if err := json.Unmarshal(out, &c); err != nil || len(c.Modules) == 0 {
		return nil, fmt.Errorf("sandbox: list the modules of %s: bad output %.200q (%v)", python, out, err)
	}
	c.Stamp, c.Made = stamp(append([]string{real}, c.Dirs...)), time.Now().UTC()
	if cacheFile != "" {
		writeModuleCache(cacheFile, c) // best effort: a read-only home still works, uncached
	}
	return c.Modules, nil
}

// stamp describes paths by modification time and size, so a cached list
// is used only while none of them changed.
func stamp(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if st, err := os.Stat(p); err == nil {
			out[i] = fmt.Sprintf("%s %d %d", p, st.ModTime().UnixNano(), st.Size())
		} else {
			out[i] = p + " missing"
		}
	}
	return out
}

func readModuleCache(path, interpreter string) (moduleCache, bool) {
	var c moduleCache
	if path == "" {
		return c, false
	}
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &c) != nil || len(c.Modules) == 0 {
		return c, false
	}
	want := stamp(append([]string{interpreter}, c.Dirs...))
	if len(want) != len(c.Stamp) {
		return c, false
	}
	for i := range want {
		if want[i] != c.Stamp[i] {
			return c, false
		}
	}
	return c, true
}

func writeModuleCache(path string, c moduleCache) {
	b, err := json.Marshal(c)
	if err != nil || os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if os.WriteFile(tmp, b, 0o644) == nil {
		_ = os.Rename(tmp, path)
	}
}
