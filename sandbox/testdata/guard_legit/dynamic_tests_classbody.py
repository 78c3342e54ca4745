# Test methods assigned in the class body from a factory: test_x = make_case(...).
def word_count(text):
    return len(text.split())

### TEST
import unittest


def make_case(text, expected):
    def case(self):
        self.assertEqual(word_count(text), expected)
    return case


class TestCases(unittest.TestCase):
    test_two = make_case("hello world", 2)
    test_none = make_case("   ", 0)

    def test_one(self):
        self.assertEqual(word_count("x"), 1)
