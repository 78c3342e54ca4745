package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// helperEnv marks a re-executed test binary running as an unprivileged user.
const helperEnv = "UNITCODER_SANDBOX_NONROOT_HELPER"

// dockerCapabilities is Docker's default capability set for a container
// that is not privileged (the Flink DOCKER environment's SDK containers,
// and any plain `docker run`): CAP_SYS_ADMIN, which namespaces and
// pivot_root need, is not in it.
const dockerCapabilities = "-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write"

// TestNonRoot re-runs TestNonRootHelper where the kernel refuses
// namespaces: as uid 65534, and as root holding only Docker's default
// capabilities (through util-linux's setpriv). In both, strict must fail
// fast with ErrStrictUnavailable and basic must still work.
func TestNonRoot(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("inside the helper")
	}
	if os.Getuid() != 0 {
		t.Skip("needs root to switch to an unprivileged uid")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Dir(dir), 0o755) // t.TempDir parents are 0700
	bin := filepath.Join(dir, "sandbox.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o777)
	os.Chmod(tmp, 0o777)
	helper := []string{bin, "-test.run=^TestNonRootHelper$", "-test.count=1", "-test.v"}
	t.Run("uid 65534", func(t *testing.T) {
		cmd := exec.Command(helper[0], helper[1:]...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		runHelper(t, cmd, dir, tmp, "unprivileged")
	})
	t.Run("root with Docker's default capabilities", func(t *testing.T) {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			if os.Getenv("CI") != "" { // Debian always has it (util-linux)
				t.Fatalf("CI: util-linux setpriv not found: %v", err)
			}
			t.Skipf("util-linux setpriv not found: %v", err)
		}
		args := append([]string{"--bounding-set=" + dockerCapabilities, "--inh-caps=-all", "--"}, helper...)
		runHelper(t, exec.Command(setpriv, args...), dir, tmp, "root")
	})
}

// runHelper runs the re-executed helper and fails unless it passed. who
// tells the helper what uid a basic job should see: "unprivileged" (the
// pool cannot switch uid and jobs run as the caller) or "root" (the pool
// drops jobs to an unprivileged uid).
func runHelper(t *testing.T, cmd *exec.Cmd, dir, tmp, who string) {
	t.Helper()
	cmd.Dir = dir
	cmd.Env = []string{helperEnv + "=" + who, "PATH=/usr/bin:/bin", "TMPDIR=" + tmp}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestNonRootHelper") {
		t.Fatalf("helper failed: %v\n%s", err, out)
	}
}

func TestNonRootHelper(t *testing.T) {
	who := os.Getenv(helperEnv)
	if who == "" {
		t.Skip("only runs re-executed by TestNonRoot")
	}
	if _, err := New(Config{Isolation: Strict, Workers: 1, Preload: []string{}}); !errors.Is(err, ErrStrictUnavailable) {
		t.Fatalf("strict as %s: err=%v, want ErrStrictUnavailable", who, err)
	}
	p := newPoolWith(t, Config{Isolation: Basic, Workers: 1, Preload: []string{}})
	if seccomp := workerOf(p).hello.Seccomp; !seccomp {
		t.Errorf("basic as %s: the worker found the seccomp filter unavailable", who)
	}
	// Which uid a job runs as: the caller's when the pool cannot switch,
	// otherwise an unprivileged one (UIDBase + slot).
	wantUID := os.Getuid()
	if who == "root" {
		wantUID = 61000
	}
	for _, tc := range []struct {
		job  Job
		want Status
	}{
		{okJob, StatusPass},
		{Job{ID: "uid", Code: "import os\nUID = os.getuid()\n",
			Test: fmt.Sprintf("assert UID == %d, UID\n", wantUID), Timeout: 1e10}, StatusPass},
		{Job{ID: "spin", Code: "while True:\n    pass\n", Test: "assert True\n", Timeout: 1e9}, StatusTimeout},
		{Job{ID: "seccomp", Code: "x = 1\n", Test: "assert 'Seccomp:\\t2\\n' in open('/proc/self/status').read()\n"}, StatusPass},
		// The job is not dumpable, so a process it starts (as uid 65534,
		// the same uid) cannot open its memory.
		{Job{ID: "proc-mem", Code: "x = 1\n", Test: `import subprocess, sys
PROG = "import os\ntry:\n    open('/proc/%d/mem' % os.getppid(), 'rb')\n    print('opened')\nexcept PermissionError:\n    print('denied')\n"
r = subprocess.run([sys.executable, "-c", PROG], capture_output=True, text=True)
assert r.stdout.strip() == "denied", (r.stdout, r.stderr)
`, Timeout: 1e10}, StatusPass},
	} {
		r, err := p.Run(context.Background(), tc.job)
		if err != nil || r.Status != tc.want {
			t.Fatalf("basic as %s, job %s: %v %s, want %s (%s %s)", who, tc.job.ID, err, r.Status, tc.want, r.Reason, r.Stderr)
		}
		if r.Isolation != Basic {
			t.Errorf("basic as %s, job %s: result reports isolation %q, want basic", who, tc.job.ID, r.Isolation)
		}
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy to %s: %w", dst, err)
	}
	return out.Close()
}
