package sandbox

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// freshPrelude starts every syscall probe. The probes run in a fresh
// interpreter the job spawns: it inherits the job's seccomp filter but none
// of the in-job defences (audit hook, static guard), which is the path a
// real attacker takes. The syscall numbers are this test's own, not the
// filter's table. Each probe prints one line per call: "ok" or "errno N".
const freshPrelude = `import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
NAMES = ["keyctl", "add_key", "request_key", "unshare", "clone", "clone3", "setns",
         "ptrace", "bpf", "perf_event_open", "mount", "process_vm_writev", "userfaultfd"]
NR = dict(zip(NAMES, {
    "x86_64": [250, 248, 249, 272, 56, 435, 308, 101, 321, 298, 165, 311, 323],
    "aarch64": [219, 217, 218, 97, 220, 435, 268, 117, 280, 241, 40, 271, 282],
}[os.uname().machine]))
def raw(nr, *args):
    ctypes.set_errno(0)
    args = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    r = libc.syscall(ctypes.c_long(NR.get(nr, nr)), *args)
    return r, ctypes.get_errno()
def show(r, e):
    print("ok" if r >= 0 else "errno %d" % e)
def sc(nr, *args):
    r, e = raw(nr, *args)
    show(r, e)
    return r
`

// freshCode is the job code: fresh(prog) runs freshPrelude+prog in a new
// interpreter and returns its stdout and stderr.
var freshCode = fmt.Sprintf(`import subprocess, sys
PRELUDE = %q
def fresh(prog):
    p = subprocess.run([sys.executable, "-c", PRELUDE + prog], capture_output=True, text=True, timeout=30)
    return p.stdout.strip(), p.stderr[-300:]
`, freshPrelude)

// sysAttack runs prog in a fresh interpreter and wants its output to be
// want. A call the filter denies fails before the kernel looks at its
// arguments, so where a well-formed call would fail with EPERM for the
// unprivileged job uid anyway, prog passes arguments the kernel rejects
// with another errno (a bad fd or pointer, an unknown command): only the
// filter makes those EPERM.
func sysAttack(name, prog, want string) attack {
	return attack{name: name, code: freshCode, timeout: 30 * time.Second, want: []Status{StatusPass},
		test: tc(fmt.Sprintf("out, err = fresh(%q)\nself.assertEqual(out, %q, 'printed %%r, stderr %%r' %% (out, err))", prog, want))}
}

