# The importlib documentation's recipe for importing a source file directly:
# it stores the new module in sys.modules under a computed name.
import importlib.util
import os
import sys
import tempfile


def load_module_from_path(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_plugin(source, name="user_plugin"):
    fd, path = tempfile.mkstemp(suffix=".py")
    with os.fdopen(fd, "w") as f:
        f.write(source)
    try:
        return load_module_from_path(name, path)
    finally:
        os.remove(path)
### TEST
import sys
import unittest


class TestCases(unittest.TestCase):
    def tearDown(self):
        sys.modules.pop("user_plugin", None)

    def test_load(self):
        mod = load_plugin("def double(x):\n    return 2 * x\n")
        self.assertEqual(mod.double(21), 42)
        self.assertIs(sys.modules["user_plugin"], mod)

    def test_syntax_error(self):
        with self.assertRaises(SyntaxError):
            load_plugin("def broken(:\n", name="broken_plugin")
