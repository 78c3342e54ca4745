# A plugin registry built on __subclasses__ of the source's own base class,
# walked recursively through a parameter.
class Exporter:
    extension = None

    def export(self, rows):
        raise NotImplementedError


class CSVExporter(Exporter):
    extension = "csv"

    def export(self, rows):
        return "\n".join(",".join(map(str, r)) for r in rows)


class TSVExporter(CSVExporter):
    extension = "tsv"

    def export(self, rows):
        return "\n".join("\t".join(map(str, r)) for r in rows)


class JSONExporter(Exporter):
    extension = "json"

    def export(self, rows):
        import json
        return json.dumps(rows)


def all_subclasses(cls):
    out = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(all_subclasses(sub))
    return out


def exporter_for(extension):
    registry = {c.extension: c for c in all_subclasses(Exporter)}
    return registry[extension]()


def direct_plugins():
    return sorted(c.__name__ for c in Exporter.__subclasses__())
### TEST
import unittest


class TestCases(unittest.TestCase):
    def test_lookup(self):
        self.assertEqual(exporter_for("tsv").export([[1, 2]]), "1\t2")
        self.assertEqual(exporter_for("json").export([[1]]), "[[1]]")

    def test_direct(self):
        self.assertEqual(direct_plugins(), ["CSVExporter", "JSONExporter"])

    def test_unknown(self):
        with self.assertRaises(KeyError):
            exporter_for("xml")
