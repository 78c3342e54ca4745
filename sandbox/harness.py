# The in-child test harness (part of the worker source; see worker.py).
#
# The code under test and its tests share this process, so whatever the
# harness keeps in Python objects the code can read and change. The pass
# verdict therefore does not rest on anything the job reports. It rests on
# a fact the kernel shows the trusted worker:
#
#  - Before any job code runs, the child starts a suite thread and a
#    sentinel thread and writes their kernel thread ids on the result pipe
#    (the hello line). Nothing untrusted has run yet, so the hello is true.
#  - The suite thread loads the code and the tests and runs every test. It
#    returns, and so ends as a kernel task, only if every expected test ran
#    and passed. On any other outcome it sleeps forever.
#  - The worker reads the report (detail only), then watches both threads
#    (thread pidfds, or /proc/<child>/task on older kernels): pass needs
#    the suite thread gone while the child, stopped, and its sentinel live
#    (an exec or an exit takes the sentinel too).
#
# Whether the suite thread returns is decided by its own control flow: the
# exceptions it catches and the locals it computes. Python code cannot
# write another frame's locals, so the suite functions look up no global
# name at all: everything they use is bound as a default argument when the
# worker starts, and their inputs are tuples and frozensets unpacked before
# job code runs (check_sealed enforces the first at worker start). Rebinding
# the worker's globals, or anything reachable from a frame, cannot change
# which way the suite ends.
#
# A PEP 578 audit hook, installed before job code runs and impossible to
# remove, denies what could still steer that control flow or reach other
# threads: tracing and profiling (line jumps), gc's object walks, other
# threads' frames, new audit hooks, creating code objects or functions from
# job code, rebinding a test function's code or defaults, ctypes from the
# code under test, compiling source under a library's file name, and
# /proc/<pid>/mem. A denied event writes an ALARM line on the result pipe
# and kills the job: the verdict is tamper.

import _thread
import linecache
import threading

MAX_MSG = 4000
# Where the interpreter's own code lives. Code objects can only be made by
# compiling (checked by the audit hook) or importing, so a code object with
# such a file name is library code; anything else is the job's.
LIB_ROOTS = ("/usr/lib/python3", "/usr/local/lib/python3", "<frozen ")
# TestCase attributes a test class must not override: an overridden assert
# or run method can make any test "pass".
SETUP_NAMES = {"setUp", "tearDown", "setUpClass", "tearDownClass", "__init__",
               "maxDiff", "longMessage", "failureException", "asyncSetUp",
               "asyncTearDown", "__module__", "__doc__", "__qualname__",
               "__dict__", "__weakref__", "__firstlineno__", "__static_attributes__"}
# Modules whose state decides what an assertion concludes.
MACHINERY = ("unittest", "unittest.case", "unittest.util", "unittest.async_case", "unittest.mock",
             "builtins", "math", "operator", "numpy", "numpy.testing", "numpy.testing._private.utils",
             "pandas", "pandas.testing", "pandas._testing", "pandas._testing.asserters")


def freeze_machinery():
    """Makes unittest's own classes immutable types (the flag CPython gives
    its built-in types), before any job exists: assigning an attribute of
    TestCase or of the assertRaises context manager then raises TypeError,
    so such a patch cannot take effect even for a moment. Returns the
    classes frozen; the flag is only set where tp_flags reads back as
    __flags__ (CPython 3.11 layout), else nothing is frozen."""
    frozen = []
    for modname in ("unittest.case", "unittest.util", "unittest.async_case"):
        mod = sys.modules.get(modname)
        for v in list(vars(mod).values()) if mod else ():
            # TestCase itself is frozen per job, once the tests have loaded
            # (they may set TestCase.maxDiff).
            if isinstance(v, type) and v.__module__ == modname and v is not unittest.TestCase:
                if not freeze_type(v):
                    return frozen
                frozen.append(v.__name__)
    return frozen


def watch_machinery():
    """Built once in the worker, before any job: the dicts of the verdict
    machinery, each with a pointer to its version tag (PEP 509: every
    change of a dict bumps it), that version, its keys' value identities
    and its policy. The machinery is MACHINERY's modules, the modules whose
    globals their functions use and the modules they hold (one level), and
    the mutable classes in those modules with their mutable bases. Checking
    it in a job reads one array while nothing changed, touching no page of
    the parent's but a few (copy-on-write makes touching slow)."""
    import ctypes
    import gc
    roots = [sys.modules[n] for n in MACHINERY if n in sys.modules and n != "unittest.mock"]
    mods = {m.__name__: m for m in roots}

    def same_package(root, name):
        return name.split(".")[0] == root.__name__.split(".")[0]
    for m in roots:
        for v in list(vars(m).values()):
            if isinstance(v, types.ModuleType) and same_package(m, v.__name__):
                mods.setdefault(v.__name__, v)
            g = getattr(v, "__globals__", None) if isinstance(v, types.FunctionType) else None
            owner = sys.modules.get(g.get("__name__", "")) if isinstance(g, dict) else None
            if owner is not None and vars(owner) is g and same_package(m, owner.__name__):
                mods.setdefault(owner.__name__, owner)
    classes = {}
    mock = sys.modules.get("unittest.mock")
    # mock keeps module state of its own (file_spec): only its classes.
    mods.pop("unittest.mock", None)
    for m in list(mods.values()) + ([mock] if mock else []):
        for v in list(vars(m).values()):
            if isinstance(v, type):
                for klass in v.__mro__:
                    if klass.__flags__ & (1 << 9) and not klass.__flags__ & (1 << 8):
                        classes.setdefault(id(klass), klass)

    def policy(name, is_package):
        # unittest's own dicts may not change at all; a library's may change
        # while a test mocks it, but never keep a change or gain a name
        # that shadows a builtin; a package also gains submodules.
        if name.split(".")[0] == "unittest":
            return "unittest"
        return "package" if is_package else "library"
    entries = []
    for name, m in sorted(mods.items()):
        entries.append((name, vars(m), policy(name, hasattr(m, "__path__"))))
    for klass in classes.values():
        found = [r for r in gc.get_referents(klass) if type(r) is dict and r.keys() == vars(klass).keys()]
        if len(found) == 1:
            entries.append(("%s:%s" % (klass.__module__, klass.__qualname__), found[0],
                            policy(klass.__module__, False)))
    details = tuple((label, d, pol, tuple((k, id(v)) for k, v in d.items()), frozenset(d))
                    for label, d, pol in entries)
    modules = tuple((name, id(m)) for name, m in sorted(mods.items()) if sys.modules.get(name) is m)
    n = len(details)
    ptr = ctypes.POINTER(ctypes.c_uint64)
    versions = (ptr * n)(*[ctypes.cast(id(e[1]) + DICT_VERSION_OFFSET, ptr) for e in details])
    expected = (ctypes.c_uint64 * n)(*[versions[i][0] for i in range(n)])
    return (versions, expected, n, details, modules)


