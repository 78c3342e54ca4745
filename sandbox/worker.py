# unitcoder sandbox worker: a warm fork server. Go starts it as
#   /usr/bin/python3 -I -c <this file> <config json>
# with fd 3 = request pipe (one JSON line per job) and fd 4 = reply pipe (one
# JSON line per job). The worker itself is trusted: it never runs job code.
# Each job runs in a forked child that drops privileges, applies rlimits and
# reports on a private pipe opened here before the fork.
import ast
import shutil
import ctypes
import errno
import importlib.util
import json
import os
import platform
import resource
import select
import signal
import subprocess
import sys
import time
import traceback
import types
import unittest

CFG = json.loads(sys.argv[1])
STRICT = CFG["isolation"] == "strict"
LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWIPC = 0x08000000

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER, PR_SET_PDEATHSIG = 38, 36, 1
PR_SET_DUMPABLE = 4
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine(), 155)
# /etc entries that libraries read at run time; everything else (shadow,
# credentials, machine config) stays outside the sandbox.
ETC_KEEP = ["alternatives", "ssl", "ca-certificates", "passwd", "group",
            "hosts", "localtime", "timezone", "matplotlibrc", "mime.types",
            "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
            "python3", "python3.11", "fonts", "os-release", "debian_version",
            "protocols", "services", "xml", "sgml", "ImageMagick-6"]
DEVICES = ["null", "zero", "full", "random", "urandom"]


def _check(rc, what):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))


def mount(src, dst, fstype, flags, data=None):
    enc = lambda s: s.encode() if s is not None else None
    _check(LIBC.mount(enc(src), enc(dst), enc(fstype), ctypes.c_ulong(flags),
                      enc(data)), "mount %s on %s" % (src, dst))


def bind_ro(src, dst):
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
    else:
        open(dst, "a").close()
    mount(src, dst, None, MS_BIND | MS_REC)
    mount(None, dst, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID)


def mirror(src, dst):
    """Copy a symlink as a symlink (merged-/usr: /bin -> usr/bin), else bind."""
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
    elif os.path.exists(src):
        bind_ro(src, dst)


