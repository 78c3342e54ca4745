# The fork-server loop (last part of the worker source; see worker.py).
RESULT_CAP = 16 << 20
JOBS = [0]


def read_capped(path, limit):
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            data = f.read(limit)
        return data.decode("utf-8", "replace"), size > limit
    except OSError:
        return "", False


def sweep(pid):
    """Kills every process the job left behind and reaps them.

    strict: the worker is init of its PID namespace, so kill(-1) reaches every
    other process in it, double-forked and setsid'd ones included.
    basic: the worker is a child subreaper, so escaped descendants are
    re-parented to it; kill its children until none remain."""
    for _ in range(10000):
        if STRICT:
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for c in children():
                try:
                    os.kill(c, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            while True:
                r, _ = os.waitpid(-1, os.WNOHANG)
                if r == 0:
                    break
        except ChildProcessError:
            return
        time.sleep(0.001)


def children():
    me = str(os.getpid())
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % p) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[1] == me:
            out.append(int(p))
    return out


def run_delay(pid):
    """Seconds the job waited for a CPU while runnable: the longest
    run-queue wait of its threads (/proc/PID/task/*/schedstat). That time
    was taken by the machine (other jobs, an oversubscribed pool), not by
    the job; 0 when it cannot be read."""
    most = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                most = max(most, int(f.read().split()[1]))
    except (OSError, ValueError, IndexError):
        pass
    return most / 1e9


def wait_child(pid, rfd, deadline, max_extra):
    """Reads the child's result pipe until it holds the hello and the
    report, the child exits, or the deadline passes. The deadline moves
    out by the time the job waited for a CPU (run_delay), up to max_extra
    seconds, so that a CPU-bound job on a busy machine is judged by its
    own time. ALARM lines (the audit seal's) are kept apart. Returns
    (lines, alarms, status, timed_out, rest, deadline); status is set only
    when the child exited by itself."""
    base = deadline
    pidfd = os.pidfd_open(pid)
    os.set_blocking(rfd, False)
    poller = select.poll()
    poller.register(rfd, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    buf, lines, alarms = bytearray(), [], []
    status, timed_out, rfd_open = None, False, True

    def split():
        while b"\n" in buf and len(lines) < 2:
            i = buf.index(b"\n")
            line = bytes(buf[:i]).decode("utf-8", "replace")
            del buf[:i + 1]
            if line.startswith("ALARM "):
                alarms.append(line[6:])
            else:
                lines.append(line)

    try:
        while len(lines) < 2:
            left = deadline - time.monotonic()
            if left <= 0:
                deadline = base + min(run_delay(pid), max_extra)
                left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for fd, _ in poller.poll(left * 1000):
                if fd == rfd and rfd_open:
                    rfd_open = drain(rfd, buf)
                    if not rfd_open:
                        poller.unregister(rfd)
                elif fd == pidfd:
                    _, status = os.waitpid(pid, 0)
            split()
            if status is not None:
                drain(rfd, buf)
                split()
                if buf and len(lines) < 2:
                    lines.append(bytes(buf).decode("utf-8", "replace"))
                break
    finally:
        os.close(pidfd)
    return lines, alarms, status, timed_out, buf, deadline


def drain(fd, buf):
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        if len(buf) < RESULT_CAP:
            buf += chunk


def more_lines(rfd, buf):
    """True once the result pipe holds another line (ALARMs aside): a
    second report contradicts the first."""
    drain(rfd, buf)
    return any(line and not line.startswith(b"ALARM ") for line in bytes(buf).split(b"\n")[:-1])


# pidfd_open flag for a pidfd of one thread (Linux 6.9+): readable once that
# thread has exited.
PIDFD_THREAD = os.O_EXCL


class PidfdThreads:
    """Watches the suite and sentinel threads through thread pidfds, which
    cost the kernel nothing when the job is reaped. Raises OSError(EINVAL)
    where the kernel has no thread pidfds."""

    def __init__(self, suite, sentinel):
        self.fds = []
        for tid in (suite, sentinel):
            try:
                self.fds.append(os.pidfd_open(tid, PIDFD_THREAD))
            except ProcessLookupError:
                self.fds.append(None)  # already gone

    def gone(self, i):
        fd = self.fds[i]
        return fd is None or bool(select.select([fd], [], [], 0)[0])

    def wait_suite_gone(self, deadline, rfd, buf):
        poller = select.poll()
        poller.register(rfd, select.POLLIN)
        if self.fds[0] is not None:
            poller.register(self.fds[0], select.POLLIN)
        while not self.gone(0):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            for fd, _ in poller.poll(left * 1000):
                if fd == rfd:
                    eof = not drain(rfd, buf)
                    if more_lines(rfd, buf):
                        return False
                    if eof:
                        poller.unregister(rfd)
        return True

    def close(self):
        for fd in self.fds:
            if fd is not None:
                os.close(fd)


class ProcThreads:
    """The same through /proc/<pid>/task, for kernels before 6.9. Each
    entry looked up here is walked again by the kernel when the job is
    reaped, which cost about a fifth of the pool's jobs/s on short jobs."""

    def __init__(self, pid, suite, sentinel):
        self.pid, self.tids = pid, (suite, sentinel)

    def gone(self, i):
        try:
            with open("/proc/%d/task/%d/stat" % (self.pid, self.tids[i])) as f:
                st = f.read()
            return st[st.rfind(")") + 2:].split()[0] in ("Z", "X")
        except (OSError, IndexError):
            return True

    def wait_suite_gone(self, deadline, rfd, buf):
        delay = 0.00002
        while not self.gone(0):
            if time.monotonic() >= deadline or more_lines(rfd, buf):
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.01)
        return True

    def close(self):
        pass


