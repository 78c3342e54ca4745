# The static guard (part of the worker source: Go runs worker.py, guard.py,
# harness.py and server.py concatenated; guard.py also runs on its own in the
# Go tests). The worker calls guard_job in handle(), before it forks, on the
# code and the tests of every job; the run-time audit hook may call
# guard_source(src, "dynamic", allow) on sources a job compiles itself.
#
# It is an ast analysis, not a text match: names are resolved through
# imports, aliases (T = unittest.TestCase), literal containers, and the
# arguments of the source's own functions, so `import unittest.case as C;
# C.TestCase.x = ...` is caught while `self.debug = ...` or a
# `cls.__subclasses__()` plugin registry is not. It rejects only patterns the
# run-time defences (the harness's integrity snapshot, the audit hook, the
# kernel-observed verdict) cannot see, or see too late:
#
#   write-foreign      assignment, augmented assignment or del into an
#                      imported object (a module, a library class, a builtin),
#                      or setattr/delattr/object.__setattr__/vars(F)[k]=/
#                      F.__dict__.update on one: e.g. np.allclose = ...
#                      makes a numpy assertion pass whatever the code does.
#                      Configuration surfaces are allowed (GUARD_ALLOWED_WRITES).
#   builtins-rebind    a binding of the name __builtins__, or a write into it.
#   reflection         frame, closure and globals access (f_back, tb_frame,
#                      __globals__, sys._getframe, inspect.stack, gc.get_objects,
#                      ...), storing __code__ or f_lineno, and __subclasses__
#                      called on an imported or builtin class or on a class
#                      reached by walking the class graph (().__class__,
#                      __base__, __mro__, type(x)).
#   raw-memory         ctypes, _ctypes or cffi imported in any form; .ctypes
#                      or ctypeslib (numpy's raw pointers).
#   always-equal       a class whose __eq__ returns a constant truthy value (or
#                      whose __ne__ returns a constant falsy one): an object
#                      equal to everything passes any assertEqual. Checked in
#                      the code and in dynamic sources, not in the tests, where
#                      such matchers (like mock.ANY) are legitimate.
#   patch-self-assert  storing a TestCase method that decides a result
#                      (assert*, fail*, run, subTest, _callTestMethod, ...) on
#                      a test instance or test class: self.assertEqual = ...
#
# guard_source never raises: a source that does not parse returns "" (the job
# fails to load on its own); an internal failure of the analysis returns a
# "guard-error" rejection, since allowing it would let a crafted source past
# the guard.
import ast
import unittest

GUARD_RULES = ("write-foreign", "builtins-rebind", "reflection", "raw-memory",
               "always-equal", "patch-self-assert", "guard-error")

# Everything the guard uses is bound here, when the worker starts: a job that
# later rebinds ast.parse and the like does not change the guard (the harness
# snapshots these globals, so rebinding one of them is tamper).
_g_parse = ast.parse
_g_literal = ast.literal_eval
_g_builtin_names = frozenset(dir(__import__("builtins")))
_g_AST = ast.AST

# Attributes that reach frames, closures, and globals of other code (the
# harness's among them), whatever the object they are read from.
_G_REFLECT_ATTRS = frozenset([
    "f_back", "f_locals", "f_globals", "f_builtins", "f_trace", "tb_frame",
    "gi_frame", "cr_frame", "ag_frame", "__globals__", "__closure__",
    "cell_contents", "__builtins__"])
# Attributes whose store rewrites running code.
_G_REFLECT_STORES = frozenset(["__code__", "f_lineno"])
# Functions that hand out frames or arbitrary live objects.
_G_REFLECT_FUNCS = frozenset([
    ("sys", "_getframe"), ("sys", "_current_frames"), ("inspect", "currentframe"),
    ("inspect", "stack"), ("inspect", "trace"), ("inspect", "getouterframes"),
    ("inspect", "getinnerframes"), ("inspect", "getclosurevars"),
    ("traceback", "walk_stack"), ("traceback", "walk_tb"), ("gc", "get_objects"),
    ("gc", "get_referrers"), ("gc", "get_referents")])
_G_REFLECT_LAST = frozenset(p[-1] for p in _G_REFLECT_FUNCS)
# Class-graph walking: a receiver reached through one of these is not the
# source's own class.
_G_WALK_ATTRS = frozenset(["__class__", "__base__", "__bases__", "__mro__"])
_G_RAW_MODULES = frozenset(["ctypes", "_ctypes", "cffi"])
_G_RAW_ATTRS = frozenset(["ctypes", "ctypeslib"])
# Modules the verdict depends on: replacing one in sys.modules under its
# literal name is a write into it.
_G_VERDICT_MODULES = frozenset([
    "unittest", "builtins", "numpy", "pandas", "json", "math", "operator",
    "functools", "sys", "os", "posixpath", "re", "collections"])
_G_DICT_MUTATORS = frozenset(["update", "setdefault", "pop", "popitem", "clear",
                              "__setitem__", "__delitem__"])
# Names of the job's module namespace that are not imports.
_G_MODULE_DUNDERS = frozenset(["__name__", "__file__", "__doc__", "__spec__",
                               "__loader__", "__package__", "__path__",
                               "__annotations__", "__cached__"])
# Modules that are the job itself: writes into them are the job's own state.
_G_OWN_MODULES = frozenset(["solution", "__main__"])


def _g_protected():
    """TestCase methods whose replacement on a test fakes its result."""
    out = {"run", "subTest", "_callTestMethod", "_callSetUp", "_callTearDown",
           "_callCleanup", "doCleanups", "_addSkip", "skipTest"}
    for k, v in vars(unittest.TestCase).items():
        if k.startswith(("assert", "fail")) and type(v).__name__ == "function":
            out.add(k)
    return frozenset(out)


