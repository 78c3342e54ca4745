package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/demofixtures"
	"github.com/unitcoder/unitcoder/internal/testfixtures"
	"github.com/unitcoder/unitcoder/io/llm/replay"
	"github.com/unitcoder/unitcoder/runstats"
)

// updateDemoDigest rewrites testdata/demo-digest.json from this run
// instead of checking against it: `go test ./pipelines/unitcoder -run
// TestDemoOutputsArePinned -update_demo_digest`. Only for a change that
// is meant to change the demo's outputs, with the reason in its commit.
var updateDemoDigest = flag.Bool("update_demo_digest", false, "rewrite the demo's pinned output digest")

// demoDigestFile pins what the README's demo writes: a SHA-256 per shard
// file and per stats.json with its run-specific fields removed.
const demoDigestFile = "testdata/demo-digest.json"

// TestDemoOutputsArePinned runs the demo's two jobs as scripts/demo.sh
// does (extract over the 860 stage-1 functions; synthesize over the 16
// recorded ones against the replay server) and checks that every shard,
// reject file and stats.json (timings, paths and the server's port aside)
// is byte-identical to the pinned digest. Refactors must not move it.
func TestDemoOutputsArePinned(t *testing.T) {
	out := t.TempDir()
	stage1 := testfixtures.Stage1RelPath(t)

	retrieval := filepath.Join(out, "retrieval")
	if r := runCLI(t, 5*time.Minute, "extract", "--input="+stage1, "--output="+retrieval); r.code != 0 {
		t.Fatalf("extract exited %d:\n%s", r.code, r.stderr)
	}

	ids := writeIDs(t, filepath.Join(out, "recorded-ids.txt"), demofixtures.RecordedIDs(t))
	url, _ := demofixtures.StartReplay(t, replay.Options{Model: "unitcoder-demo-replay"})
	synthesis := filepath.Join(out, "synthesis")
	r := runCLI(t, 5*time.Minute, demoSynthesizeArgs(stage1, ids, synthesis, url, filepath.Join(out, "llm-cache"))...)
	if r.code != 0 {
		t.Fatalf("synthesize exited %d:\n%s", r.code, r.stderr)
	}

	got := map[string]string{}
	for _, job := range []string{"retrieval", "synthesis"} {
		for k, v := range runDigest(t, filepath.Join(out, job), out, url) {
			got[job+"/"+k] = v
		}
	}
	if *updateDemoDigest {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(demoDigestFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := pinnedDemoDigest(t)
	for _, k := range sortedNames(want, got) {
		if want[k] != got[k] {
			t.Errorf("%s: digest %q, pinned %q", k, got[k], want[k])
		}
	}
}

// demoSynthesizeArgs is scripts/demo.sh's synthesize command line.
func demoSynthesizeArgs(stage1, ids, out, url, cache string, extra ...string) []string {
	return append([]string{"synthesize", "--input=" + stage1,
		"--filter=false", "--select_ids=" + ids, "--output=" + out, "--llm_url=" + url,
		"--llm_model=unitcoder-demo-replay", "--llm_cache=" + cache}, extra...)
}

// pinnedDemoDigest reads the pinned digest.
func pinnedDemoDigest(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(demoDigestFile)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

// runDigest hashes a run's shard files and its stats.json, the latter with
// the fields that differ from run to run (wall and stage times, the
// utilization and the busy-time counters it is read from, the command
// line, the temporary directory and the replay server's URL) taken out.
func runDigest(t *testing.T, dir, tmp, url string) map[string]string {
	t.Helper()
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "part-*"))
	if len(files) == 0 {
		t.Fatalf("no shards under %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		out[rel] = digest(b)
	}
	b, err := os.ReadFile(filepath.Join(dir, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	delete(st, "seconds")
	delete(st, "stage_seconds")
	delete(st, "command_line")
	delete(st, "utilization")
	if counters, ok := st["counters"].(map[string]any); ok {
		for k := range counters {
			if strings.HasSuffix(k, "/"+runstats.LLMBusyMicros) {
				delete(counters, k)
			}
		}
		delete(counters, runstats.SandboxBusyMicros.Key())
	}
	if params, ok := st["parameters"].(map[string]any); ok {
		for k, v := range params {
			if s, ok := v.(string); ok {
				s = strings.ReplaceAll(s, tmp, "$TMP")
				params[k] = strings.ReplaceAll(s, url, "$LLM_URL")
			}
		}
	}
	norm, _ := json.Marshal(st) // map keys are sorted: a stable encoding
	out["stats.json"] = digest(norm)
	return out
}

// writeIDs writes ids one per line to path (a --select_ids file) and
// returns the path.
func writeIDs(t *testing.T, path string, ids []string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// sortedNames is the union of two maps' keys, sorted.
func sortedNames(a, b map[string]string) []string {
	union := maps.Clone(a)
	maps.Copy(union, b)
	return slices.Sorted(maps.Keys(union))
}
