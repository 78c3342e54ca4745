package sandbox

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The worker program: namespace setup and helpers, the job children's
// seccomp filter, the static guard, the in-child harness, then the
// fork-server loop. They are separate files so each can be read on its
// own; the worker runs their concatenation via python3 -I -c.
var (
	//go:embed worker.py
	workerPy string
	//go:embed seccomp.py
	seccompPy string
	//go:embed guard.py
	guardPy string
	//go:embed harness.py
	harnessPy string
	//go:embed server.py
	serverPy string
)

// workerBoot is the worker's command line program: it runs the full source
// (workerSource), which it reads from stdin.
const workerBoot = "import sys; exec(compile(sys.stdin.read(), '<worker>', 'exec'))"

// workerSource is the full program a worker runs.
func workerSource() string {
	return workerPy + "\n" + seccompPy + "\n" + guardPy + "\n" + harnessPy + "\n" + serverPy
}

// errWorkerDied means the worker process went away mid-job (or broke the
// protocol); the job may be retried once on a fresh worker.
var errWorkerDied = errors.New("sandbox worker died")

// errDeadline means the worker did not answer within the job's deadline plus
// grace, so it was killed from the Go side.
var errDeadline = errors.New("sandbox worker missed the job deadline")

// deadlineGrace is how long past a job's timeout the Go side waits for the
// worker (which enforces the timeout itself and then sweeps the job's
// processes) before it kills the worker and with it the whole namespace.
const deadlineGrace = 3 * time.Second

// worker is one warm python3 fork server.
type worker struct {
	cmd     *exec.Cmd
	req     *os.File
	resp    *bufio.Reader
	respF   *os.File
	stderr  *tailBuffer
	dirs    []string
	jobs    int
	exited  chan struct{}
	hello   hello
	killOne sync.Once
}

// workerEnv is the worker's whole environment: nothing is inherited from the
// Go process, so no credential is reachable from a job, not even through
// /proc/<pid>/environ of the worker.
func workerEnv(mplDir string, hashSeed int) []string {
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
		"HOME=/nonexistent", "MPLBACKEND=Agg", "MPLCONFIGDIR=" + mplDir,
		"OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1",
		"NUMEXPR_NUM_THREADS=1", "PYTHONHASHSEED=" + strconv.Itoa(hashSeed), "PYTHONDONTWRITEBYTECODE=1",
		// Every malloc arena reserves 64 MiB of address space, which the
		// job's RLIMIT_AS counts: a few arenas leave room for threads.
		"MALLOC_ARENA_MAX=4",
	}
}

// mplCacheDir is a persistent matplotlib cache so workers do not rebuild the
// font list on every start.
func mplCacheDir() (string, error) {
	d := filepath.Join(os.TempDir(), "unitcoder-sandbox-mpl")
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", fmt.Errorf("sandbox: matplotlib cache dir: %w", err)
	}
	return d, nil
}

// startWorker starts a worker and waits until it has preloaded its modules.
func startWorker(ctx context.Context, cfg Config, slot int) (*worker, error) {
	w := &worker{stderr: newTailBuffer(8 << 10), exited: make(chan struct{})}
	wcfg, err := w.makeDirs(cfg, slot)
	if err != nil {
		return nil, err
	}
	cfgJSON, err := json.Marshal(wcfg)
	if err != nil {
		return nil, fmt.Errorf("sandbox: encode worker config: %w", err)
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: request pipe: %w", err)
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, fmt.Errorf("sandbox: reply pipe: %w", err)
	}
	// The source is larger than one argument may be (128 KiB), so the
	// worker reads it from its stdin.
	// -s -P rather than -I: the environment is the one workerEnv builds,
	// and -I's -E would ignore its PYTHONHASHSEED, leaving every worker a
	// random hash seed (set and dict-of-str orders differing by worker).
	cmd := exec.Command(cfg.Python, "-s", "-P", "-c", workerBoot, string(cfgJSON))
	cmd.Stdin = strings.NewReader(workerSource())
	cmd.Env = workerEnv(wcfg["mpl_dir"].(string), cfg.HashSeed)
	cmd.ExtraFiles = []*os.File{reqR, respW}
	cmd.Stdout, cmd.Stderr = w.stderr, w.stderr
	cmd.Dir = "/"
	cmd.SysProcAttr = sysProcAttr(cfg.Isolation)
	err = cmd.Start()
	reqR.Close()
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		w.removeDirs()
		return nil, startError(cfg.Isolation, err)
	}
	w.cmd, w.req, w.respF, w.resp = cmd, reqW, respR, bufio.NewReaderSize(respR, 1<<20)
	go func() { cmd.Wait(); close(w.exited) }()
	if err := w.awaitHello(ctx); err != nil {
		w.kill()
		if cfg.Isolation == Strict && strings.Contains(w.stderr.String(), "Operation not permitted") {
			return nil, fmt.Errorf("%w: %v", ErrStrictUnavailable, err)
		}
		return nil, err
	}
	return w, nil
}

