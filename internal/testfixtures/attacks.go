package testfixtures

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Attack is one row of the sandbox's attack corpus
// (sandbox/testdata/attacks): a code and test pair and the exact verdict
// it must get.
type Attack struct {
	ID       string
	Category string // forgery, vacuous, leak or legit
	Code     string
	Test     string
	// Want is the status with the default configuration (the static guard
	// on); WantGuardOff the status when only the run-time defences act.
	Want, WantGuardOff string
	Why                string
	Timeout            time.Duration // 0: the caller's default
	Only               string        // an isolation level the row is for ("" = both)
}

// AttackCorpus reads every row of sandbox/testdata/attacks. A row is a .py
// file: "# key: value" header lines (category, want, want_guard_off,
// timeout, only, why), the code under test, a "# ==== test ====" line, the tests.
func AttackCorpus(tb testing.TB) []Attack {
	tb.Helper()
	dir := filepath.Join(RepoRoot(tb), "sandbox", "testdata", "attacks")
	files, err := filepath.Glob(filepath.Join(dir, "*.py"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("testfixtures: no attack corpus in %s: %v", dir, err)
	}
	sort.Strings(files)
	var out []Attack
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		code, test, ok := strings.Cut(string(data), "# ==== test ====\n")
		if !ok {
			tb.Fatalf("%s: no test separator", f)
		}
		a := Attack{ID: strings.TrimSuffix(filepath.Base(f), ".py"), Test: test}
		var body []string
		for _, line := range strings.SplitAfter(code, "\n") {
			key, val, isHeader := strings.Cut(strings.TrimPrefix(line, "# "), ": ")
			val = strings.TrimSpace(val)
			if !strings.HasPrefix(line, "# ") || !isHeader || len(body) > 0 {
				body = append(body, line)
				continue
			}
			switch key {
			case "category":
				a.Category = val
			case "want":
				a.Want = val
			case "want_guard_off":
				a.WantGuardOff = val
			case "why":
				a.Why = val
			case "only":
				a.Only = val
			case "timeout":
				if a.Timeout, err = time.ParseDuration(val); err != nil {
					tb.Fatalf("%s: %v", f, err)
				}
			default:
				body = append(body, line)
			}
		}
		a.Code = strings.Join(body, "")
		if a.WantGuardOff == "" {
			a.WantGuardOff = a.Want
		}
		if a.Category == "" || a.Want == "" {
			tb.Fatalf("%s: category and want are required", f)
		}
		out = append(out, a)
	}
	return out
}
