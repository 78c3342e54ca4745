package adequacy_test

import (
	"github.com/unitcoder/unitcoder/adequacy"
	"testing"
	"time"
)

// TestMutantTimeoutRule: a mutant gets five times the original's run plus half
// a second, capped by the job's own limit.
func TestMutantTimeoutRule(t *testing.T) {
	cases := []struct {
		ms    float64
		limit time.Duration
		want  time.Duration
	}{
		{100, 30 * time.Second, 1000 * time.Millisecond},
		{4000, 30 * time.Second, 20500 * time.Millisecond},
		{10000, 30 * time.Second, 30 * time.Second},
		{10000, 0, 50500 * time.Millisecond},
	}
	for _, c := range cases {
		if got := adequacy.MutantTimeout(c.ms, c.limit); got != c.want {
			t.Errorf("MutantTimeout(%vms, %v) = %v, want %v", c.ms, c.limit, got, c.want)
		}
	}
}
