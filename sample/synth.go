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
}

// Reject is the reject of x's function at stage, for reason, carrying the
// attempt history so far.
func (x Sample) Reject(stage Stage, reason, detail string) Rejected {
	r := RejectFunction(x.Function.ID, stage, reason, detail)
	r.History = x.Attempts
	return r
}
