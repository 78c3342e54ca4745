package runstats

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/unitcoder/unitcoder/io/dataset"
	"github.com/unitcoder/unitcoder/sample"
)

// VerifySummary counts the results a verify run wrote.
type VerifySummary struct {
	Rows     int            `json:"rows"`
	ByStatus map[string]int `json:"by_status"`
	// Adequacy summarises the rows measured with --mutation (Stats.Adequacy
	// carries it into stats.json).
	Adequacy *AdequacyStats `json:"-"`
}

// SummarizeVerify reads the result shards in dir back and counts them.
func SummarizeVerify(ctx context.Context, dir string) (VerifySummary, error) {
	sum := VerifySummary{ByStatus: map[string]int{}}
	adq := newAdequacyStats()
	err := dataset.ReadLines(ctx, dataset.JoinPath(dir, "part-*"), func(line []byte) error {
		var r struct {
			Status string `json:"status"`
			*sample.Adequacy
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		sum.Rows++
		sum.ByStatus[r.Status]++
		adq.add(r.Adequacy)
		return nil
	})
	sum.Adequacy = adq.finish()
	return sum, err
}

// String renders the summary as "pass=3 fail=1".
func (v VerifySummary) String() string {
	keys := make([]string, 0, len(v.ByStatus))
	for k := range v.ByStatus {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, v.ByStatus[k])
	}
	return strings.Join(parts, " ")
}
