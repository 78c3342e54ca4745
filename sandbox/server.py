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


def wait_child(pid, rfd, deadline):
    """Reads the child's report until it exits or the deadline passes."""
    pidfd = os.pidfd_open(pid)
    os.set_blocking(rfd, False)
    poller = select.poll()
    poller.register(rfd, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    buf, status, timed_out, rfd_open = bytearray(), None, False, True
    try:
        while True:
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
            if status is not None:
                drain(rfd, buf)
                break
    finally:
        os.close(pidfd)
    return buf, status, timed_out


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
             "timed_out": False, "stdout": "", "stderr": ""}
    try:
        style, expected = expected_tests(req["test"])
    except Exception as e:  # SyntaxError, NUL bytes, RecursionError, ...
        reply["parse_error"] = "test source does not parse: %s" % e
        return reply
    reply["style"], reply["expected"] = style, expected
    JOBS[0] += 1
    uid = CFG["uid"]
    jobdir = job_dir(JOBS[0], uid)
    outdir = "/run" if STRICT else CFG["out_dir"]
    opath, epath = os.path.join(outdir, "stdout"), os.path.join(outdir, "stderr")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    out_fd, err_fd = os.open(opath, flags, 0o600), os.open(epath, flags, 0o600)
    rfd, wfd = os.pipe()
    nonce = os.urandom(16).hex()
    sys.stdout.flush()
    sys.stderr.flush()
    req["_parent"] = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rfd)
            child_main(req, wfd, out_fd, err_fd, jobdir, uid, nonce, style, expected)
        finally:
            os._exit(4)
    os.close(wfd)
    os.close(out_fd)
    os.close(err_fd)
    deadline = t0 + req["timeout_ms"] / 1000.0
    buf, status, timed_out = wait_child(pid, rfd, deadline)
    sweep(pid)
    os.close(rfd)
    if status is not None:
        code = os.waitstatus_to_exitcode(status)
        reply["exit_code"] = code if code >= 0 else 0
        reply["signal"] = -code if code < 0 else 0
    reply["timed_out"] = timed_out
    reply["report"] = buf.decode("utf-8", "replace")
    reply["nonce"] = nonce
    lim = req["output_limit"]
    reply["stdout"], reply["stdout_truncated"] = read_capped(opath, lim)
    reply["stderr"], reply["stderr_truncated"] = read_capped(epath, lim)
    reply["importable"] = importable(missing_names(buf))
    clean_dirs(jobdir)
    reply["duration_ms"] = (time.monotonic() - t0) * 1000
    return reply


def send(obj):
    data = (json.dumps(obj) + "\n").encode()
    while data:
        n = os.write(4, data)
        data = data[n:]


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if STRICT:
        ok, failed = preload()
        # /tmp of the private mount namespace: shadowing it there leaves the
        # host's /tmp untouched.
        build_root("/tmp")
    else:
        _check(LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "subreaper")
        probe_seccomp()
        ok, failed = preload()
    # Move everything preloaded out of the GC's generations so the forked
    # children's collections do not touch (and copy) the parent's pages.
    import gc
    gc.collect()
    gc.freeze()
    send({"ready": True, "pid": os.getpid(), "preloaded": ok, "preload_failed": failed,
          "seccomp": SECCOMP["enabled"]})
    reqs = os.fdopen(3, "rb")
    for line in reqs:
        try:
            req = json.loads(line)
        except ValueError as e:
            send({"protocol_error": "bad request: %s" % e})
            return
        send(handle(req))


main()
