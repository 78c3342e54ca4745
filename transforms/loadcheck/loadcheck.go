// Package loadcheck is the synthesis stage that loads each function's
// program in the sandbox, with no tests, before test generation: a cheap
// job (a fork of a warm worker) that keeps LLM calls off programs that
// cannot even be imported. The job runs the program as the module under
// test, then a trusted script checks that the entry point exists and that
// every global name read by it and by the functions and classes of its
// dependency closure resolves in the module or in builtins.
//
// Rejects (stage load): load_error (a syntax or import-time error),
// env:missing_module:NAME, load_timeout, and load_<status> for any other
// sandbox verdict (load_rejected: the static guard refused the program).
// A program with unresolved globals loads; its tests may still supply the
// names (mock.patch("__main__.helper", create=True), as in the authors'
// recorded run), so it goes on unless Params.RejectUnresolved is set, and
// is counted. Counters: load/jobs, load/passed, load/unresolved_globals.
package loadcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/unitcoder/unitcoder/runstats"
	"github.com/unitcoder/unitcoder/sample"
	"github.com/unitcoder/unitcoder/sandbox"
	"github.com/unitcoder/unitcoder/transforms/inflight"
	"github.com/unitcoder/unitcoder/transforms/retrieval"
	"github.com/unitcoder/unitcoder/transforms/testgen"
	"github.com/unitcoder/unitcoder/transforms/verify"
)

func init() {
	register.DoFn4x1[context.Context, sample.Function, func(sample.Function), func(sample.Rejected), error](&loadFn{})
}

var (
	jobs       = runstats.LoadJobs.Beam()
	passed     = beam.NewCounter("load", "passed")
	unresolved = beam.NewCounter("load", "unresolved_globals")
)

// Params configures the load check.
type Params struct {
	// Verify selects the sandbox pool and the job time limit.
	Verify verify.Params `json:"verify"`
	// RejectUnresolved also rejects programs that load but read globals
	// neither they nor builtins define.
	RejectUnresolved bool `json:"reject_unresolved,omitempty"`
}

// Reject reasons (stage load) besides retrieval's missing-module reason.
const (
	ReasonLoadError  = "load_error"
	ReasonUnresolved = "unresolved_globals"
	ReasonTimeout    = "load_timeout"
)

// Check runs the load-only job for every function and keeps those whose
// program loads with every global resolved.
func Check(s beam.Scope, functions beam.PCollection, p Params) (loaded, rejected beam.PCollection) {
	s = s.Scope("LoadCheck")
	inflight.GlobalWindow(s, functions)
	return beam.ParDo2(s, &loadFn{Params: p}, functions)
}

type loadFn struct {
	Params Params `json:"params"`
	pool   *sandbox.Pool
	set    *inflight.Set[loading]
}

// loading is one function's load-only job and its verdict.
type loading struct {
	f      sample.Function
	result sandbox.Result
	err    error
}

func (fn *loadFn) Setup() error {
	var err error
	fn.pool, err = verify.OpenPool(fn.Params.Verify)
	return err
}

func (fn *loadFn) StartBundle(ctx context.Context, _ func(sample.Function), _ func(sample.Rejected)) {
	fn.set.Abandon()
	fn.set = inflight.Start[loading](ctx, max(4*fn.Params.Verify.PoolWorkers(), 16))
}

func (fn *loadFn) ProcessElement(ctx context.Context, f sample.Function, ok func(sample.Function), rej func(sample.Rejected)) error {
	job := Job(f, fn.Params.Verify.Timeout)
	return fn.set.Go(func(ctx context.Context) loading {
		rs, err := verify.RunAll(ctx, fn.pool, []sandbox.Job{job})
		if err != nil {
			return loading{err: err}
		}
		return loading{f: f, result: rs[0]}
	}, fn.deliver(ctx, ok, rej))
}

func (fn *loadFn) FinishBundle(ctx context.Context, ok func(sample.Function), rej func(sample.Rejected)) error {
	return fn.set.Finish(fn.deliver(ctx, ok, rej))
}

func (fn *loadFn) Teardown() { fn.set.Abandon() }

