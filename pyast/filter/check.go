package filter

import (
	"strings"

	"github.com/unitcoder/unitcoder/sample"
)

// Reject reasons (Unit "function", Stage "filter"), one per rule.
const (
	ReasonNoTargetLibrary  = "no_target_library"
	ReasonTooShort         = "too_short"
	ReasonTooLong          = "too_long"
	ReasonNoParameters     = "no_parameters"
	ReasonNoReturn         = "no_return"
	ReasonNestedDef        = "nested_def"
	ReasonNestedClass      = "nested_class"
	ReasonNestedImport     = "nested_import"
	ReasonNotSelfContained = "not_self_contained"
	ReasonClosureTooLarge  = "closure_too_large"
	ReasonHardcodedPath    = "hardcoded_path"
)

// Check applies the rules in a fixed order and returns the first failing
// rule's reason, or ("", true) when f is kept. The order puts the
// retrieval rule first so reject counts say how much of the corpus is on
// topic before they say how it is written.
func Check(f sample.Function, r Rules) (reason string, ok bool) {
	for _, rule := range []func(sample.Function, Rules) string{
		targetLibrary, length, parameters, returns, nested, closureSize, selfContained, hostPaths,
	} {
		if reason := rule(f, r); reason != "" {
			return reason, false
		}
	}
	return "", true
}

// targetLibrary keeps a function only if it calls into a target library;
// importing one without calling it is not enough to test its API use.
func targetLibrary(f sample.Function, r Rules) string {
	for _, api := range f.APIs {
		root, _, _ := strings.Cut(api, ".")
		if r.Libraries[root] {
			return ""
		}
	}
	return ReasonNoTargetLibrary
}

func length(f sample.Function, r Rules) string {
	lines, chars := f.Shape.Lines, len(f.Code)
	if lines == 0 {
		lines = strings.Count(f.Code, "\n") + 1
	}
	switch {
	case (r.MinLines > 0 && lines < r.MinLines) || (r.MinChars > 0 && chars < r.MinChars):
		return ReasonTooShort
	case (r.MaxLines > 0 && lines > r.MaxLines) || (r.MaxChars > 0 && chars > r.MaxChars):
		return ReasonTooLong
	}
	return ""
}

// parameters: a function without inputs gives a test nothing to vary.
func parameters(f sample.Function, _ Rules) string {
	if len(f.Shape.Params) == 0 {
		return ReasonNoParameters
	}
	return ""
}

// returns: tests assert on return values, so a function must return one.
func returns(f sample.Function, _ Rules) string {
	if !f.Shape.HasReturn {
		return ReasonNoReturn
	}
	return ""
}

// nested: nested definitions and imports hide dependencies from the
// import analysis and make the function harder to test in isolation.
func nested(f sample.Function, _ Rules) string {
	for _, n := range f.Shape.Nested {
		switch n {
		case "def":
			return ReasonNestedDef
		case "class":
			return ReasonNestedClass
		case "import":
			return ReasonNestedImport
		}
	}
	return ""
}

// closureSize bounds what the function's own file adds to its program:
// a function that needs half its module is not a unit to test.
func closureSize(f sample.Function, r Rules) string {
	if r.MaxClosureLines > 0 && f.Shape.ClosureLines > r.MaxClosureLines {
		return ReasonClosureTooLarge
	}
	return ""
}

func selfContained(f sample.Function, _ Rules) string {
	if !f.Shape.SelfContained {
		return ReasonNotSelfContained
	}
	return ""
}
