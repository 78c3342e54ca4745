# Configuration read from os.environ, which the tests set and delete.
import os


def database_url():
    host = os.environ.get("DB_HOST", "localhost")
    port = int(os.environ.get("DB_PORT", "5432"))
    name = os.environ["DB_NAME"]
    return "postgresql://%s:%d/%s" % (host, port, name)
### TEST
import os
import unittest


class TestCases(unittest.TestCase):
    def setUp(self):
        os.environ["DB_NAME"] = "shop"
        os.environ.pop("DB_HOST", None)

    def tearDown(self):
        for k in ("DB_NAME", "DB_HOST", "DB_PORT"):
            if k in os.environ:
                del os.environ[k]

    def test_defaults(self):
        self.assertEqual(database_url(), "postgresql://localhost:5432/shop")

    def test_override(self):
        os.environ["DB_HOST"] = "db"
        os.environ["DB_PORT"] = "6000"
        self.assertEqual(database_url(), "postgresql://db:6000/shop")

    def test_missing(self):
        del os.environ["DB_NAME"]
        with self.assertRaises(KeyError):
            database_url()
