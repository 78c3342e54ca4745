# Functions generated at import time and bound in the module's own
# namespace with setattr(sys.modules[__name__], ...) and globals().
import sys

UNITS = {"km": 1000.0, "mile": 1609.344, "ft": 0.3048}


def _make_converter(factor):
    def to_meters(value):
        return value * factor
    return to_meters


for _unit, _factor in UNITS.items():
    setattr(sys.modules[__name__], "%s_to_m" % _unit, _make_converter(_factor))
    globals()["m_to_%s" % _unit] = _make_converter(1 / _factor)
### TEST
import unittest


class TestCases(unittest.TestCase):
    maxDiff = None

    def test_to_meters(self):
        self.assertEqual(km_to_m(2), 2000.0)
        self.assertAlmostEqual(ft_to_m(10), 3.048)

    def test_from_meters(self):
        self.assertAlmostEqual(m_to_mile(1609.344), 1.0)