# ma_version_tag in PyDictObject (after refcount, type and ma_used).
DICT_VERSION_OFFSET = 3 * 8


def _machinery_changed(watch, mocked, _id=id, _sys_modules=sys.modules, _range=range, _isinstance=isinstance,
                       _Module=types.ModuleType, _config=frozenset(("maxDiff", "longMessage")),
                       _builtin_names=frozenset(vars(__import__("builtins")))):
    """The first machinery dict a job changed ("" if none). No dict may keep
    a change to a name it had, nor gain a name that shadows a builtin.
    unittest's dicts may not change at all: a changed version with no
    visible difference means a patch that restored itself. A library's
    dict is held to that too unless the tests use mock (mock.patch changes
    a library and restores it). maxDiff and longMessage only shape
    messages: tests may set them."""
    versions, expected, n, details, modules = watch
    for name, ident in modules:
        if _id(_sys_modules.get(name)) != ident:
            return "sys.modules[%s]" % name
    for i in _range(n):
        if versions[i][0] == expected[i]:
            continue
        label, d, policy, ids, keys = details[i]
        visible = False
        for k, ident in ids:
            v = d.get(k, d)
            if v is d or _id(v) != ident:
                if k not in _config:
                    return label + "." + k
                visible = True
        for k in d:
            if k in keys:
                continue
            visible = True
            if k in _config:
                continue
            v = d[k]
            if _isinstance(v, _Module) and v.__name__ == label + "." + k:
                continue  # a package's submodule, imported on first use
            if policy == "unittest" or k in _builtin_names:
                return label + "." + k
        if not visible and (policy == "unittest" or not mocked):
            return label + " (changed, then restored)"
    return ""


class _Unrelated:
    """An object no honest __eq__ can be equal to."""
    __slots__ = ()


def _lies(first, second, _type=type, _vars=vars, _object=object, _bool=bool, _isinstance=isinstance,
          _tuple=tuple, _list=list, _dict=dict, _len=len, _zip=zip, _sys_modules=sys.modules,
          _getattr=getattr, _str=str, _lib=LIB_ROOTS[:2], _Unrelated=_Unrelated, _NotImplemented=NotImplemented):
    """Why assertEqual cannot trust first == second ("" when it can): an
    operand whose __eq__ comes from code outside the libraries and claims
    an equality its own base type denies, or equality with an object it has
    never seen. Such a value makes any assertEqual pass. Pairs one level
    inside lists, tuples and dicts are looked at too."""
    pairs = [(first, second), (second, first)]
    if _isinstance(first, (_list, _tuple)) and _isinstance(second, (_list, _tuple)) and _len(first) == _len(second):
        for a, b in _zip(_list(first)[:1000], _list(second)[:1000]):
            pairs += [(a, b), (b, a)]
    elif _isinstance(first, _dict) and _isinstance(second, _dict):
        for k in _list(first)[:1000]:
            if k in second:
                pairs += [(first[k], second[k]), (second[k], first[k])]
    for v, other in pairs:
        for klass in _type(v).__mro__:
            if klass is _object or not klass.__flags__ & (1 << 9):
                break
            if "__eq__" not in _vars(klass):
                continue
            mod = _sys_modules.get(_getattr(klass, "__module__", ""), None)
            path = _getattr(mod, "__file__", None)
            if _isinstance(path, _str) and path.startswith(_lib):
                break  # a library's equality
            try:
                if _bool(v == _Unrelated()):
                    return "%s says it equals an object it has never seen" % klass.__name__
                for base in _type(v).__mro__:
                    if not base.__flags__ & (1 << 9) and base is not _object:
                        if _isinstance(other, base) and _bool(v == other) and base.__eq__(v, other) is not True:
                            return "%s's equality contradicts %s's" % (klass.__name__, base.__name__)
                        break
            except:
                pass
            break
    return ""


def harden_assert_equal():
    """assertEqual refuses an operand whose own __eq__ (code under test, not
    a library's) says it equals an unrelated object: the classic forged
    result that matches anything. Installed once in the worker, before
    unittest's classes are frozen; the wrapper sees no worker global."""
    original = unittest.TestCase.assertEqual

    def assertEqual(self, first, second, msg=None, _original=original, _lies=_lies):
        why = _lies(first, second)
        if why:
            raise self.failureException(self._formatMessage(msg, "equality cannot be trusted: " + why))
        return _original(self, first, second, msg)

    # __unittest: unittest leaves the wrapper's frame out of a failure's
    # traceback, as it does its own assertEqual's.
    private = {"__builtins__": __builtins__, "__name__": "unittest.case", "__unittest": True}
    lies = types.FunctionType(_lies.__code__, private, "_lies", _lies.__defaults__)
    assertEqual = types.FunctionType(assertEqual.__code__, private, "assertEqual",
                                     assertEqual.__defaults__[:-1] + (lies,))
    assertEqual.__qualname__ = "TestCase.assertEqual"
    assertEqual.__doc__ = original.__doc__
    unittest.TestCase.assertEqual = assertEqual


