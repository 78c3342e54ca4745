package main

import (
	"time"

	"github.com/unitcoder/unitcoder/transforms/verify"
)

// sandboxFlags are the sandbox flags that verify and synthesize share.
type sandboxFlags struct {
	workers, memory *int
	timeout         *durationValue
	isolation       *string
	coverage        *bool
}

// addSandboxFlags defines the sandbox flags on fs. Coverage is on by
// default in both commands: it is part of every result and record, and
// --coverage=false is there for speed.
func addSandboxFlags(fs *flagSet) sandboxFlags {
	return sandboxFlags{
		workers:   fs.Int("workers", 0, "warm Python workers per process (0: one per core)"),
		timeout:   fs.Duration("timeout", durationValue(30*time.Second), "wall-clock limit of one sandbox job (e.g. 30s)"),
		isolation: fs.String("isolation", "strict", "sandbox isolation: strict (namespaces) or basic (rlimits only)"),
		memory:    fs.Int("memory_mb", 0, "address-space limit per sandbox job in MB (0: sandbox default)"),
		coverage:  fs.Bool("coverage", true, "measure line and branch coverage of the code under test"),
	}
}

// params is the sandbox stage's parameters from the flags.
func (f sandboxFlags) params(keepPassing int) verify.Params {
	return verify.Params{Workers: *f.workers, Timeout: f.timeout.Duration(), Coverage: *f.coverage,
		Isolation: *f.isolation, MemoryLimitMB: *f.memory, KeepPassing: keepPassing}
}
