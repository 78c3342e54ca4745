# category: legit
# want: pass
# why: the importlib recipe with sys.modules[name] = module
import importlib.util, os, sys
def f():
    path = os.path.abspath('plugin_mod.py')
    with open(path, 'w') as fh:
        fh.write('VALUE = 7\n')
    spec = importlib.util.spec_from_file_location('plugin_mod', path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.VALUE
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 7)
