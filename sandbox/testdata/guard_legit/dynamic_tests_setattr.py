# Tests generated with setattr(TestCases, "test_%d" % i, ...).
def is_palindrome(s):
    s = "".join(c.lower() for c in s if c.isalnum())
    return s == s[::-1]
### TEST
import unittest

CASES = [("racecar", True), ("A man, a plan, a canal: Panama", True), ("abc", False)]


class TestCases(unittest.TestCase):
    def test_empty(self):
        self.assertTrue(is_palindrome(""))


def make_test(text, expected):
    def test(self):
        self.assertEqual(is_palindrome(text), expected)
    return test


for i, (text, expected) in enumerate(CASES):
    setattr(TestCases, "test_case_%d" % i, make_test(text, expected))
