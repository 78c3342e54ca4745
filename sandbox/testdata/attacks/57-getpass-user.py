# category: legit
# want: pass
# why: getpass.getuser works
import getpass
def f():
    return getpass.getuser()
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertTrue(f())
