# category: vacuous
# want: skipped
# why: a suite where every test skipped is never a pass
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    @unittest.skip('later')
    def test_it(self):
        self.assertEqual(f(), 2)
