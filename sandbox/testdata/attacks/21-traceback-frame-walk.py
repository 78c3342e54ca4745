# category: forgery
# want: rejected
# want_guard_off: tamper
# why: a traceback's frame is denied to the code under test
import sys
def f():
    try:
        raise ValueError
    except ValueError:
        frame = sys.exc_info()[2].tb_frame
    while frame is not None:
        frame.f_globals.pop('_run_test', None)
        frame = frame.f_back
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
