# seccomp-BPF filter for job children (part of the worker source, appended
# right after worker.py). Syscalls a test never needs fail with EPERM;
# Docker's default profile is the anchor. The filter is inherited by every
# process the job starts, so a fresh interpreter the job spawns cannot shed it.
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO, SECCOMP_RET_ALLOW = 0x80000000, 0x00050000, 0x7fff0000
# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
# (little-endian on both arches, so args[0]'s low word is at 16).
SD_NR, SD_ARCH, SD_ARG0_LO = 0, 4, 16
# arch: (AUDIT_ARCH_*, column in DENIED)
ARCHES = {"x86_64": (0xc000003e, 0), "aarch64": (0xc00000b7, 1)}
X32_SYSCALL_BIT = 0x40000000
# CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET; unshare also
# takes CLONE_NEWTIME (0x80), which in clone's flags is the exit signal.
CLONE_NEW_ANY = 0x7E020000
CLONE_NEWTIME = 0x80

# Denied with EPERM. name: (x86_64, aarch64); None where the arch lacks it.
DENIED = {
    # Keyrings are per uid and outlive processes: a key one job plants
    # would be readable by the next job running as the same uid.
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "setns": (308, 268),
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "bpf": (321, 280), "perf_event_open": (298, 241), "userfaultfd": (323, 282),
    "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41),
    "move_mount": (429, 429), "open_tree": (428, 428), "fsopen": (430, 430),
    "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433),
    "mount_setattr": (442, 442),
    "kexec_load": (246, 104), "kexec_file_load": (320, 294), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "reboot": (169, 142),
    "swapon": (167, 224), "swapoff": (168, 225), "acct": (163, 89),
    "quotactl": (179, 60), "lookup_dcookie": (212, 18),
}
# Allowed unless arg0 asks for a new namespace.
CLONE, UNSHARE = (56, 220), (272, 97)
# ENOSYS, not EPERM, so glibc falls back to clone (whose flags the filter
# can read; clone3's are behind a pointer), as under Docker.
CLONE3 = (435, 435)


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte),
                ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def _ld(off):
    return (0x20, 0, 0, off)  # BPF_LD|BPF_W|BPF_ABS


def _jeq(k, jt, jf=0):
    return (0x15, jt, jf, k)  # BPF_JMP|BPF_JEQ|BPF_K


def _jge(k, jt, jf=0):
    return (0x35, jt, jf, k)  # BPF_JMP|BPF_JGE|BPF_K


def _jset(k, jt, jf=0):
    return (0x45, jt, jf, k)  # BPF_JMP|BPF_JSET|BPF_K


def _ret(k):
    return (0x06, 0, 0, k)  # BPF_RET|BPF_K


def build_filter(machine):
    """The filter as (code, jt, jf, k) tuples, or None on an unsupported
    arch. Jump targets are labels (strings in the list), resolved here."""
    if machine not in ARCHES:
        return None
    audit, col = ARCHES[machine]
    prog = [_ld(SD_ARCH), _jeq(audit, 0, "kill"), _ld(SD_NR)]
    if machine == "x86_64":
        prog.append(_jge(X32_SYSCALL_BIT, "eperm"))
    prog += [_jeq(nrs[col], "eperm") for nrs in DENIED.values() if nrs[col] is not None]
    prog += [_jeq(CLONE3[col], "enosys"), _jeq(CLONE[col], "clone"),
             _jeq(UNSHARE[col], "unshare"), _ret(SECCOMP_RET_ALLOW),
             "clone", _ld(SD_ARG0_LO), _jset(CLONE_NEW_ANY, "eperm"), _ret(SECCOMP_RET_ALLOW),
             "unshare", _ld(SD_ARG0_LO), _jset(CLONE_NEW_ANY | CLONE_NEWTIME, "eperm"),
             _ret(SECCOMP_RET_ALLOW),
             "kill", _ret(SECCOMP_RET_KILL_PROCESS),
             "eperm", _ret(SECCOMP_RET_ERRNO | errno.EPERM),
             "enosys", _ret(SECCOMP_RET_ERRNO | errno.ENOSYS)]
    labels, out = {}, []
    for x in prog:
        if isinstance(x, str):
            labels[x] = len(out)
        else:
            out.append(x)
    res = []
    for i, (code, jt, jf, k) in enumerate(out):
        jt, jf = [labels[j] - i - 1 if isinstance(j, str) else j for j in (jt, jf)]
        assert 0 <= jt < 256 and 0 <= jf < 256, "BPF jump out of range"
        res.append((code, jt, jf, k))
    return res


# Built once in the worker, so that a job child only makes the prctl call
# (building the ctypes struct in every child costs it about 0.5 ms more).
_PROG = build_filter(platform.machine())
_FPROG = SockFprog(len(_PROG), (SockFilter * len(_PROG))(*_PROG)) if _PROG else None
# "enabled" is False only in basic mode when the start-up probe found that
# the kernel (or the container) refuses filters.
SECCOMP = {"enabled": True}


def _load_filter():
    if _FPROG is None:
        raise OSError(errno.ENOSYS, "seccomp: no filter for arch %s" % platform.machine())
    _check(LIBC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(_FPROG), 0, 0), "seccomp")


def install_seccomp():
    """Installs the filter on the calling (single-threaded) job child; needs
    no_new_privs set. Strict: a failure raises (a setup error, never a job
    run without the filter). Basic: skipped where the start-up probe failed,
    since basic exists for containers that refuse kernel features."""
    if STRICT or SECCOMP["enabled"]:
        _load_filter()


def probe_seccomp():
    """Basic mode, at worker start: whether a forked child can install the
    filter here. The result goes into the worker's hello (and Go's log)."""
    pid = os.fork()
    if pid == 0:
        try:
            _check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
            _load_filter()
            os._exit(0)
        except BaseException:
            os._exit(1)
    SECCOMP["enabled"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
