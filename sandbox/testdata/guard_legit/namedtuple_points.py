# collections.namedtuple (whose class is built by exec of generated code).
import math
from collections import namedtuple

Point = namedtuple("Point", ["x", "y"])


def centroid(points):
    n = len(points)
    return Point(sum(p.x for p in points) / n, sum(p.y for p in points) / n)


def farthest(points, origin=Point(0, 0)):
    return max(points, key=lambda p: math.hypot(p.x - origin.x, p.y - origin.y))
### TEST
import unittest


class TestCases(unittest.TestCase):
    def test_centroid(self):
        self.assertEqual(centroid([Point(0, 0), Point(2, 4)]), Point(1.0, 2.0))

    def test_farthest(self):
        self.assertEqual(farthest([Point(1, 1), Point(-3, 0), Point(0, 2)]), Point(-3, 0))

    def test_tuple(self):
        self.assertEqual(tuple(Point(1, 2)), (1, 2))
        self.assertNotEqual(Point(1, 2), Point(2, 1))
