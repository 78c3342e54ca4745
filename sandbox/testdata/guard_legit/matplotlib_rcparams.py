# matplotlib style set through rcParams items and rcParams.update.
import matplotlib
import matplotlib.pyplot as plt

matplotlib.rcParams["axes.grid"] = True
plt.rcParams.update({"font.size": 9})


def histogram(values, bins=4):
    plt.rcParams["figure.figsize"] = (4, 3)
    fig, ax = plt.subplots()
    counts, edges, _ = ax.hist(values, bins=bins)
    ax.set_title("values")
    return fig, ax, [int(c) for c in counts]
### TEST
import unittest
import matplotlib.pyplot as plt


class TestCases(unittest.TestCase):
    def tearDown(self):
        plt.close("all")

    def test_counts(self):
        fig, ax, counts = histogram([1, 1, 2, 3, 4, 4, 4, 4])
        self.assertEqual(sum(counts), 8)
        self.assertEqual(ax.get_title(), "values")
        self.assertEqual(tuple(fig.get_size_inches()), (4.0, 3.0))
        self.assertTrue(plt.rcParams["axes.grid"])
