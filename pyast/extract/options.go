package extract

// Options tune extraction.
type Options struct {
	// MaxBytes rejects files larger than this (reason too_large): parsing
	// cost grows with size and huge files are mostly generated code.
	MaxBytes int
	// ClosureLibraries, when set, limits dependency closures to the
	// functions the retrieval filter could keep: with a parameter, a
	// return, nothing nested and a call into one of these libraries. The
	// others get a program without their file's definitions, which spares
	// parsing the classes and constants they read (most of a file). nil
	// computes every closure.
	ClosureLibraries map[string]bool `json:",omitempty"`
	// MaxClosureLines stops following a closure once its definitions pass
	// this many lines (the filter rejects it as closure_too_large; its
	// Shape.ClosureLines then says only that it is over). 0: no bound.
	MaxClosureLines int `json:",omitempty"`
}

// DefaultOptions returns the options the pipeline uses unless flags say
// otherwise.
func DefaultOptions() Options {
	return Options{MaxBytes: 1 << 20}
}

// Reject reasons for files (Unit "file", Stage "extract").
const (
	ReasonBinary      = "binary"
	ReasonInvalidUTF8 = "invalid_utf8"
	ReasonTooLarge    = "too_large"
	ReasonSyntaxError = "syntax_error"
	ReasonPython2     = "python2"
	ReasonNoFunctions = "no_functions"
)
