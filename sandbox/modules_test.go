package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestInstalledModules lists Debian's interpreter's modules, checks the
// cache is written and used, and that changing a sys.path directory
// invalidates it.
func TestInstalledModules(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	extra := t.TempDir() // the workers' environment has no PYTHONPATH, nor does the list
	os.WriteFile(filepath.Join(extra, "only_on_pythonpath.py"), nil, 0o644)
	t.Setenv("PYTHONPATH", extra)
	ctx := context.Background()
	mods, err := InstalledModules(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"os", "json", "sys", "numpy", "pandas", "_socket", "__future__", "unittest"} {
		if !slices.Contains(mods, want) {
			t.Errorf("%s missing from %d modules", want, len(mods))
		}
	}
	for _, absent := range []string{"tensorflow", "librosa", "no_such_module_x", "only_on_pythonpath"} {
		if slices.Contains(mods, absent) {
			t.Errorf("%s listed but not installed", absent)
		}
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "unitcoder", "modules-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	// A planted name in the cache is what the next call returns...
	c, ok := readModuleCache(files[0], "/usr/bin/python3")
	if real, _ := filepath.EvalSymlinks("/usr/bin/python3"); !ok {
		c, ok = readModuleCache(files[0], real)
	}
	if !ok {
		t.Fatal("cache not readable")
	}
	c.Modules = append(c.Modules, "planted_by_test")
	writeModuleCache(files[0], c)
	again, err := InstalledModules(ctx, "")
	if err != nil || !slices.Contains(again, "planted_by_test") {
		t.Fatalf("cache not used: %v", err)
	}
	// ...until a directory it was computed from changes.
	c.Stamp[len(c.Stamp)-1] += " changed"
	writeModuleCache(files[0], c)
	fresh, err := InstalledModules(ctx, "")
	if err != nil || slices.Contains(fresh, "planted_by_test") || len(fresh) != len(mods) {
		t.Fatalf("stale cache used: %d modules, %v", len(fresh), err)
	}
	if _, err := InstalledModules(ctx, "/nonexistent/python3"); err == nil {
		t.Error("a missing interpreter gave no error")
	}
}

// TestRefusedModulesMatchGuard keeps RefusedModules equal to the guard's
// raw-memory module set.
func TestRefusedModulesMatchGuard(t *testing.T) {
	src, err := os.ReadFile("guard.py")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`_G_RAW_MODULES = frozenset\(\[([^\]]*)\]\)`).FindSubmatch(src)
	if m == nil {
		t.Fatal("guard.py has no _G_RAW_MODULES")
	}
	var guard []string
	for _, q := range strings.Split(string(m[1]), ",") {
		guard = append(guard, strings.Trim(strings.TrimSpace(q), `"'`))
	}
	slices.Sort(guard)
	refused := slices.Sorted(slices.Values(RefusedModules))
	if !slices.Equal(guard, refused) {
		t.Errorf("guard refuses %v, RefusedModules is %v", guard, refused)
	}
}
