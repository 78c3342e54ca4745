# pandas display options set through pd.options and pd.set_option.
import pandas as pd

pd.options.display.max_columns = 20
pd.options.mode.chained_assignment = None
pd.set_option("display.width", 120)


def summarize(records):
    df = pd.DataFrame(records)
    out = df.groupby("team")["score"].agg(["count", "mean"]).reset_index()
    out["mean"] = out["mean"].round(1)
    return out
### TEST
import unittest
import pandas as pd


class TestCases(unittest.TestCase):
    def test_summary(self):
        pd.options.display.precision = 2
        df = summarize([{"team": "a", "score": 3}, {"team": "a", "score": 4}, {"team": "b", "score": 10}])
        self.assertEqual(df["team"].tolist(), ["a", "b"])
        self.assertEqual(df["count"].tolist(), [2, 1])
        self.assertEqual(df["mean"].tolist(), [3.5, 10.0])
        self.assertEqual(pd.get_option("display.max_columns"), 20)
