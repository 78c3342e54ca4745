# unittest.mock.patch as decorators and context managers, on builtins.open,
# a module function and an object attribute.
import json
import os
import urllib.request


def read_config(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def fetch_title(url):
    with urllib.request.urlopen(url) as resp:
        return json.loads(resp.read().decode())["title"]
### TEST
import io
import unittest
from unittest import mock
from unittest.mock import MagicMock, mock_open, patch


class TestCases(unittest.TestCase):
    @patch("os.path.exists", return_value=True)
    @patch("builtins.open", new_callable=mock_open, read_data='{"debug": true}')
    def test_read(self, m_open, m_exists):
        self.assertEqual(read_config("/etc/app.json"), {"debug": True})
        m_open.assert_called_once_with("/etc/app.json")

    @patch("os.path.exists", return_value=False)
    def test_missing(self, _):
        self.assertEqual(read_config("x"), {})

    def test_fetch(self):
        resp = MagicMock()
        resp.read.return_value = b'{"title": "Hello"}'
        resp.__enter__.return_value = resp
        with patch("urllib.request.urlopen", return_value=resp) as m:
            self.assertEqual(fetch_title("http://example.invalid"), "Hello")
            m.assert_called_once()

    def test_patch_object(self):
        with mock.patch.object(json, "load", return_value={"k": 1}), \
                patch("os.path.exists", return_value=True), \
                patch("builtins.open", mock_open(read_data="")):
            self.assertEqual(read_config("p"), {"k": 1})