# failureException (a class, not a method) and debug are not in it: replacing
# them cannot turn a failure into a pass.
_G_PROTECTED = _g_protected()

# Writes into imported objects that legitimate code makes: configuration
# surfaces whose change cannot make a failing check pass.
GUARD_ALLOWED_WRITES = (
    "os.environ[...]",
    "sys.path, sys.argv (and their items)",
    "sys.stdout, sys.stderr, sys.stdin (rebinding)",
    "sys.modules[key] unless key is a literal naming a module the verdict "
    "depends on (unittest, builtins, numpy, pandas, json, math, operator, "
    "functools, sys, os, re, collections and their submodules)",
    "pandas.options.*",
    "*.rcParams[...] (matplotlib)",
    "tempfile.tempdir",
    "ssl._create_default_https_context",
    "unittest.TestCase.maxDiff, unittest.TestCase.longMessage",
    "logging.*.level/propagate/disabled/handlers, logging.raiseExceptions",
    "flask.g.* (flask's per-request namespace)",
    "the job's own module (solution, __main__)",
)


def _g_allowed_write(p):
    """Is a write into the imported object at path p (a tuple of attribute
    names, "[key]" for items) allowed?"""
    n = len(p)
    if p[0] in _G_OWN_MODULES:
        return True
    if n >= 2 and (p[:2] in (("os", "environ"), ("sys", "path"), ("sys", "argv"),
                             ("pandas", "options"))):
        return True
    if p in (("sys", "stdout"), ("sys", "stderr"), ("sys", "stdin"),
             ("tempfile", "tempdir"), ("ssl", "_create_default_https_context"),
             ("logging", "raiseExceptions")):
        return True
    if n >= 3 and p[:2] == ("flask", "g"):
        return True
    if n == 3 and p[:2] == ("sys", "modules"):
        return not _g_verdict_key(p[2])
    if "rcParams" in p[:-1]:
        return True
    if p[0] == "unittest" and p[-1] in ("maxDiff", "longMessage"):
        return True
    if p[0] == "logging" and n >= 2 and p[-1] in ("level", "propagate", "disabled", "handlers"):
        return True
    return False


def _g_verdict_key(seg):
    if not seg.startswith("[") or seg == "[?]":
        return False
    return seg[1:-1].split(".")[0] in _G_VERDICT_MODULES


def _g_dotted(p):
    out = ""
    for s in p:
        out += s if s.startswith("[") or not out else "." + s
    return out


# Calls whose result may be an imported object (the last name of the callee).
_G_VALUE_CALLS = frozenset(["getattr", "__import__", "import_module", "vars", "type",
                            "get", "mro"])
# Calls the checks look at (the last name of the callee).
_G_CHECKED_CALLS = frozenset(["setattr", "delattr", "getattr", "hasattr", "attrgetter",
                              "__import__", "import_module", "type", "get"])
# The node types _check looks at.
_G_SITES = frozenset(["Attribute", "Subscript", "Call", "Name", "Import", "ImportFrom",
                      "FunctionDef", "AsyncFunctionDef", "ClassDef", "arg", "Assign"])
# The node types _collect binds names for.
_G_BINDERS = frozenset(["FunctionDef", "AsyncFunctionDef", "Lambda", "ClassDef", "ListComp",
                        "SetComp", "GeneratorExp", "DictComp", "Import", "ImportFrom", "Global",
                        "Nonlocal", "Assign", "AnnAssign", "AugAssign", "NamedExpr", "For",
                        "AsyncFor", "withitem", "ExceptHandler", "MatchAs", "MatchStar",
                        "MatchMapping"])
_G_PATH_CAP = 12
_G_VALUES_CAP = 64
_G_UNKNOWN = ("F", ("?",))
_G_WALK = ("W",)
_G_COMPS = ("ListComp", "SetComp", "GeneratorExp", "DictComp")


class _GScope:
    __slots__ = ("kind", "parent", "names", "glob", "nonloc", "cls", "selfname", "node")

    def __init__(self, kind, parent, node=None):
        self.kind, self.parent, self.node = kind, parent, node
        self.names, self.glob, self.nonloc = set(), set(), set()
        self.cls = None       # class scope: the ClassDef node
        self.selfname = None  # method scope: (first parameter, class node)


class _GFinding(Exception):
    def __init__(self, rule, reason, node, src):
        self.rule, self.reason, self.node, self.src = rule, reason, node, src


