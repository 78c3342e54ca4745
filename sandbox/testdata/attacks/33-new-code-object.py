# category: forgery
# want: tamper
# why: making code objects is denied
def f():
    code = f.__code__.replace(co_consts=(None, 2))
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
