# category: forgery
# want: tamper
# why: the audit hook sees the call, however it is spelled
import gc
def f():
    getattr(gc, 'get_' + 'objects')()
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
