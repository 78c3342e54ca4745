# category: leak
# want: pass
# why: cleanup survives any tree a job leaves
import os
def plant():
    here = os.getcwd()
    for _ in range(1200):
        os.mkdir('d')
        os.chdir('d')
    os.chdir(here)
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        plant()
