package report

import (
	"context"
	"strings"
	"testing"
)

func renderRun(t *testing.T, dir string) string {
	t.Helper()
	r, err := Load(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := Render(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRenderSections(t *testing.T) {
	tests := []struct {
		name    string
		dir     func(*testing.T) string
		charts  []string // drawn as <svg data-chart=...>
		missing []string // shown as "no data"
		text    []string
	}{
		{"synthesize", synthesizeRun,
			[]string{"funnel", "reasons", "pass-rate", "coverage", "libs", "apis", "tokens", "time", "busy", "mutation", "origin", "yield"}, nil,
			[]string{"kept thanks to a closure", "load/env:missing_module:tensorflow", "verified records", "Mutation score of measured suites (4 with a mutant to run; median 0.85)", "records, origin pruned", "near miss: adequacy/weak_tests", "60.0%", "65.0%", "LLM (48 request-s over 8 slots × 10 s)", "round 1 (+1)", "75.0%", "numpy.mean", "GenerateTests", "testgen completion_tokens",
				"TestCases.test_empty", "exhausted:fail", "&#39;--select_ids=my ids.txt&#39;", "conserved"}},
		{"extract", extractRun,
			[]string{"funnel", "reasons", "libs", "apis"}, []string{"pass-rate", "coverage", "tokens", "time"},
			[]string{"functions kept", "numpy.linalg.norm", "bsd-3-clause", "def norm(v)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := renderRun(t, tc.dir(t))
			for _, c := range tc.charts {
				if !strings.Contains(page, `data-chart="`+c+`"`) {
					t.Errorf("chart %q missing", c)
				}
			}
			for _, c := range tc.missing {
				if !strings.Contains(page, `data-chart-missing="`+c+`"`) {
					t.Errorf("chart %q should say it has no data", c)
				}
			}
			for _, s := range tc.text {
				if !strings.Contains(page, s) {
					t.Errorf("report lacks %q", s)
				}
			}
			// Offline: nothing is fetched.
			for _, s := range []string{"http://", "https://", "<link", " src="} {
				if i := strings.Index(page, s); i >= 0 && !strings.Contains(page[max(0, i-40):i], "xmlns=") && !strings.Contains(page[i:min(len(page), i+40)], "127.0.0.1") {
					t.Errorf("report references %q: %s", s, page[max(0, i-60):min(len(page), i+60)])
				}
			}
		})
	}
}

func TestRenderEscapesCode(t *testing.T) {
	page := renderRun(t, synthesizeRun(t))
	if strings.Contains(page, "<script>alert(1)") {
		t.Fatal("code from a record was not escaped")
	}
	if !strings.Contains(page, "&lt;/pre&gt;&lt;script&gt;alert(1)") {
		t.Fatal("escaped code missing")
	}
}

func TestCoverageBuckets(t *testing.T) {
	r := &Run{Coverage: []float64{0, 9.9, 10, 99.5, 100, 100}}
	svg := string(r.coverageChart())
	for _, want := range []string{"0–9: 2", "10–19: 1", "90–99: 1", "100: 2"} {
		if !strings.Contains(svg, "<title>"+want+"</title>") {
			t.Errorf("coverage chart lacks bar %q", want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{"--rounds=3": "--rounds=3", "a b": "'a b'", "it's": `'it'\''s'`, "": "''", "*.jsonl": "'*.jsonl'"}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
