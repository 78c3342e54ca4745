package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/unitcoder/unitcoder/io/llm/replay"
)

func init() {
	register(command{
		name:     "llm-replay",
		synopsis: "serve recorded LLM answers over the OpenAI chat completions API",
		description: `Starts an HTTP server that speaks the OpenAI chat completions API and answers
from recordings of a real model: the UnitCoder authors' demo run
(stage2_passed.jsonl, stage2_failed.jsonl, stage3_polished.jsonl). Test
generation gets the recorded tests, fix round r the recorded round-r
candidates, refinement the recorded polished code. A prompt with no recording
gets an HTTP 400 error response (the request has no answer), never a
made-up answer. --recordings takes files, globs or a directory such as the
demo's folder, whose stage2_*.jsonl and stage3_*.jsonl files are loaded.`,
		defineFlags: replayFlags,
	})
}

func replayFlags(fs *flagSet) func(context.Context) error {
	recordings := fs.String("recordings", "", "comma-separated recording files, globs or directories (the UnitCoder demo folder, or its stage2_*.jsonl and stage3_polished.jsonl)")
	addr := fs.String("addr", "127.0.0.1:8399", "listen address")
	model := fs.String("model", "", "model name to report (default: the recordings')")
	strictModel := fs.Bool("strict_model", false, "answer a request naming another model with 404, as vLLM does")
	keyEnv := fs.String("api_key_env", "", "environment variable holding the API key requests must send (empty: none needed)")
	outages := fs.String("outage", "", "simulated outages, ';'-separated: after=N[,for=DURATION][,mode=reset|503] (down from chat request N+1, for DURATION or for good)")
	return func(ctx context.Context) error {
		paths, err := recordingFiles(*recordings)
		if err != nil {
			return err
		}
		rec, err := replay.LoadRecordings(paths...)
		if err != nil {
			return err
		}
		opts := replay.Options{Model: *model, StrictModel: *strictModel}
		if *keyEnv != "" {
			if opts.APIKey = os.Getenv(*keyEnv); opts.APIKey == "" {
				return fmt.Errorf("--api_key_env: %s is empty", *keyEnv)
			}
		}
		for _, spec := range strings.Split(*outages, ";") {
			if strings.TrimSpace(spec) == "" {
				continue
			}
			o, err := replay.ParseOutage(spec)
			if err != nil {
				return fmt.Errorf("--outage: %w", err)
			}
			opts.Outages = append(opts.Outages, o)
		}
		srv := replay.NewServer(rec, opts)
		fmt.Printf("llm-replay: %d recorded functions, serving http://%s/v1\n", rec.Len(), *addr)
		return srv.Serve(ctx, *addr)
	}
}

// recordingFiles expands --recordings: comma-separated files, globs and
// directories; a directory stands for the UnitCoder pipeline's recording
// files in it (stage2_*.jsonl, stage3_*.jsonl).
func recordingFiles(list string) ([]string, error) {
	var paths []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			var inDir []string
			for _, pattern := range []string{"stage2_*.jsonl", "stage3_*.jsonl"} {
				m, _ := filepath.Glob(filepath.Join(p, pattern))
				inDir = append(inDir, m...)
			}
			if len(inDir) == 0 {
				return nil, fmt.Errorf("--recordings: directory %s has no stage2_*.jsonl or stage3_*.jsonl files", p)
			}
			paths = append(paths, inDir...)
			continue
		}
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, err
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("--recordings matched no file")
	}
	return paths, nil
}
