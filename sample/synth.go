package sample

// Sample is the unit that flows through test generation, verification,
// fix rounds and refinement. Everything a later stage needs travels in the
// element, so no stage keeps hidden state.
type Sample struct {
	Function Function `json:"function"`
	// Tests is the unittest source; it never changes after test generation.
	Tests string `json:"tests"`
	// TestRepair says how generated tests were changed before use, e.g.
	// "removed_redefinition:foo" when they redefined the code under test.
	TestRepair string `json:"test_repair,omitempty"`
	// TestNames are the test methods the tests define.
	TestNames []string `json:"test_names,omitempty"`
	// Code is the current program: imports plus the function.
	Code string `json:"code"`
	// Status is the sandbox status of Code's latest verification.
	Status string `json:"status,omitempty"`
	// Failures are the failing tests of Code's latest verification, the
	// feedback for the next fix round.
	Failures []TestFailure `json:"failures,omitempty"`
	// Candidates are the programs awaiting verification in this round.
	Candidates []string `json:"candidates,omitempty"`
	// PassedRound is the fix round whose code passed (0: the original code);
	// -1 while no code has passed.
	PassedRound int `json:"passed_round"`
	// Variants are further passing programs kept from the passing round
	// (up to M-1 of them), beside Code.
	Variants []string `json:"variants,omitempty"`
	// Coverage is the line coverage of Code by Tests, in percent.
	Coverage float64 `json:"coverage"`
	// BranchCoverage is the branch coverage of Code by Tests, in percent.
	BranchCoverage float64 `json:"branch_coverage"`
	// Refined is set when Code is the refined program and it passed.
	Refined bool `json:"refined"`
	// RefineNote says why the refined program was not kept, if it was not.
	RefineNote string `json:"refine_note,omitempty"`
	// Attempts is the history of every verified program.
	Attempts []Attempt `json:"attempts"`
	// Tokens counts the LLM tokens spent on this sample.
	Tokens Tokens `json:"tokens"`
	// Origin says where Code's passing suite came from: OriginOriginal
	// (the corpus code passed the generated tests), OriginPruned (the
	// corpus code passed once its failing tests were dropped) or
	// OriginFixed (an LLM repair passed them).
	Origin string `json:"origin,omitempty"`
	// DroppedTests are the tests pruning removed from Tests.
	DroppedTests []string `json:"dropped_tests,omitempty"`
	// GeneratedTests is how many tests test generation wrote, before any
	// pruning.
	GeneratedTests int `json:"generated_tests,omitempty"`
	// Adequacy is the strength of Tests against Code, once measured.
	Adequacy *Adequacy `json:"adequacy,omitempty"`
}

// Origins of a passing suite (Sample.Origin, Record.Origin).
const (
	OriginOriginal = "original"
	OriginPruned   = "pruned"
	OriginFixed    = "fixed"
)

// Adequacy is how strongly a passing suite constrains its program: a
// mutation score, a vacuity verdict and a flakiness verdict (see package
// adequacy for how each is measured).
type Adequacy struct {
	// MutationScore is MutantsKilled / Mutants; 1 when no mutant could be
	// made from the covered code.
	MutationScore float64 `json:"mutation_score"`
	Mutants       int     `json:"mutants"`
	MutantsKilled int     `json:"mutants_killed"`
	// Surviving lists up to five mutants no test killed.
	Surviving []Survivor `json:"surviving,omitempty"`
	// Vacuous: the suite passes against a stub whose bodies only raise.
	Vacuous bool `json:"vacuous"`
	// Flaky: a rerun under another seed, hash seed or time zone disagreed.
	Flaky bool `json:"flaky"`
	// FlakyDetail says which rerun disagreed and how.
	FlakyDetail string `json:"flaky_detail,omitempty"`
}

// Survivor is a mutant that every test passed.
type Survivor struct {
	Line        int    `json:"line"`
	Operator    string `json:"operator"`
	Original    string `json:"original"`
	Replacement string `json:"replacement"`
}

// TestFailure is one failing test and its trimmed traceback.
type TestFailure struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Tokens counts the LLM tokens behind a sample's answers: what they cost
// when generated, whether in this run or in a cached earlier one, so a
// rerun from the cache writes the same records.
type Tokens struct {
	Prompt     int `json:"prompt"`
	Completion int `json:"completion"`
}

// Add returns the sum of two counts.
func (t Tokens) Add(o Tokens) Tokens {
	return Tokens{t.Prompt + o.Prompt, t.Completion + o.Completion}
}

// Record is one verified program as the dataset holds it.
type Record struct {
	ID         string     `json:"id"`
	Provenance Provenance `json:"provenance"`
	// Prefix (imports, signature, docstring) and Completion (the body)
	// form a BigCodeBench-Complete style pair.
	Prefix     string `json:"prefix"`
	Completion string `json:"completion"`
	// Instruction (a natural-language task) and Response (the full code)
	// form an instruction-tuning pair.
	Instruction string   `json:"instruction"`
	Response    string   `json:"response"`
	Tests       string   `json:"tests"`
	EntryPoint  string   `json:"entry_point"`
	Libs        []string `json:"libs"`
	APIs        []string `json:"apis"`
	// Closure names the definitions of the function's own file (helpers,
	// constants, classes) that the program carries before the function,
	// in Prefix; empty when the function needed none.
	Closure []string `json:"closure,omitempty"`
	// Rounds is the fix round whose code passed (0: the original code).
	Rounds         int       `json:"rounds"`
	TestCount      int       `json:"test_count"`
	Coverage       float64   `json:"coverage"`
	BranchCoverage float64   `json:"branch_coverage"`
	Refined        bool      `json:"refined"`
	RefineNote     string    `json:"refine_note,omitempty"`
	TestRepair     string    `json:"test_repair,omitempty"`
	Variants       []string  `json:"variants,omitempty"`
	Tokens         Tokens    `json:"tokens"`
	History        []Attempt `json:"history"`
	// Origin is original, pruned or fixed (see Sample.Origin).
	Origin string `json:"origin"`
	// DroppedTests are the generated tests pruning removed.
	DroppedTests []string `json:"dropped_tests,omitempty"`
	// Adequacy's fields (mutation_score, mutants, mutants_killed,
	// surviving, vacuous, flaky) sit at the top level of the record; a run
	// without the adequacy stage has none of them.
	*Adequacy
}

// NearMiss is a sample that verified but missed an adequacy threshold: its
// record, why it missed, and its grades, so users can set their own bar.
// Every near miss is also a reject (stage adequacy), which conservation
// counts.
type NearMiss struct {
	Record
	Reason string `json:"reason"`
	// PassFraction is the share of the generated tests the program passes
	// (below 1 only for pruned suites).
	PassFraction float64 `json:"pass_fraction"`
}

// Reject is the reject of x's function at stage, for reason, carrying the
// attempt history so far.
func (x Sample) Reject(stage Stage, reason, detail string) Rejected {
	r := RejectFunction(x.Function.ID, stage, reason, detail)
	r.History = x.Attempts
	return r
}
