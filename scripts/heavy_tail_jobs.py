#!/usr/bin/python3
"""Writes a heavy-tailed verify job set as JSONL rows {id, code, test}.

The set looks like real test suites: most jobs are quick, a few are slow.
  - 164 HumanEval canonical solutions, each with its own check() wrapped in a
    unittest TestCase (about 0.1 s each);
  - the sandbox benchmark's 20 pandas+matplotlib jobs (about 0.5-1 s each);
  - a tail of slow jobs: CPU-bound code under tests with big inputs
    (a pure-Python Collatz search), and code whose tests wait (a retry helper
    with real back-off sleeps, a rate limiter), a few seconds to tens of
    seconds each.
Rows are shuffled with a fixed seed, so the slow jobs are spread over the
run as in a real corpus, and every run of the benchmark sees the same order.

usage: heavy_tail_jobs.py HUMANEVAL.jsonl.gz HEAVY_JOBS.py OUT.jsonl [--waits-only]
  --waits-only writes only jobs whose tests mostly wait (for the
  oversubscription benchmark), plus a few CPU-bound ones that must pass
  and two endless loops that must time out: timeouts must still judge
  CPU-bound code correctly when the pool has more workers than cores.
"""
import gzip
import json
import random
import sys

COLLATZ = '''def collatz_longest(limit):
    """Return (n, steps) for the n < limit with the longest Collatz chain."""
    best_n, best = 1, 0
    for n in range(1, limit):
        steps, x = 0, n
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        if steps > best:
            best_n, best = n, steps
    return best_n, best
'''

COLLATZ_TEST = '''import unittest


def chain(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


class TestCases(unittest.TestCase):
    def test_small(self):
        self.assertEqual(collatz_longest(10), (9, 19))

    def test_large(self):
        n, steps = collatz_longest({limit})
        self.assertLess(n, {limit})
        self.assertEqual(chain(n), steps)
        self.assertGreaterEqual(steps, 100)
'''

RETRY = '''import time


def retry(fn, attempts=3, delay=1.0, backoff=2.0):
    """Call fn until it succeeds, sleeping delay, delay*backoff, ... between tries."""
    wait = delay
    for i in range(attempts):
        try:
            return fn()
        except ConnectionError:
            if i == attempts - 1:
                raise
            time.sleep(wait)
            wait *= backoff
'''

RETRY_TEST = '''import time
import unittest


class Flaky:
    def __init__(self, failures):
        self.failures = failures
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("refused")
        return "ok"


class TestCases(unittest.TestCase):
    def test_succeeds_after_failures(self):
        f = Flaky({failures})
        start = time.monotonic()
        self.assertEqual(retry(f, attempts={attempts}, delay={delay}, backoff=1.0), "ok")
        self.assertEqual(f.calls, {failures} + 1)
        self.assertGreaterEqual(time.monotonic() - start, {failures} * {delay} * 0.9)

    def test_gives_up(self):
        with self.assertRaises(ConnectionError):
            retry(Flaky(5), attempts=2, delay=0.01)
'''


SPIN = "def spin():\n    while True:\n        pass\n"
SPIN_TEST = "import unittest\n\n\nclass TestCases(unittest.TestCase):\n    def test_spin(self):\n        spin()\n"


def humaneval(path):
    rows = [json.loads(line) for line in gzip.open(path, "rt")]
    for r in rows:
        test = (r["test"] + "\n\nimport unittest\n\n\nclass TestCases(unittest.TestCase):\n"
                "    def test_check(self):\n        check(" + r["entry_point"] + ")\n")
        yield {"id": "humaneval/" + r["task_id"].split("/")[1], "code": r["prompt"] + r["canonical_solution"], "test": test}


def heavy(path):
    text = open(path).read()
    for part in text.split("### JOB ")[1:]:
        name, rest = part.split("\n", 1)
        code, test = rest.split("### TEST\n", 1)
        yield {"id": "heavy/" + name.strip(), "code": code, "test": test}


def slow_cpu(limits):
    for limit in limits:
        yield {"id": "slow-cpu/collatz-%d" % limit, "code": COLLATZ, "test": COLLATZ_TEST.format(limit=limit)}


def slow_wait(seconds):
    for s in seconds:
        failures = 4
        yield {"id": "slow-wait/retry-%gs" % s, "code": RETRY,
               "test": RETRY_TEST.format(failures=failures, attempts=failures + 1, delay=s / failures)}


def main():
    he, heavy_path, out = sys.argv[1:4]
    waits_only = "--waits-only" in sys.argv[4:]
    if waits_only:
        # Tests that mostly wait (0.5-4 s of sleeps each), and a few
        # CPU-bound ones.
        rows = (list(slow_wait([0.5, 1, 1, 1.5, 2, 2, 2.5, 3, 3, 4] * 4)) + list(slow_cpu([20000, 40000, 60000, 80000])) +
                [{"id": "must-time-out/spin-%d" % i, "code": SPIN, "test": SPIN_TEST} for i in range(2)])
    else:
        rows = (list(humaneval(he)) + list(heavy(heavy_path)) +
                list(slow_cpu([30000, 60000, 120000, 250000])) + list(slow_wait([2, 4, 6, 10, 15, 30])))
    ids = set()
    for r in rows:
        if r["id"] in ids:
            r["id"] += "#%d" % len(ids)
        ids.add(r["id"])
    random.Random(13).shuffle(rows)
    with open(out, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    print("%s: %d jobs" % (out, len(rows)))


if __name__ == "__main__":
    main()
