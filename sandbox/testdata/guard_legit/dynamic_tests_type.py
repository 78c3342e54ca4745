# A TestCase class built with type(name, (unittest.TestCase,), {...}).
def clamp(x, lo, hi):
    return max(lo, min(hi, x))
### TEST
import unittest


def _check(args, expected):
    def test(self):
        self.assertEqual(clamp(*args), expected)
    return test


TestClamp = type("TestClamp", (unittest.TestCase,), {
    "test_low": _check((-5, 0, 10), 0),
    "test_high": _check((50, 0, 10), 10),
    "test_inside": _check((5, 0, 10), 5),
})
