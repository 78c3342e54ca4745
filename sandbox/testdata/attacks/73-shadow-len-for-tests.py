# category: forgery
# want: fail
# why: the code's names reach the tests, but never in place of a builtin
def len(x):
    return 3
def f():
    return [1]
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(len(f()), 3)