# The thread a job's code runs in (set in each job child before its code runs).
JOB_THREAD = [None]


def job_thread_is_main():
    """asyncio.get_event_loop() makes a loop only in the main thread; a
    job's code runs in its suite thread, which plays that part. Installed
    once in the worker (see asyncio_as_main)."""
    import asyncio.events

    policy = asyncio.events.BaseDefaultEventLoopPolicy
    original = policy.get_event_loop

    def get_event_loop(self, _original=original, _get_ident=threading.get_ident, _job=JOB_THREAD):
        if (_job[0] is not None and _get_ident() == _job[0] and self._local._loop is None
                and not self._local._set_called):
            self.set_event_loop(self.new_event_loop())
        return _original(self)
    policy.get_event_loop = get_event_loop


def _make_freezer():
    import ctypes
    offset = 21 * ctypes.sizeof(ctypes.c_void_p)  # tp_flags in PyTypeObject

    def freeze_type(cls, _from_address=ctypes.c_ulong.from_address, _id=id, _offset=offset, _HEAP=1 << 9,
                    _FROZEN=1 << 8):
        """Sets Py_TPFLAGS_IMMUTABLETYPE on a heap type; False (and nothing
        done) where tp_flags does not read back as __flags__."""
        if not cls.__flags__ & _HEAP:
            return True
        cell = _from_address(_id(cls) + _offset)
        if cell.value != cls.__flags__:
            return False
        cell.value |= _FROZEN
        return True
    return freeze_type


freeze_type = _make_freezer()


# TestCase methods the runner never reaches through the test: a test may
# define or shadow these (self.debug = True is an ordinary attribute).
NOT_VERDICT = {"debug", "run", "__call__", "countTestCases", "defaultTestResult", "shortDescription", "id",
               "__str__", "__repr__", "__eq__", "__hash__", "__init_subclass__", "__class_getitem__"}


def _protected_names():
    """TestCase methods whose replacement could fake a verdict."""
    out = set()
    for k, v in vars(unittest.TestCase).items():
        if k in SETUP_NAMES or k in NOT_VERDICT:
            continue
        if callable(v) or isinstance(v, (classmethod, staticmethod)):
            out.add(k)
    return frozenset(out)


import unittest.async_case  # noqa: E402  (IsolatedAsyncioTestCase's runner methods)

PROTECTED = _protected_names()
TC = unittest.TestCase
ATC = unittest.async_case.IsolatedAsyncioTestCase
# The runner calls unittest's own steps through these pristine functions,
# never through the (patchable) class.
TC_STEPS = (TC._callSetUp, TC._callTestMethod, TC._callTearDown, TC._callCleanup, None, None)
ATC_STEPS = (ATC._callSetUp, ATC._callTestMethod, ATC._callTearDown, ATC._callCleanup,
             ATC._setupAsyncioRunner, ATC._tearDownAsyncioRunner)


def _short(s, _len=len, _max=MAX_MSG):
    return s if _len(s) <= _max else s[:_max] + "...[truncated]"


# The test source's lines by file name, for tracebacks only: the tests are
# never on disk, and linecache holds them only while a message is formatted.
TEST_LINES = {}


def _exc_row(exc, test=None, _isinstance=isinstance, _type=type, _str=str, _join="".join,
             _linecache=linecache.cache, _test_lines=TEST_LINES, _list=list,
             _fmt=traceback.format_exception, _short=_short, _getattr=getattr,
             _Assert=AssertionError, _Memory=MemoryError, _Missing=ModuleNotFoundError,
             _Exit=(SystemExit, KeyboardInterrupt), _Skip=unittest.SkipTest,
             _unittest_format=unittest.TestResult()._exc_info_to_string, _worker_globals=globals()):
    """Classifies an exception: kind is assert, memory, missing, exit, skip
    or exception. Never raises: the exception may be the job's own object.
    The message is the traceback without the harness's own frames, and for
    a test formatted by unittest itself (its frames left out too), as the
    fix prompts have always seen it."""
    kind, name, msg, missing = "exception", "?", "", ""
    try:
        if _isinstance(exc, _Skip):
            kind = "skip"
        elif _isinstance(exc, _Assert):
            kind = "assert"
        elif _isinstance(exc, _Memory):
            kind = "memory"
        elif _isinstance(exc, _Missing):
            kind = "missing"
        elif _isinstance(exc, _Exit):
            kind = "exit"
        name = _str(_type(exc).__name__)
    except:
        pass
    try:
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_globals is _worker_globals:
            tb = tb.tb_next
        _linecache.update(_test_lines)
        try:
            if test is not None:
                msg = _short(_str(_unittest_format((_type(exc), exc, tb), test)))
            else:
                msg = _short(_str(_join(_fmt(_type(exc), exc, tb))))
        finally:
            for k in _list(_test_lines):
                _linecache.pop(k, None)
    except:
        msg = name
    if kind == "missing":
        try:
            missing = _str(_getattr(exc, "name", "") or "")
        except:
            missing = ""
    return {"kind": kind, "type": name, "message": msg, "missing": missing}


def _patched(inst, protected, _vars=vars, _sorted=sorted):
    """A protected TestCase method the test instance shadows."""
    try:
        bad = _sorted(k for k in _vars(inst) if k in protected)
    except:
        return "<unreadable instance>"
    return bad[0] if bad else ""


