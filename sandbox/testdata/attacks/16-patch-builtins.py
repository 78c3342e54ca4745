# category: forgery
# want: rejected
# want_guard_off: tamper
# why: builtins are part of the verdict machinery
import builtins
builtins.isinstance = lambda *a: True
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertIsInstance(f(), str)
