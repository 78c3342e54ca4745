package llm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/unitcoder/unitcoder/io/llm"
	"github.com/unitcoder/unitcoder/io/llm/replay"
)

// runAll asks every role once per prompt and returns the texts in order.
func runAll(t *testing.T, c *llm.Client, prompts int) (texts []string, requests, cached int) {
	t.Helper()
	for i := range prompts {
		for _, role := range llm.Roles {
			got, err := c.Complete(context.Background(), role, promptFor(role, i))
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, got.Texts...)
			requests += got.Requests
			cached += got.Cached
		}
	}
	return texts, requests, cached
}

func checkSecondRunIsFree(t *testing.T, cache *llm.Cache) {
	url, srv := simServer(t, replay.Options{})
	cfg := fastConfig(url, 3)
	cfg.Cache = cache
	first, req1, cached1 := runAll(t, newClient(t, cfg), 4)
	if req1 == 0 || cached1 != 0 || len(first) != 4*3*3 {
		t.Fatalf("first run: %d requests, %d cached, %d texts", req1, cached1, len(first))
	}
	before := srv.Stats().Total
	second, req2, cached2 := runAll(t, newClient(t, cfg), 4)
	if got := srv.Stats().Total - before; got != 0 || req2 != 0 {
		t.Fatalf("second run made %d requests (server counted %d), want 0", req2, got)
	}
	if cached2 != len(first) {
		t.Errorf("second run: %d cached candidates, want %d", cached2, len(first))
	}
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("candidate %d differs between runs", i)
		}
	}
}

func TestCacheDirSecondRunMakesNoRequests(t *testing.T) {
	cache, err := llm.OpenCache(context.Background(), filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	checkSecondRunIsFree(t, cache)
}

func TestCacheGCSSecondRunMakesNoRequests(t *testing.T) {
	gcs, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", NoListener: false})
	if err != nil {
		t.Fatal(err)
	}
	defer gcs.Stop()
	gcs.CreateBucket("llm-cache")
	t.Setenv("STORAGE_EMULATOR_HOST", gcs.URL()[len("http://"):])
	cache, err := llm.OpenCache(context.Background(), "gs://llm-cache/runs/a")
	if err != nil {
		t.Fatal(err)
	}
	checkSecondRunIsFree(t, cache)
	objs, _, err := gcs.ListObjectsWithOptions("llm-cache", fakestorage.ListOptions{Prefix: "runs/a/"})
	if err != nil || len(objs) != 4*3*3 {
		t.Errorf("bucket holds %d objects under the prefix (err %v), want one per candidate: 36", len(objs), err)
	}
}

// TestCacheAsksOnlyForNewCandidates: a rerun asking for more candidates
// pays only for the extra ones.
func TestCacheAsksOnlyForNewCandidates(t *testing.T) {
	cache, _ := llm.OpenCache(context.Background(), t.TempDir())
	url, _ := simServer(t, replay.Options{})
	cfg := fastConfig(url, 2)
	cfg.Cache = cache
	two, err := newClient(t, cfg).Complete(context.Background(), llm.RoleFix, prompt(7))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Roles = map[llm.Role]llm.RoleParams{llm.RoleFix: {Temperature: 0.2, MaxTokens: 512, N: 5}}
	five, err := newClient(t, cfg).Complete(context.Background(), llm.RoleFix, prompt(7))
	if err != nil {
		t.Fatal(err)
	}
	if five.Cached != 2 || five.Requests != 1 || len(five.Texts) != 5 || five.Texts[0] != two.Texts[0] || five.Texts[1] != two.Texts[1] {
		t.Fatalf("got %d cached, %d requests, %d texts; want 2 cached, 1 request, 5 texts", five.Cached, five.Requests, len(five.Texts))
	}
}

func TestCorruptEntriesAreMissesAndOverwritten(t *testing.T) {
	dir := t.TempDir()
	cache, _ := llm.OpenCache(context.Background(), dir)
	url, _ := simServer(t, replay.Options{})
	cfg := fastConfig(url, 1)
	cfg.Cache = cache
	c := newClient(t, cfg)
	first, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(3))
	if err != nil {
		t.Fatal(err)
	}
	key := llm.CacheKey("m", prompt(3), cfg.Roles[llm.RoleTestgen], 0)
	path := filepath.Join(dir, key[:2], key+".json")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := llm.CacheKey("m", prompt(4), cfg.Roles[llm.RoleTestgen], 0)
	for i, corrupt := range []string{
		string(good[:len(good)/2]), // truncated
		"not json at all",
		strings.Replace(string(good), "simulated", "simulatee", 1), // checksum mismatch
		strings.ReplaceAll(string(good), key, otherKey),            // another key's entry
		"{\"sha256\":\"\",\"entry\":null}",                         // empty envelope
	} {
		if err := os.WriteFile(path, []byte(corrupt), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(3))
		if err != nil || got.Cached != 0 || got.Requests != 1 {
			t.Fatalf("corruption %d: err %v, cached %d, requests %d; want a miss and a request", i, err, got.Cached, got.Requests)
		}
		again, err := c.Complete(context.Background(), llm.RoleTestgen, prompt(3))
		if err != nil || again.Cached != 1 || again.Requests != 0 || again.Texts[0] != got.Texts[0] {
			t.Fatalf("corruption %d: entry was not overwritten (cached %d, requests %d)", i, again.Cached, again.Requests)
		}
	}
	if cache.Corrupt() != 5 || first.Texts[0] == "" {
		t.Errorf("cache counted %d corrupt entries, want 5", cache.Corrupt())
	}
}

