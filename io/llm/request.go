package llm

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/openai/openai-go/v3"
)

// newParams builds the SDK request for n candidates.
func (c *Client) newParams(p RoleParams, messages []Message, n int) openai.ChatCompletionNewParams {
	req := openai.ChatCompletionNewParams{
		Model:       c.cfg.Model,
		Temperature: openai.Float(p.Temperature),
	}
	if n > 1 {
		req.N = openai.Int(int64(n))
	}
	if p.MaxTokens > 0 {
		req.MaxTokens = openai.Int(int64(p.MaxTokens))
	}
	if len(p.Stop) > 0 {
		req.Stop = openai.ChatCompletionNewParamsStopUnion{OfStringArray: p.Stop}
	}
	for _, m := range messages {
		switch m.Role {
		case "system":
			req.Messages = append(req.Messages, openai.SystemMessage(m.Content))
		case "assistant":
			req.Messages = append(req.Messages, openai.AssistantMessage(m.Content))
		default:
			req.Messages = append(req.Messages, openai.UserMessage(m.Content))
		}
	}
	return req
}

// request makes one logical request. A call ends in one of three ways
// only: with an answer, with a sample-level failure (a refusal of the
// request, a malformed or empty body: never retried), or with ErrOutage
// (or KindCanceled when ctx ends). Infrastructure failures and rate limits
// are retried with jittered backoff, honouring Retry-After; past
// MaxRetries the call is stalled and goes on retrying until it has been
// failing for OutageTimeout. Before every attempt the endpoint's breaker
// is asked for admission: while it is open the call is held there instead
// of sending requests. Usage paid is added to out.
func (c *Client) request(ctx context.Context, p RoleParams, messages []Message, n int, out *Completion) (reply, error) {
	req := c.newParams(p, messages, n)
	var failingSince time.Time
	firstFailing := 0 // the attempt failingSince counts from
	for attempt := 0; ; attempt++ {
		probe, waited, herr := c.breaker.admit(ctx)
		out.OutageWait += waited
		if herr != nil {
			herr.Attempts = attempt
			return reply{}, herr
		}
		if waited > 0 && !probe {
			// Released because the endpoint answered again: this call's
			// earlier failures belong to the outage that just ended.
			failingSince, firstFailing = time.Time{}, attempt
		}
		r, held, aerr := c.attempt(ctx, req)
		out.Requests++
		out.RequestTime += held
		var e *Error
		if aerr != nil {
			e = aerr.err
		}
		switch c.breaker.record(probe, e) {
		case opened:
			c.cfg.Logger.Warn("llm endpoint failing; pausing its calls", "endpoint", c.breaker.endpoint,
				"kind", e.Kind, "status", e.Status, "outage_timeout", c.cfg.OutageTimeout)
		case closed:
			c.cfg.Logger.Info("llm endpoint answering again; resuming its calls", "endpoint", c.breaker.endpoint)
		}
		if aerr == nil {
			out.PaidPromptTokens += r.PromptTokens
			out.PaidCompletionTokens += r.CompletionTokens
			return r, nil
		}
		e.Attempts = attempt + 1
		if !e.Kind.Retryable() {
			return reply{}, e
		}
		now := time.Now()
		if failingSince.IsZero() {
			failingSince = now
		}
		if failing := now.Sub(failingSince); attempt-firstFailing >= c.cfg.MaxRetries && failing >= c.cfg.OutageTimeout {
			return reply{}, &Error{Kind: KindOutage, Status: e.Status, Attempts: attempt + 1,
				Err: fmt.Errorf("%s kept failing this call for %s: %w", c.breaker.endpoint, failing.Round(time.Millisecond), e)}
		}
		wait := retryDelay(attempt, aerr.hint, c.cfg.BackoffBase, c.cfg.BackoffMax)
		if e.Kind != KindRateLimited && c.breaker.isOpen() {
			wait = 0 // admit holds the call until the endpoint answers again
		}
		level := slog.LevelWarn
		if attempt > c.cfg.MaxRetries {
			level = slog.LevelDebug // stalled: warned once below
		}
		c.cfg.Logger.Log(ctx, level, "llm attempt failed; retrying", "kind", e.Kind, "status", e.Status,
			"attempt", attempt+1, "wait", wait)
		if attempt == c.cfg.MaxRetries {
			c.cfg.Logger.Warn("llm call stalled: retries spent; waiting for the endpoint", "endpoint", c.breaker.endpoint,
				"kind", e.Kind, "gives_up_in", c.cfg.OutageTimeout-now.Sub(failingSince))
		}
		out.Retries++
		if err := sleep(ctx, wait); err != nil {
			return reply{}, &Error{Kind: KindCanceled, Attempts: attempt + 1, Err: fmt.Errorf("%w: %w", errCanceled, err)}
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
