package llm

import (
	"context"
	"errors"
	"net/http"
)

// slot is one candidate index: its cache key and, once known, its entry.
type slot struct {
	key   string
	entry *Entry
}

// cachedSlots computes the candidate keys and fills the slots the cache
// already holds.
func (c *Client) cachedSlots(ctx context.Context, p RoleParams, messages []Message, out *Completion) ([]slot, error) {
	slots := make([]slot, p.N)
	for i := range slots {
		slots[i].key = CacheKey(c.cfg.Model, messages, p, i)
		if c.cfg.Cache == nil {
			continue
		}
		e, err := c.cfg.Cache.Get(ctx, slots[i].key)
		if err != nil {
			if ctx.Err() != nil {
				return nil, &Error{Kind: KindCanceled, Err: ctx.Err()}
			}
			c.cfg.Logger.Warn("llm cache read failed; treating as miss", "key", slots[i].key, "err", err)
			continue
		}
		if e != nil {
			slots[i].entry = e
			out.Cached++
		}
	}
	return slots, nil
}

// fill requests the candidates the cache lacked. Servers that ignore n
// return one choice; follow-up requests make up the difference. A
// follow-up that brings nothing new (a deterministic server, temperature 0,
// or a replay with fewer recordings) ends the loop, and the missing indices
// are cached as "missing" so a rerun does not ask again.
func (c *Client) fill(ctx context.Context, p RoleParams, messages []Message, slots []slot, out *Completion) error {
	for round := 0; round <= c.cfg.MaxFallbackRequests; round++ {
		missing := missingSlots(slots)
		if len(missing) == 0 {
			return nil
		}
		// A call resumed from the cache after a crash is a follow-up too:
		// what it gets back is compared with the cached candidates, so the
		// rerun keeps what an uninterrupted call would have kept.
		resumed := len(missing) < len(slots)
		r, err := c.request(ctx, p, messages, len(missing), out)
		if err != nil {
			if round == 0 {
				c.storeRefusal(ctx, slots, missing, err)
				return err
			}
			if errors.Is(err, ErrOutage) {
				// Not a reason to keep fewer candidates: the endpoint
				// is gone. What was paid for is in the cache already.
				return err
			}
			c.cfg.Logger.Warn("llm follow-up request failed; keeping fewer candidates", "err", err)
			return nil
		}
		var fresh []*Entry
		for _, ch := range r.Choices {
			if len(fresh) == len(missing) {
				break
			}
			if (round > 0 || resumed) && hasText(slots, ch.Text) || round > 0 && hasEntryText(fresh, ch.Text) {
				continue
			}
			fresh = append(fresh, &Entry{Text: ch.Text, FinishReason: ch.FinishReason})
		}
		shareUsage(fresh, r.PromptTokens, r.CompletionTokens)
		for i, e := range fresh {
			c.store(ctx, &slots[missing[i]], e)
		}
		placed := len(fresh)
		if (round > 0 || resumed) && placed == 0 {
			for _, i := range missing {
				c.store(ctx, &slots[i], &Entry{Missing: true})
			}
			return nil
		}
	}
	return nil
}

// store fills a slot and writes it through to the cache. A failed write
// costs a repeat request on a rerun, not this run, so it is logged only.
func (c *Client) store(ctx context.Context, s *slot, e *Entry) {
	e.Key = s.key
	s.entry = e
	if c.cfg.Cache == nil {
		return
	}
	if err := c.cfg.Cache.Put(ctx, e); err != nil {
		c.cfg.Logger.Warn("llm cache write failed", "key", s.key, "err", err)
	}
}

func missingSlots(slots []slot) []int {
	var idx []int
	for i, s := range slots {
		if s.entry == nil {
			idx = append(idx, i)
		}
	}
	return idx
}

func hasText(slots []slot, text string) bool {
	for _, s := range slots {
		if s.entry != nil && !s.entry.Missing && s.entry.Text == text {
			return true
		}
	}
	return false
}

// shareUsage splits a request's usage over the candidates it produced,
// the remainder going to the first.
func shareUsage(entries []*Entry, prompt, completion int) {
	n := len(entries)
	if n == 0 {
		return
	}
	for i, e := range entries {
		e.PromptTokens, e.CompletionTokens = prompt/n, completion/n
		if i == 0 {
			e.PromptTokens += prompt % n
			e.CompletionTokens += completion % n
		}
	}
}

func hasEntryText(entries []*Entry, text string) bool {
	for _, e := range entries {
		if e.Text == text {
			return true
		}
	}
	return false
}

// storeRefusal caches, for every missing slot, a refusal that belongs to
// the request itself (HTTP 400 or 422; see Entry.Refused).
func (c *Client) storeRefusal(ctx context.Context, slots []slot, missing []int, err error) {
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindBadRequest ||
		e.Status != http.StatusBadRequest && e.Status != http.StatusUnprocessableEntity {
		return
	}
	for _, i := range missing {
		c.store(ctx, &slots[i], &Entry{Refused: c.redact(errText(e.Err)), RefusedStatus: e.Status})
	}
}

// refusal returns the cached refusal when every slot holds one.
func refusal(slots []slot) error {
	for _, s := range slots {
		if s.entry == nil || s.entry.Refused == "" {
			return nil
		}
	}
	// The same error as when it was paid for, so outputs do not depend on
	// the cache.
	return &Error{Kind: KindBadRequest, Status: slots[0].entry.RefusedStatus, Attempts: 1,
		Err: errors.New(slots[0].entry.Refused)}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
