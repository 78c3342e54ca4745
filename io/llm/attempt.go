package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/openai/openai-go/v3"
)

// choice is one returned candidate.
type choice struct {
	Text         string
	FinishReason string
}

// reply is the useful part of one successful HTTP attempt.
type reply struct {
	Choices                        []choice
	PromptTokens, CompletionTokens int
}

// attemptError carries a failed attempt's classification and the
// server's Retry-After hint.
type attemptError struct {
	err  *Error
	hint time.Duration
}

// attempt makes one HTTP request, holding an endpoint slot only while the
// request is in flight (never while backing off).
// held is how long the request held its slot: the request's own duration,
// without the wait for a slot.
func (c *Client) attempt(ctx context.Context, req openai.ChatCompletionNewParams) (_ reply, held time.Duration, _ *attemptError) {
	if err := c.limit.acquire(ctx); err != nil {
		return reply{}, 0, &attemptError{err: &Error{Kind: KindCanceled, Err: fmt.Errorf("%w: %w", errCanceled, err)}}
	}
	start := time.Now()
	defer func() { held = time.Since(start); c.limit.release() }()
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	// The SDK builds, authenticates and sends the request; the body is
	// decoded here, strictly, because the SDK's lenient decoder accepts a
	// cut-off body as a partial completion.
	var raw []byte
	if err := c.api.Post(actx, "chat/completions", req, &raw); err != nil {
		return reply{}, 0, c.classify(ctx, actx, err)
	}
	r, aerr := c.decode(raw)
	return r, 0, aerr
}

// classify turns an SDK error into a typed Error. The SDK's own message is
// replaced by ours so nothing the server echoed (headers, keys) leaks.
func (c *Client) classify(ctx, actx context.Context, err error) *attemptError {
	if ctx.Err() != nil {
		return &attemptError{err: &Error{Kind: KindCanceled, Err: fmt.Errorf("%w: %w", errCanceled, ctx.Err())}}
	}
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		msg := apiErr.Message
		if msg == "" { // a proxy's HTML page, say: the status says enough
			msg = http.StatusText(apiErr.StatusCode)
		}
		e := &Error{Kind: statusKind(apiErr.StatusCode), Status: apiErr.StatusCode,
			Err: errors.New(c.redact(msg))}
		var hint time.Duration
		if apiErr.Response != nil {
			hint = retryAfter(apiErr.Response.Header, time.Now())
		}
		return &attemptError{err: e, hint: hint}
	}
	if actx.Err() != nil {
		return &attemptError{err: &Error{Kind: KindTimeout, Err: fmt.Errorf("no reply within %s", c.cfg.Timeout)}}
	}
	return &attemptError{err: &Error{Kind: KindConnection, Err: errors.New(c.redact(err.Error()))}}
}

// statusKind maps an HTTP error status to a failure kind.
func statusKind(status int) Kind {
	switch {
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusRequestTimeout:
		return KindTimeout
	case status == http.StatusNotFound:
		return KindNotFound
	case status >= 500:
		return KindServer
	default:
		return KindBadRequest
	}
}

// wireCompletion is the part of a chat completion the client reads.
type wireCompletion struct {
	Choices *[]struct {
		Message struct {
			Content *string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
}

// decode checks a 2xx body: it must be JSON with a non-empty choices list.
func (c *Client) decode(raw []byte) (reply, *attemptError) {
	var w wireCompletion
	if err := json.Unmarshal(raw, &w); err != nil {
		return reply{}, &attemptError{err: &Error{Kind: KindMalformed, Status: http.StatusOK,
			Err: fmt.Errorf("decode %d-byte body: %s", len(raw), c.redact(err.Error()))}}
	}
	if w.Choices == nil {
		return reply{}, &attemptError{err: &Error{Kind: KindMalformed, Status: http.StatusOK, Err: errors.New("body has no choices field")}}
	}
	if len(*w.Choices) == 0 {
		return reply{}, &attemptError{err: &Error{Kind: KindEmpty, Status: http.StatusOK, Err: errors.New("completion has no choices")}}
	}
	r := reply{PromptTokens: w.Usage.PromptTokens, CompletionTokens: w.Usage.CompletionTokens}
	for _, ch := range *w.Choices {
		text := ""
		if ch.Message.Content != nil {
			text = *ch.Message.Content
		}
		r.Choices = append(r.Choices, choice{Text: text, FinishReason: ch.FinishReason})
	}
	return r, nil
}
