# category: forgery
# want: rejected
# want_guard_off: tamper
# why: a change to TestCase while the code loads is seen before the tests load; once they have, TestCase is frozen
import unittest
unittest.TestCase.assertEqual = lambda *a, **k: None
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
