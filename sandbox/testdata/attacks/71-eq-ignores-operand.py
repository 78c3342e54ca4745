# category: forgery
# want: fail
# why: assertEqual does not trust an __eq__ that equals an object it has never seen
class Anything:
    def __eq__(self, other):
        return other is other
    __hash__ = object.__hash__
def f():
    return Anything()
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
