# unittest.TestCase.maxDiff = None at module level, so that every failing
# assertEqual shows its whole diff: a common line in model-written tests.
def merge_counts(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return dict(sorted(out.items()))
### TEST
import unittest

unittest.TestCase.maxDiff = None


class TestCases(unittest.TestCase):
    def test_merge(self):
        self.assertEqual(merge_counts({"a": 1, "b": 2}, {"b": 3, "c": 4}), {"a": 1, "b": 5, "c": 4})

    def test_empty(self):
        self.assertEqual(merge_counts({}, {}), {})
