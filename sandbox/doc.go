// Package sandbox runs untrusted Python code against its unit tests and
// returns a verdict: the "verify" step of unitcoder (UnitCoder,
// arXiv 2502.11460). It is a plain Go library with no Beam dependency; the
// pipeline's verify stage wraps a Pool.
//
// # In and out
//
// A Job is code plus tests. The code is written to solution.py in the job's
// private work dir and executed as module "solution" (also registered as
// sys.modules["__main__"], so mock.patch("__main__.x") works, while
// __name__ is "solution", so `if __name__ == "__main__": unittest.main()`
// blocks do not run). The tests are then executed in the same namespace, the
// BigCodeBench way: they call the code's functions by name. Two test styles
// are recognised by a trusted ast pre-pass in the worker (before it forks):
//
//   - unittest: the test source defines top-level unittest.TestCase
//     subclasses (also via bases defined in the same source); every test
//     method is one TestResult named "Class.method".
//   - script: anything else (HumanEval's `check(candidate)` style); the
//     whole source is one TestResult named "script".
//
// A Result carries a Status:
//
//	pass        every test passed; a skipped test is never a pass
//	skipped     no test failed but at least one was skipped
//	            (unittest.SkipTest, whether the tests or the code under
//	            test raised it): the suite did not run in full, so the
//	            program is not verified; it goes to fix rounds like fail
//	fail        an assertion failed in a test
//	error       a test raised a non-assertion exception
//	timeout     the wall-clock deadline (or the CPU rlimit) was hit
//	memory      MemoryError / RLIMIT_AS
//	crash       the job process died of a signal (segfault, ...), or its
//	            worker died twice
//	load_error  syntax or import-time error in the code or the tests, or
//	            a TestCase source with no test methods
//	env_error   ModuleNotFoundError for a top-level module that the worker
//	            cannot import (MissingModule names it); such samples must
//	            never go to the fix stage. Precedence when tests disagree:
//	            env_error > memory > error > fail > skipped > pass.
//	tamper      protocol violated: no result (os._exit, sys.exit outside a
//	            test), a forged or duplicated result, reported test names
//	            differing from the pre-pass, patched harness state
//	rejected    refused by the static guard before running (Reason is
//	            "static guard <rule>: code|tests <why> (<snippet>)")
//
// # Isolation
//
// Strict (the default) starts each worker in new PID, mount, network, IPC
// and UTS namespaces, with the network namespace's loopback up; each job
// gets an IPC namespace of its own. The worker (PID 1 of its namespace) preloads modules,
// builds a private root (read-only binds of /usr and the merged-/usr
// symlinks, a short list of /etc entries, a few /dev nodes, fresh /proc,
// size-capped tmpfs /tmp, /dev/shm, /work, /run) and pivot_roots into it.
// The network namespace has no interface up: loopback of the host, outside
// addresses and DNS are all unreachable. New fails fast, wrapping
// ErrStrictUnavailable, where the kernel refuses namespaces.
//
// Basic (for containers without namespaces) keeps rlimits, the
// unprivileged uid (when running as root), process-group kill plus a
// child-subreaper sweep, and a cleared environment; it has no network or
// filesystem isolation beyond file permissions.
//
// Every job runs in a child forked from the warm worker. Before the job
// code runs, the child calls setsid, applies rlimits (address space =
// current image + MemoryLimitMB, CPU = timeout+2 s, NPROC 256 (it counts
// threads), FSIZE =
// DiskLimitMB, NOFILE 256, no core dumps), drops to uid UIDBase+slot with
// no supplementary groups, sets no_new_privs, makes itself non-dumpable (so
// a process it starts cannot read its memory), installs a seccomp filter,
// replaces the environment with a fixed minimal one, and reseeds random and
// numpy.random with Job.Seed. The filter (seccomp.py, x86_64 and aarch64,
// modelled on Docker's default profile) makes syscalls a test never needs
// fail with EPERM, in the job and in every process it starts: keyrings,
// setns, unshare and clone with CLONE_NEW* flags, ptrace,
// process_vm_readv/writev, bpf, perf_event_open, userfaultfd, the mount
// family and module, kexec, reboot, swap, acct and quota calls; clone3 fails
// with ENOSYS so glibc falls back to clone. Strict requires the filter (a
// job that cannot install it is a setup error); basic installs it where the
// kernel allows, and New logs whether it does.
// BLAS is single-threaded and matplotlib uses Agg. Workers are started with
// an explicit environment (never the Go process's), so no credential is
// reachable from a job, not even via /proc/<pid>/environ.
//
// The worker enforces the job deadline and then kills everything the job
// left behind (kill(-1) as namespace init in strict mode; killpg plus
// sweeping re-parented children as subreaper in basic mode) before it
// replies, so a setsid + double-forked escapee is dead when Run returns.
// The Go side enforces the same deadline plus a grace period from outside:
// if the worker does not answer, Go kills it, and in strict mode the whole
// PID namespace with it.
//
// # Worker hygiene
//
// A worker is `python3 -s -P -c <worker.py+guard.py+harness.py+server.py>`:
// no user site, no script directory on sys.path, dist-packages importable,
// and an environment built whole by Go (nothing inherited), whose
// PYTHONHASHSEED (Config.HashSeed) fixes str hashing in every worker.
// It imports Config.Preload before any thread starts and then forks one
// child per job; the fork gives each job a pristine copy of the parent, so
// monkeypatches, figures, env, cwd and sys.modules never leak. Requests
// and replies are one JSON line each on private pipes (fds 3 and 4); job
// output goes to capped files; the child reports on a pipe the parent
// opened before the fork. Workers restart after MaxJobsPerWorker jobs and
// after protocol errors or crashes; a job whose worker died is retried once
// on a fresh worker (Result.Retried).
//
// # What a pass rests on
//
// The code under test and its tests share one interpreter, so the pass
// verdict does not rest on anything the job reports (harness.py). Before
// job code runs, the child starts a suite thread and a sentinel thread and
// writes their kernel thread ids on its result pipe. The suite thread loads
// the code and then the tests (their own module, real builtins, never on
// disk), finds TestCase classes by what they are at run time, binds each
// test method to the test source by code identity, runs every test as
// unittest does but sees every exception, and returns only when every
// expected test ran and passed; otherwise it sleeps. Its functions look up
// no global name (check_sealed refuses to start a worker otherwise). The
// worker passes a job only if /proc shows the suite thread gone while the
// child lives: it stops the child and requires the sentinel among the
// stopped threads, since a process that has begun to exit or exec cannot
// stop. The child's report line is detail; one that claims a pass the suite
// never reached, or a second one, is tamper.
//
// A PEP 578 audit hook, installed before job code, denies tracing and
// profiling, gc walks, other threads' frames, new audit hooks, frames handed
// to the code under test, code objects and functions it makes, rebinding a
// test's or library's function code, ctypes from the code under test,
// compiling under a library's file name and /proc/*/mem; a denied event is
// an ALARM line on the result pipe and a killed job (tamper). unittest's
// classes are made immutable types (TestCase once the tests have loaded).
// The machinery's dicts (unittest, builtins, the preloaded numpy and pandas
// with their testing helpers, the modules their functions use and their
// classes' bases) are watched through their version tags: a kept change or
// a new name shadowing a builtin is tamper, and so is a change that
// restored itself (in a library only when the tests do not use mock).
// assertEqual distrusts an operand whose own __eq__ equals an unrelated
// object or contradicts its base type's. A seccomp
// filter (seccomp.py) denies keyrings, new namespaces, setns, ptrace,
// process_vm_*, bpf, perf_event_open, userfaultfd and the mount family.
// The trusted pre-pass fixes the expected test names (also under if/try,
// aliases, type(), lambda- or setattr-bound tests; classes that gain tests
// at run time are marked dynamic) and the run must agree with it. No test
// ran: StatusVacuous. Job stdout
// is never parsed.
//
// # Static guard
//
// Before it forks, the worker runs the static guard (guard.py) on the code
// and the tests, analysed together as the one namespace they share: an ast
// analysis that resolves names through imports and aliases, so it rejects
// `import unittest.case as C; C.TestCase.assertEqual = ...` but not
// `self.debug = True`, a Thread subclass's run method, or a
// `cls.__subclasses__()` plugin registry. Its rules (GuardRuleNames):
// write-foreign (writes into imported modules, classes and builtins, also
// via setattr, vars() and __dict__, with configuration surfaces such as
// os.environ, sys.path or matplotlib rcParams allowed), builtins-rebind,
// reflection (frames, closures, globals, gc object walks, __subclasses__
// of foreign classes), raw-memory (ctypes, cffi), always-equal (a class in
// the code whose __eq__ is constantly true) and patch-self-assert
// (replacing a TestCase assert/run method on a test). It complements the
// run-time checks: most of what it rejects (a patched numpy or pandas, an
// object equal to everything, a frame walk) they cannot see. Scoped mocks
// such as mock.patch("builtins.open") stay allowed. Config.Guard can disable it,
// skip rules (Allow) or add Go regexp rules of your own (Extra), which are
// applied before the job is sent to a worker. The guard costs about 0.15 ms
// for a function alone and 0.45 ms for code with a unittest suite of a few
// KB (BenchmarkGuard; parsing is a third of it), against about 10 ms for
// running a job.
//
// # Tuning
//
// Config: Python, Workers, Preload (DefaultPreload), Isolation,
// MaxJobsPerWorker, MemoryLimitMB, OutputLimitBytes, DiskLimitMB,
// DefaultTimeout, Guard, UIDBase, Logf. Job: Timeout, Coverage (line and
// branch coverage of solution.py via coverage.py), Seed.
//
// RunFresh runs one job in a freshly started worker with the same harness;
// it is the baseline of the benchmark (scripts/bench-sandbox.sh) and of
// the pool/fresh verdict-equivalence test.
package sandbox