def suite_finished(pid, hello, report_line, deadline, rfd, buf):
    """The kernel-observed verdict: the suite thread has ended while the
    child lives and has not begun to exit or exec. The claim in the report
    only says whether to look.

    A thread also vanishes when its process exits, so once the suite
    thread is gone the child is stopped (SIGSTOP) and the worker waits for
    the kernel's report that the whole group has stopped (waitid WSTOPPED:
    every thread it has left took part in the stop). A process that has
    begun to exit cannot stop (its threads carry SIGKILL), and a stopped
    one runs no code. Pass needs the sentinel thread alive after that
    (exec ends every other thread)."""
    try:
        suite, sentinel = int(hello["suite_tid"]), int(hello["sentinel_tid"])
        claims_ok = json.loads(report_line).get("ok") is True
    except Exception:
        return False
    if not claims_ok or suite <= 0 or sentinel <= 0:
        return False
    threads = None
    if not CFG.get("proc_thread_watch"):
        try:
            threads = PidfdThreads(suite, sentinel)
        except OSError:
            pass
    if threads is None:
        threads = ProcThreads(pid, suite, sentinel)
    try:
        if threads.gone(1) or not threads.wait_suite_gone(deadline, rfd, buf):
            return False
        try:
            os.kill(pid, signal.SIGSTOP)
        except ProcessLookupError:
            return False
        return group_stopped(pid, deadline) and threads.gone(0) and not threads.gone(1)
    finally:
        threads.close()


def group_stopped(pid, deadline):
    """Waits until the kernel reports pid stopped (True) or exited (False).
    WNOWAIT leaves an exit to be reaped, and its status read, by the
    caller. It sleeps on SIGCHLD (blocked in the worker, so pending until
    taken here), which the kernel sends when the group stop completes: a
    polling sleep left the CPU idle for up to its whole interval after
    each job."""
    while True:
        r = os.waitid(os.P_PID, pid, os.WSTOPPED | os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if r is not None:
            return r.si_code == os.CLD_STOPPED
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        # A SIGCHLD left pending by an earlier child only costs a loop.
        signal.sigtimedwait({signal.SIGCHLD}, min(left, 0.05))


def job_dir(n, uid):
    base = "/work" if STRICT else CFG["work_dir"]
    d = os.path.join(base, "job%d" % n)
    os.mkdir(d, 0o700)
    if os.getuid() == 0:
        os.chown(d, uid, uid)
    return d


def remove_tree(path):
    """Deletes a directory tree however deep a job made it. shutil.rmtree
    recurses once per level and raises RecursionError (not an OSError, so
    ignore_errors does not catch it) on a tree thousands of levels deep;
    GNU rm walks it with directory fds instead."""
    try:
        shutil.rmtree(path, ignore_errors=True)
    except RecursionError:
        subprocess.run(["/bin/rm", "-rf", "--one-file-system", "--", path],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)


def clean_dirs(jobdir):
    remove_tree(jobdir)
    if STRICT:
        for top in ("/tmp", "/dev/shm", "/run"):
            for e in os.listdir(top):
                p = os.path.join(top, e)
                if os.path.isdir(p) and not os.path.islink(p):
                    remove_tree(p)
                else:
                    try:
                        os.unlink(p)
                    except OSError:
                        pass


def importable(names):
    out = {}
    for n in names:
        top = n.split(".")[0]
        try:
            out[n] = top != "" and importlib.util.find_spec(top) is not None
        except BaseException:
            out[n] = False
    return out


def missing_names(report_bytes):
    try:
        rep = json.loads(report_bytes.decode("utf-8", "replace"))
        names = [rep.get("load", {}) or {}] + list(rep.get("tests", []))
        return sorted({str(x.get("missing")) for x in names
                       if isinstance(x, dict) and x.get("missing")})
    except BaseException:
        return []


def handle(req):
    t0 = time.monotonic()
    reply = {"id": req["id"], "report": "", "exit_code": 0, "signal": 0,
             "timed_out": False, "stdout": "", "stderr": "", "suite_done": False, "alarm": ""}
    try:
        style, expected, dynamic = expected_tests(req["test"])
    except Exception as e:  # SyntaxError, NUL bytes, RecursionError, ...
        reply["parse_error"] = "test source does not parse: %s" % e
        return reply
    reply["style"], reply["expected"], reply["dynamic"] = style, expected, dynamic
    if not req.get("guard_off"):
        reason = guard_job(req["code"], req["test"], req.get("guard_allow") or ())
        if reason:
            reply["rejected"] = reason
            reply["duration_ms"] = (time.monotonic() - t0) * 1000
            return reply
    JOBS[0] += 1
    uid = CFG["uid"]
    jobdir = job_dir(JOBS[0], uid)
    outdir = "/run" if STRICT else CFG["out_dir"]
    opath, epath = os.path.join(outdir, "stdout"), os.path.join(outdir, "stderr")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    out_fd, err_fd = os.open(opath, flags, 0o600), os.open(epath, flags, 0o600)
    rfd, wfd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    req["_parent"] = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rfd)
            child_main(req, wfd, out_fd, err_fd, jobdir, uid, style, expected, dynamic)
        finally:
            os._exit(4)
    os.close(wfd)
    os.close(out_fd)
    os.close(err_fd)
    deadline = t0 + req["timeout_ms"] / 1000.0
    lines, alarms, status, timed_out, rest, deadline = wait_child(pid, rfd, deadline, 3 * req["timeout_ms"] / 1000.0)
    hello = None
    if lines:
        try:
            hello = json.loads(lines[0])
        except ValueError:
            hello = None
    report = lines[1] if len(lines) > 1 else ""
    if status is None and hello is not None and not alarms:
        # The stop-and-look check gets a second beyond the job's deadline: a
        # suite that completed just in time is not a timeout.
        reply["suite_done"] = suite_finished(pid, hello, report, deadline + 1.0, rfd, rest)
    if status is None:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    sweep(pid)
    # Whatever else reached the pipe: a later ALARM counts, and a second
    # report line makes the report unreadable (tamper) unless the suite
    # completed.
    os.set_blocking(rfd, False)
    drain(rfd, rest)
    os.close(rfd)
    extra = [l for l in bytes(rest).decode("utf-8", "replace").split("\n") if l.strip()]
    alarms += [l[6:] for l in extra if l.startswith("ALARM ")]
    others = [l for l in extra if not l.startswith("ALARM ")]
    if others and not reply["suite_done"]:
        report = report + "\n" + "\n".join(others)
    if status is not None:
        code = os.waitstatus_to_exitcode(status)
        reply["exit_code"] = code if code >= 0 else 0
        reply["signal"] = -code if code < 0 else 0
    if isinstance(hello, dict) and hello.get("setup_error"):
        reply["setup_error"] = str(hello["setup_error"])
    reply["timed_out"] = timed_out and not reply["suite_done"]
    reply["report"] = report
    reply["alarm"] = "; ".join(alarms)[:4000]
    lim = req["output_limit"]
    reply["stdout"], reply["stdout_truncated"] = read_capped(opath, lim)
    reply["stderr"], reply["stderr_truncated"] = read_capped(epath, lim)
    reply["importable"] = importable(missing_names(report.encode()))
    clean_dirs(jobdir)
    reply["duration_ms"] = (time.monotonic() - t0) * 1000
    return reply


