# category: forgery
# want: rejected
# want_guard_off: tamper
# why: rebinding a library function's code is denied
import unittest
def f():
    unittest.TestCase.assertEqual.__code__ = (lambda self, a, b, msg=None: None).__code__
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
