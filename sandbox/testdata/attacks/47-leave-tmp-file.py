# category: leak
# want: pass
# why: files in /tmp and /dev/shm are cleaned between jobs (strict) or are the job's own
def plant():
    open('/tmp/unitcoder-leak', 'w').write('x')
    open('/dev/shm/unitcoder-leak', 'w').write('x')
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        plant()
