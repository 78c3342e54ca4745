package sandbox

import (
	"fmt"
	"regexp"
	"slices"
)

// GuardConfig tunes the static guard, which rejects code or tests that
// patch or reach into the machinery deciding the verdict before anything
// runs. It is enabled by default.
//
// The guard proper is an ast analysis in Python (guard.py) that the worker
// runs on the code and the tests of every job before it forks: names are
// resolved through imports and aliases, so `import unittest.case as C;
// C.TestCase.assertEqual = ...` is rejected while `self.debug = True`, a
// threading.Thread subclass's `def run(self)` or a `cls.__subclasses__()`
// plugin registry is not. Its rules are GuardRuleNames.
type GuardConfig struct {
	// Disabled turns the guard off, Extra rules included (the run-time
	// integrity check in the harness still reports patches of unittest,
	// builtins, json and os as tamper).
	Disabled bool
	// Allow lists rule names to skip: names of GuardRuleNames or of Extra.
	// New fails on a name that is neither.
	Allow []string
	// Extra adds rules of your own: Go regular expressions matched against
	// the code and the test source before the job is sent to a worker.
	Extra []GuardRule
}

// GuardRule is one user-added static check: Pattern matched against the
// code and the test source; a match rejects the job with Reason.
type GuardRule struct {
	Name    string
	Pattern *regexp.Regexp
	Reason  string
}

// GuardRuleNames are the built-in guard's rules, for GuardConfig.Allow. A
// rejection's Reason is "static guard <rule>: code|tests <why> (<snippet>)".
//
//   - write-foreign: assignment, augmented assignment or del into an
//     imported object (module, library class, builtin), also through
//     setattr, delattr, object.__setattr__, vars(m)[k] = and
//     m.__dict__.update: `np.allclose = ...` makes assertions pass whatever
//     the code does. Configuration surfaces stay allowed: os.environ,
//     sys.path, sys.argv, rebinding sys.stdout/stderr/stdin, sys.modules[k]
//     unless k is a literal naming a module the verdict depends on
//     (unittest, builtins, numpy, pandas, json, math, operator, functools,
//     sys, os, re, collections), pandas.options, matplotlib rcParams,
//     tempfile.tempdir, ssl._create_default_https_context,
//     unittest.TestCase.maxDiff/longMessage, logging levels and handlers,
//     flask.g, and the job's own module.
//   - builtins-rebind: a binding of __builtins__ or a write into it.
//   - reflection: frame, closure and globals access (f_back, f_globals,
//     tb_frame, gi_frame, __globals__, __closure__, cell_contents, ...),
//     storing __code__ or f_lineno, sys._getframe, sys._current_frames,
//     inspect.currentframe/stack/trace/getouterframes/getinnerframes/
//     getclosurevars, traceback.walk_stack/walk_tb, gc.get_objects/
//     get_referrers/get_referents (through aliases too), and __subclasses__
//     called on an imported or builtin class or on one reached by walking
//     the class graph (x.__class__, __base__, __bases__, __mro__, type(x));
//     on the source's own classes and on parameters it is allowed.
//   - raw-memory: importing ctypes, _ctypes or cffi in any form (also
//     __import__ and importlib.import_module with a literal), .ctypes and
//     ctypeslib.
//   - always-equal: in the code (not the tests, where matchers like
//     mock.ANY are legitimate), a class whose __eq__ returns a constant
//     truthy value or whose __ne__ returns a constant falsy one.
//   - patch-self-assert: storing a TestCase method that decides a result
//     (assert*, fail*, run, subTest, skipTest, _callTestMethod, ...) on a
//     test instance or test class; self.debug or self.failures are fine.
//   - guard-error: the analysis itself failed on the source (never seen on
//     real code; rejecting is the safe side).
//
// A source that does not parse is not rejected: the job ends as load_error.
var GuardRuleNames = []string{
	"write-foreign", "builtins-rebind", "reflection", "raw-memory",
	"always-equal", "patch-self-assert", "guard-error",
}

// checkGuard rejects an Allow entry that names no rule, so a renamed rule
// cannot silently stay enabled.
func checkGuard(cfg GuardConfig) error {
	for _, a := range cfg.Allow {
		if slices.Contains(GuardRuleNames, a) || slices.ContainsFunc(cfg.Extra, func(r GuardRule) bool { return r.Name == a }) {
			continue
		}
		return fmt.Errorf("sandbox: Guard.Allow names unknown rule %q (rules: %v and Extra)", a, GuardRuleNames)
	}
	return nil
}

// guard applies the Extra rules; it returns a non-empty reason when the
// job must be rejected.
func guard(cfg GuardConfig, j Job) string {
	if cfg.Disabled {
		return ""
	}
	for _, r := range cfg.Extra {
		if r.Pattern == nil || slices.Contains(cfg.Allow, r.Name) {
			continue
		}
		for _, src := range []struct{ what, text string }{{"code", j.Code}, {"tests", j.Test}} {
			if loc := r.Pattern.FindStringIndex(src.text); loc != nil {
				return fmt.Sprintf("static guard %s: %s %s (%q)", r.Name, src.what, r.Reason, snippet(src.text, loc))
			}
		}
	}
	return ""
}

func snippet(s string, loc []int) string {
	end := loc[1]
	if end > loc[0]+60 {
		end = loc[0] + 60
	}
	return s[loc[0]:end]
}