def build_root(root):
    """Private root: read-only system dirs, private tmpfs work dirs, pivot."""
    mb = CFG["disk_mb"]
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0755")
    for d in ["usr", "bin", "sbin", "lib", "lib64", "lib32", "libx32"]:
        mirror("/" + d, os.path.join(root, d))
    os.mkdir(os.path.join(root, "etc"))
    for e in ETC_KEEP:
        mirror("/etc/" + e, os.path.join(root, "etc", e))
    dev = os.path.join(root, "dev")
    os.mkdir(dev)
    mount("tmpfs", dev, "tmpfs", MS_NOSUID, "size=64k,mode=0755")
    for d in DEVICES:
        open(os.path.join(dev, d), "a").close()
        mount("/dev/" + d, os.path.join(dev, d), None, MS_BIND)
    for name, target in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")]:
        os.symlink(target, os.path.join(dev, name))
    tmpfs = [("dev/shm", "1777", mb), ("tmp", "1777", mb), ("work", "0755", mb),
             ("run", "0700", 2 * mb + 8)]
    for d, mode, size in tmpfs:
        p = os.path.join(root, d)
        os.makedirs(p, exist_ok=True)
        mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, "size=%dm,mode=%s" % (size, mode))
    os.mkdir(os.path.join(root, "proc"))
    mount("proc", os.path.join(root, "proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    old = os.path.join(root, ".old")
    os.mkdir(old)
    _check(LIBC.syscall(SYS_PIVOT_ROOT, root.encode(), old.encode()), "pivot_root")
    os.chdir("/")
    _check(LIBC.umount2(b"/.old", MNT_DETACH), "umount old root")
    os.rmdir("/.old")
    mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    LIBC.sethostname(b"sandbox", 7)
    loopback_up()


def loopback_up():
    """Brings up the network namespace's own loopback, so a job can serve
    and connect on 127.0.0.1 within itself; no interface reaches outside
    the namespace, the host's loopback included."""
    import fcntl
    import socket
    import struct
    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sh", b"lo", 0)))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


def preload():
    os.environ.setdefault("MPLBACKEND", "Agg")
    ok, failed = [], {}
    for m in CFG["preload"]:
        try:
            __import__(m)
            ok.append(m)
        except BaseException as e:  # a broken library must not stop the worker
            failed[m] = "%s: %s" % (type(e).__name__, e)
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("Agg")
    warm_up()
    return ok, failed


def warm_up():
    """Exercises the preloaded libraries once so that their lazy imports and
    caches (pandas' groupby/IO/datetime internals, matplotlib's font lookup
    and Agg renderer) live in the parent and every forked job inherits them
    instead of rebuilding them."""
    try:
        if "pandas" in sys.modules:
            import io
            pd = sys.modules["pandas"]
            df = pd.DataFrame({"k": ["a", "b", "a"], "v": [1.0, 2.0, None], "d": ["2024-01-01"] * 3})
            df["d"] = pd.to_datetime(df["d"])
            df.groupby("k")["v"].mean()
            df.pivot_table(index="k", values="v", aggfunc="sum")
            df.fillna(0).describe()
            df["v"].rolling(2).mean()
            pd.read_csv(io.StringIO(df.to_csv(index=False)))
            pd.merge(df, df, on="k")
            pd.get_dummies(df["k"])
            repr(df)
        if "matplotlib.pyplot" in sys.modules:
            import io
            plt = sys.modules["matplotlib.pyplot"]
            fig, ax = plt.subplots()
            ax.plot([1, 2], [3, 4], label="x")
            ax.bar(["a"], [1])
            ax.hist([1, 2, 2])
            ax.scatter([1], [2])
            ax.set_title("t")
            ax.set_xlabel("x")
            ax.legend()
            fig.savefig(io.BytesIO(), format="png")
            plt.close("all")
    except BaseException as e:  # warm-up is an optimisation only
        sys.stderr.write("warm-up failed: %r\n" % (e,))


MADV_COLLAPSE = 25


PR_SET_THP_DISABLE = 41


def collapse_heap(huge):
    """Moves the preloaded heap onto transparent huge pages of huge bytes
    (MADV_COLLAPSE, Linux 6.1+; huge 0: no move) and returns how many bytes
    of the worker are on huge pages afterwards (AnonHugePages), as the
    kernel counts them.

    Every job is a fork, and the kernel copies the page table entries of
    the parent's written memory at fork and tears the child's down at exit:
    most of a trivial job's worker time. A huge page is one entry instead
    of 512. A child that writes into one gets only the 4 KiB it touched
    copied (the kernel splits its mapping first). The regions are not
    marked MADV_HUGEPAGE, so where the kernel gives huge pages only when
    asked ("madvise"), a child's new memory stays on small pages. The
    worker's own writes while a child lives split its mappings too, so the
    part it keeps touching drifts back to small pages; the rest stays.
    Only whole aligned huge pages inside writable private anonymous
    regions qualify. A range with any page written is filled up to a whole
    huge page (with the default preload the worker's Pss grew 2 MB, to
    183 MB, for 62 MB on huge pages); ranges never written, small regions
    and their unaligned ends stay as they were, and so does everything on
    a kernel that refuses."""
    if huge > 0:
        try:
            madvise = LIBC.madvise
            madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
            with open("/proc/self/maps") as f:
                maps = f.read().splitlines()
            for line in maps:
                fields = line.split()
                path = fields[5] if len(fields) > 5 else ""
                if "w" not in fields[1] or "p" not in fields[1] or (path and path != "[heap]"):
                    continue
                lo, hi = (int(x, 16) for x in fields[0].split("-"))
                start, end = (lo + huge - 1) & ~(huge - 1), hi & ~(huge - 1)
                if end > start:
                    madvise(start, end - start, MADV_COLLAPSE)
        except (OSError, ValueError, IndexError) as e:  # an optimisation only
            sys.stderr.write("huge pages: %r\n" % (e,))
    try:
        with open("/proc/self/smaps_rollup") as f:
            for line in f:
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


# ---------------------------------------------------------------- test pre-pass

def expected_tests(src):
    """Trusted pre-pass: the TestCase tests the run must agree with.

    Returns (style, names, dynamic). style is "unittest" when the source
    defines TestCase subclasses, else "script". names are "Class.test"
    for every test the source spells out: methods (inherited ones from
    classes of the same source included, like unittest's loader), class
    attributes bound to a lambda, keys of a literal type() namespace and
    setattr calls with a literal name. dynamic lists the classes that may
    gain more tests at run time (setattr with a computed name, a class
    attribute bound to a call, a type() namespace that is not a literal).
    Classes count wherever the module binds them: at top level or inside
    if/try/with blocks, under any import alias of TestCase."""
    tree = ast.parse(src)
    classes, made = {}, {}  # name -> ClassDef; name -> (bases, namespace) from type()
    tc_names = {"TestCase", "IsolatedAsyncioTestCase"}
    extra, dynamic = {}, set()
    tc_mods = ("unittest", "unittest.case", "unittest.async_case")

    def module_level(body):
        for node in body:
            yield node
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and not isinstance(node, (ast.ClassDef, ast.FunctionDef,
                                                                     ast.AsyncFunctionDef)):
                    yield from module_level(inner)

    for node in module_level(tree.body):
        if isinstance(node, ast.ClassDef):
            classes[node.name] = node
        elif isinstance(node, ast.ImportFrom) and node.module in tc_mods:
            for a in node.names:
                if a.name in ("TestCase", "IsolatedAsyncioTestCase"):
                    tc_names.add(a.asname or a.name)
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
              and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
              and node.value.func.id == "type" and len(node.value.args) == 3):
            made[node.targets[0].id] = (node.value.args[1], node.value.args[2])
        elif (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Name) and node.value.func.id == "setattr"
              and len(node.value.args) >= 2 and isinstance(node.value.args[0], ast.Name)):
            target, key = node.value.args[0].id, node.value.args[1]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                if key.value.startswith("test"):
                    extra.setdefault(target, set()).add(key.value)
            else:
                dynamic.add(target)
    # setattr inside loops or functions: the class may gain tests.
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Name)
                and not (isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str))):
            dynamic.add(node.args[0].id)

    def base_names(exprs):
        out = []
        for b in exprs:
            if isinstance(b, ast.Name):
                out.append("TestCase" if b.id in tc_names else b.id)
            elif isinstance(b, ast.Attribute):
                out.append(b.attr)
        return out

    def bases(name):
        if name in classes:
            return base_names(classes[name].bases)
        b = made[name][0]
        return base_names(b.elts) if isinstance(b, (ast.Tuple, ast.List)) else []

    def is_tc(name, depth=0):
        if depth > 50:
            return False
        for b in bases(name):
            if b in ("TestCase", "IsolatedAsyncioTestCase"):
                return True
            if (b in classes or b in made) and b != name and is_tc(b, depth + 1):
                return True
        return False

    def own(name):
        names = set(extra.get(name, ()))
        if name in made:
            ns = made[name][1]
            if isinstance(ns, ast.Dict) and all(isinstance(k, ast.Constant) for k in ns.keys):
                names |= {k.value for k in ns.keys if isinstance(k.value, str) and k.value.startswith("test")}
            else:
                dynamic.add(name)
            return names
        for n in classes[name].body:
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test"):
                names.add(n.name)
            elif isinstance(n, (ast.Assign, ast.AnnAssign)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id.startswith("test"):
                        if isinstance(n.value, ast.Lambda):
                            names.add(t.id)
                        elif isinstance(n.value, (ast.Call, ast.Name, ast.Attribute, ast.Subscript)):
                            dynamic.add(name)  # may or may not be callable
            elif isinstance(n, (ast.For, ast.While, ast.If, ast.With, ast.Try)) or (
                    isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)):
                dynamic.add(name)  # a class body that computes its members
        return names

    def methods(name, depth=0):
        names = set()
        if depth > 50:
            return names
        for b in bases(name):
            if (b in classes or b in made) and b != name:
                names |= methods(b, depth + 1)
                if b in dynamic:
                    dynamic.add(name)
        return names | own(name)

    tcs = [n for n in list(classes) + list(made) if is_tc(n)]
    if not tcs:
        return "script", ["script"], []
    names = []
    for c in tcs:
        names += ["%s.%s" % (c, m) for m in sorted(methods(c))]
    return "unittest", names, sorted(dynamic)