def _run_test(cls, name, fn, steps, protected, base=unittest.TestCase, async_base=ATC, _vars=vars,
              _exc_info=sys.exc_info, _getattr=getattr,
              _MethodType=types.MethodType, _perf=time.perf_counter, _exc_row=_exc_row, _bool=bool,
              _Skip=unittest.SkipTest, _patched=_patched):
    """Runs one test the way unittest's TestCase.run does (setUp, the
    method, tearDown, cleanups; asyncio tests on their own runner) but lets
    every exception reach here. Returns (row, passed); a row whose kind is
    tamper means the instance shadowed a TestCase method."""
    call_setup, call_test, call_teardown, call_cleanup, async_setup, async_teardown = steps
    t0 = _perf()
    first = None
    expecting = False
    inst = None
    try:
        inst = cls(name)
        if _getattr(cls, "__unittest_skip__", False) or _getattr(fn, "__unittest_skip__", False):
            raise _Skip(_getattr(fn, "__unittest_skip_why__", "") or _getattr(cls, "__unittest_skip_why__", ""))
        # expectedFailure counts only where the test source can put it: on
        # the test method or on a test class (not on unittest's classes).
        expecting = _bool(_getattr(fn, "__unittest_expecting_failure__", False))
        for klass in cls.__mro__:
            if klass is base or klass is async_base:
                break
            expecting = expecting or _bool(_vars(klass).get("__unittest_expecting_failure__", False))
    except:
        first = _exc_info()[1]
    if first is None:
        try:
            if async_setup is not None:
                async_setup(inst)
            try:
                call_setup(inst)
            except:
                first = _exc_info()[1]
            else:
                shadow = _patched(inst, protected)
                try:
                    if shadow:
                        raise _Skip("never run: the instance shadows " + shadow)
                    call_test(inst, _MethodType(fn, inst))
                except:
                    first = _exc_info()[1]
                try:
                    call_teardown(inst)
                except:
                    if first is None:
                        first = _exc_info()[1]
            cleanups = inst._cleanups
            while cleanups:
                f, a, k = cleanups.pop()
                try:
                    call_cleanup(inst, f, *a, **k)
                except:
                    if first is None:
                        first = _exc_info()[1]
        except:
            if first is None:
                first = _exc_info()[1]
        if async_teardown is not None:
            try:
                async_teardown(inst)
            except:
                if first is None:
                    first = _exc_info()[1]
    row = {"name": cls.__name__ + "." + name, "outcome": "pass", "message": "", "kind": "", "missing": "",
           "duration_ms": 0.0}
    passed = False
    shadow = _patched(inst, protected) if inst is not None else ""
    if shadow:
        row["outcome"], row["kind"] = "error", "tamper"
        row["message"] = "the test instance replaced TestCase method " + shadow
        row["duration_ms"] = (_perf() - t0) * 1000
        return row, False
    info = None if first is None else _exc_row(first, inst)
    if expecting and info is not None and info["kind"] != "skip":
        passed = True  # unittest.expectedFailure: it raised, as expected
    elif expecting and info is None:
        row["outcome"], row["kind"], row["message"] = "fail", "assert", "unexpected success"
    elif info is None:
        passed = True
    else:
        outcome = "skip" if info["kind"] == "skip" else ("fail" if info["kind"] == "assert" else "error")
        row["outcome"], row["kind"], row["message"], row["missing"] = (
            outcome, info["kind"], info["message"], info["missing"])
    row["duration_ms"] = (_perf() - t0) * 1000
    return row, passed


def _fixture(fn, _exc_info=sys.exc_info, _exc_row=_exc_row):
    """Calls a class or module fixture; returns its error row (or None)."""
    try:
        fn()
    except:
        return _exc_row(_exc_info()[1])
    return None


def _class_cleanups(cls, _getattr=getattr, _exc_info=sys.exc_info, _exc_row=_exc_row):
    err = None
    try:
        cleanups = _getattr(cls, "_class_cleanups", None) or []
        while cleanups:
            f, a, k = cleanups.pop()
            try:
                f(*a, **k)
            except:
                if err is None:
                    err = _exc_row(_exc_info()[1])
    except:
        err = err or _exc_row(_exc_info()[1])
    return err


def _snapshot(holders, _id=id, _list=list, _vars=vars, _isinstance=isinstance, _callable=callable,
              _cm=(classmethod, staticmethod)):
    """Identity of every method of the test classes (label, class): only
    methods, since setUpClass may store data on a class."""
    snap = {}
    for label, cls in holders:
        try:
            for k, v in _list(_vars(cls).items()):
                if _callable(v) or _isinstance(v, _cm):
                    snap[label + "." + k] = _id(v)
        except:
            snap[label] = -1
    return snap


def _changed(before, after):
    """The first entry of before (a snapshot) that after lacks or differs in."""
    for k, v in before.items():
        if after.get(k) != v:
            return k
    return ""


def _code_tree(code):
    """Every code object the test source compiles to."""
    out, todo = [], [code]
    while todo:
        c = todo.pop()
        out.append(c)
        todo += [k for k in c.co_consts if isinstance(k, types.CodeType)]
    return out


def _test_origin(fn, test_codes, lib_roots, _getattr=getattr, _id=id, _range=range, _isinstance=isinstance,
                 _str=str):
    """True when fn is a function the test source defined, possibly under
    library decorators (mock.patch wraps with functools.wraps)."""
    for _ in _range(20):
        code = _getattr(fn, "__code__", None)
        if code is None:
            return False
        if _id(code) in test_codes:
            return True
        name = code.co_filename
        if not (_isinstance(name, _str) and name.startswith(lib_roots)):
            return False
        fn = _getattr(fn, "__wrapped__", None)
    return False


