# category: vacuous
# want: fail
# why: a TestCase defined under an if is recognised
def f():
    return 1
# ==== test ====
import unittest
if True:
    class TestCases(unittest.TestCase):
        def test_it(self):
            self.assertEqual(f(), 2)
