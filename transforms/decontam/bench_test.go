package decontam

import "testing"

// The benchmarks run over the 860 UnitCoder demo functions per iteration
// against the HumanEval index. BenchmarkGrams (computing the n-grams only)
// is the baseline for BenchmarkMatch (n-grams plus index lookups).

func BenchmarkGrams(b *testing.B) {
	fns := demoFunctions(b)
	for b.Loop() {
		for _, f := range fns {
			Grams(f.Code, DefaultN)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	fns := demoFunctions(b)
	idx, err := LoadBenchmarks([]string{humanEvalPath(b)}, DefaultN)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, f := range fns {
			idx.Match(f.Code)
		}
	}
}

func BenchmarkLoadHumanEval(b *testing.B) {
	p := humanEvalPath(b)
	for b.Loop() {
		if _, err := LoadBenchmarks([]string{p}, DefaultN); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBodyKeys is the body rule's share of BenchmarkMatch: finding
// each function's module-level defs and hashing them.
func BenchmarkBodyKeys(b *testing.B) {
	fns := demoFunctions(b)
	for b.Loop() {
		for _, f := range fns {
			for _, d := range topLevelDefs(f.Code) {
				defKey(f.Code[d.start:d.end])
			}
		}
	}
}
