# category: forgery
# want: rejected
# want_guard_off: tamper
# why: rebinding a test function's code is denied
import unittest
def f():
    for cls in unittest.TestCase.__subclasses__():
        for name in dir(cls):
            if name.startswith('test'):
                getattr(cls, name).__code__ = (lambda self: None).__code__
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_a(self):
        f()
    def test_b(self):
        self.assertEqual(f(), 2)