class _GAnalysis:
    """One module namespace built from one or more sources (the code and
    the tests share one at run time, so they are analysed together)."""

    def __init__(self, sources, allow):
        # sources: [(tree, text, role)]
        self.allow = frozenset(allow or ())
        self.module = _GScope("module", None)
        self.eqs = []           # (key, kind, expr, scope)
        self.consts = {}        # key -> set of values
        self.calls = []         # (call node, scope) with a Name func
        self.defs = {}          # id(def or lambda node) -> (node, scope)
        self.classes = {}       # id(ClassDef) -> (node, scope)
        self.sites = []         # (node, scope, source index) in source order
        self.stars = []         # paths of `from M import *`
        self.vals = {}
        self.sources = sources
        self.free_foreign = any(role == "dynamic" for _, _, role in sources)
        self.class_scopes = {}  # id(ClassDef) -> its scope
        for i, (tree, _, _) in enumerate(sources):
            self._collect(tree, i)
        self._solve()
        self._mark_testcases()

    # ------------------------------------------------------------ collection

    def _bind(self, scope, name, kind, payload=None, escope=None):
        if name in scope.glob:
            scope = self.module
        while name in scope.nonloc and scope.parent is not None:
            scope = scope.parent
            while scope.kind == "class" and scope.parent is not None:
                scope = scope.parent
        scope.names.add(name)
        key = (id(scope), name)
        if kind == "const":
            self.consts.setdefault(key, set()).update(payload)
        elif kind != "none":
            self.eqs.append((key, kind, payload, escope or scope))
        return key

    def _bind_target(self, t, value, scope, kind="expr"):
        k = type(t).__name__
        if k == "Name":
            if kind == "expr" and type(value).__name__ == "Lambda":
                self._bind(scope, t.id, "const", {("D", id(value))})
            else:
                self._bind(scope, t.id, kind if value is not None else "none", value)
        elif k in ("Tuple", "List"):
            vk = type(value).__name__ if value is not None else ""
            pair = (kind == "expr" and vk in ("Tuple", "List") and len(value.elts) == len(t.elts)
                    and not any(type(e).__name__ == "Starred" for e in value.elts + t.elts))
            for j, e in enumerate(t.elts):
                if pair:
                    self._bind_target(e, value.elts[j], scope, "expr")
                else:
                    self._bind_target(e, None, scope)
        elif k == "Starred":
            self._bind_target(t.value, None, scope)

    def _params(self, args):
        out = list(args.posonlyargs) + list(args.args)
        return out, [a for a in (args.vararg, args.kwarg) if a] + list(args.kwonlyargs)

    def _collect(self, tree, src):
        stack = [(tree, self.module)]
        sites = self.sites
        while stack:
            node, scope = stack.pop()
            k = type(node).__name__
            if k in _G_SITES:
                sites.append((node, scope, src))
            children = None
            if k not in _G_BINDERS:
                pass
            elif k in ("FunctionDef", "AsyncFunctionDef", "Lambda"):
                inner = _GScope("function", scope, node)
                pos, other = self._params(node.args)
                for a in pos + other:
                    self._bind(inner, a.arg, "none")
                # Default values flow into their parameters.
                dfl = node.args.defaults
                for a, d in zip(pos[len(pos) - len(dfl):], dfl):
                    self._bind(inner, a.arg, "expr", d, scope)
                for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults):
                    if d is not None:
                        self._bind(inner, a.arg, "expr", d, scope)
                if scope.kind == "class" and pos:
                    inner.selfname = (pos[0].arg, scope.cls)
                self.defs[id(node)] = (node, inner)
                outer = list(node.args.defaults) + [d for d in node.args.kw_defaults if d is not None]
                if k == "Lambda":
                    children = [(c, scope) for c in outer] + [(node.body, inner)]
                else:
                    self._bind(scope, node.name, "const", {("D", id(node))})
                    outer += list(node.decorator_list)
                    for a in pos + other:
                        if a.annotation is not None:
                            outer.append(a.annotation)
                    if node.returns is not None:
                        outer.append(node.returns)
                    children = [(c, scope) for c in outer] + [(c, inner) for c in node.body]
            elif k == "ClassDef":
                inner = _GScope("class", scope, node)
                inner.cls = node
                self.class_scopes[id(node)] = inner
                self.classes[id(node)] = (node, scope)
                self._bind(scope, node.name, "const", {("C", id(node))})
                outer = list(node.bases) + [kw.value for kw in node.keywords] + list(node.decorator_list)
                children = [(c, scope) for c in outer] + [(c, inner) for c in node.body]
            elif k in _G_COMPS:
                inner = _GScope("function", scope, node)
                children = []
                for j, g in enumerate(node.generators):
                    self._bind_target(g.target, g.iter, inner, "iter")
                    # The first iterable is evaluated in the enclosing scope.
                    children.append((g.iter, scope if j == 0 else inner))
                    children.append((g.target, inner))
                    children += [(c, inner) for c in g.ifs]
                elts = [node.key, node.value] if k == "DictComp" else [node.elt]
                children += [(c, inner) for c in elts]
                # Its bindings are the comprehension's; the iterable's
                # equation is evaluated there too (names fall through).
            elif k == "Import":
                for a in node.names:
                    parts = tuple(a.name.split("."))
                    if a.asname:
                        self._bind(scope, a.asname, "const", {("F", parts)})
                    else:
                        self._bind(scope, parts[0], "const", {("F", parts[:1])})
            elif k == "ImportFrom":
                mod = tuple((node.module or "").split(".")) if node.module else ()
                if node.level:
                    mod = (".",) + mod
                for a in node.names:
                    if a.name == "*":
                        self.stars.append(mod)
                    else:
                        self._bind(scope, a.asname or a.name, "const", {("F", mod + (a.name,))})
            elif k == "Global":
                scope.glob.update(node.names)
            elif k == "Nonlocal":
                scope.nonloc.update(node.names)
            elif k == "Assign":
                for t in node.targets:
                    self._bind_target(t, node.value, scope)
                    # globals()["T"] = unittest.TestCase binds T.
                    name = _g_const_str(t.slice) if type(t).__name__ == "Subscript" else None
                    if name and _g_is_namespace_call(t.value) and t.value.func.id == "globals":
                        self._bind(self.module, name, "expr", node.value, scope)
            elif k == "AnnAssign":
                if node.value is not None and type(node.target).__name__ == "Name":
                    self._bind_target(node.target, node.value, scope)
            elif k == "AugAssign":
                self._bind_target(node.target, None, scope)
            elif k == "NamedExpr":
                s = scope
                while s.node is not None and type(s.node).__name__ in _G_COMPS:
                    s = s.parent
                self._bind_target(node.target, node.value, s)
            elif k in ("For", "AsyncFor"):
                self._bind_target(node.target, node.iter, scope, "iter")
            elif k == "withitem":
                if node.optional_vars is not None:
                    self._bind_target(node.optional_vars, None, scope)
            elif k == "ExceptHandler":
                if node.name:
                    self._bind(scope, node.name, "none")
            elif k in ("MatchAs", "MatchStar"):
                if node.name:
                    self._bind(scope, node.name, "none")
            elif k == "MatchMapping":
                if node.rest:
                    self._bind(scope, node.rest, "none")
            if k == "Call" and type(node.func).__name__ == "Name":
                self.calls.append((node, scope))
            if children is None:
                kids = _g_children(node)
                kids.reverse()
                stack.extend([(c, scope) for c in kids])
            else:
                children.reverse()
                stack.extend(children)

    # -------------------------------------------------------------- solving

    def _lookup(self, scope, name):
        """The (scope id, name) key that binds name as seen from scope, or
        None for a free name."""
        s, first = scope, True
        while s is not None:
            if s.kind == "class" and not first:
                s = s.parent
                continue
            if name in s.glob:
                s = self.module
                return (id(s), name) if name in s.names else None
            if name in s.names and name not in s.nonloc:
                return (id(s), name)
            s, first = s.parent, False
        return None

    def _free(self, name):
        if name in _G_MODULE_DUNDERS:
            return set()
        if name == "__builtins__":
            return {("F", ("builtins",))}
        if name in _g_builtin_names:
            return {("F", ("builtins", name))}
        if self.stars:
            return {("F", m + (name,)) for m in self.stars}
        # Not bound in any source. In the code and the tests that is a
        # NameError at run time (a global of the original file that the
        # snippet lacks); in a dynamic source it is one of the unknown globals
        # it was exec'd with: assume the worst there.
        return {("F", (name,))} if self.free_foreign else set()

    def _name_vals(self, scope, name):
        key = self._lookup(scope, name)
        if key is None:
            return self._free(name)
        return self.vals.get(key, ())

    def _deps(self, expr, scope):
        out = set()
        stack = [expr]
        while stack:
            e = stack.pop()
            k = type(e).__name__
            if k == "Name":
                key = self._lookup(scope, e.id)
                if key is not None:
                    out.add(key)
            elif k not in ("Lambda",) + _G_COMPS:
                stack.extend(_g_children(e))
        return out

    def _solve(self):
        vals = self.vals
        for key, vs in self.consts.items():
            vals[key] = set(vs)
        # Arguments of the source's own functions flow into their parameters
        # (def patch(m): m.x = 1 ... patch(np)).
        for call, scope in self.calls:
            key = self._lookup(scope, call.func.id)
            if key is None:
                continue
            for v in self.consts.get(key, ()):
                if v[0] != "D":
                    continue
                node, inner = self.defs[v[1]]
                pos, other = self._params(node.args)
                byname = {a.arg for a in pos + other}
                for j, a in enumerate(call.args):
                    if type(a).__name__ == "Starred":
                        break
                    if j < len(pos):
                        self.eqs.append(((id(inner), pos[j].arg), "expr", a, scope))
                for kw in call.keywords:
                    if kw.arg in byname:
                        self.eqs.append(((id(inner), kw.arg), "expr", kw.value, scope))
        users = {}
        for i, (key, kind, expr, scope) in enumerate(self.eqs):
            for d in self._deps(expr, scope):
                users.setdefault(d, []).append(i)
        work = list(range(len(self.eqs) - 1, -1, -1))
        queued = set(work)
        budget = 200 * len(self.eqs) + 10000
        while work:
            budget -= 1
            if budget < 0:  # cannot happen with the caps; never give up silently
                raise RuntimeError("name resolution did not converge")
            i = work.pop()
            queued.discard(i)
            key, kind, expr, scope = self.eqs[i]
            new = self._val(expr, scope)
            if kind == "iter":
                new = self._elements(new)
            cur = vals.setdefault(key, set())
            if new <= cur:
                continue
            if len(cur) >= _G_VALUES_CAP:
                if _G_UNKNOWN in cur:
                    continue
                cur.add(_G_UNKNOWN)
            else:
                cur |= new
            for j in users.get(key, ()):
                if j not in queued:
                    queued.add(j)
                    work.append(j)

    def _elements(self, vs):
        out = set()
        for v in vs:
            if v[0] == "E":
                out.add(v[1])
            elif v[0] == "F":
                out.add(_g_extend(v[1], "[?]"))
            elif v[0] == "W":
                out.add(v)
        return out

    def _val(self, e, scope, depth=0):
        """The set of abstract values e may have: ("F", path) an imported
        object, ("W",) a class reached by walking the class graph, ("C", id)
        an own class, ("D", id) an own function, ("E", v) a container of v.
        Empty: a value the source made itself."""
        if depth > 60:
            return {_G_UNKNOWN}
        k = type(e).__name__
        if k == "Name":
            return set(self._name_vals(scope, e.id))
        if k == "Attribute":
            return self._attr_vals(self._val(e.value, scope, depth + 1), e.attr)
        if k == "Subscript":
            base = self._val(e.value, scope, depth + 1)
            return self._item_vals(base, e.slice)
        if k == "Call":
            return self._call_vals(e, scope, depth)
        if k in ("Tuple", "List", "Set"):
            out = set()
            for x in e.elts:
                for v in self._val(x, scope, depth + 1):
                    out.add(v[1] if v[0] == "E" and type(x).__name__ == "Starred" else ("E", v))
            return out
        if k == "Dict":
            return {("E", v) for x in e.values if x is not None for v in self._val(x, scope, depth + 1)}
        if k == "Starred":
            return self._val(e.value, scope, depth + 1)
        if k == "IfExp":
            return self._val(e.body, scope, depth + 1) | self._val(e.orelse, scope, depth + 1)
        if k == "BoolOp":
            out = set()
            for x in e.values:
                out |= self._val(x, scope, depth + 1)
            return out
        if k == "NamedExpr":
            return self._val(e.value, scope, depth + 1)
        if k == "Lambda":
            return {("D", id(e))}
        return set()

    def _attr_vals(self, base, attr):
        out = set()
        for v in base:
            if v[0] == "F":
                out.add(_g_extend(v[1], attr))
            elif v[0] == "W":
                out.add(v)
        if attr in _G_WALK_ATTRS:
            out.add(_G_WALK)
        return out

    def _item_vals(self, base, sl):
        key = _g_const_str(sl)
        out = set()
        for v in base:
            if v[0] == "F":
                if v[1] == ("sys", "modules"):
                    if key is not None:
                        out.add(("F", tuple(key.split("."))))
                    elif not (type(sl).__name__ == "Name" and sl.id == "__name__"):
                        out.add(_g_extend(v[1], "[?]"))
                else:
                    out.add(_g_extend(v[1], "[%s]" % key if key is not None else "[?]"))
            elif v[0] == "E":
                out.add(v[1])
            elif v[0] == "W":
                out.add(v)
        return out

    def _call_vals(self, e, scope, depth):
        f = e.func
        if type(f).__name__ == "Attribute" and f.attr not in _G_VALUE_CALLS:
            return set()  # a method call's result is an object the job made
        fv = self._val(f, scope, depth + 1)
        args = e.args
        out = set()
        for v in fv:
            if v[0] != "F":
                continue
            p = v[1]
            if p == ("builtins", "getattr") and len(args) >= 2:
                name = _g_const_str(args[1])
                out |= self._attr_vals(self._val(args[0], scope, depth + 1), name or "?")
            elif p in (("builtins", "__import__"), ("importlib", "__import__")) and args:
                name = _g_const_str(args[0])
                out.add(("F", (name.split(".")[0],) if name else ("?",)))
            elif p == ("importlib", "import_module") and args:
                name = _g_const_str(args[0])
                out.add(("F", tuple(name.split(".")) if name else ("?",)))
            elif p == ("builtins", "vars") and len(args) == 1:
                for b in self._val(args[0], scope, depth + 1):
                    if b[0] == "F":
                        out.add(_g_extend(b[1], "__dict__"))
                    elif b[0] == "W":
                        out.add(b)
            elif p == ("builtins", "type") and len(args) == 1:
                out.add(_G_WALK)
            elif p == ("sys", "modules", "get") and args:
                out |= self._item_vals({("F", ("sys", "modules"))}, args[0])
            elif p[-1] == "mro" and len(p) > 1:
                out.add(_G_WALK)
        if type(e.func).__name__ == "Attribute" and e.func.attr == "mro":
            for b in self._val(e.func.value, scope, depth + 1):
                if b[0] == "W":
                    out.add(_G_WALK)
        return out

    def _mark_testcases(self):
        """Own classes that are TestCases (through aliases and own bases),
        and the own classes they mix in."""
        tc = set()
        changed = True
        while changed:
            changed = False
            for cid, (node, scope) in self.classes.items():
                if cid in tc:
                    continue
                for b in node.bases:
                    bk = type(b).__name__
                    if bk == "Attribute" and b.attr in ("TestCase", "IsolatedAsyncioTestCase"):
                        hit = True
                    else:
                        vs = self._val(b, scope)
                        hit = any((v[0] == "F" and v[1][-1] in ("TestCase", "IsolatedAsyncioTestCase"))
                                  or (v[0] == "C" and v[1] in tc) for v in vs)
                    if hit:
                        tc.add(cid)
                        changed = True
                        break
        mixins = set()
        for cid in tc:
            node, scope = self.classes[cid]
            for b in node.bases:
                for v in self._val(b, scope):
                    if v[0] == "C":
                        mixins.add(v[1])
        self.tc = tc
        self.tc_like = tc | mixins

    # ---------------------------------------------------------------- checks

    def run(self):
        """The first finding in source order (code before tests), or None."""
        check = self._check
        for node, scope, src in self.sites:
            try:
                check(node, scope, src)
            except _GFinding as f:
                if f.rule in self.allow:
                    continue
                return f
        return None

    def _flag(self, rule, reason, node, src):
        if rule not in self.allow:
            raise _GFinding(rule, reason, node, src)

    def _check(self, node, scope, src):
        k = type(node).__name__
        role = self.sources[src][2]
        if k == "Attribute":
            self._check_attribute(node, scope, src)
        elif k == "Subscript":
            self._check_subscript(node, scope, src)
        elif k == "Call":
            self._check_call(node, scope, src, role)
        elif k == "Name":
            if type(node.ctx).__name__ != "Load":
                if node.id == "__builtins__":
                    self._flag("builtins-rebind", "rebinds __builtins__", node, src)
            else:
                self._check_reflect_value(self._name_vals(scope, node.id), node, src)
        elif k in ("Import", "ImportFrom"):
            self._check_import(node, src)
        elif k in ("FunctionDef", "AsyncFunctionDef", "ClassDef"):
            if node.name == "__builtins__":
                self._flag("builtins-rebind", "rebinds __builtins__", node, src)
            if k == "ClassDef" and role != "tests":
                self._check_class_eq(node, scope, src)
        elif k == "arg":
            if node.arg == "__builtins__":
                self._flag("builtins-rebind", "rebinds __builtins__", node, src)
        elif k == "Assign" and role != "tests":
            for t in node.targets:
                if type(t).__name__ == "Attribute" and t.attr in ("__eq__", "__ne__"):
                    self._check_eq_value(t.attr, node.value, scope, node, src)

    def _check_import(self, node, src):
        if type(node).__name__ == "Import":
            names = [a.name for a in node.names]
        else:
            mod = node.module or ""
            names = [mod] + [mod + "." + a.name for a in node.names] if not node.level else []
        for n in names:
            parts = n.split(".")
            if parts[0] in _G_RAW_MODULES or "ctypeslib" in parts:
                self._flag("raw-memory", "imports %s (raw memory access)" % n, node, src)
        for a in node.names:
            if a.asname == "__builtins__":
                self._flag("builtins-rebind", "rebinds __builtins__", node, src)

    def _check_reflect_value(self, vals, node, src):
        for v in vals:
            if v[0] == "F" and v[1] in _G_REFLECT_FUNCS:
                self._flag("reflection", "uses %s (frames or live objects of the harness)"
                           % _g_dotted(v[1]), node, src)

    def _check_attribute(self, node, scope, src):
        attr, ctx = node.attr, type(node.ctx).__name__
        if attr in _G_REFLECT_ATTRS:
            self._flag("reflection", "accesses .%s (frames, closures or globals of other code)"
                       % attr, node, src)
        if attr in _G_RAW_ATTRS:
            self._flag("raw-memory", "accesses .%s (raw memory access)" % attr, node, src)
        if ctx == "Load":
            if attr == "__subclasses__":
                self._check_subclasses(node.value, scope, node, src)
            elif attr in _G_REFLECT_LAST:
                self._check_reflect_value(self._val(node, scope), node, src)
            return
        if attr in _G_REFLECT_STORES:
            self._flag("reflection", "stores .%s (rewrites running code)" % attr, node, src)
        verb = "assigns into" if ctx == "Store" else "deletes from"
        self._check_write(node.value, attr, scope, node, src, verb)

    def _check_subscript(self, node, scope, src):
        ctx = type(node.ctx).__name__
        key = _g_const_str(node.slice)
        if ctx == "Load":
            if (key is not None and key.split(".")[0] in _G_RAW_MODULES
                    and ("F", ("sys", "modules")) in self._val(node.value, scope)):
                self._flag("raw-memory", "reaches module %s (raw memory access)" % key, node, src)
            return
        base = self._val(node.value, scope)
        verb = "assigns into" if ctx == "Store" else "deletes from"
        if key == "__builtins__" and _g_is_namespace_call(node.value):
            self._flag("builtins-rebind", "writes __builtins__ into the module namespace", node, src)
        if _g_root_name(node.value) == "__builtins__":
            self._flag("builtins-rebind", "%s __builtins__" % verb, node, src)
        if key in _G_PROTECTED and self._dict_of_test(node.value, scope):
            self._flag("patch-self-assert", "replaces TestCase method %s on a test" % key, node, src)
        seg = "[%s]" % key if key is not None else "[?]"
        for v in base:
            if v[0] != "F":
                continue
            if v[1] == ("sys", "modules") and _g_verdict_key(seg):
                self._flag("write-foreign", "%s module %s in sys.modules" % ("replaces" if verb == "assigns into" else "deletes", key), node, src)
            p = _g_norm(v[1] + (seg,))
            if not _g_allowed_write(p):
                self._flag("write-foreign", "%s imported %s" % (verb, _g_dotted(p)), node, src)

    def _check_write(self, target, name, scope, node, src, verb, value=None):
        """A write of attribute name (None: unknown) of the object target."""
        if _g_root_name(target) == "__builtins__":
            self._flag("builtins-rebind", "%s __builtins__" % verb, node, src)
        if name in _G_PROTECTED and self._is_test(target, scope):
            self._flag("patch-self-assert", "replaces TestCase method %s on a test" % name, node, src)
        for v in self._val(target, scope):
            if v[0] != "F":
                continue
            p = _g_norm(_g_extend(v[1], name or "?")[1])
            if not _g_allowed_write(p):
                self._flag("write-foreign", "%s imported %s" % (verb, _g_dotted(p)), node, src)

    def _check_subclasses(self, recv, scope, node, src):
        for v in self._val(recv, scope):
            if v[0] in ("F", "W"):
                what = _g_dotted(v[1]) if v[0] == "F" else "a class reached by walking the class graph"
                self._flag("reflection", "calls __subclasses__ of %s (reaches the harness's classes)"
                           % what, node, src)

    def _check_call(self, node, scope, src, role):
        f = node.func
        if type(f).__name__ == "Attribute" and f.attr not in _G_CHECKED_CALLS:
            fv = ()
        else:
            fv = self._val(f, scope)
        args = node.args
        fpaths = {v[1] for v in fv if v[0] == "F"}
        lit = [_g_const_str(a) for a in args]
        if fpaths & {("builtins", "setattr"), ("builtins", "delattr")} and args:
            name = lit[1] if len(args) > 1 else None
            verb = "setattr on" if ("builtins", "setattr") in fpaths else "delattr on"
            self._check_named_write(args[0], name, args[2] if len(args) > 2 else None, scope, node, src, role, verb)
        if ("builtins", "getattr") in fpaths:
            self._check_reflect_value(self._val(node, scope), node, src)
        if fpaths & {("builtins", "getattr"), ("builtins", "hasattr"), ("operator", "attrgetter")}:
            for j, name in enumerate(lit):
                if name in _G_REFLECT_ATTRS:
                    self._flag("reflection", "accesses .%s (frames, closures or globals of other code)"
                               % name, node, src)
                if name in _G_RAW_ATTRS:
                    self._flag("raw-memory", "accesses .%s (raw memory access)" % name, node, src)
                if name == "__subclasses__" and j == 1:
                    self._check_subclasses(args[0], scope, node, src)
        if fpaths & {("builtins", "__import__"), ("importlib", "import_module"), ("importlib", "__import__")}:
            if lit and lit[0] and lit[0].split(".")[0] in _G_RAW_MODULES:
                self._flag("raw-memory", "imports %s (raw memory access)" % lit[0], node, src)
        if ("builtins", "type") in fpaths and len(args) == 3 and role != "tests":
            d = args[2]
            if type(d).__name__ == "Dict":
                for kk, vv in zip(d.keys, d.values):
                    name = _g_const_str(kk) if kk is not None else None
                    if name in ("__eq__", "__ne__"):
                        self._check_eq_value(name, vv, scope, node, src)
        for p in fpaths:
            if p == ("sys", "modules", "get") and lit and lit[0] and lit[0].split(".")[0] in _G_RAW_MODULES:
                self._flag("raw-memory", "reaches module %s (raw memory access)" % lit[0], node, src)
        if type(f).__name__ != "Attribute":
            return
        if f.attr in ("__setattr__", "__delattr__"):
            verb = "setattr on" if f.attr == "__setattr__" else "delattr on"
            if lit and lit[0] is not None:   # module.__setattr__("x", v)
                self._check_named_write(f.value, lit[0], args[1] if len(args) > 1 else None, scope, node, src, role, verb)
            elif args:                       # object.__setattr__(obj, "x", v)
                self._check_named_write(args[0], lit[1] if len(args) > 1 else None,
                                        args[2] if len(args) > 2 else None, scope, node, src, role, verb)
        elif f.attr in ("__getattribute__", "__getattr__"):
            for name in lit:
                if name in _G_REFLECT_ATTRS:
                    self._flag("reflection", "accesses .%s (frames, closures or globals of other code)"
                               % name, node, src)
        elif f.attr in _G_DICT_MUTATORS:
            self._check_mutator(f, node, scope, src)

    def _check_named_write(self, target, name, value, scope, node, src, role, verb):
        if name in _G_REFLECT_ATTRS or name in _G_REFLECT_STORES:
            self._flag("reflection", "sets .%s (frames, closures or running code)" % name, node, src)
        if name in ("__eq__", "__ne__") and value is not None and role != "tests":
            self._check_eq_value(name, value, scope, node, src)
        self._check_write(target, name, scope, node, src, verb)

    def _check_mutator(self, f, node, scope, src):
        """update/setdefault/pop/... on a namespace dict."""
        recv = f.value
        keys = _g_dict_keys(node)
        if _g_root_name(recv) == "__builtins__":
            self._flag("builtins-rebind", "mutates __builtins__", node, src)
        if _g_is_namespace_call(recv) and "__builtins__" in keys:
            self._flag("builtins-rebind", "writes __builtins__ into the module namespace", node, src)
        if type(recv).__name__ == "Attribute" and recv.attr == "__dict__" and self._is_test(recv.value, scope):
            for kk in keys:
                if kk in _G_PROTECTED:
                    self._flag("patch-self-assert", "replaces TestCase method %s on a test" % kk, node, src)
        for v in self._val(recv, scope):
            if v[0] != "F":
                continue
            p = v[1]
            if p == ("sys", "modules"):
                if f.attr in ("update", "setdefault", "__setitem__"):
                    for kk in keys:
                        if kk and _g_verdict_key("[%s]" % kk):
                            self._flag("write-foreign", "replaces module %s in sys.modules" % kk, node, src)
            elif p[-1] == "__dict__":
                for kk in keys or [None]:
                    q = _g_norm(p + ("[%s]" % kk if kk else "[?]",))
                    if not _g_allowed_write(q):
                        self._flag("write-foreign", "mutates the namespace of imported %s"
                                   % _g_dotted(p[:-1]), node, src)

    def _is_test(self, e, scope, depth=0):
        """Is e a test instance or test class: self/cls of a TestCase method,
        type(self), self.__class__, or an own TestCase class?"""
        k = type(e).__name__
        if k == "Name":
            key = self._lookup(scope, e.id)
            s = scope
            while s is not None and key is not None and id(s) != key[0]:
                s = s.parent
            if s is not None and s.selfname and s.selfname[0] == e.id and id(s.selfname[1]) in self.tc_like:
                return True
            return any(v[0] == "C" and v[1] in self.tc_like for v in self._name_vals(scope, e.id))
        if depth > 5:
            return False
        if k == "Attribute" and e.attr == "__class__":
            return self._is_test(e.value, scope, depth + 1)
        if k == "Call" and len(e.args) == 1 and ("F", ("builtins", "type")) in self._val(e.func, scope):
            return self._is_test(e.args[0], scope, depth + 1)
        return False

    def _dict_of_test(self, e, scope):
        k = type(e).__name__
        if k == "Attribute" and e.attr == "__dict__":
            return self._is_test(e.value, scope)
        if k == "Call" and len(e.args) == 1 and ("F", ("builtins", "vars")) in self._val(e.func, scope):
            return self._is_test(e.args[0], scope)
        return False

    # ----------------------------------------------------------- always-equal

    def _check_class_eq(self, node, scope, src):
        for st in node.body:
            k = type(st).__name__
            if k in ("FunctionDef", "AsyncFunctionDef") and st.name in ("__eq__", "__ne__"):
                if _g_const_returns(st, st.name == "__eq__"):
                    self._flag("always-equal", "class %s defines %s that always returns %s"
                               % (node.name, st.name, st.name == "__eq__"), st, src)
            elif k in ("Assign", "AnnAssign"):
                targets = st.targets if k == "Assign" else [st.target]
                for t in targets:
                    if type(t).__name__ == "Name" and t.id in ("__eq__", "__ne__") and st.value is not None:
                        inner = self.class_scopes.get(id(node), scope)
                        self._check_eq_value(t.id, st.value, inner, st, src, node.name)

    def _check_eq_value(self, name, value, scope, node, src, cls=None):
        want = name == "__eq__"
        fns = []
        if type(value).__name__ == "Lambda":
            fns = [value]
        else:
            for v in self._val(value, scope):
                if v[0] == "D":
                    fns.append(self.defs[v[1]][0])
        for fn in fns:
            if _g_const_returns(fn, want):
                self._flag("always-equal", "%s%s always returns %s"
                           % ("class %s: " % cls if cls else "", name, want), node, src)


