# category: leak
# want: pass
# only: strict
# why: a fresh interpreter may plant a System V segment; it dies with the job's IPC namespace (strict)
import subprocess, sys
def plant():
    prog = 'import ctypes; print(ctypes.CDLL(None).shmget(0x5eed, 4096, 0o1666))'
    return subprocess.run([sys.executable, '-c', prog], capture_output=True, text=True).stdout
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        plant()
