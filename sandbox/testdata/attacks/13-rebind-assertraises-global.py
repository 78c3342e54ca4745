# category: forgery
# want: rejected
# want_guard_off: tamper
# why: rebinding a unittest.case global is seen by the integrity check before the tests load
import unittest.case
class Swallow:
    def __init__(self, *a, **k):
        pass
    def handle(self, name, args, kwargs):
        return self
    def __enter__(self):
        return self
    def __exit__(self, *a):
        return True
unittest.case._AssertRaisesContext = Swallow
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        with self.assertRaises(ValueError):
            f()