def _g_children(node):
    """The child nodes of node that have children or fields themselves
    (expression contexts and operators are left out)."""
    out = []
    for name in node._fields:
        v = getattr(node, name, None)
        if type(v) is list:
            for x in v:
                if isinstance(x, _g_AST) and x._fields:
                    out.append(x)
        elif isinstance(v, _g_AST) and v._fields:
            out.append(v)
    return out


def _g_extend(p, seg):
    return ("F", p + (seg,) if len(p) < _G_PATH_CAP else p)


def _g_norm(p):
    """F.__dict__[k] and vars(F)[k] are F.k."""
    out = []
    for j, s in enumerate(p):
        if s == "__dict__" and j + 1 < len(p) and p[j + 1].startswith("["):
            continue
        if j > 0 and p[j - 1] == "__dict__" and s.startswith("["):
            s = s[1:-1]
        out.append(s)
    return tuple(out)


def _g_const_str(e):
    if e is not None and type(e).__name__ == "Constant" and isinstance(e.value, str):
        return e.value
    return None


def _g_root_name(e):
    while type(e).__name__ in ("Attribute", "Subscript"):
        e = e.value
    return e.id if type(e).__name__ == "Name" else None


def _g_is_namespace_call(e):
    """globals(), vars() with no argument, or locals()."""
    return (type(e).__name__ == "Call" and type(e.func).__name__ == "Name"
            and e.func.id in ("globals", "locals", "vars") and not e.args)


