# category: forgery
# want: error
# why: KeyboardInterrupt inside a test is an error
def f():
    raise KeyboardInterrupt
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
