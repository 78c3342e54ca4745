package sandbox

// request is one job as the worker reads it (one JSON line on fd 3).
type request struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Test        string `json:"test"`
	TimeoutMS   int64  `json:"timeout_ms"`
	Coverage    bool   `json:"coverage"`
	Seed        int64  `json:"seed"`
	TZ          string `json:"tz"`
	FailFast    bool   `json:"failfast"`
	MemoryMB    int    `json:"memory_mb"`
	OutputLimit int    `json:"output_limit"`
	// GuardOff skips the static guard; GuardAllow lists rules it skips
	// (GuardConfig).
	GuardOff   bool     `json:"guard_off"`
	GuardAllow []string `json:"guard_allow"`
}

// reply is what the trusted worker parent says about one job (one JSON line
// on fd 4). SuiteDone is the kernel-observed fact the pass verdict rests
// on: the job's suite thread ended while the job lived. Report is the raw,
// untrusted line the job's child wrote on its result pipe: detail only.
type reply struct {
	ID              string          `json:"id"`
	ParseError      string          `json:"parse_error"`
	Rejected        string          `json:"rejected"` // the static guard's "<rule>: <reason>"; nothing ran
	Style           string          `json:"style"`
	Expected        []string        `json:"expected"`
	Dynamic         []string        `json:"dynamic"`
	Report          string          `json:"report"`
	SuiteDone       bool            `json:"suite_done"`
	Alarm           string          `json:"alarm"`
	SetupError      string          `json:"setup_error"`
	ExitCode        int             `json:"exit_code"`
	Signal          int             `json:"signal"`
	TimedOut        bool            `json:"timed_out"`
	Stdout          string          `json:"stdout"`
	Stderr          string          `json:"stderr"`
	StdoutTruncated bool            `json:"stdout_truncated"`
	StderrTruncated bool            `json:"stderr_truncated"`
	Importable      map[string]bool `json:"importable"`
	DurationMS      float64         `json:"duration_ms"`
	ProtocolError   string          `json:"protocol_error"`
}

// hello is the worker's first line once it has preloaded and (in strict
// mode) entered its private root.
type hello struct {
	Ready         bool              `json:"ready"`
	PID           int               `json:"pid"`
	Preloaded     []string          `json:"preloaded"`
	PreloadFailed map[string]string `json:"preload_failed"`
	// Seccomp: job children get the seccomp filter (always in strict mode;
	// in basic mode where the kernel or container allows it).
	Seccomp bool `json:"seccomp"`
	// HugePageBytes is how much of the worker's memory is on transparent
	// huge pages once it is ready (collapse_heap in worker.py), as the
	// kernel counts it (AnonHugePages).
	HugePageBytes int64 `json:"huge_page_bytes"`
}

// childReport is the job child's own account, written on its result pipe.
// It is untrusted: it explains a verdict but never makes one a pass.
type childReport struct {
	Phase      string      `json:"phase"`
	OK         bool        `json:"ok"`
	Load       *excInfo    `json:"load"`
	Tests      []childTest `json:"tests"`
	Tamper     string      `json:"tamper"`
	Vacuous    string      `json:"vacuous"`
	Discovered []string    `json:"discovered"`
	Coverage   *childCov   `json:"coverage"`
}

type excInfo struct {
	Kind    string `json:"kind"` // assert, memory, missing, exit, exception
	Type    string `json:"type"`
	Message string `json:"message"`
	Missing string `json:"missing"`
}

type childTest struct {
	Name       string  `json:"name"`
	Outcome    string  `json:"outcome"`
	Message    string  `json:"message"`
	Kind       string  `json:"kind"`
	Missing    string  `json:"missing"`
	DurationMS float64 `json:"duration_ms"`
}

type childCov struct {
	Lines           int    `json:"lines"`
	LinesCovered    int    `json:"lines_covered"`
	Branches        int    `json:"branches"`
	BranchesCovered int    `json:"branches_covered"`
	Covered         []int  `json:"covered"`
	Error           string `json:"error"`
}
