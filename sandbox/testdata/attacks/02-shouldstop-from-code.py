# category: forgery
# want: error
# why: unittest's internal stop exception ends the test early; it is an error, not a pass
import unittest
def f():
    raise unittest.case._ShouldStop()
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