def _g_dict_keys(call):
    """The literal keys a dict-mutating call writes."""
    keys = []
    for a in call.args[:1]:
        s = _g_const_str(a)
        if s is not None:
            keys.append(s)
        elif type(a).__name__ == "Dict":
            keys += [_g_const_str(x) for x in a.keys if x is not None]
    keys += [kw.arg for kw in call.keywords if kw.arg]
    return [x for x in keys if x is not None]


def _g_const_truth(e):
    """The truth value of a constant expression, or None."""
    k = type(e).__name__
    if k == "Constant":
        return bool(e.value)
    if k == "UnaryOp" and type(e.op).__name__ == "Not":
        t = _g_const_truth(e.operand)
        return None if t is None else not t
    if k in ("Tuple", "List", "Set", "Dict", "Compare", "BinOp", "BoolOp"):
        try:
            return bool(_g_literal(e)) if k != "Compare" and k != "BoolOp" else _g_eval_small(e)
        except Exception:
            return None
    return None


def _g_eval_small(e):
    """Truth of a comparison or boolean operation between constants."""
    k = type(e).__name__
    if k == "BoolOp":
        ts = [_g_const_truth(v) for v in e.values]
        if None in ts:
            return None
        return all(ts) if type(e.op).__name__ == "And" else any(ts)
    if len(e.ops) != 1:
        return None
    a, b = e.left, e.comparators[0]
    if type(a).__name__ != "Constant" or type(b).__name__ != "Constant":
        return None
    op = type(e.ops[0]).__name__
    if op in ("Eq", "Is"):
        return a.value == b.value
    if op in ("NotEq", "IsNot"):
        return a.value != b.value
    return None


