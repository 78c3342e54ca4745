# category: forgery
# want: rejected
# want_guard_off: tamper
# why: frames are denied to the code under test
import sys
def f():
    caller = sys._getframe(1)
    caller.f_locals['self'].assertEqual = lambda *a, **k: None
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
