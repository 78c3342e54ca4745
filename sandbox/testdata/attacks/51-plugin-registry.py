# category: legit
# want: pass
# why: __subclasses__ and __init_subclass__ registries
class Plugin:
    registry = {}
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry[cls.__name__] = cls
class A(Plugin):
    pass
class B(Plugin):
    pass
def all_subclasses(cls):
    out = []
    for s in cls.__subclasses__():
        out += [s] + all_subclasses(s)
    return out
def f():
    return sorted(c.__name__ for c in all_subclasses(Plugin)), sorted(Plugin.registry)
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), (['A', 'B'], ['A', 'B']))
