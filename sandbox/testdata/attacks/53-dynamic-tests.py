# category: legit
# want: pass
# why: tests added with setattr
def f(x):
    return x * 2
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    pass

def make(i):
    def test(self):
        self.assertEqual(f(i), 2 * i)
    return test

for i in range(3):
    setattr(TestCases, 'test_%d' % i, make(i))
