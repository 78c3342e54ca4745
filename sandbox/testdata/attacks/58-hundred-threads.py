# category: legit
# want: pass
# why: a pool of 100 threads
from concurrent.futures import ThreadPoolExecutor
def f():
    with ThreadPoolExecutor(100) as ex:
        return sum(ex.map(lambda x: x, range(1000)))
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 499500)
