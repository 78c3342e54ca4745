# category: forgery
# want: rejected
# want_guard_off: tamper
# why: ctypes from the code under test is denied
import ctypes
def f():
    ctypes.pythonapi.PyThreadState_SetAsyncExc
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
