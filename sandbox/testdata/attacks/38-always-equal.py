# category: forgery
# want: rejected
# want_guard_off: fail
# why: an equality that ignores its operand is rejected statically, and assertEqual does not trust it at run time
class Anything:
    def __eq__(self, other):
        return True
def f():
    return Anything()
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
