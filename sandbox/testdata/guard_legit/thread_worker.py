# A threading.Thread subclass that overrides run(): the regex guard matched
# `def run(` as a TestCase override.
import queue
import threading


class SquareWorker(threading.Thread):
    def __init__(self, jobs, results):
        super().__init__(daemon=True)
        self.jobs = jobs
        self.results = results

    def run(self):
        while True:
            item = self.jobs.get()
            if item is None:
                self.jobs.task_done()
                return
            self.results.append(item * item)
            self.jobs.task_done()


def parallel_squares(values, workers=3):
    jobs, results = queue.Queue(), []
    threads = [SquareWorker(jobs, results) for _ in range(workers)]
    for t in threads:
        t.start()
    for v in values:
        jobs.put(v)
    for _ in threads:
        jobs.put(None)
    jobs.join()
    for t in threads:
        t.join()
    return sorted(results)
### TEST
import unittest


class TestCases(unittest.TestCase):
    def test_squares(self):
        self.assertEqual(parallel_squares([3, 1, 2]), [1, 4, 9])

    def test_empty(self):
        self.assertEqual(parallel_squares([]), [])

    def test_worker_is_a_thread(self):
        import threading
        self.assertTrue(issubclass(SquareWorker, threading.Thread))