def _discover(tns, TestCase, test_codes, lib_roots, module_name, _list=list, _isinstance=isinstance, _type=type,
              _issubclass=issubclass, _dir=dir, _getattr=getattr, _callable=callable, _sorted=sorted,
              _tuple=tuple, _test_origin=_test_origin):
    """The test classes and methods the test source defined, found by what
    they are at run time (a TestCase subclass bound in the test module,
    whatever its spelling) the way unittest's loader finds them. A test
    method the test source did not define is listed in foreign."""
    classes, foreign = [], []
    for name, v in _list(tns.items()):
        try:
            if not (_isinstance(v, _type) and _issubclass(v, TestCase)):
                continue
        except:
            continue
        tests, strangers = [], []
        for attr in _sorted(_dir(v)):
            if not attr.startswith("test"):
                continue
            fn = _getattr(v, attr, None)
            if not _callable(fn):
                continue
            fn = _getattr(fn, "__func__", fn)
            if _test_origin(fn, test_codes, lib_roots):
                tests.append((attr, fn))
            else:
                strangers.append(name + "." + attr)
        if tests or _getattr(v, "__module__", None) == module_name:
            # A test module's class with tests from elsewhere is tampered
            # with; a TestCase the code defined (and the test module
            # imported) is not a test class of this job.
            foreign += strangers
        if tests:
            classes.append((name, v, _tuple(tests)))
    return _tuple(classes), _tuple(foreign)


def _overrides(cls, TestCase, protected, AsyncTestCase, _vars=vars, _object=object):
    """A protected TestCase attribute that cls or a base overrides
    (unittest's own IsolatedAsyncioTestCase is not an override)."""
    for klass in cls.__mro__:
        if klass is TestCase or klass is AsyncTestCase or klass is _object:
            break
        for name in _vars(klass):
            if name in protected:
                return klass.__name__ + "." + name
    return ""


def _names_agree(classes, expected, dynamic, _set=set):
    """The trusted pre-pass and the run agree: every test the pre-pass
    found ran, and any other belongs to a class the pre-pass marked
    dynamic (tests made by setattr, type() or assignment from a call)."""
    got = _set()
    for cname, _, tests in classes:
        for tname, _ in tests:
            got.add(cname + "." + tname)
    for n in expected:
        if n not in got:
            return "test %s in the source did not run" % n
    for n in got:
        if n not in expected and n.split(".", 1)[0] not in dynamic:
            return "test %s ran but the source does not define it" % n
    return ""


def _emit(wfd, report, _dumps=json.dumps, _write=os.write, _memoryview=memoryview, _len=len, _sys=sys,
          _streams=(sys.stdout, sys.stderr)):
    """Flushes the job's output, then writes the (advisory) report line on
    the result pipe: the worker kills the job once it has read it."""
    for stream in _streams + (_sys.stdout, _sys.stderr):
        try:
            stream.flush()
        except:
            pass
    try:
        data = _memoryview((_dumps(report) + "\n").encode())
    except:
        data = _memoryview(b'{"phase":"tests","tamper":"the report could not be serialised"}\n')
    try:
        while _len(data):
            n = _write(wfd, data)
            data = data[n:]
    except:
        pass


def _coverage(cov, path, _repr=repr, _short=_short, _sorted=sorted):
    """Line and branch coverage of solution.py (the code under test only)."""
    try:
        a = cov._analyze(path)
        n = a.numbers
        return {"lines": n.n_statements, "lines_covered": n.n_executed,
                "branches": n.n_branches,
                "branches_covered": n.n_branches - n.n_missing_branches,
                "covered": _sorted(a.executed)}
    except:
        return {"error": "coverage unavailable"}


def _called_code(cov, path, _bool=bool):
    """Whether a line of the code under test ran once the tests began
    loading (coverage's "tests" context); None when coverage cannot say.
    Lines the code ran while it loaded are in the default context."""
    try:
        data = cov.get_data()
        data.set_query_contexts(["^tests$"])
        try:
            return _bool(data.lines(path))
        finally:
            data.set_query_contexts(None)
    except:
        return None


def _run_classes(classes, tns, report, protected, watch, mocked, steps, async_steps, AsyncTestCase, module_cleanups,
                 failfast, _run_test=_run_test, _fixture=_fixture, _class_cleanups=_class_cleanups, _snapshot=_snapshot,
                 _changed=_changed, _machinery_changed=_machinery_changed, _getattr=getattr, _tuple=tuple,
                 _len=len, _range=range, _issubclass=issubclass):
    """setUpModule, then per class setUpClass, its tests, tearDownClass and
    class cleanups, then tearDownModule and module cleanups. A failed
    fixture makes the tests it covers errors, even ones that passed before
    a teardown failed. With failfast, the tests after the first failure are
    not run and are reported as skipped. True only when every test ran and
    passed."""
    rows = report["tests"]
    all_ok = True
    stopped = False
    ran = 0
    mod_err = None
    setup_module = tns.get("setUpModule")
    if setup_module is not None:
        mod_err = _fixture(setup_module)
    test_classes = _tuple(cls for _, cls, _ in classes)
    for cname, cls, tests in classes:
        first_row = _len(rows)
        skipped_class = _getattr(cls, "__unittest_skip__", False)
        class_err = mod_err
        if class_err is None and not skipped_class:
            class_err = _fixture(cls.setUpClass)
        machinery = _tuple(("test:" + c.__name__, c) for c in test_classes)
        fixed = _snapshot(machinery)
        step = async_steps if _issubclass(cls, AsyncTestCase) else steps
        for tname, fn in tests:
            if stopped:
                rows.append({"name": cname + "." + tname, "outcome": "skip", "message": "not run: fail-fast",
                             "kind": "", "missing": "", "duration_ms": 0.0})
                continue
            if class_err is not None:
                rows.append({"name": cname + "." + tname, "outcome": "error", "message": class_err["message"],
                             "kind": class_err["kind"], "missing": class_err["missing"], "duration_ms": 0.0})
                all_ok = False
                continue
            row, passed = _run_test(cls, tname, fn, step, protected)
            ran += 1
            rows.append(row)
            if row["kind"] == "tamper":
                report["tamper"] = row["message"]
                return False
            if not passed:
                all_ok = False
                stopped = failfast is True
            changed = _machinery_changed(watch, mocked) or _changed(fixed, _snapshot(machinery))
            if changed:
                report["tamper"] = "the test machinery changed during %s: %s" % (row["name"], changed)
                return False
        if mod_err is None and not skipped_class:
            err = _fixture(cls.tearDownClass) if class_err is None else None
            err = _class_cleanups(cls) or err
            if err is not None:
                all_ok = False
                for i in _range(first_row, _len(rows)):
                    if rows[i]["outcome"] in ("pass", "skip"):
                        rows[i] = {"name": rows[i]["name"], "outcome": "error", "message": err["message"],
                                   "kind": err["kind"], "missing": err["missing"],
                                   "duration_ms": rows[i]["duration_ms"]}
    err = None
    teardown_module = tns.get("tearDownModule")
    if teardown_module is not None and mod_err is None:
        err = _fixture(teardown_module)
    err = _fixture(module_cleanups) or err or mod_err
    if err is not None:
        all_ok = False
        for i in _range(_len(rows)):
            if rows[i]["outcome"] in ("pass", "skip"):
                rows[i] = {"name": rows[i]["name"], "outcome": "error", "message": err["message"],
                           "kind": err["kind"], "missing": err["missing"], "duration_ms": rows[i]["duration_ms"]}
    return all_ok is True and ran > 0


