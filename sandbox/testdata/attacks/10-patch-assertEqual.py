# category: forgery
# want: rejected
# want_guard_off: load_error
# why: unittest's classes are frozen; the static guard also rejects the write
import unittest
unittest.TestCase.assertEqual = lambda *a, **k: None
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
