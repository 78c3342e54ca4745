# category: leak
# want: pass
# why: files in /tmp and /dev/shm are cleaned between jobs (strict) or are the job's own
def plant():
    # Basic shares the host's /tmp, where another uid may own the file.
    for p in ('/tmp/unitcoder-leak', '/dev/shm/unitcoder-leak'):
        try:
            open(p, 'w').write('x')
        except OSError:
            pass
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        plant()
