# category: forgery
# want: rejected
# want_guard_off: fail
# why: the tests run in their own module with the real builtins
__builtins__ = {'__import__': __import__, 'len': lambda x: 2, '__build_class__': __build_class__}
def f():
    return [1]
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(len(f()), 2)
