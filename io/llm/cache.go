package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// cacheVersion is part of every key; bump it when the entry format or the
// meaning of a key changes so old entries are simply never hit.
const cacheVersion = 1

// Entry is one cached candidate.
type Entry struct {
	Key          string `json:"key"`
	Text         string `json:"text,omitempty"`
	FinishReason string `json:"finish_reason,omitempty"`
	// Missing records that the server gave no candidate for this index
	// (it kept repeating earlier ones), so a rerun need not ask again.
	Missing bool `json:"missing,omitempty"`
	// PromptTokens and CompletionTokens are this candidate's share of the
	// usage of the request that produced it, so a cached answer reports
	// what it cost when it was paid for.
	PromptTokens     int `json:"prompt_tokens,omitempty"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
	// Refused holds the server's answer when it rejected the request as
	// invalid (HTTP 400 or 422). Such a refusal is a property of the
	// request, so a rerun gets it from the cache too. Other refusals (404:
	// wrong endpoint or model, 413, auth failures, rate limits) and server
	// errors are never cached: the cache key holds no server address, and a
	// fixed configuration must get real answers.
	Refused       string `json:"refused,omitempty"`
	RefusedStatus int    `json:"refused_status,omitempty"`
}

// envelope is the stored form: the entry plus a checksum of its exact bytes,
// so truncated or altered files are detected.
type envelope struct {
	Sum   string          `json:"sha256"`
	Entry json.RawMessage `json:"entry"`
}

// Store is where cache files live: a local directory or a GCS prefix.
type Store interface {
	// Get returns the object's bytes, or ErrNotFound.
	Get(ctx context.Context, name string) ([]byte, error)
	// Put writes the object atomically: readers see all of it or none.
	Put(ctx context.Context, name string, data []byte) error
}

// ErrNotFound is returned by Store.Get for absent objects.
var ErrNotFound = errors.New("cache object not found")

// Cache is a content-addressed response cache, one entry per candidate.
// It is safe for concurrent use by many workers: entries are immutable
// and a key's content is the same whoever writes it.
type Cache struct {
	store Store
	// Corrupt counts entries found unreadable (and treated as misses).
	corrupt atomicCounter
}

// NewCacheStore builds a cache over any Store.
func NewCacheStore(s Store) *Cache { return &Cache{store: s} }

// OpenCache opens a cache at location: "gs://bucket/prefix" (honours
// STORAGE_EMULATOR_HOST) or a local directory, created if needed.
func OpenCache(ctx context.Context, location string) (*Cache, error) {
	if strings.HasPrefix(location, "gs://") {
		s, err := openGCSStore(ctx, location)
		if err != nil {
			return nil, err
		}
		return NewCacheStore(s), nil
	}
	s, err := newDirStore(location)
	if err != nil {
		return nil, err
	}
	return NewCacheStore(s), nil
}

// CacheKey is the content address of candidate index i of a call: model,
// messages and sampling parameters, but not n, so asking for more
// candidates later reuses the ones already paid for.
func CacheKey(model string, messages []Message, p RoleParams, i int) string {
	b, _ := json.Marshal(struct {
		V           int       `json:"v"`
		Model       string    `json:"model"`
		Messages    []Message `json:"messages"`
		Temperature float64   `json:"temperature"`
		MaxTokens   int       `json:"max_tokens"`
		Stop        []string  `json:"stop"`
		Candidate   int       `json:"candidate"`
	}{cacheVersion, model, messages, p.Temperature, p.MaxTokens, p.Stop, i})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// objectName spreads keys over 256 directories.
func objectName(key string) string { return key[:2] + "/" + key + ".json" }

// Get returns the entry for key, or nil on a miss. Corrupt entries are
// misses (the next Put overwrites them); only store failures are errors.
func (c *Cache) Get(ctx context.Context, key string) (*Entry, error) {
	if len(key) < 2 {
		return nil, fmt.Errorf("cache get: bad key %q", key)
	}
	data, err := c.store.Get(ctx, objectName(key))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cache get %s: %w", key, err)
	}
	e, err := decodeEntry(data, key)
	if err != nil {
		c.corrupt.add(1)
		return nil, nil
	}
	return e, nil
}

// Put stores e under e.Key.
func (c *Cache) Put(ctx context.Context, e *Entry) error {
	if len(e.Key) < 2 {
		return fmt.Errorf("cache put: bad key %q", e.Key)
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("cache put %s: %w", e.Key, err)
	}
	sum := sha256.Sum256(raw)
	data, err := json.Marshal(envelope{Sum: hex.EncodeToString(sum[:]), Entry: raw})
	if err != nil {
		return fmt.Errorf("cache put %s: %w", e.Key, err)
	}
	if err := c.store.Put(ctx, objectName(e.Key), append(data, '\n')); err != nil {
		return fmt.Errorf("cache put %s: %w", e.Key, err)
	}
	return nil
}

// Corrupt returns how many corrupt entries Get has met.
func (c *Cache) Corrupt() int64 { return c.corrupt.load() }

// decodeEntry checks the envelope's checksum and that it holds key.
func decodeEntry(data []byte, key string) (*Entry, error) {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	sum := sha256.Sum256(env.Entry)
	if hex.EncodeToString(sum[:]) != env.Sum {
		return nil, errors.New("checksum mismatch")
	}
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(env.Entry))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("decode entry: %w", err)
	}
	if e.Key != key {
		return nil, fmt.Errorf("entry holds key %s, want %s", e.Key, key)
	}
	return &e, nil
}
