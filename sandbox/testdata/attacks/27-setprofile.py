# category: forgery
# want: tamper
# why: profiling hooks are denied
import sys
def f():
    sys.setprofile(lambda *a: None)
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
