# category: vacuous
# want: fail
# why: an alias of TestCase is recognised
def f():
    return 1
# ==== test ====
from unittest import TestCase as TC

class Checks(TC):
    def test_it(self):
        self.assertEqual(f(), 2)
