# category: vacuous
# want: load_error
# why: a TestCase the pre-pass cannot read never makes the file a passing script
def f():
    return 1
# ==== test ====
import unittest
def make():
    class TestCases(unittest.TestCase):
        def test_it(self):
            self.assertEqual(f(), 2)
    return TestCases
TestCases = make()
