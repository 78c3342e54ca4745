# A class with `self.debug` and `self.failures` attributes: the regex guard
# read them as replacing TestCase.debug / fail* methods.
import re


class EmailValidator:
    PATTERN = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")

    def __init__(self, debug=False):
        self.debug = debug
        self.failures = []
        self.failureCount = 0

    def validate(self, emails):
        ok = []
        for e in emails:
            if self.PATTERN.match(e):
                ok.append(e)
            else:
                self.failures.append(e)
                self.failureCount += 1
                if self.debug:
                    print("rejected:", e)
        return ok
### TEST
import unittest


class TestCases(unittest.TestCase):
    def setUp(self):
        self.validator = EmailValidator(debug=True)

    def test_split(self):
        ok = self.validator.validate(["a@b.com", "nope", "x.y+z@mail.example.org"])
        self.assertEqual(ok, ["a@b.com", "x.y+z@mail.example.org"])
        self.assertEqual(self.validator.failures, ["nope"])
        self.assertEqual(self.validator.failureCount, 1)

    def test_quiet(self):
        v = EmailValidator()
        v.debug = False
        self.assertEqual(v.validate(["@"]), [])
        self.assertFalse(v.debug)