def _run_suite(suite, _exc_info=sys.exc_info, _exc_row=_exc_row, _exec=exec, _snapshot=_snapshot,
               _changed=_changed, _discover=_discover, _overrides=_overrides,
               _names_agree=_names_agree, _emit=_emit, _coverage=_coverage,
               _run_classes=_run_classes, _perf=time.perf_counter, _list=list, _isinstance=isinstance,
               _SyntaxError=SyntaxError, _freeze_type=freeze_type, _machinery_changed=_machinery_changed,
               _builtin_names=frozenset(vars(__import__("builtins"))), _called_code=_called_code):
    """Loads the code and the tests and runs them; True only when every
    expected test ran and passed. The
    suite tuple was built before any job code ran; it is unpacked into
    locals here, where the job cannot rebind them."""
    (code, test, mod, tmod, path, style, expected, dynamic, test_codes, lib_roots, TestCase, protected,
     watch, mocked, steps, async_steps, AsyncTestCase, module_cleanups, failfast, cov, wfd) = suite
    report = {"phase": "load_code", "tests": [], "load": None, "tamper": "", "ok": False,
              "vacuous": "", "discovered": []}
    all_ok = False
    try:
        try:
            _exec(code, mod.__dict__)
        except:
            report["load"] = _exc_row(_exc_info()[1])
            return False
        changed = _machinery_changed(watch, mocked)
        if changed:
            report["tamper"] = "the code changed the test machinery while loading: " + changed
            return False
        report["phase"] = "load_test"
        tns = tmod.__dict__
        for k, v in _list(mod.__dict__.items()):
            # The code's names reach the tests, but never in place of a
            # builtin (a `len` of its own would decide the tests' checks).
            if not k.startswith("__") and k not in _builtin_names:
                tns[k] = v
        if cov is not None:
            try:
                # From here on, a line of the code that runs is one the
                # tests called (see _called_code).
                cov.switch_context("tests")
            except:
                pass
        t0 = _perf()
        try:
            _exec(test, tns)
        except:
            exc = _exc_info()[1]
            info = _exc_row(exc)
            if style == "script" and info["kind"] != "exit" and not _isinstance(exc, _SyntaxError):
                # A script's own assert is its test.
                report["phase"] = "tests"
                outcome = "fail" if info["kind"] == "assert" else ("skip" if info["kind"] == "skip" else "error")
                report["tests"] = [{"name": "script", "outcome": outcome, "message": info["message"],
                                    "kind": info["kind"], "missing": info["missing"],
                                    "duration_ms": (_perf() - t0) * 1000}]
            else:
                report["load"] = info
            return False
        cns = mod.__dict__
        for k, v in _list(tns.items()):
            # UnitCoder's tests are written to follow the code in one file
            # (the authors' harness concatenates them): a global the code
            # uses may be one the tests define or redefine (a config
            # object, a stand-in helper), and the later definition wins.
            # Names flow from the tests to the code only.
            if not k.startswith("__") and cns.get(k, cns) is not v:
                cns[k] = v
        report["phase"] = "tests"
        classes, foreign = _discover(tns, TestCase, test_codes, lib_roots, tmod.__name__)
        report["discovered"] = [c + "." + t for c, _, tests in classes for t, _ in tests]
        if foreign:
            report["tamper"] = "test %s was not defined by the test source" % foreign[0]
            return False
        changed = _machinery_changed(watch, mocked)
        if changed:
            report["tamper"] = "the test machinery changed while the tests loaded: " + changed
            return False
        _freeze_type(TestCase)
        if style == "script":
            if classes:
                # The pre-pass saw no TestCase but the run did: neither
                # passing the script nor running unseen tests is right.
                report["phase"] = "load_test"
                report["load"] = {"kind": "error", "type": "UnrecognisedTestCase", "missing": "",
                                  "message": "the test source defines TestCase tests (%s) in a form the test "
                                             "pre-pass does not recognise, so they cannot be verified"
                                             % report["discovered"][0]}
                return False
            report["tests"] = [{"name": "script", "outcome": "pass", "message": "", "kind": "", "missing": "",
                                "duration_ms": (_perf() - t0) * 1000}]
            ok = True
        else:
            disagree = _names_agree(classes, expected, dynamic)
            if disagree:
                report["tamper"] = disagree
                return False
            if not classes:
                report["vacuous"] = "no test ran"
                return False
            for _, cls, _ in classes:
                bad = _overrides(cls, TestCase, protected, AsyncTestCase)
                if bad:
                    report["tamper"] = "test class overrides TestCase method " + bad
                    return False
            ok = _run_classes(classes, tns, report, protected, watch, mocked, steps, async_steps, AsyncTestCase,
                              module_cleanups, failfast)
        if ok is True and cov is not None and _called_code(cov, path) is False:
            report["vacuous"] = "no test called into the code under test"
            return False
        all_ok = ok is True
        return all_ok
    except:
        report["tamper"] = report["tamper"] or "harness error: " + _exc_row(_exc_info()[1])["message"]
        return False
    finally:
        if cov is not None:
            report["coverage"] = _coverage(cov, path)
        report["ok"] = all_ok is True
        _emit(wfd, report)


