# category: legit
# want: pass
# why: threads, run methods and attributes named debug/failures
import threading
class Worker(threading.Thread):
    def __init__(self):
        super().__init__()
        self.debug = False
        self.failures = []
        self.result = None
    def run(self):
        self.result = 42
def f():
    w = Worker()
    w.start()
    w.join()
    return w.result
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 42)