def _g_const_returns(fn, truthy):
    """Does fn (a def or lambda) return only constants of the given truth?"""
    if type(fn).__name__ == "Lambda":
        return _g_const_truth(fn.body) is truthy
    rets = []
    stack = list(fn.body)
    while stack:
        n = stack.pop()
        k = type(n).__name__
        if k in ("FunctionDef", "AsyncFunctionDef", "ClassDef", "Lambda"):
            continue
        if k == "Return":
            rets.append(n.value)
        stack.extend(_g_children(n))
    if not rets:
        return False
    for r in rets:
        t = False if r is None else _g_const_truth(r)
        if t is not truthy:
            return False
    return True


def _g_parse_or_none(src):
    try:
        return _g_parse(src)
    except Exception:  # SyntaxError, ValueError (NUL bytes), RecursionError, ...
        return None


def _g_report(f, sources, with_role):
    text = sources[f.src][1]
    snippet = ""
    try:
        line = text.splitlines()[f.node.lineno - 1]
        b = line.encode("utf-8", "replace")[f.node.col_offset:]
        snippet = b.decode("utf-8", "replace").strip()
        if len(snippet) > 60:
            snippet = snippet[:60]
    except Exception:
        pass
    role = sources[f.src][2] + " " if with_role else ""
    return "%s: %s%s (%s)" % (f.rule, role, f.reason, snippet)


def _g_run(sources, allow, with_role):
    try:
        a = _GAnalysis(sources, allow)
        f = a.run()
        return _g_report(f, sources, with_role) if f is not None else ""
    except Exception as e:
        if "guard-error" in (allow or ()):
            return ""
        return "guard-error: the analysis failed (%s: %.100s)" % (type(e).__name__, e)


def guard_source(src, role, allow=()):
    """Checks one source; role is "code", "tests" or "dynamic". Returns ""
    or "<rule>: <reason> (<snippet>)"."""
    tree = _g_parse_or_none(src)
    if tree is None:
        return ""
    return _g_run([(tree, src, role)], allow, False)


def guard_job(code, test, allow=()):
    """Checks a job's code and tests as the one namespace they share at run
    time; a finding in the code comes first. Returns "" or "<rule>: code
    <reason> (<snippet>)" (or "tests ...")."""
    sources = []
    ct = _g_parse_or_none(code)
    if ct is None:
        return ""  # the job fails to load whatever its tests do
    sources.append((ct, code, "code"))
    tt = _g_parse_or_none(test)
    if tt is not None:
        sources.append((tt, test, "tests"))
    return _g_run(sources, allow, True)