def _suite_main(suite, ids, idents, ready, go, _run_suite=_run_suite, _sleep=time.sleep,
                _native_id=_thread.get_native_id, _get_ident=_thread.get_ident):
    """The suite thread. It returns, ending the kernel task the worker
    watches, only when _run_suite says True; otherwise it sleeps until the
    worker kills the job. The bare excepts look up no name."""
    cov = suite[-2]
    if cov is not None:
        try:
            cov.start()
        except:
            pass
    ids.append(_native_id())
    idents.append(_get_ident())
    ready.release()
    go.acquire()
    ok = False
    try:
        ok = _run_suite(suite)
    except:
        ok = False
    if ok is True:
        return
    while 1:
        try:
            _sleep(1e9)
        except:
            pass


def _sentinel_main(ids, ready, _sleep=time.sleep, _native_id=_thread.get_native_id):
    """A thread that never ends: if it is gone, the process exec'd or died."""
    ids.append(_native_id())
    ready.release()
    while 1:
        try:
            _sleep(1e9)
        except:
            pass


def check_sealed(fns):
    """Fails the worker's start if a suite function reads or writes a
    global: the verdict must not depend on names the job can rebind."""
    import dis
    todo = [f.__code__ for f in fns]
    while todo:
        code = todo.pop()
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL", "STORE_NAME"):
                raise RuntimeError("sandbox harness: %s uses global %s" % (code.co_name, ins.argval))
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]


# ------------------------------------------------------------ the audit seal

# Library functions that hand the caller a frame (and with it, through
# f_back and f_locals, every frame below: the test's and the harness's).
FRAME_GIVERS = frozenset(("currentframe", "stack", "trace", "getouterframes", "getinnerframes", "walk_stack",
                          "walk_tb", "get_stack", "print_stack_frames", "_getframe"))


def make_seal(wfd, test_codes, trusted_codes, lib_roots, coverage_install, _id=id, _isinstance=isinstance,
              _str=str, _bytes=bytes, _getframe=sys._getframe, _write=os.write, _kill=os.kill, _getpid=os.getpid,
              _SIGKILL=signal.SIGKILL, _open=open, _FunctionType=types.FunctionType, _threading=threading,
              _givers=FRAME_GIVERS):
    """The audit hook, built before job code runs. It keeps no mutable
    state, so nothing the job can reach changes what it denies. Job code
    is code that is neither the interpreter's libraries nor the harness."""

    def deny(why):
        try:
            _write(wfd, ("ALARM " + why.replace("\n", " ") + "\n").encode())
        finally:
            _kill(_getpid(), _SIGKILL)

    def lib(f):
        name = f.f_code.co_filename
        return _isinstance(name, _str) and name.startswith(lib_roots)

    def job(f):
        return f is not None and not lib(f) and _id(f.f_code) not in trusted_codes

    def from_job(f):
        """True when f, or the nearest caller outside ctypes, is job code."""
        while f is not None and lib(f) and "/ctypes/" in f.f_code.co_filename:
            f = f.f_back
        return job(f)

    def leaks_frame(f):
        """True when a frame obtained in f goes to job code: f is job code,
        or the library function job code called hands frames back."""
        if job(f):
            return True
        while f is not None and lib(f):
            if job(f.f_back):
                name = f.f_code.co_name
                return name in _givers or (name == "<lambda>" and f.f_code.co_filename.endswith("/logging/__init__.py"))
            f = f.f_back
        return False

    def same_as_disk(path, data):
        try:
            with _open(path, "rb") as fh:
                disk = fh.read()
            if _isinstance(data, _str):
                return disk.decode("utf-8") == data
            return disk == _bytes(data)
        except:
            return False

    def caller():
        # The hook's own _getframe call raises an event too; the hook
        # recognises it by the frame it returns (its own) and lets it be.
        return _getframe(0).f_back.f_back

    def hook(event, args):
        if event == "sys._getframe":
            if args[0].f_code is not caller_code and leaks_frame(caller()):
                deny("frame introspection (sys._getframe) is not available to sandboxed code")
        elif event == "object.__getattr__":
            if args[1] in ("tb_frame", "gi_frame", "cr_frame", "ag_frame") and leaks_frame(caller()):
                deny("frame introspection (%s) is not available to sandboxed code" % args[1])
        elif event in ("sys._current_frames", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
                       "sys.addaudithook", "sys.setprofile"):
            deny(event + " is not available to sandboxed code")
        elif event == "sys.settrace":
            # Coverage starts its tracer in each new thread; nothing else may.
            f = caller()
            name = f.f_code.co_filename if f is not None else ""
            if not (coverage_install is not None and lib(f) and (
                    "/coverage/" in name or (name.endswith("/threading.py")
                                             and _threading._trace_hook is coverage_install))):
                deny("sys.settrace is not available to sandboxed code")
        elif event == "object.__setattr__" or event == "object.__delattr__":
            obj, name = args[0], args[1]
            if _isinstance(obj, _FunctionType) and name in ("__code__", "__defaults__", "__kwdefaults__"):
                code = obj.__code__
                fname = code.co_filename
                # Libraries rebind their own functions' code (numpy's
                # dispatch decorator does); job code may not touch theirs.
                if (_id(code) in test_codes or _id(code) in trusted_codes
                        or (_isinstance(fname, _str) and fname.startswith(lib_roots) and job(caller()))):
                    deny("rebinding %s of %s" % (name, code.co_name))
        elif event.startswith("ctypes."):
            if from_job(caller()):
                deny(event + " from the code under test (raw memory access)")
        elif event == "function.__new__" or event == "marshal.loads" or event == "code.__new__":
            f = caller()
            if job(f):
                deny(event + " from the code under test")
            if event == "marshal.loads" and f is not None and f.f_code.co_name == "_compile_bytecode":
                path = f.f_locals.get("bytecode_path")
                if not (_isinstance(path, _str) and path.startswith(lib_roots[:2])):
                    deny("marshal.loads of bytecode that is not an installed library's")
        elif event == "compile":
            src, filename = args[0], args[1]
            if _isinstance(filename, _bytes):
                filename = filename.decode("utf-8", "replace")
            if (_isinstance(filename, _str) and filename.startswith(lib_roots[:2])
                    and not same_as_disk(filename, src)):
                deny("compiling source under a library's file name (%s)" % filename)
        elif event == "open":
            path = args[0]
            if _isinstance(path, _bytes):
                path = path.decode("utf-8", "replace")
            if _isinstance(path, _str) and (path == "mem" or path.endswith("/mem")) and (
                    path.startswith("/proc/") or not path.startswith("/")):
                deny("opening process memory (%s)" % path)

    caller_code = caller.__code__
    return hook


