package decontam

import (
	"errors"
	"fmt"
	"os"
)

// Params configures Decontaminate. Zero numeric fields take the defaults.
type Params struct {
	// Paths are local benchmark JSONL(.gz) files; every worker reads them
	// in Setup, so they must be readable where the workers run.
	Paths []string
	// N is the n-gram length in feature tokens. Default 10.
	N int
	// MinOverlap is the least number of a task's specific n-grams the code
	// must contain. Default 4.
	MinOverlap int
	// MinCoverage is the least fraction of the specific n-grams of a task's
	// entry function the code must contain. Default 0.5.
	MinCoverage float64
}

// WithDefaults returns p with zero fields replaced by the defaults.
func (p Params) WithDefaults() Params {
	if p.N == 0 {
		p.N = DefaultN
	}
	if p.MinOverlap == 0 {
		p.MinOverlap = DefaultMinOverlap
	}
	if p.MinCoverage == 0 {
		p.MinCoverage = DefaultMinCoverage
	}
	return p
}

// Validate checks the numbers and that every path is a readable file.
func (p Params) Validate() error {
	switch {
	case p.N < 1:
		return fmt.Errorf("decontam: N %d must be positive", p.N)
	case p.MinOverlap < 1:
		return fmt.Errorf("decontam: MinOverlap %d must be positive", p.MinOverlap)
	case p.MinCoverage < 0 || p.MinCoverage > 1:
		return fmt.Errorf("decontam: MinCoverage %v not in [0,1]", p.MinCoverage)
	}
	var errs []error
	for _, path := range p.Paths {
		f, err := os.Open(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("decontam: benchmark %w", err))
			continue
		}
		f.Close()
	}
	return errors.Join(errs...)
}
