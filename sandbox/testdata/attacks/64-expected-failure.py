# category: legit
# want: pass
# why: expectedFailure passes when the test fails, as in unittest
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    @unittest.expectedFailure
    def test_it(self):
        self.assertEqual(f(), 2)
