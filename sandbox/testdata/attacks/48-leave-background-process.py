# category: leak
# want: pass
# why: a process the job leaves is killed before the verdict
import subprocess
def plant():
    subprocess.Popen(['sleep', '300'], start_new_session=True)
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        plant()
