package runstats

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/sample"
)

// AdequacyStats summarises the test strength of a run's measured suites:
// synthesize's records and near misses, or verify's passing rows.
type AdequacyStats struct {
	// Measured counts the suites with a measurement.
	Measured int `json:"measured"`
	// ScoreHistogram counts mutation scores in ten bins of 0.1 (the last
	// holds 0.9 to 1 inclusive), over the suites that had a mutant to run
	// (Scored of them).
	ScoreHistogram []int `json:"mutation_score_histogram"`
	Scored         int   `json:"scored"`
	// MedianScore and MeanScore are over the measured suites that had a
	// mutant to run.
	MedianScore float64 `json:"median_mutation_score"`
	MeanScore   float64 `json:"mean_mutation_score"`
	// Mutants and MutantsKilled sum over the suites.
	Mutants       int `json:"mutants"`
	MutantsKilled int `json:"mutants_killed"`
	// Vacuous and Flaky count the vacuous and the flaky suites.
	Vacuous int `json:"vacuous"`
	Flaky   int `json:"flaky"`
	// Records counts the accepted records by origin (original, pruned,
	// fixed); NearMisses counts the near misses by reason.
	Records    map[string]int `json:"records_by_origin,omitempty"`
	NearMisses map[string]int `json:"near_misses,omitempty"`
	scores     []float64
}

func newAdequacyStats() *AdequacyStats {
	return &AdequacyStats{ScoreHistogram: make([]int, 10), Records: map[string]int{}, NearMisses: map[string]int{}}
}

// add counts one measured suite.
func (s *AdequacyStats) add(a *sample.Adequacy) {
	if a == nil {
		return
	}
	s.Measured++
	s.Mutants += a.Mutants
	s.MutantsKilled += a.MutantsKilled
	if a.Vacuous {
		s.Vacuous++
	}
	if a.Flaky {
		s.Flaky++
	}
	if a.Mutants > 0 {
		s.ScoreHistogram[min(int(a.MutationScore*10), 9)]++
		s.Scored++
		s.scores = append(s.scores, a.MutationScore)
	}
}

// finish computes the mean and median; nil when nothing was measured.
func (s *AdequacyStats) finish() *AdequacyStats {
	if s.Measured == 0 {
		return nil
	}
	if n := len(s.scores); n > 0 {
		sort.Float64s(s.scores)
		sum := 0.0
		for _, v := range s.scores {
			sum += v
		}
		s.MeanScore = sum / float64(n)
		s.MedianScore = s.scores[n/2]
		if n%2 == 0 {
			s.MedianScore = (s.scores[n/2-1] + s.scores[n/2]) / 2
		}
	}
	return s
}

// readNearMisses counts a synthesis run's near misses into s and returns
// the fix round whose code passed, for each.
func readNearMisses(ctx context.Context, outDir string, s *AdequacyStats) (rounds []int, err error) {
	err = dataset.ReadLines(ctx, dataset.JoinPath(dataset.JoinPath(outDir, NearMissDir), "part-*"), func(line []byte) error {
		var n sample.NearMiss
		if err := json.Unmarshal(line, &n); err != nil {
			return fmt.Errorf("near miss: %w", err)
		}
		s.NearMisses[n.Reason]++
		s.add(n.Adequacy)
		rounds = append(rounds, n.Rounds)
		return nil
	})
	return rounds, err
}
