# category: forgery
# want: tamper
# why: a second audit hook is denied
import sys
def f():
    sys.addaudithook(lambda *a: None)
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
