# category: forgery
# want: tamper
# why: writing the process's own memory is denied
def f():
    open('/proc/self/' + 'mem', 'r+b')
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
