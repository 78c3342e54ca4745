package extract

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/unitcoder/unitcoder/sample"
)

// stdlibDocs loads the *.py files under root (default Debian's Python 3.11
// standard library; EXTRACT_BENCH_ROOT overrides it), the same corpus
// scripts/extract_baseline.py reads.
func stdlibDocs(b testing.TB) ([]sample.FileDoc, int64) {
	root := os.Getenv("EXTRACT_BENCH_ROOT")
	if root == "" {
		root = "/usr/lib/python3.11"
	}
	var docs []sample.FileDoc
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".py") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		docs = append(docs, sample.FileDoc{ID: p, Path: p, Content: string(src)})
		total += int64(len(src))
		return nil
	})
	if err != nil || len(docs) == 0 {
		b.Skipf("no corpus under %s: %v", root, err)
	}
	return docs, total
}

// BenchmarkExtractStdlib extracts every function of the stdlib on one
// goroutine, as retrieval does (closures for the functions the default
// filter could keep); MB/s is per core when run with -cpu 1
// (scripts/bench-extract.sh).
func BenchmarkExtractStdlib(b *testing.B) {
	opts := DefaultOptions()
	opts.MaxBytes = 0 // the Python baseline has no size limit either
	opts.ClosureLibraries, opts.MaxClosureLines = benchLibraries(b), 150
	benchStdlib(b, "functions", func(d sample.FileDoc) float64 {
		funcs, _ := Extract(d, opts)
		return float64(len(funcs))
	})
}

// BenchmarkExtractStdlibAllClosures computes every function's closure,
// as extract does with --filter=false.
func BenchmarkExtractStdlibAllClosures(b *testing.B) {
	opts := DefaultOptions()
	opts.MaxBytes = 0
	benchStdlib(b, "functions", func(d sample.FileDoc) float64 {
		funcs, _ := Extract(d, opts)
		return float64(len(funcs))
	})
}

// benchLibraries reads the retrieval filter's default library list.
func benchLibraries(b *testing.B) map[string]bool {
	raw, err := os.ReadFile("../filter/bigcodebench-libraries.txt")
	if err != nil {
		b.Fatal(err)
	}
	libs := map[string]bool{}
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			libs[l] = true
		}
	}
	return libs
}

// BenchmarkParseFloorStdlib is the least work Extract could do on the same
// corpus with tree-sitter: the lexical scan that picks the statements to
// parse, and tree-sitter's parse of them, with the tree thrown away (no
// copy into Go, no analysis). Its cpu-MB/s over the Python baseline's is
// the highest ratio any analysis on top of this parser could reach;
// scripts/bench-extract.sh prints it as the ceiling. bytes-parsed over the
// corpus size is the share of the bytes tree-sitter sees.
func BenchmarkParseFloorStdlib(b *testing.B) {
	parsed, total := benchStdlib(b, "bytes-parsed", func(d sample.FileDoc) float64 {
		a, any := pick([]byte(d.Content))
		if !any {
			return 0
		}
		parseDiscard(a.text)
		return float64(len(a.text))
	})
	b.ReportMetric(100*parsed/total, "%parsed")
}

// benchStdlib runs fn over every stdlib file b.N times and reports
// throughput per CPU second (cpu-MB/s) and, under the given metric name,
// the sum of fn's results over one pass, which it returns with the
// corpus size in bytes.
func benchStdlib(b *testing.B, metric string, fn func(sample.FileDoc) float64) (sum, size float64) {
	docs, total := stdlibDocs(b)
	b.SetBytes(total)
	b.ResetTimer()
	cpu0 := cpuSeconds(b)
	for i := 0; i < b.N; i++ {
		sum = 0
		for _, d := range docs {
			sum += fn(d)
		}
	}
	// Wall-clock MB/s suffers from whatever else runs on the machine; CPU
	// time of this process (GC included) is the per-core figure.
	b.ReportMetric(float64(total)*float64(b.N)/(cpuSeconds(b)-cpu0)/1e6, "cpu-MB/s")
	b.ReportMetric(sum, metric)
	return sum, float64(total)
}

// cpuSeconds is the user+system CPU time this process has used.
func cpuSeconds(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
