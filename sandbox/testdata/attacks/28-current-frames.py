# category: forgery
# want: rejected
# want_guard_off: tamper
# why: other threads' frames are denied
import sys
def f():
    sys._current_frames()
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
