# logging.exception and traceback.format_exc in an error path, with the
# logger's level and handlers configured.
import logging
import traceback

logger = logging.getLogger("importer")
logger.setLevel(logging.INFO)
logging.getLogger().handlers = []


def parse_rows(lines):
    rows, errors = [], []
    for i, line in enumerate(lines):
        try:
            name, qty = line.split(",")
            rows.append((name.strip(), int(qty)))
        except ValueError:
            logger.exception("bad line %d", i)
            errors.append(traceback.format_exc().strip().splitlines()[-1])
    return rows, errors
### TEST
import logging
import unittest


class TestCases(unittest.TestCase):
    def test_good(self):
        self.assertEqual(parse_rows(["a, 1", "b,2"]), ([("a", 1), ("b", 2)], []))

    def test_bad(self):
        with self.assertLogs("importer", level="ERROR") as cm:
            rows, errors = parse_rows(["a,1", "oops", "c,x"])
        self.assertEqual(rows, [("a", 1)])
        self.assertEqual(len(errors), 2)
        self.assertTrue(errors[0].startswith("ValueError"))
        self.assertIn("bad line 1", cm.output[0])

    def test_level(self):
        logging.getLogger("importer").level = logging.WARNING
        self.assertFalse(logger.isEnabledFor(logging.INFO))