// TestCacheConcurrentWorkers: many workers racing on the same keys all get
// a valid answer and leave valid entries.
func TestCacheConcurrentWorkers(t *testing.T) {
	dir := t.TempDir()
	cache, _ := llm.OpenCache(context.Background(), dir)
	url, _ := simServer(t, replay.Options{})
	cfg := fastConfig(url, 2)
	cfg.Cache = cache
	var wg sync.WaitGroup
	for w := range 16 {
		c := newClient(t, cfg)
		wg.Go(func() {
			for i := range 8 {
				if got, err := c.Complete(context.Background(), llm.RoleFix, prompt((w+i)%4)); err != nil || len(got.Texts) != 2 {
					t.Errorf("worker %d: err %v texts %d", w, err, len(got.Texts))
				}
			}
		})
	}
	wg.Wait()
	if cache.Corrupt() != 0 {
		t.Errorf("%d corrupt entries seen while racing", cache.Corrupt())
	}
	url2, srv2 := simServer(t, replay.Options{})
	cfg.BaseURL = url2
	for i := range 4 {
		if got, err := newClient(t, cfg).Complete(context.Background(), llm.RoleFix, prompt(i)); err != nil || got.Cached != 2 {
			t.Errorf("prompt %d after the race: err %v cached %d", i, err, got.Cached)
		}
	}
	if srv2.Stats().Total != 0 {
		t.Errorf("a fresh server got %d requests; every entry should have been cached", srv2.Stats().Total)
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(tmp) != 0 {
		t.Errorf("left temp files behind: %v", tmp)
	}
}

// TestCachedTruncationIsCountedNotPaidAgain: a candidate cut at max_tokens
// is dropped and counted; if all are cut the call fails as truncated, on a
// rerun too, without a request.
func TestCachedTruncationIsCountedNotPaidAgain(t *testing.T) {
	cache, _ := llm.OpenCache(context.Background(), t.TempDir())
	url, srv := simServer(t, replay.Options{})
	cfg := fastConfig(url, 2)
	cfg.Cache = cache
	p := cfg.Roles[llm.RoleFix]
	ctx := context.Background()
	put := func(i, cand int, text, finish string) {
		if err := cache.Put(ctx, &llm.Entry{Key: llm.CacheKey("m", promptFor(llm.RoleFix, i), p, cand), Text: text, FinishReason: finish}); err != nil {
			t.Fatal(err)
		}
	}
	put(1, 0, "```python\ndef cut(", "length")
	put(1, 1, "```python\nx = 1\n```", "stop")
	put(2, 0, "```python\ndef cut(", "length")
	put(2, 1, "```python\ndef cut2(", "length")
	c := newClient(t, cfg)
	got, err := c.Complete(ctx, llm.RoleFix, promptFor(llm.RoleFix, 1))
	if err != nil || len(got.Texts) != 1 || got.Truncated != 1 || got.Cached != 2 {
		t.Errorf("mixed: err %v texts %d truncated %d cached %d", err, len(got.Texts), got.Truncated, got.Cached)
	}
	_, err = c.Complete(ctx, llm.RoleFix, promptFor(llm.RoleFix, 2))
	if llm.Reason(err) != "llm:truncated" {
		t.Errorf("all truncated: err %v, want llm:truncated", err)
	}
	if srv.Stats().Total != 0 {
		t.Errorf("server got %d requests; cached candidates must not be paid again", srv.Stats().Total)
	}
}

// A request the server refuses as invalid (here: no recording, HTTP 400)
// is refused again from the cache, with the same error, for free; rate
// limits and server errors are never cached.
func TestCachedRefusalIsNotPaidAgain(t *testing.T) {
	recording := filepath.Join(t.TempDir(), "rec.jsonl")
	row := `{"id":"x","original":{"code":"def g():\n    return 1\n","test_code":"import unittest\n","status":["pass",{}]},"debug_rounds":[]}`
	if err := os.WriteFile(recording, []byte(row+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := replay.LoadRecordings(recording)
	if err != nil {
		t.Fatal(err)
	}
	url, srv, stop, err := replay.Start(context.Background(), rec, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cache, err := llm.OpenCache(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := fastConfig(url, 1)
	cfg.Cache = cache
	c := newClient(t, cfg)
	_, first := c.Complete(context.Background(), llm.RoleTestgen, prompt(7))
	if llm.Reason(first) != "llm:bad_request" {
		t.Fatalf("first call: %v", first)
	}
	paid := srv.Stats().Total
	_, second := c.Complete(context.Background(), llm.RoleTestgen, prompt(7))
	if srv.Stats().Total != paid {
		t.Errorf("the cached refusal was paid again: %d requests, want %d", srv.Stats().Total, paid)
	}
	if second == nil || second.Error() != first.Error() {
		t.Errorf("cached refusal %v, want the original %v", second, first)
	}

	// A 500 is not cached: a call that got only 500s (here, until its
	// context ended) leaves nothing, so a later call to a working server
	// asks it.
	url5, _ := simServer(t, replay.Options{Faults: []replay.FaultRule{{Mode: replay.Fault500, First: 1000}}})
	cfg5 := fastConfig(url5, 1)
	cfg5.Cache = cache
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := newClient(t, cfg5).Complete(ctx, llm.RoleTestgen, prompt(8)); llm.Reason(err) != "llm:canceled" {
		t.Fatalf("call to a server failing with 500: %v, want canceled", err)
	}
	urlOK, srvOK := simServer(t, replay.Options{})
	cfgOK := fastConfig(urlOK, 1)
	cfgOK.Cache = cache
	if got, err := newClient(t, cfgOK).Complete(context.Background(), llm.RoleTestgen, prompt(8)); err != nil ||
		got.Cached != 0 || srvOK.Stats().Total != 1 {
		t.Errorf("after 500s: err %v, %d cached, %d requests; want a fresh answer", err, got.Cached, srvOK.Stats().Total)
	}
}

// A 404 says the endpoint or model is wrong, not the request: it is an
// outage of the endpoint, never cached (the key holds no server address),
// so a rerun with the address fixed gets real answers.
func TestNotFoundIsNotCached(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"message":"no such route","type":"not_found"}}`))
	}))
	defer srv.Close()
	cache, err := llm.OpenCache(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := fastConfig(srv.URL+"/v1", 1)
	cfg.Cache = cache
	_, err = newClient(t, cfg).Complete(context.Background(), llm.RoleTestgen, prompt(9))
	if !errors.Is(err, llm.ErrOutage) || llm.Reason(err) != "llm:outage:not_found" {
		t.Fatalf("404s: %v (reason %s), want an outage caused by not_found", err, llm.Reason(err))
	}
	if hits.Load() < 2 {
		t.Errorf("server asked %d times, want retries", hits.Load())
	}
	url, fixed := simServer(t, replay.Options{})
	cfg.BaseURL = url
	got, err := newClient(t, cfg).Complete(context.Background(), llm.RoleTestgen, prompt(9))
	if err != nil || got.Cached != 0 || fixed.Stats().Total != 1 {
		t.Errorf("fixed address: err %v, %d cached, %d requests; want a fresh answer", err, got.Cached, fixed.Stats().Total)
	}
}
