# category: legit
# want: pass
# why: mock.patch wraps test methods: the wrapped function is still the test source's
import os
def f():
    return os.getcwd()
# ==== test ====
import unittest
from unittest.mock import patch

class TestCases(unittest.TestCase):
    @patch('os.getcwd', return_value='/x')
    def test_it(self, m):
        self.assertEqual(f(), '/x')
