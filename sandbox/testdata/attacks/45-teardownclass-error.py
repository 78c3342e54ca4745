# category: vacuous
# want: error
# why: a class-level error is not dropped
def f():
    return 2
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
    @classmethod
    def tearDownClass(cls):
        raise RuntimeError('fixture broke')
