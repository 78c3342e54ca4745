# category: forgery
# want: rejected
# want_guard_off: tamper
# why: frames are denied; and the suite functions look up no global name
import sys
def f():
    frame = sys._getframe()
    while frame is not None:
        g = frame.f_globals
        if '_run_test' in g:
            g['_run_test'] = lambda *a, **k: ({'name': 'x', 'outcome': 'pass', 'kind': ''}, True)
        frame = frame.f_back
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
