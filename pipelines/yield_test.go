package pipelines

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/io/corpus"
	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/loadcheck"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
)

// Floors of TestStdlibRetrievalYield: the targets (60% and 98%). On
// Debian 12's Python 3.11 standard library the test observed 61.6% (335 of
// 544) and 98.0% (350 of 357; the 7 others are refused by the sandbox's
// static guard for frame and globals introspection, which the load-only
// job of synthesize rejects before any LLM call).
const (
	minReferenceKeptRunnable = 0.60
	minKeptLoading           = 0.98
)

// TestStdlibRetrievalYield measures retrieval yield on the standard
// library: the share of the functions UnitCoder's basic rules accept
// (scripts/retrieval_reference.py) that extract keeps as programs that
// load on their own in the sandbox, and the share of all kept programs
// that load with every global name resolved (a load-only job each).
func TestStdlibRetrievalYield(t *testing.T) {
	if _, err := os.Stat(pythonStdlib); err != nil {
		t.Skipf("no Debian Python standard library: %v", err)
	}
	modules, err := sandbox.InstalledModules(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	packed := t.TempDir()
	jz, _, err := corpus.PackStdlib(packed, pythonStdlib, 2)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	st := runExtract(t, ExtractOptions{Retrieval: retrieval.Params{Input: filepath.Join(packed, "*.jsonl.zst"), Modules: modules}, Output: out})
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	kept, rejects := outputs[runstats.FunctionOut](t, out)
	pathOf := map[string]string{} // corpus row id -> path
	for _, p := range jz {
		if _, err := corpus.ReadFile(context.Background(), p, corpus.DefaultFields(),
			func(d sample.FileDoc) { pathOf[d.ID] = d.Path }, func(sample.Rejected) {}); err != nil {
			t.Fatal(err)
		}
	}

	// The reference set, keyed path#index like the kept functions.
	ref, err := exec.Command("/usr/bin/python3", "../scripts/retrieval_reference.py",
		"../pyast/filter/bigcodebench-libraries.txt", pythonStdlib).Output()
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	reference := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(ref))
	for sc.Scan() {
		var r struct {
			Path  string `json:"path"`
			Index int    `json:"index"`
			Name  string `json:"name"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		reference[r.Path+"#"+strconv.Itoa(r.Index)] = r.Name
	}
	if len(jz) == 0 || len(reference) < 300 {
		t.Fatalf("reference set has %d functions", len(reference))
	}

	pool, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	loads := make([]string, len(kept)) // "" when the program loaded
	var wg sync.WaitGroup
	sem := make(chan bool, 8)
	for i, f := range kept {
		wg.Add(1)
		sem <- true
		go func() {
			defer func() { <-sem; wg.Done() }()
			res, err := pool.Run(context.Background(), loadcheck.Job(f.Function(), 20*time.Second))
			if err != nil {
				loads[i] = err.Error()
				return
			}
			if reason, detail := loadcheck.Verdict(res); reason != "" {
				loads[i] = reason + ": " + detail
			}
		}()
	}
	wg.Wait()

	loaded, withClosure, refKept, refKeptLoaded, refKeptNoClosure := 0, 0, 0, 0, 0
	for i, f := range kept {
		if loads[i] == "" {
			loaded++
		} else {
			t.Logf("does not load: %s (%s): %s", f.ID, f.Name, loads[i])
		}
		if len(f.Closure) > 0 {
			withClosure++
		}
		_, idx, _ := strings.Cut(f.ID[strings.LastIndexByte(f.ID, '_'):], "_")
		name, inRef := reference[f.Provenance.Path+"#"+idx]
		if !inRef {
			continue
		}
		if name != f.Name {
			t.Errorf("%s: reference names %s#%s %q, extract %q", f.ID, f.Provenance.Path, idx, name, f.Name)
		}
		refKept++
		if loads[i] == "" {
			refKeptLoaded++
			if len(f.Closure) == 0 {
				refKeptNoClosure++
			}
		}
	}
	// Where the reference functions extract does not keep went.
	lost := map[string]int{}
	for _, r := range rejects {
		cut := strings.LastIndexByte(r.ID, '_')
		if r.Unit != sample.UnitFunction || cut < 0 {
			continue
		}
		if _, inRef := reference[pathOf[r.ID[:cut]]+"#"+r.ID[cut+1:]]; inRef {
			lost[string(r.Stage)+"/"+r.Reason]++
		}
	}
	t.Logf("reference functions rejected, by reason: %v", lost)
	share := func(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
	t.Logf("stdlib: %d functions found, %d kept (%d with a closure, %d rescued by it); %d of %d kept load with every global resolved (%.1f%%)",
		st.Functions.In, len(kept), withClosure, st.Yield.ClosureRescued, loaded, len(kept), 100*share(loaded, len(kept)))
	t.Logf("reference (UnitCoder rules): %d functions; kept %d, kept and loading %d (%.1f%%); without closures %d (%.1f%%)",
		len(reference), refKept, refKeptLoaded, 100*share(refKeptLoaded, len(reference)), refKeptNoClosure, 100*share(refKeptNoClosure, len(reference)))
	t.Logf("rejects: %v", st.Reasons)
	if got := share(refKeptLoaded, len(reference)); got < minReferenceKeptRunnable {
		t.Errorf("reference set kept as runnable programs: %.1f%% < %.0f%%", 100*got, 100*minReferenceKeptRunnable)
	}
	if got := share(loaded, len(kept)); got < minKeptLoading {
		t.Errorf("kept programs loading with globals resolved: %.1f%% < %.0f%%", 100*got, 100*minKeptLoading)
	}
}
