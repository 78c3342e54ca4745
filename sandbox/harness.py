# The in-child test harness (part of the worker source; see worker.py).
# Everything the harness needs after untrusted code starts is captured in
# locals here, before that code runs: replacing json.dumps, os.write,
# unittest methods or builtins afterwards changes nothing the harness uses,
# and the integrity check below turns such patches into a tamper verdict.

MAX_MSG = 4000
# TestCase attributes a test class must not override: an overridden assert
# or run method can make any test "pass".
SETUP_NAMES = {"setUp", "tearDown", "setUpClass", "tearDownClass", "__init__",
               "maxDiff", "longMessage", "failureException", "asyncSetUp",
               "asyncTearDown", "__module__", "__doc__", "__qualname__",
               "__dict__", "__weakref__", "__firstlineno__", "__static_attributes__"}


def _protected():
    """TestCase methods whose replacement could fake a verdict."""
    out = set()
    for k, v in vars(unittest.TestCase).items():
        if k in SETUP_NAMES:
            continue
        if callable(v) or isinstance(v, (classmethod, staticmethod)):
            out.add(k)
    return out


PROTECTED = _protected()


def _snapshot():
    import builtins
    import json as _json
    snap = {}
    for holder, label in [(unittest.TestCase, "TestCase"), (unittest.TestSuite, "TestSuite"),
                          (unittest.TestLoader, "TestLoader"), (unittest.TestResult, "TestResult"),
                          (unittest.case._Outcome, "_Outcome")]:
        for k, v in vars(holder).items():
            snap["%s.%s" % (label, k)] = id(v)
    for k, v in vars(builtins).items():
        snap["builtins." + k] = id(v)
    for k, v in vars(_Recorder).items():
        snap["_Recorder." + k] = id(v)
    for k, v in list(HARNESS_GLOBALS.items()):
        snap["harness." + k] = id(v)
    for k in ("dumps", "loads"):
        snap["json." + k] = id(getattr(_json, k))
    for k in ("write", "_exit", "fork", "dup2"):
        snap["os." + k] = id(getattr(os, k))
    return snap


# The worker's own globals (harness functions included): rebinding one of
# them from job code is tamper.
HARNESS_GLOBALS = globals()


def _changed(before, after):
    for k, v in before.items():
        if after.get(k) != v:
            return k
    return ""


def _short(s):
    return s if len(s) <= MAX_MSG else s[:MAX_MSG] + "...[truncated]"


def _exc_info(exc, fmt):
    """Classifies an exception: kind is assert, memory, missing, exit or exception."""
    if isinstance(exc, AssertionError):
        kind = "assert"
    elif isinstance(exc, MemoryError):
        kind = "memory"
    elif isinstance(exc, ModuleNotFoundError):
        kind = "missing"
    elif isinstance(exc, (SystemExit, KeyboardInterrupt)):
        kind = "exit"
    else:
        kind = "exception"
    try:
        msg = "".join(fmt(type(exc), exc, exc.__traceback__))
    except BaseException:
        msg = type(exc).__name__
    missing = ""
    if kind == "missing":
        try:
            missing = str(exc.name or "")
        except BaseException:
            missing = ""
    return {"kind": kind, "type": type(exc).__name__, "message": _short(msg), "missing": missing}


