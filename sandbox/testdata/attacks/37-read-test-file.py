# category: forgery
# want: fail
# why: the tests are never written to the job's directory
import os
def f():
    for name in os.listdir('.'):
        if name.startswith('test'):
            return 2
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
