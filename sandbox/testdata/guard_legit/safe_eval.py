# A calculator that evaluates expressions with empty builtins: the string
# "__builtins__" is a key of the globals passed to eval, not a rebinding.
import ast
import operator

OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
       ast.Div: operator.truediv, ast.USub: operator.neg}


def calc(expr):
    tree = ast.parse(expr, mode="eval")
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant)
                          + tuple(OPS)):
            raise ValueError("unsupported: %s" % type(node).__name__)
    return eval(compile(tree, "<calc>", "eval"), {"__builtins__": {}}, {})


def calc_walk(node):
    if isinstance(node, ast.Expression):
        return calc_walk(node.body)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp):
        return OPS[type(node.op)](calc_walk(node.left), calc_walk(node.right))
    if isinstance(node, ast.UnaryOp):
        return OPS[type(node.op)](calc_walk(node.operand))
    raise ValueError(type(node).__name__)
### TEST
import ast
import unittest


class TestCases(unittest.TestCase):
    def test_calc(self):
        self.assertEqual(calc("2 * (3 + 4) - -1"), 15)
        self.assertAlmostEqual(calc("1 / 4"), 0.25)

    def test_rejects_names(self):
        with self.assertRaises(ValueError):
            calc("__import__('os')")

    def test_walk(self):
        self.assertEqual(calc_walk(ast.parse("6 * 7", mode="eval")), 42)