// TestSeccompDenied: syscalls a test never needs fail with EPERM (clone3
// with ENOSYS) in the job and in every process it starts, and the worker
// stays usable.
func TestSeccompDenied(t *testing.T) {
	attacks := []attack{
		// A key planted in the uid's user keyring (KEY_SPEC_USER_KEYRING,
		// -4) would outlive the job; the next job runs as the same uid. The
		// timeout only cleans up when the filter is missing.
		sysAttack("keyring-plant", `r = sc("add_key", b"user", b"unitcoder-planted", b"secret", 6, -4)
if r > 0:
    raw("keyctl", 15, r, 60)  # KEYCTL_SET_TIMEOUT
`, "errno 1"),
		sysAttack("keyring-read", `sc("keyctl", 10, -4, b"user", b"unitcoder-planted", 0)  # KEYCTL_SEARCH
sc("request_key", b"user", b"unitcoder-planted", None, 0)
sc("keyctl", 0, -4, 0)  # KEYCTL_GET_KEYRING_ID
`, "errno 1\nerrno 1\nerrno 1"),
		sysAttack("unshare-newuser", `sc("unshare", 0x10000000)`, "errno 1"),
		// Every CLONE_NEW* flag is denied; the invalid flag 0x1 makes the
		// kernel answer EINVAL without the filter. Other flags stay allowed.
		sysAttack("unshare-other-ns", `sc("unshare", 0x00020000 | 1)  # CLONE_NEWNS
sc("unshare", 0x80 | 1)  # CLONE_NEWTIME
sc("unshare", 0x400)  # CLONE_FILES
`, "errno 1\nerrno 1\nok"),
		sysAttack("clone-newuser", `r, e = raw("clone", 0x10000000 | 17, 0, 0, 0, 0)  # CLONE_NEWUSER|SIGCHLD
if r == 0:
    os._exit(0)
if r > 0:
    os.waitpid(r, 0)
show(r, e)
`, "errno 1"),
		// glibc falls back to clone on ENOSYS; EPERM would break threads.
		sysAttack("clone3-enosys", `sc("clone3", 0, 0)`, "errno 38"),
		sysAttack("setns", `sc("setns", os.open("/dev/null", os.O_RDONLY), 0)`, "errno 1"),
		sysAttack("ptrace-traceme", `sc("ptrace", 0, 0, 0, 0)`, "errno 1"),
		sysAttack("bpf", `sc("bpf", 9999, 0, 0)`, "errno 1"),
		sysAttack("perf_event_open", `sc("perf_event_open", 0, 0, -1, -1, 0)`, "errno 1"),
		sysAttack("mount", `sc("mount", 1, 1, 1, 0, 0)`, "errno 1"),
		// Writes into its own memory, which the kernel would allow.
		sysAttack("process_vm_writev", `class Iov(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
src, dst = ctypes.create_string_buffer(b"pwned"), ctypes.create_string_buffer(5)
local, remote = Iov(ctypes.addressof(src), 5), Iov(ctypes.addressof(dst), 5)
sc("process_vm_writev", os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
`, "errno 1"),
		sysAttack("userfaultfd", `sc("userfaultfd", 1)  # UFFD_USER_MODE_ONLY`, "errno 1"),
	}
	if runtime.GOARCH == "amd64" {
		attacks = append(attacks, sysAttack("x32-abi", `sc(0x40000000 | 39)  # x32 getpid`, "errno 1"))
	}
	runAttacks(t, attacks, Config{Guard: GuardConfig{Disabled: true}})
}

// TestSeccompAllowed: ordinary programs still work under the filter.
func TestSeccompAllowed(t *testing.T) {
	ok := func(name, code, test string) attack {
		return attack{name: name, code: code, test: tc(test), timeout: 30 * time.Second, want: []Status{StatusPass}}
	}
	runAttacks(t, []attack{
		ok("filter-installed", "x = 1\n", `with open("/proc/self/status") as f:
    st = f.read()
self.assertIn("Seccomp:\t2\n", st)
self.assertIn("NoNewPrivs:\t1\n", st)`),
		// The first four tasks meet at a barrier, so at least four threads
		// run at once. (Many more blocked threads at once would hit
		// RLIMIT_AS, filter or not: glibc reserves 64 MiB per malloc arena.)
		ok("thread-pool-100", `import threading
from concurrent.futures import ThreadPoolExecutor
def squares(n):
    b = threading.Barrier(4, timeout=20)
    def task(i):
        if i < 4:
            b.wait()
        return i * i
    with ThreadPoolExecutor(max_workers=n) as ex:
        return list(ex.map(task, range(n)))
`, `self.assertEqual(squares(100), [i * i for i in range(100)])`),
		ok("subprocess-echo", "import subprocess\n",
			`self.assertEqual(subprocess.run(["/bin/echo", "hi"], capture_output=True, check=True).stdout, b"hi\n")`),
		ok("multiprocessing-fork", "import multiprocessing\n", `with multiprocessing.get_context("fork").Pool(4) as p:
    self.assertEqual(p.map(abs, [-1, -2, 3, -4]), [1, 2, 3, 4])`),
		ok("fork-waitpid", "import os\n", `pid = os.fork()
if pid == 0:
    os._exit(7)
self.assertEqual(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), 7)`),
		ok("loopback-socket", "import socket\n", `with socket.create_server(("127.0.0.1", 0)) as srv:
    with socket.create_connection(srv.getsockname(), timeout=5) as c:
        conn, _ = srv.accept()
        with conn:
            c.sendall(b"ping")
            self.assertEqual(conn.recv(4), b"ping")`),
	}, Config{Guard: GuardConfig{Disabled: true}})
}
