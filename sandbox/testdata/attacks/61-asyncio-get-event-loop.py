# category: legit
# want: pass
# why: asyncio.get_event_loop works in the suite thread
import asyncio
async def g():
    return 3
def f():
    return asyncio.get_event_loop().run_until_complete(g())
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertEqual(f(), 3)
