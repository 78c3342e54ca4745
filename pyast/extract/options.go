package extract

// Options tune extraction.
type Options struct {
	// MaxBytes rejects files larger than this (reason too_large): parsing
	// cost grows with size and huge files are mostly generated code.
	MaxBytes int
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