class _Recorder(unittest.TestResult):
    """Collects one outcome per test method, keeping the worst one."""
    RANK = {"pass": 0, "skip": 1, "fail": 2, "error": 3}

    def __init__(self, perf, fmt):
        super().__init__()
        self._perf, self._fmt = perf, fmt
        self.rows, self.class_errors, self._t0 = {}, {}, {}
        self.module_error = None  # setUpModule / tearDownModule failure
        self.tamper = ""

    def _name(self, test):
        return "%s.%s" % (type(test).__name__, getattr(test, "_testMethodName", "?"))

    def _rec(self, test, outcome, err=None):
        if not hasattr(test, "_testMethodName"):
            # _ErrorHolder: a class fixture ("setUpClass (mod.Cls)",
            # "tearDownClass (mod.Cls)") or module fixture
            # ("setUpModule (mod)") failed.
            desc = str(getattr(test, "description", ""))
            info = _exc_info(err[1], self._fmt) if err else {}
            if desc.startswith(("setUpModule", "tearDownModule")):
                if self.module_error is None:
                    self.module_error = info
                return
            cls = desc.rsplit(".", 1)[-1].rstrip(")") if "(" in desc else desc
            self.class_errors.setdefault(cls, info)
            return
        name = self._name(test)
        row = self.rows.get(name)
        info = _exc_info(err[1], self._fmt) if err else None
        if info:
            try:  # unittest's own formatter drops its internal frames
                info["message"] = _short(self._exc_info_to_string(err, test))
            except BaseException:
                pass
        new = {"name": name, "outcome": outcome,
               "message": info["message"] if info else "", "kind": info["kind"] if info else "",
               "missing": info["missing"] if info else "",
               "duration_ms": (self._perf() - self._t0.get(name, self._perf())) * 1000}
        if row is None or self.RANK[outcome] > self.RANK[row["outcome"]]:
            self.rows[name] = new

    def startTest(self, test):
        self._t0[self._name(test)] = self._perf()

    def stopTest(self, test):
        try:
            patched = sorted(PROTECTED & set(vars(test)))
        except BaseException:
            patched = ["<unreadable instance>"]
        if patched:
            self.tamper = "test instance replaced TestCase method " + patched[0]

    def addSuccess(self, test):
        self._rec(test, "pass")

    def addFailure(self, test, err):
        self._rec(test, "fail", err)

    def addError(self, test, err):
        kind = "fail" if isinstance(err[1], AssertionError) else "error"
        self._rec(test, kind, err)

    def addSkip(self, test, reason):
        self._rec(test, "skip")

    def addExpectedFailure(self, test, err):
        self._rec(test, "pass")

    def addUnexpectedSuccess(self, test):
        self._rec(test, "fail")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._rec(test, "fail" if issubclass(err[0], test.failureException) else "error", err)


def _overrides(cls):
    """Name of a protected TestCase attribute that cls or a base overrides."""
    for klass in cls.__mro__:
        if klass is unittest.TestCase or klass is object:
            break
        for name in vars(klass):
            if name in PROTECTED:
                return "%s.%s" % (klass.__name__, name)
    return ""


