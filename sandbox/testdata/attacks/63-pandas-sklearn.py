# category: legit
# want: pass
# timeout: 60s
# why: libraries that use ctypes (threadpoolctl) keep working
import numpy as np
from sklearn.cluster import KMeans
def f():
    X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    labels = KMeans(n_clusters=2, n_init=10, random_state=0).fit(X).labels_
    return labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]
# ==== test ====
import unittest

class TestCases(unittest.TestCase):
    def test_it(self):
        self.assertTrue(f())
