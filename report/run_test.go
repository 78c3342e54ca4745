package report

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	ctx := context.Background()
	r, err := Load(ctx, synthesizeRun(t), Options{Samples: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Accepted != 3 || r.Rejected != 3 || r.BadRows != 0 {
		t.Errorf("accepted %d rejected %d bad %d, want 3 3 0", r.Accepted, r.Rejected, r.BadRows)
	}
	if want := map[string]int{"numpy": 2, "json": 1, "pandas": 1}; !reflect.DeepEqual(r.Libs, want) {
		t.Errorf("libs %v, want %v", r.Libs, want)
	}
	if want := map[string]int{"MIT": 1, "Apache-2.0": 1, "": 1}; !reflect.DeepEqual(r.Licenses, want) {
		t.Errorf("licenses %v, want %v", r.Licenses, want)
	}
	if want := map[int]int{0: 1, 1: 1, 2: 1}; !reflect.DeepEqual(r.Rounds, want) {
		t.Errorf("rounds %v, want %v", r.Rounds, want)
	}
	// The sample is the first rows by id, whatever the order in the shard.
	if len(r.Samples) != 2 || r.Samples[0].ID != "a" || r.Samples[1].ID != "b" {
		t.Errorf("samples %+v, want ids a, b", r.Samples)
	}
	if len(r.FailedSamples) != 1 || r.FailedSamples[0].ID != "e" {
		t.Errorf("failed samples %+v, want only e (the reject with a history)", r.FailedSamples)
	}
	if len(r.Coverage) != 3 {
		t.Errorf("coverage %v, want 3 values", r.Coverage)
	}
}

func TestLoadExtractRunHasNoCoverage(t *testing.T) {
	r, err := Load(context.Background(), extractRun(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Synthesized() || r.Accepted != 2 || len(r.Coverage) != 0 || len(r.Rounds) != 0 {
		t.Errorf("extract run read as synthesized=%v accepted=%d coverage=%v rounds=%v",
			r.Synthesized(), r.Accepted, r.Coverage, r.Rounds)
	}
}

func TestLoadBadInput(t *testing.T) {
	ctx := context.Background()
	t.Run("no stats.json", func(t *testing.T) {
		_, err := Load(ctx, t.TempDir(), Options{})
		if err == nil || !strings.Contains(err.Error(), "stats.json") {
			t.Fatalf("err = %v, want one naming stats.json", err)
		}
	})
	t.Run("corrupt stats.json", func(t *testing.T) {
		dir := synthesizeRun(t)
		os.WriteFile(filepath.Join(dir, "stats.json"), []byte("{not json"), 0o644)
		if _, err := Load(ctx, dir, Options{}); err == nil || !strings.Contains(err.Error(), "decode") {
			t.Fatalf("err = %v, want a decode error", err)
		}
	})
	t.Run("a stopped run", func(t *testing.T) {
		dir := synthesizeRun(t)
		os.WriteFile(filepath.Join(dir, "stats.json"), []byte(`{"command":"synthesize","incomplete":"LLM endpoint unavailable"}`), 0o644)
		if _, err := Load(ctx, dir, Options{}); err == nil || !strings.Contains(err.Error(), "stopped before it finished") ||
			!strings.Contains(err.Error(), "LLM endpoint unavailable") {
			t.Fatalf("err = %v, want one saying the run stopped, and why", err)
		}
	})
	t.Run("undecodable rows are counted", func(t *testing.T) {
		dir := synthesizeRun(t)
		writeShard(t, filepath.Join(dir, "data", "part-00001-of-00002.jsonl.zst"), []string{"not a record"})
		r, err := Load(ctx, dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.BadRows != 1 || r.Accepted != 3 {
			t.Errorf("bad rows %d accepted %d, want 1 and 3", r.BadRows, r.Accepted)
		}
	})
	t.Run("truncated shard", func(t *testing.T) {
		dir := synthesizeRun(t)
		p := filepath.Join(dir, "data", "part-00000-of-00001.jsonl.zst")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, b[:len(b)/2], 0o644)
		if _, err := Load(ctx, dir, Options{}); err == nil || !strings.Contains(err.Error(), "part-00000") {
			t.Fatalf("err = %v, want one naming the shard", err)
		}
	})
}

func TestKeepFirst(t *testing.T) {
	var s []int
	for _, x := range []int{5, 3, 9, 1, 7, 2} {
		s = keepFirst(s, x, 3, func(a, b int) bool { return a < b })
	}
	if want := []int{1, 2, 3}; !reflect.DeepEqual(s, want) {
		t.Errorf("keepFirst = %v, want %v", s, want)
	}
}
