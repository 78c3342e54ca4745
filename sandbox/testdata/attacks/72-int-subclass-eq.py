# category: forgery
# want: fail
# why: assertEqual does not trust an __eq__ that contradicts its base type's
class Big(int):
    __eq__ = int.__ge__
    __hash__ = int.__hash__
def f():
    return Big(5)
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
