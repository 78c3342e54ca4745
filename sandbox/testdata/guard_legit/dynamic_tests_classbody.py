# Test methods assigned in the class body from a factory: test_x = make_case(...).
# sandbox-status: tamper
# As with setattr, the pre-pass only knows `def test...` methods; the
# assigned ones are reported as extra tests. The guard must still accept it.
def word_count(text):
    return len(text.split())


def make_case(text, expected):
    def case(self):
        self.assertEqual(word_count(text), expected)
    return case
### TEST
import unittest


class TestCases(unittest.TestCase):
    test_two = make_case("hello world", 2)
    test_none = make_case("   ", 0)

    def test_one(self):
        self.assertEqual(word_count("x"), 1)
