# A plugin directory put on sys.path, then imported by name.
import importlib
import os
import sys
import tempfile

PLUGIN_DIR = tempfile.mkdtemp(prefix="plugins")
sys.path.append(PLUGIN_DIR)


def install_plugin(name, source):
    with open(os.path.join(PLUGIN_DIR, name + ".py"), "w") as f:
        f.write(source)
    importlib.invalidate_caches()
    return importlib.import_module(name)
### TEST
import sys
import unittest


class TestCases(unittest.TestCase):
    def test_import(self):
        mod = install_plugin("greeter", "def greet(n):\n    return 'hi ' + n\n")
        self.assertEqual(mod.greet("ann"), "hi ann")
        self.assertIn(PLUGIN_DIR, sys.path)

    def test_path_insert(self):
        sys.path.insert(0, PLUGIN_DIR)
        try:
            self.assertEqual(install_plugin("adder", "add = lambda a, b: a + b\n").add(2, 3), 5)
        finally:
            sys.path.remove(PLUGIN_DIR)
