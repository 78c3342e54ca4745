# category: forgery
# want: error
# why: an exception outside Exception's tree still ends the test as an error
class Stop(BaseException):
    pass
def f():
    raise Stop()
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 2)