# ------------------------------------------------------------------ the child

def child_main(req, wfd, out_fd, err_fd, jobdir, uid, style, expected, dynamic):
    """Runs in the forked child. Never returns."""
    _exit = os._exit
    try:
        # The worker blocks SIGCHLD to wait for it (group_stopped); the
        # job gets the default mask.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        os.setsid()
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        high = 1000
        os.dup2(wfd, high)
        os.closerange(3, high)
        os.closerange(high + 1, 65536)
        wfd = high
        os.set_inheritable(wfd, False)
        os.chdir(jobdir)
        if STRICT:
            # A System V IPC namespace of the job's own: queues, semaphores
            # and shared memory it makes die with it instead of reaching
            # the next job on this worker.
            _check(LIBC.unshare(CLONE_NEWIPC), "unshare(CLONE_NEWIPC)")
        req["_nonroot"] = os.getuid() != 0
        if os.getuid() == 0:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        _check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        # Die with the worker even if it is killed from outside mid-job (set
        # after setuid, which clears it).
        _check(LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "pdeathsig")
        # Not dumpable: a process the job starts (same uid in basic mode)
        # cannot open the job's /proc/<pid>/mem or ptrace it.
        _check(LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "dumpable")
        install_seccomp()
        if os.getppid() != req["_parent"]:
            _exit(5)
        set_env(jobdir)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    except BaseException as e:
        os.write(wfd, (json.dumps({"hello": False, "setup_error": repr(e)}) + "\n").encode())
        _exit(3)
    run_harness(req, wfd, jobdir, style, expected, dynamic)
    _exit(0)


