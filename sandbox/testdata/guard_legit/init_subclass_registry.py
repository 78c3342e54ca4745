# An __init_subclass__ registry keyed by a class keyword.
class Shape:
    registry = {}

    def __init_subclass__(cls, kind=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if kind is not None:
            Shape.registry[kind] = cls

    @classmethod
    def create(cls, kind, *args):
        return cls.registry[kind](*args)


class Square(Shape, kind="square"):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side ** 2


class Rect(Shape, kind="rect"):
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h
### TEST
import unittest


class TestCases(unittest.TestCase):
    def test_registry(self):
        self.assertEqual(sorted(Shape.registry), ["rect", "square"])

    def test_create(self):
        self.assertEqual(Shape.create("square", 3).area(), 9)
        self.assertEqual(Shape.create("rect", 2, 5).area(), 10)
