# category: forgery
# want: error
# why: SystemExit inside a test is an error
import sys
def f():
    sys.exit(0)
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
