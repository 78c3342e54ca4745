# category: forgery
# want: rejected
# want_guard_off: tamper
# why: gc's object walks are denied
import gc
def f():
    gc.get_objects()
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
