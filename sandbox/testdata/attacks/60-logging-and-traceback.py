# category: legit
# want: pass
# why: logging, traceback.format_exc and namedtuple use frames internally
import logging, traceback, collections
Point = collections.namedtuple('Point', 'x y')
def f():
    logging.getLogger('x').warning('hi')
    try:
        1 / 0
    except ZeroDivisionError:
        text = traceback.format_exc()
        logging.getLogger('x').exception('boom')
    return Point(1, 2).x, 'ZeroDivisionError' in text
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), (1, True))
