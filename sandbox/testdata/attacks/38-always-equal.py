# category: forgery
# want: rejected
# want_guard_off: pass
# why: an equality that ignores its operand is rejected statically
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
