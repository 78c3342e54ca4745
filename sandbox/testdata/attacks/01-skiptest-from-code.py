# category: forgery
# want: skipped
# why: a skip raised by the code under test is never a pass
import unittest
def f():
    raise unittest.SkipTest('not today')
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