def set_limits(req):
    page = os.sysconf("SC_PAGE_SIZE")
    with open("/proc/self/statm") as f:
        vm = int(f.read().split()[0]) * page
    mem = vm + req["memory_mb"] * (1 << 20)
    cpu = int(req["timeout_ms"] / 1000) + 2
    disk = CFG["disk_mb"] * (1 << 20)
    # RLIMIT_NPROC counts threads too: 256 lets a job run a pool of 100
    # threads while a fork bomb still stops at the limit.
    nproc = 256
    if req.get("_nonroot") and not STRICT:
        # RLIMIT_NPROC counts every process of the uid; allow 256 more.
        nproc += sum(1 for p in os.listdir("/proc") if p.isdigit())
    for lim, val in [(resource.RLIMIT_AS, mem), (resource.RLIMIT_CPU, cpu),
                     (resource.RLIMIT_NPROC, nproc), (resource.RLIMIT_FSIZE, disk),
                     (resource.RLIMIT_NOFILE, 256), (resource.RLIMIT_CORE, 0)]:
        hard = val + 1 if lim == resource.RLIMIT_CPU else val
        resource.setrlimit(lim, (val, hard))


def set_env(jobdir):
    hash_seed = os.environ.get("PYTHONHASHSEED", "0")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": jobdir, "TMPDIR": jobdir,
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": jobdir, "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": hash_seed,
           # The job uid has no passwd entry: getpass.getuser() reads these.
           "USER": "unitcoder", "LOGNAME": "unitcoder"}
    os.environ.clear()
    os.environ.update(env)


# The harness proper lives in harness.py (appended to this source by Go), so
# that it can be read and reviewed on its own.
