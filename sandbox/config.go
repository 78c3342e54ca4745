package sandbox

import (
	"fmt"
	"runtime"
	"time"
)

// DefaultPreload is the module list a warm worker imports before it forks
// jobs: the libraries most UnitCoder/BigCodeBench functions use. Import cost
// measured under /usr/bin/python3 on the (loaded, 2-core) dev machine:
// numpy 0.22 s, pandas 0.53 s, matplotlib.pyplot 0.8 s, scipy.stats 0.93 s,
// sklearn 0.77 s (+0.2 s submodules), seaborn 0.06 s, requests 0.1 s (cold,
// on a loaded machine). A strict worker starts in 1.15 s with this list,
// 0.82 s with numpy+pandas+pyplot+scipy.stats only and 0.04 s with none,
// paid once per MaxJobsPerWorker jobs. Per job, the bigger image costs about
// 1 ms more p50 than the small list (fork and exit of a larger process; see
// BenchmarkPreloadCost), far less than one in-job sklearn import. Left
// out because they are slow to import and rarer: sympy 0.95 s, cv2 1.1 s,
// statsmodels 0.48 s, nltk 0.31 s, bs4 0.31 s, networkx 0.17 s; jobs that
// use them import them themselves (a fresh import inside the job).
var DefaultPreload = []string{
	"numpy", "pandas", "matplotlib", "matplotlib.pyplot", "scipy", "scipy.stats",
	"sklearn", "sklearn.linear_model", "sklearn.preprocessing", "sklearn.model_selection",
	"sklearn.cluster", "seaborn", "requests", "coverage", "unittest.mock",
	"json", "re", "collections", "itertools", "datetime", "random", "math", "csv",
	"io", "os", "sys", "time", "string", "statistics", "tempfile", "shutil",
}

// Config tunes a Pool (and RunFresh).
type Config struct {
	// Python is the interpreter; default /usr/bin/python3 (Debian's, which
	// has the packages of debian-packages.txt).
	Python string
	// Workers is the number of warm workers; default runtime.NumCPU().
	Workers int
	// Preload lists modules each worker imports before forking. nil means
	// DefaultPreload; an empty non-nil slice preloads nothing.
	Preload []string
	// Isolation defaults to Strict.
	Isolation Isolation
	// MaxJobsPerWorker restarts a worker after this many jobs; default 1000.
	// Jobs run in forked children, so the parent stays clean; the restart
	// only bounds slow drift (caches, fragmentation) of the parent.
	MaxJobsPerWorker int
	// MemoryLimitMB is the address space a job may add on top of the
	// worker's preloaded image (RLIMIT_AS); default 1024.
	MemoryLimitMB int
	// OutputLimitBytes caps captured stdout and stderr each; default 64 KiB.
	OutputLimitBytes int
	// DiskLimitMB caps each file a job writes (RLIMIT_FSIZE) and, in strict
	// mode, the size of its private /tmp and work dir; default 64.
	DiskLimitMB int
	// DefaultTimeout applies to jobs with a zero Timeout; default 10 s.
	DefaultTimeout time.Duration
	// Guard configures the static guard (enabled unless Guard.Disabled).
	Guard GuardConfig
	// Logf is an optional logger; the active isolation level is logged once
	// at New.
	Logf func(format string, args ...any)
	// UIDBase is the first unprivileged uid jobs run as when the sandbox runs
	// as root; worker i uses UIDBase+i, so RLIMIT_NPROC (which counts per
	// uid) of one worker's jobs cannot starve another's. Default 61000.
	UIDBase int
	// HashSeed is the workers' PYTHONHASHSEED (str hashing, so the order of
	// sets of strings); default 0. Flakiness checks rerun a suite under
	// another seed.
	HashSeed int

	// procThreadWatch makes workers watch the suite thread through /proc
	// even where the kernel has thread pidfds (tests of the fallback).
	procThreadWatch bool
	// smallPages keeps workers and their jobs off transparent huge pages
	// altogether (benchmarks of what collapse_heap saves).
	smallPages bool
}

// withDefaults fills zero fields and validates the rest.
func (c Config) withDefaults() (Config, error) {
	if c.Python == "" {
		c.Python = "/usr/bin/python3"
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.Preload == nil {
		c.Preload = DefaultPreload
	}
	if c.Isolation == "" {
		c.Isolation = Strict
	}
	if c.Isolation != Strict && c.Isolation != Basic {
		return c, fmt.Errorf("sandbox: unknown isolation %q (want strict or basic)", c.Isolation)
	}
	if c.MaxJobsPerWorker <= 0 {
		c.MaxJobsPerWorker = 1000
	}
	if c.MemoryLimitMB <= 0 {
		c.MemoryLimitMB = 1024
	}
	if c.OutputLimitBytes <= 0 {
		c.OutputLimitBytes = 64 << 10
	}
	if c.DiskLimitMB <= 0 {
		c.DiskLimitMB = 64
	}
	if c.DefaultTimeout <= 0 {
		c.DefaultTimeout = 10 * time.Second
	}
	if c.UIDBase <= 0 {
		c.UIDBase = 61000
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return c, checkGuard(c.Guard)
}