def harness_codes(namespace):
    """The code objects of the worker's own functions: frames running them
    are the harness's, never the job's."""
    out = []
    for v in list(namespace.values()):
        if isinstance(v, types.FunctionType) and v.__globals__ is namespace:
            out += _code_tree(v.__code__)
    return frozenset(id(c) for c in out)


SEALED = (_lies, freeze_type, _machinery_changed, _short, _exc_row, _patched, _run_test, _fixture, _class_cleanups, _snapshot, _changed, _test_origin,
          _discover, _overrides, _names_agree, _emit, _coverage, _called_code, _run_classes, _run_suite,
          _suite_main, _sentinel_main, make_seal)


# ---------------------------------------------------------------- the child

def run_harness(req, wfd, jobdir, style, expected, dynamic):
    """Prepares the job in the child (trusted: no job code has run yet),
    starts the suite and sentinel threads, seals the interpreter and lets
    the suite go. Never returns."""
    import builtins
    import random
    # The job's time zone: UTC unless it asks for another, whatever the
    # host's /etc/localtime says.
    os.environ["TZ"] = req.get("tz") or "UTC"
    time.tzset()
    random.seed(req["seed"])
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(req["seed"] % (1 << 32))
    path = os.path.join(jobdir, "solution.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(req["code"])
    # The tests are compiled here and never written to disk, so the code
    # cannot read them from its working directory.
    report = {"phase": "load_code", "tests": [], "load": None, "tamper": "", "ok": False,
              "vacuous": "", "discovered": []}
    try:
        code = compile(req["code"], path, "exec")
    except BaseException as e:
        report["load"] = _exc_row(e)
        _emit(wfd, {"hello": True, "suite_tid": 0, "sentinel_tid": 0})
        _emit(wfd, report)
        os._exit(0)
    try:
        test_path = os.path.join(jobdir, "test_solution.py")
        test = compile(req["test"], test_path, "exec")
    except BaseException as e:
        report["phase"] = "load_test"
        report["load"] = _exc_row(e)
        _emit(wfd, {"hello": True, "suite_tid": 0, "sentinel_tid": 0})
        _emit(wfd, report)
        os._exit(0)
    tree = _code_tree(test)
    test_codes = frozenset(id(c) for c in tree)
    mod = types.ModuleType("solution")
    mod.__file__ = path
    mod.__builtins__ = builtins
    sys.modules["solution"] = mod
    sys.modules["__main__"] = mod
    tmod = types.ModuleType("test_solution")
    tmod.__file__ = test_path
    TEST_LINES.clear()
    TEST_LINES[test_path] = (len(req["test"]), None, req["test"].splitlines(True), test_path)
    tmod.__builtins__ = builtins
    sys.modules["test_solution"] = tmod
    # multiprocessing's spawn start method re-imports solution in a fresh
    # interpreter from the parent's sys.path.
    sys.path.insert(0, jobdir)
    cov = None
    if req["coverage"]:
        import coverage
        cov = coverage.Coverage(data_file=None, branch=True, include=[path], config_file=False)
    suite = (code, test, mod, tmod, path, style, tuple(expected), frozenset(dynamic), test_codes, LIB_ROOTS, TC,
             PROTECTED, WATCH, "patch" in req["test"] or "monkeypatch" in req["test"], TC_STEPS, ATC_STEPS, ATC,
             unittest.case.doModuleCleanups, req.get("failfast") is True, cov, wfd)
    del report
    ids, sentinel_ids = [], []
    go, suite_ready, sentinel_ready = _thread.allocate_lock(), _thread.allocate_lock(), _thread.allocate_lock()
    for lock in (go, suite_ready, sentinel_ready):
        lock.acquire()
    _thread.start_new_thread(_sentinel_main, (sentinel_ids, sentinel_ready))
    suite_ident = []
    _thread.start_new_thread(_suite_main, (suite, ids, suite_ident, suite_ready, go))
    suite_ready.acquire()
    sentinel_ready.acquire()
    JOB_THREAD[0] = suite_ident[0]
    # The address-space limit counts the two threads' stacks and arenas.
    # Job threads get 4 MiB stacks instead of 8, so a pool of 100 fits.
    threading.stack_size(4 << 20)
    set_limits(req)
    install = threading._trace_hook if cov is not None else None
    sys.addaudithook(make_seal(wfd, test_codes, TRUSTED_CODES, LIB_ROOTS, install))
    _emit(wfd, {"hello": True, "suite_tid": ids[0], "sentinel_tid": sentinel_ids[0]})
    del suite, tree, code, test, mod, tmod, cov
    go.release()
    while 1:
        try:
            time.sleep(1e9)
        except BaseException:
            pass
