# category: legit
# want: pass
# timeout: 60s
# why: spawn children import the code's module
import multiprocessing as mp
def square(x):
    return x * x
def f():
    with mp.get_context('spawn').Pool(2) as pool:
        return pool.map(square, [1, 2, 3])
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), [1, 4, 9])
