package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/unitcoder/unitcoder/io/llm/replay"
)

func init() {
	register(command{
		name:     "llm-replay",
		synopsis: "serve recorded (or simulated) LLM answers over the OpenAI chat completions API",
		description: `Starts an HTTP server that speaks the OpenAI chat completions API and answers
from recordings of a real model: the UnitCoder authors' demo run
(stage2_passed.jsonl, stage2_failed.jsonl, stage3_polished.jsonl). Test
generation gets the recorded tests, fix round r the recorded round-r
candidates, refinement the recorded polished code. A prompt with no recording
gets an HTTP 400 error response (the request has no answer), never a
made-up answer. --recordings takes files, globs or a directory such as the
demo's folder, whose stage2_*.jsonl and stage3_*.jsonl files are loaded.

With --simulate it is a capacity simulator instead, for load tests: it
serves --concurrency requests at once and queues the rest; each takes a
service time from when it gets a slot, --latency, or with --latency_sigma > 0
a lognormal draw whose mean is --latency (seeded by --seed). Every prompt gets
a small valid reply by role: testgen a unittest class that calls the code's
functions, fix and refine the prompt's code back. --recordings is refused
with --simulate, and the simulator's flags without it.

GET /stats (both modes) returns JSON: requests_served, busy_s, utilization
(busy_s / (concurrency * elapsed_s); 0 in replay mode, where busy_s sums the
request handling times), concurrency, queue_wait_s, max_in_flight,
elapsed_s, mean_latency_s, mean_service_s, by_role, by_status.`,
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
	simulate := fs.Bool("simulate", false, "be a capacity simulator answering any prompt by role, instead of replaying --recordings")
	concurrency := fs.Int("concurrency", 32, "with --simulate: requests served at once, the rest queue (0 = unbounded)")
	latency := fs.Duration("latency", durationValue(2*time.Second), "with --simulate: service time of a request, or its mean when --latency_sigma > 0")
	sigma := fs.Float64("latency_sigma", 0, "with --simulate: standard deviation of the log of the service time (lognormal); 0 = every request takes --latency")
	seed := fs.Int("seed", 0, "with --simulate: seed of the lognormal service times")
	return func(ctx context.Context) error {
		sim, err := simulatorFlags(*simulate, *recordings, *concurrency, latency.Duration(), *sigma, int64(*seed))
		if err != nil {
			return err
		}
		var rec *replay.Recordings
		if sim == nil {
			paths, err := recordingFiles(*recordings)
			if err != nil {
				return err
			}
			if rec, err = replay.LoadRecordings(paths...); err != nil {
				return err
			}
		}
		opts := replay.Options{Model: *model, StrictModel: *strictModel, Simulator: sim}
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
		if sim != nil {
			fmt.Printf("llm-replay: simulating %d slots, latency %s (sigma %g), serving http://%s/v1\n",
				sim.Concurrency, sim.Latency, sim.LatencySigma, *addr)
		} else {
			fmt.Printf("llm-replay: %d recorded functions, serving http://%s/v1\n", rec.Len(), *addr)
		}
		return srv.Serve(ctx, *addr)
	}
}

// simulatorFlags checks the simulator's flags and returns the Simulator,
// or nil without --simulate. The simulator's flags need --simulate, and
// --recordings is refused with it (it would be ignored).
func simulatorFlags(simulate bool, recordings string, concurrency int, latency time.Duration, sigma float64, seed int64) (*replay.Simulator, error) {
	if !simulate {
		var set []string
		flag.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "concurrency", "latency", "latency_sigma", "seed":
				set = append(set, "--"+f.Name)
			}
		})
		if len(set) > 0 {
			return nil, fmt.Errorf("%s: only with --simulate", strings.Join(set, ", "))
		}
		return nil, nil
	}
	switch {
	case recordings != "":
		return nil, fmt.Errorf("--recordings is not used with --simulate: the simulator answers any prompt")
	case concurrency < 0:
		return nil, fmt.Errorf("--concurrency=%d: want 0 (unbounded) or more", concurrency)
	case latency < 0:
		return nil, fmt.Errorf("--latency=%s: want 0 or more", latency)
	case sigma < 0 || math.IsNaN(sigma) || math.IsInf(sigma, 0):
		return nil, fmt.Errorf("--latency_sigma=%g: want 0 or more", sigma)
	}
	return &replay.Simulator{Concurrency: concurrency, Latency: latency, LatencySigma: sigma, Seed: seed}, nil
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