def send(obj):
    data = (json.dumps(obj) + "\n").encode()
    while data:
        n = os.write(4, data)
        data = data[n:]


TRUSTED_CODES = frozenset()
WATCH = ((), (), 0, (), ())


def main():
    global TRUSTED_CODES
    check_sealed(SEALED)
    TRUSTED_CODES = harness_codes(globals())
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if CFG.get("small_pages"):
        # Benchmarks of what huge pages save: none at all, also where the
        # kernel gives them unasked ("always"). Children inherit it.
        _check(LIBC.prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0), "thp_disable")
    # Blocked, SIGCHLD stays pending instead of being ignored, so that
    # group_stopped can sleep until a child changes state.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    if STRICT:
        ok, failed = preload()
        # /tmp of the private mount namespace: shadowing it there leaves the
        # host's /tmp untouched.
        build_root("/tmp")
    else:
        _check(LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "subreaper")
        probe_seccomp()
        ok, failed = preload()
    # Assertion helpers of preloaded libraries are part of the verdict
    # machinery: load them now so that their pristine state is known.
    for parent, helper in (("numpy", "numpy.testing"), ("pandas", "pandas.testing")):
        if parent in sys.modules:
            try:
                __import__(helper)
            except BaseException:
                pass
    harden_assert_equal()
    unittest.IsolatedAsyncioTestCase  # unittest sets this global on first use
    freeze_machinery()
    job_thread_is_main()
    global WATCH
    WATCH = watch_machinery()
    # Move everything preloaded out of the GC's generations so the forked
    # children's collections do not touch (and copy) the parent's pages.
    import gc
    gc.collect()
    gc.freeze()
    huge = collapse_heap(CFG.get("huge_page_bytes") or 0)
    send({"ready": True, "pid": os.getpid(), "preloaded": ok, "preload_failed": failed,
          "seccomp": SECCOMP["enabled"], "huge_page_bytes": huge})
    reqs = os.fdopen(3, "rb")
    for line in reqs:
        try:
            req = json.loads(line)
        except ValueError as e:
            send({"protocol_error": "bad request: %s" % e})
            return
        send(handle(req))


main()
