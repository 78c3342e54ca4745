# Tests that rebind sys.stdout (and use contextlib.redirect_stdout) to check
# what the code prints.
def report(totals):
    for name in sorted(totals):
        print("%-6s %5d" % (name, totals[name]))
    print("total  %5d" % sum(totals.values()))
### TEST
import contextlib
import io
import sys
import unittest


class TestCases(unittest.TestCase):
    def test_rebind(self):
        saved = sys.stdout
        sys.stdout = buf = io.StringIO()
        try:
            report({"b": 2, "a": 10})
        finally:
            sys.stdout = saved
        self.assertEqual(buf.getvalue().splitlines(), ["a         10", "b          2", "total     12"])

    def test_redirect(self):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            report({})
        self.assertEqual(buf.getvalue(), "total      0\n")
