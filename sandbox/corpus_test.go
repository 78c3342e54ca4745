package sandbox

import (
	"fmt"
	"testing"

	"github.com/unitcoder/unitcoder/internal/testfixtures"
)

// leakProbe is the job run after a corpus row that leaves state behind: it
// must find none of it. Basic isolation shares the host's /tmp and IPC
// namespace, so only strict promises those two.
func leakProbe(iso Isolation) Job {
	strict := "False"
	if iso == Strict {
		strict = "True"
	}
	code := fmt.Sprintf(`import os
STRICT = %s
def leftovers():
    found = []
    if STRICT:
        if str(0x5eed) in open('/proc/sysvipc/shm').read().split():
            found.append('ipc')
        for p in ('/tmp/unitcoder-leak', '/dev/shm/unitcoder-leak'):
            if os.path.exists(p):
                found.append(p)
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                cmd = open('/proc/%%s/cmdline' %% p, 'rb').read()
            except OSError:
                continue
            if cmd.startswith(b'sleep\x00300'):
                found.append('sleep ' + p)
    if os.path.exists('d'):
        found.append('tree')
    return found
`, strict)
	return Job{ID: "leak-probe", Code: code, Test: tc("self.assertEqual(leftovers(), [])")}
}

// corpusAttacks turns the attack corpus into attacks; wantOff selects the
// status expected with the static guard off.
func corpusAttacks(t *testing.T, wantOff bool) []attack {
	var out []attack
	for _, a := range testfixtures.AttackCorpus(t) {
		want := a.Want
		if wantOff {
			want = a.WantGuardOff
		}
		at := attack{name: a.ID, code: a.Code, test: a.Test, timeout: a.Timeout, want: []Status{Status(want)},
			only: Isolation(a.Only)}
		if a.Category == "leak" {
			at.next = leakProbe
		}
		out = append(out, at)
	}
	return out
}

// TestAttackCorpus runs every corpus row under both isolation levels, with
// the production preload (the watched machinery covers preloaded libraries),
// and checks its exact status, then that the next job on the same worker is
// unaffected (for rows that leave state behind, that none of it is left).
func TestAttackCorpus(t *testing.T) {
	runAttacks(t, corpusAttacks(t, false), Config{Preload: DefaultPreload})
}

// TestAttackCorpusRuntimeOnly: the same rows with the static guard off,
// so the run-time defences alone decide.
func TestAttackCorpusRuntimeOnly(t *testing.T) {
	runAttacks(t, corpusAttacks(t, true), Config{Guard: GuardConfig{Disabled: true}, Preload: DefaultPreload})
}

// TestAttackCorpusProcThreadWatch: the run-time-only rows again with the
// suite thread watched through /proc, the fallback for kernels without
// thread pidfds (before Linux 6.9), so both ways of observing the verdict
// are held to every row.
func TestAttackCorpusProcThreadWatch(t *testing.T) {
	runAttacks(t, corpusAttacks(t, true), Config{Guard: GuardConfig{Disabled: true}, Preload: DefaultPreload, procThreadWatch: true})
}
