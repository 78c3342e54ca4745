package llmcall

import (
	"context"
	"fmt"

	"github.com/unitcoder/unitcoder/internal/perprocess"
	"github.com/unitcoder/unitcoder/io/llm"
)

// Params selects an LLM role's endpoint and how its calls are made. It
// travels to workers inside DoFns, so every field is plain data.
type Params struct {
	// Config is the endpoint, model, sampling and retry settings; its
	// Cache comes from CacheDir and is opened on the worker.
	llm.Config
	// CacheDir is the response cache location, local or gs:// ("": none).
	CacheDir string `json:"cache_dir,omitempty"`
	// PromptsDir overrides the embedded prompt templates ("": embedded).
	PromptsDir string `json:"prompts_dir,omitempty"`
}

// Shared is a process-wide LLM client with its prompts.
type Shared struct {
	Client  *llm.Client
	Prompts *llm.Prompts
}

var clients perprocess.Map[string, *Shared]

// Open returns the process-wide client for p, creating it on first use.
func Open(ctx context.Context, p Params) (*Shared, error) {
	return clients.Get(fmt.Sprintf("%+v", p), func() (*Shared, error) {
		cfg := p.Config
		if p.CacheDir != "" {
			c, err := llm.OpenCache(ctx, p.CacheDir)
			if err != nil {
				return nil, fmt.Errorf("open LLM cache %s: %w", p.CacheDir, err)
			}
			cfg.Cache = c
		}
		client, err := llm.NewClient(cfg)
		if err != nil {
			return nil, err
		}
		prompts, err := llm.LoadPrompts(p.PromptsDir)
		if err != nil {
			return nil, err
		}
		return &Shared{Client: client, Prompts: prompts}, nil
	})
}