def run_harness(req, wfd, jobdir, nonce, style, expected):
    # Capture everything used after untrusted code starts.
    _dumps, _write, _exit, _perf = json.dumps, os.write, os._exit, time.perf_counter
    _fmt = traceback.format_exception
    _stdout, _stderr = sys.stdout, sys.stderr
    _snap_fn, _changed_fn = _snapshot, _changed
    snap = _snap_fn()
    report = {"nonce": nonce, "phase": "load_code", "tests": [], "load": None, "tamper": ""}
    import random
    random.seed(req["seed"])
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(req["seed"] % (1 << 32))
    path = os.path.join(jobdir, "solution.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(req["code"])
    mod = types.ModuleType("solution")
    mod.__file__ = path
    mod.__builtins__ = __builtins__
    sys.modules["solution"] = mod
    sys.modules["__main__"] = mod
    cov = None
    if req["coverage"]:
        import coverage
        cov = coverage.Coverage(data_file=None, branch=True, include=[path], config_file=False)
    try:
        if cov:
            cov.start()
        _load_and_run(req, mod, path, report, style, expected, _fmt, _perf)
    finally:
        if cov:
            try:
                cov.stop()
            except BaseException:
                pass
    changed = _changed_fn(snap, _snap_fn())
    if changed:
        report["tamper"] = "harness state modified during the job: " + changed
    if cov:
        report["coverage"] = _coverage(cov, path)
    for s in (sys.stdout, sys.stderr, _stdout, _stderr):
        try:
            s.flush()
        except BaseException:
            pass
    data = _dumps(report).encode()
    while data:
        n = _write(wfd, data)
        data = data[n:]
    _exit(0)


def _load_and_run(req, mod, path, report, style, expected, fmt, perf):
    try:
        exec(compile(req["code"], path, "exec"), mod.__dict__)
    except BaseException as e:
        report["load"] = _exc_info(e, fmt)
        return
    report["phase"] = "load_test"
    tpath = os.path.join(os.path.dirname(path), "test_solution.py")
    t0 = perf()
    try:
        with open(tpath, "w", encoding="utf-8") as f:
            f.write(req["test"])
        code = compile(req["test"], tpath, "exec")
        exec(code, mod.__dict__)
    except BaseException as e:
        if style == "script" and _is_test_outcome(e):
            info = _exc_info(e, fmt)
            report["phase"] = "tests"
            report["tests"] = [{"name": "script", "outcome": "fail" if info["kind"] == "assert" else "error",
                                "message": info["message"], "kind": info["kind"], "missing": info["missing"],
                                "duration_ms": (perf() - t0) * 1000}]
            return
        report["load"] = _exc_info(e, fmt)
        return
    report["phase"] = "tests"
    if style == "script":
        hidden = _unrun_test_cases(mod, tpath)
        if hidden:
            # The pre-pass saw no TestCase (defined under an if, built with
            # type(), ...), so none ran: passing would be vacuous.
            report["phase"] = "load_test"
            report["load"] = {"kind": "error", "type": "UnrecognisedTestCase", "missing": "",
                              "message": "TestCase class %s is defined in a way the test pre-pass does not "
                                         "recognise (conditionally or dynamically), so its tests never ran" % hidden}
            return
        report["tests"] = [{"name": "script", "outcome": "pass", "message": "", "kind": "",
                            "missing": "", "duration_ms": (perf() - t0) * 1000}]
        return
    _run_unittest(mod, report, expected, fmt, perf)


def _unrun_test_cases(mod, tpath):
    """Names a TestCase subclass with test methods that the test source
    defined, judged by what the classes are at run time."""
    for v in list(vars(mod).values()):
        try:
            if (isinstance(v, type) and issubclass(v, unittest.TestCase)
                    and v.__module__ == mod.__name__
                    and any(n.startswith("test") for n in dir(v))):
                return v.__name__
        except BaseException:
            continue
    return ""


def _is_test_outcome(e):
    # In a script-style test the test source IS the test: only process exits
    # are a protocol matter; syntax errors are still load errors.
    return not isinstance(e, (SystemExit, KeyboardInterrupt, SyntaxError))


def _run_unittest(mod, report, expected, fmt, perf):
    order = []
    for name in expected:
        cls = name.split(".", 1)[0]
        if cls not in order:
            order.append(cls)
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for cname in order:
        cls = mod.__dict__.get(cname)
        if not (isinstance(cls, type) and issubclass(cls, unittest.TestCase)):
            report["tamper"] = "test class %s is not a TestCase after loading" % cname
            return
        bad = _overrides(cls)
        if bad:
            report["tamper"] = "test class overrides TestCase method " + bad
            return
        suite.addTests(loader.loadTestsFromTestCase(cls))
    rec = _Recorder(perf, fmt)
    try:
        suite.run(rec)
    except BaseException as e:  # unittest lets only KeyboardInterrupt-like exits through
        report["load"] = _exc_info(e, fmt)
        return
    if rec.tamper:
        report["tamper"] = rec.tamper
    rows = []
    for name in expected:
        row = rec.rows.get(name)
        # A failed class or module fixture (setUpClass, tearDownClass,
        # setUpModule, tearDownModule) makes each of its tests an error,
        # even one that passed before a tearDown fixture failed.
        cerr = rec.class_errors.get(name.split(".", 1)[0], rec.module_error)
        if cerr is not None and (row is None or row["outcome"] in ("pass", "skip")):
            row = {"name": name, "outcome": "error", "message": cerr.get("message", ""),
                   "kind": cerr.get("kind", ""), "missing": cerr.get("missing", ""),
                   "duration_ms": row["duration_ms"] if row else 0.0}
        if row is not None:
            rows.append(row)
    extra = [n for n in rec.rows if n not in set(expected)]
    for n in extra:
        rows.append(rec.rows[n])
    report["tests"] = rows


def _coverage(cov, path):
    """Line and branch coverage of solution.py (the code under test only)."""
    try:
        n = cov._analyze(path).numbers
        return {"lines": n.n_statements, "lines_covered": n.n_executed,
                "branches": n.n_branches,
                "branches_covered": n.n_branches - n.n_missing_branches}
    except BaseException as e:
        return {"error": _short(repr(e))}
