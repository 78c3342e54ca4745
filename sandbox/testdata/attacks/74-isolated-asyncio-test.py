# category: legit
# want: pass
# why: IsolatedAsyncioTestCase tests run on their own event loop
async def f():
    return 2
# ==== test ====
import unittest

class TestCases(unittest.IsolatedAsyncioTestCase):
    async def test_it(self):
        self.assertEqual(await f(), 2)
