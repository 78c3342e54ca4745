# category: legit
# want: pass
# why: tests bound by assignment in the class body
def f(x):
    return x + 1
# ==== test ====
import unittest

def make_case(x, want):
    def test(self):
        self.assertEqual(f(x), want)
    return test

class TestCases(unittest.TestCase):
    test_one = make_case(1, 2)
    test_two = make_case(2, 3)
