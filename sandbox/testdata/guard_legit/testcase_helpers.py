# A test base class with its own assert helper, class fixtures set through
# cls, subTest, addCleanup, maxDiff and longMessage; the code uses
# inspect.signature and functools.wraps.
import functools
import inspect


def validate_args(func):
    sig = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            ann = sig.parameters[name].annotation
            if ann is not inspect.Parameter.empty and not isinstance(value, ann):
                raise TypeError("%s must be %s" % (name, ann.__name__))
        return func(*args, **kwargs)
    return wrapper


@validate_args
def scale(values: list, factor: float):
    return [v * factor for v in values]
### TEST
import unittest


class Base(unittest.TestCase):
    maxDiff = None
    longMessage = True

    @classmethod
    def setUpClass(cls):
        cls.sample = [1, 2, 3]

    def assertAllBetween(self, values, lo, hi):
        for v in values:
            self.assertGreaterEqual(v, lo)
            self.assertLessEqual(v, hi)


class TestCases(Base):
    def setUp(self):
        self.log = []
        self.addCleanup(self.log.clear)

    def test_scale(self):
        for factor in (0.5, 1.0, 2.0):
            with self.subTest(factor=factor):
                self.assertAllBetween(scale(self.sample, factor), 0.5, 6)

    def test_types(self):
        with self.assertRaises(TypeError):
            scale((1, 2), 2.0)

    def test_name(self):
        self.assertEqual(scale.__name__, "scale")
