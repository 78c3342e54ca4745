package main

import (
	"fmt"
	"time"

	"github.com/unitcoder/unitcoder/adequacy"
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

// adequacyFlags are the test-strength flags verify and synthesize share.
type adequacyFlags struct {
	mutation        *bool
	mutants, reruns *int
}

// addAdequacyFlags defines them; on says whether the checks run by
// default.
func addAdequacyFlags(fs *flagSet, on bool) adequacyFlags {
	return adequacyFlags{
		mutation: fs.Bool("mutation", on, "measure each passing suite: mutation score, vacuity (a stub that raises) and flakiness (reruns)"),
		mutants:  fs.Int("mutants", adequacy.DefaultMutants, "mutants run per passing program (covered lines only, chosen deterministically)"),
		reruns:   fs.Int("reruns", adequacy.DefaultReruns, "reruns of a passing suite under other seeds, PYTHONHASHSEED and TZ; any disagreement is flaky"),
	}
}

// params are the checks' sizes, or nil when --mutation is off.
func (f adequacyFlags) params() (*adequacy.Params, error) {
	if !*f.mutation {
		return nil, nil
	}
	if *f.mutants < 0 || *f.reruns < 0 {
		return nil, fmt.Errorf("--mutants and --reruns must be 0 or more")
	}
	p := adequacy.Params{Mutants: *f.mutants, Reruns: *f.reruns}
	// Zero means none here; the package's zero means its default.
	if p.Mutants == 0 {
		p.Mutants = -1
	}
	if p.Reruns == 0 {
		p.Reruns = -1
	}
	return &p, nil
}
