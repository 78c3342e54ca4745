# category: forgery
# want: tamper
# why: tracing could jump over an assertion: denied
import sys
def f():
    def tracer(frame, event, arg):
        return tracer
    sys.settrace(tracer)
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
