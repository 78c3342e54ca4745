# category: legit
# want: error
# why: a setUpModule failure is an error, not tamper
def f():
    return 1
# ==== test ====
import unittest

def setUpModule():
    raise RuntimeError('no fixture')

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 1)
