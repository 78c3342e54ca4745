// Package sample defines the elements that flow between unitcoder's stages:
// corpus files, extracted functions, samples under test, the records a
// dataset holds, and the rejects that account for every input that did not
// become a record. Every type is JSON-serialisable so Beam can encode it and
// outputs can be read back.
package sample

// Stage names where a unit of work can end up rejected. The set is fixed so
// stats and reports can rely on it.
type Stage string

// The fixed set of stages.
const (
	StageRead          Stage = "read"
	StageExtract       Stage = "extract"
	StageFilter        Stage = "filter"
	StageDedup         Stage = "dedup"
	StageDecontaminate Stage = "decontaminate"
	// StageLoad rejects what cannot load before any LLM call: imports that
	// are relative or not installed, and programs a load-only job fails.
	StageLoad     Stage = "load"
	StageTestgen  Stage = "testgen"
	StageVerify   Stage = "verify"
	StageFix      Stage = "fix"
	StageRefine   Stage = "refine"
	StageAdequacy Stage = "adequacy"
	StageWrite    Stage = "write"
)

// Provenance says where a function came from in the corpus.
type Provenance struct {
	FileID  string `json:"file_id"`
	Path    string `json:"path,omitempty"`
	Repo    string `json:"repo,omitempty"`
	License string `json:"license,omitempty"`
	Source  string `json:"source,omitempty"` // the corpus shard the row was read from
}

// FileDoc is one source file (one corpus row).
type FileDoc struct {
	ID      string `json:"id"`
	Path    string `json:"path,omitempty"`
	Repo    string `json:"repo,omitempty"`
	License string `json:"license,omitempty"`
	Source  string `json:"source,omitempty"`
	Content string `json:"content"`
	// Imports are extra import lines supplied with the row (UnitCoder stage-1
	// rows carry them in import_code); they are treated as if they headed
	// Content.
	Imports []string `json:"imports,omitempty"`
}

// Function is one top-level function extracted from a FileDoc.
type Function struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Code      string   `json:"code"`
	Imports   []string `json:"imports"`
	APIs      []string `json:"apis"`
	Libs      []string `json:"libs"`
	FreeNames []string `json:"free_names,omitempty"`
	// Program is what is tested: Imports, then the same-file definitions
	// the function needs (its dependency closure), then Code. Empty in rows
	// written before closures existed; see testgen.Program.
	Program string `json:"program,omitempty"`
	// Closure names the top-level definitions (helpers, constants,
	// classes) of the function's file that Program adds, in source order.
	Closure    []string   `json:"closure,omitempty"`
	Provenance Provenance `json:"provenance"`
	Shape      Shape      `json:"shape"`
}

// Shape holds structural facts about a Function, computed once at
// extraction so the filter can judge it without parsing it again.
type Shape struct {
	Params    []string `json:"params,omitempty"`     // parameter names, without * or **
	HasReturn bool     `json:"has_return,omitempty"` // a return statement in its own body
	Async     bool     `json:"async,omitempty"`
	// Nested lists "def", "class" or "import" for each definition or import
	// statement inside the body (lambdas do not count).
	Nested []string `json:"nested,omitempty"`
	// SelfContained is true when every free name is a parameter, local,
	// module-level import or builtin; Unresolved lists the others.
	// Both are judged on the program: names its dependency closure
	// defines are resolved.
	SelfContained bool     `json:"self_contained"`
	Unresolved    []string `json:"unresolved,omitempty"`
	// ClosureLines is the number of lines the closure adds to the program.
	ClosureLines int `json:"closure_lines,omitempty"`
	// Literals are the string literals (as written, docstrings excluded)
	// that contain a slash or backslash: the candidates for path rules.
	Literals []string `json:"literals,omitempty"`
	Lines    int      `json:"lines"` // lines of Code
}

// Rejected records why a unit of work (a file, a function or a sample) did
// not become a record.
type Rejected struct {
	ID     string `json:"id"`
	Unit   string `json:"unit"` // "file" or "function"
	Stage  Stage  `json:"stage"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
	// History is the attempt history of a sample that failed after tests
	// were generated.
	History []Attempt `json:"history,omitempty"`
}

// Units counted by conservation.
const (
	UnitFile     = "file"
	UnitFunction = "function"
)

// RejectFunction is the reject of a function at stage, for reason.
func RejectFunction(id string, stage Stage, reason, detail string) Rejected {
	return Rejected{ID: id, Unit: UnitFunction, Stage: stage, Reason: reason, Detail: detail}
}

// RejectFile is the reject of a corpus row (a file) at stage, for reason.
func RejectFile(id string, stage Stage, reason, detail string) Rejected {
	return Rejected{ID: id, Unit: UnitFile, Stage: stage, Reason: reason, Detail: detail}
}

// Attempt is one verified candidate: the original code (round 0), a fix
// candidate (round 1..R) or the refined code (round -1).
type Attempt struct {
	Round        int      `json:"round"`
	Candidate    int      `json:"candidate"`
	Code         string   `json:"code,omitempty"`
	Status       string   `json:"status"`
	FailingTests []string `json:"failing_tests,omitempty"`
	Coverage     float64  `json:"coverage,omitempty"`
	Note         string   `json:"note,omitempty"`
}

// RefineRound is the Attempt.Round used for the refined candidate.
const RefineRound = -1
