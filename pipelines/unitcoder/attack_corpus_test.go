package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
)

// TestVerifyAttackCorpus runs the sandbox's attack corpus through
// `unitcoder verify`, as a user would, in both isolation levels: every
// row must get exactly its status. A worker serves many rows in a row, so
// a row that left state behind would break a later one; the sandbox
// package's TestAttackCorpus checks the very next job on the worker.
func TestVerifyAttackCorpus(t *testing.T) {
	corpus := testfixtures.AttackCorpus(t)
	for _, iso := range []string{"strict", "basic"} {
		t.Run(iso, func(t *testing.T) {
			want := map[string]string{}
			var lines []string
			for _, a := range corpus {
				if a.Only != "" && a.Only != iso {
					continue
				}
				b, err := json.Marshal(map[string]string{"id": a.ID, "code": a.Code, "test": a.Test})
				if err != nil {
					t.Fatal(err)
				}
				lines = append(lines, string(b))
				want[a.ID] = a.Want
			}
			dir := t.TempDir()
			input := writeInput(t, dir, "attacks.jsonl", lines)
			out := filepath.Join(dir, "out")
			res := runCLI(t, 10*time.Minute, "verify", "--input="+input, "--output="+out,
				"--workers=2", "--isolation="+iso, "--timeout=60s")
			if res.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			got := map[string]verifyResult{}
			for _, r := range readResults(t, out) {
				got[r.ID] = r
			}
			if len(got) != len(want) {
				t.Errorf("%d results for %d rows", len(got), len(want))
			}
			for id, status := range want {
				r, ok := got[id]
				switch {
				case !ok:
					t.Errorf("%s: no result", id)
				case r.Status != status:
					t.Errorf("%s: status %s (%s), want %s", id, r.Status, r.Reason, status)
				}
			}
		})
	}
}
