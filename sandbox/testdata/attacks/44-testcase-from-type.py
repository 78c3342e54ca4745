# category: vacuous
# want: fail
# why: a TestCase built with type() is recognised
def f():
    return 1
# ==== test ====
import unittest
TestCases = type('TestCases', (unittest.TestCase,), {'test_it': lambda self: self.assertEqual(f(), 2)})
