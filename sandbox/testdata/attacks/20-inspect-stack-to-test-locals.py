# category: forgery
# want: rejected
# want_guard_off: tamper
# why: inspect.stack hands frames to the caller: denied
import inspect
def f():
    for info in inspect.stack():
        loc = info.frame.f_locals
        if 'self' in loc:
            loc['self'].assertEqual = lambda *a, **k: None
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