func (fn *loadFn) deliver(ctx context.Context, ok func(sample.Function), rej func(sample.Rejected)) func(loading) error {
	return func(l loading) error {
		if l.err != nil {
			return l.err
		}
		jobs.Inc(ctx, 1)
		runstats.SandboxBusyMicros.Beam().Inc(ctx, l.result.Held.Microseconds())
		reason, detail := Verdict(l.result)
		if reason == ReasonUnresolved {
			unresolved.Inc(ctx, 1)
			if !fn.Params.RejectUnresolved {
				reason = ""
			}
		}
		if reason != "" {
			rej(sample.RejectFunction(l.f.ID, sample.StageLoad, reason, detail))
			return nil
		}
		passed.Inc(ctx, 1)
		ok(l.f)
		return nil
	}
}

// Job is f's load-only job: its program (testgen.Program) and the trusted
// check script as the tests.
func Job(f sample.Function, timeout time.Duration) sandbox.Job {
	names, _ := json.Marshal(append([]string{f.Name}, f.Closure...))
	return sandbox.Job{ID: f.ID + "#load", Code: testgen.Program(f), Test: fmt.Sprintf(checkScript, names), Timeout: timeout}
}

// Verdict maps a load-only job's result to a reject reason and detail, or
// ("", "") when the program loaded with every global resolved.
func Verdict(r sandbox.Result) (reason, detail string) {
	switch r.Status {
	case sandbox.StatusPass:
		return "", ""
	case sandbox.StatusEnvError:
		return retrieval.ReasonMissingModulePrefix + r.MissingModule, r.Reason
	case sandbox.StatusLoadError:
		return ReasonLoadError, firstNonEmpty(r.Reason, lastLine(r.Stderr))
	case sandbox.StatusFail:
		for _, t := range r.Tests {
			if t.Message != "" {
				return ReasonUnresolved, lastLine(t.Message)
			}
		}
		return ReasonUnresolved, r.Reason
	case sandbox.StatusTimeout:
		return ReasonTimeout, r.Reason
	}
	return "load_" + string(r.Status), firstNonEmpty(r.Reason, lastLine(r.Stderr))
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// checkScript runs in the program's namespace after the program loaded.
// %s is a JSON list: the entry point's name, then the closure's names. A
// global read by a function is resolved when the module or builtins
// define it, or some checked function assigns it (a `global` statement).
const checkScript = `def _unitcoder_load_check(names):
    import builtins, dis, sys, types
    def unwrap(obj):
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        for _ in range(8):  # decorators such as functools.lru_cache wrap functions
            if isinstance(obj, types.FunctionType) or not hasattr(obj, "__wrapped__"):
                break
            obj = obj.__wrapped__
        return obj
    module = vars(sys.modules["solution"])
    entry = unwrap(module.get(names[0]))
    assert entry is not None, "entry point %%s is not defined by the program" %% names[0]
    if not isinstance(entry, types.FunctionType):
        return  # a decorator made it another callable (click.Command, np.vectorize): nothing to read
    home = entry.__code__.co_filename
    codes = []
    def add(obj):
        obj = unwrap(obj)
        if isinstance(obj, property):
            for f in (obj.fget, obj.fset, obj.fdel):
                add(f)
        elif isinstance(obj, types.FunctionType) and obj.__code__.co_filename == home:
            codes.append(obj.__code__)
    add(entry)
    for name in names[1:]:
        obj = module.get(name)
        if isinstance(obj, type):
            for member in list(vars(obj).values()):
                add(member)
        else:
            add(obj)
    loaded, stored, seen = {}, set(), set()
    while codes:
        code = codes.pop()
        if id(code) in seen:
            continue
        seen.add(id(code))
        for ins in dis.get_instructions(code):
            if ins.opname == "LOAD_GLOBAL":
                loaded.setdefault(ins.argval, code.co_qualname)
            elif ins.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                stored.add(ins.argval)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    missing = sorted(n for n in loaded if n not in module and n not in stored and not hasattr(builtins, n))
    assert not missing, "unresolved globals: " + ", ".join("%%s (in %%s)" %% (n, loaded[n]) for n in missing)

_unitcoder_load_check(%s)
`
