# category: vacuous
# want: vacuous
# why: no test ran
def f():
    return 1
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    pass