// makeDirs creates the host directories the worker needs and returns the
// worker's JSON config.
func (w *worker) makeDirs(cfg Config, slot int) (map[string]any, error) {
	mk := func(pattern string, mode os.FileMode) (string, error) {
		d, err := os.MkdirTemp("", pattern)
		if err == nil {
			w.dirs = append(w.dirs, d)
			err = os.Chmod(d, mode)
		}
		if err != nil {
			w.removeDirs()
			return "", fmt.Errorf("sandbox: worker dir: %w", err)
		}
		return d, nil
	}
	mpl, err := mplCacheDir()
	if err != nil { // shared cache not writable: a private one still works
		if mpl, err = mk("unitcoder-sandbox-mpl-", 0o755); err != nil {
			return nil, err
		}
	}
	wcfg := map[string]any{
		"isolation": string(cfg.Isolation), "preload": cfg.Preload,
		"uid": cfg.UIDBase + slot, "disk_mb": cfg.DiskLimitMB, "mpl_dir": mpl,
		"proc_thread_watch": cfg.procThreadWatch,
		"huge_page_bytes":   0,
		"small_pages":       cfg.smallPages,
	}
	if !cfg.smallPages {
		wcfg["huge_page_bytes"] = transparentHugePageBytes()
	}
	if cfg.Isolation == Strict {
		// The worker builds its root on a tmpfs mounted over /tmp inside its
		// private mount namespace: no host directory is needed (or left).
		return wcfg, nil
	}
	if wcfg["work_dir"], err = mk("unitcoder-sandbox-work-", 0o711); err != nil {
		return nil, err
	}
	wcfg["out_dir"], err = mk("unitcoder-sandbox-out-", 0o700)
	return wcfg, err
}

// transparentHugePageBytes is the size of the kernel's PMD-mapped
// transparent huge page, or 0 where the kernel has none or has them off.
// The worker reads it from here because a strict worker's root has no /sys.
func transparentHugePageBytes() int {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		return 0
	}
	size, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(size)))
	if err != nil || n <= 0 || n&(n-1) != 0 {
		return 0
	}
	return n
}

// removeDirs deletes the worker's host directories (basic workers' work
// and output dirs, or a private matplotlib cache). A job's processes can
// still be exiting, and writing, just after the worker's group was killed,
// so removal retries for up to a second.
func (w *worker) removeDirs() {
	for _, d := range w.dirs {
		for i := 0; i < 50; i++ {
			if err := os.RemoveAll(d); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	w.dirs = nil
}

// awaitHello waits for the worker's ready line.
func (w *worker) awaitHello(ctx context.Context) error {
	line, err := w.readLine(ctx, 120*time.Second)
	if err != nil {
		return fmt.Errorf("sandbox: worker start-up failed: %w; worker stderr: %s", err, w.stderr.String())
	}
	if err := json.Unmarshal(line, &w.hello); err != nil || !w.hello.Ready {
		return fmt.Errorf("sandbox: worker start-up: bad hello %q; worker stderr: %s", line, w.stderr.String())
	}
	return nil
}

// readLine reads one reply line, killing the worker if ctx ends or the
// timeout passes first.
func (w *worker) readLine(ctx context.Context, timeout time.Duration) ([]byte, error) {
	type res struct {
		line []byte
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		line, err := w.resp.ReadBytes('\n')
		ch <- res{line, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		if r.err != nil {
			w.kill()
			return nil, fmt.Errorf("%w: %v", errWorkerDied, r.err)
		}
		return r.line, nil
	case <-ctx.Done():
		w.kill()
		<-ch
		return nil, ctx.Err()
	case <-timer.C:
		w.kill()
		<-ch
		return nil, errDeadline
	}
}

// do runs one job on the worker.
func (w *worker) do(ctx context.Context, rq request) (reply, error) {
	var rp reply
	data, err := json.Marshal(rq)
	if err != nil {
		return rp, fmt.Errorf("sandbox: encode request: %w", err)
	}
	if _, err := w.req.Write(append(data, '\n')); err != nil {
		w.kill()
		return rp, fmt.Errorf("%w: write request: %v", errWorkerDied, err)
	}
	w.jobs++
	// The worker may extend a job's deadline by up to three timeouts for
	// time the job spent waiting for a CPU (see run_delay in server.py).
	timeout := 4*time.Duration(rq.TimeoutMS)*time.Millisecond + deadlineGrace
	line, err := w.readLine(ctx, timeout)
	if err != nil {
		return rp, err
	}
	if err := json.Unmarshal(line, &rp); err != nil || rp.ID != rq.ID || rp.ProtocolError != "" {
		w.kill()
		return rp, fmt.Errorf("%w: bad reply %.200q: %v %s", errWorkerDied, line, err, rp.ProtocolError)
	}
	return rp, nil
}

// kill ends the worker. In strict mode the worker is init of its PID
// namespace, so every job process dies with it.
func (w *worker) kill() {
	w.killOne.Do(func() {
		if w.cmd != nil && w.cmd.Process != nil {
			syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
			w.cmd.Process.Kill()
			<-w.exited
		}
		if w.req != nil {
			w.req.Close()
		}
		if w.respF != nil {
			w.respF.Close()
		}
		w.removeDirs()
	})
}

// pid is the worker's host pid (for logs).
func (w *worker) pid() string {
	if w.cmd == nil || w.cmd.Process == nil {
		return "?"
	}
	return strconv.Itoa(w.cmd.Process.Pid)
}
