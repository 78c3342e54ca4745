#!/usr/bin/python3
"""UnitCoder's basic retrieval rules, as a reference for unitcoder extract.

Usage: retrieval_reference.py LIBRARIES_TXT ROOT

Walks ROOT for *.py files and prints, one JSON object per line, every
top-level function (def or async def directly in the module) that:
  - has at least one parameter;
  - returns a value (`return <expr>` in its own body, not in nested scopes);
  - has no nested def, class or import;
  - calls a listed library: a call whose callee is a name, or a dotted
    name rooted at a name, bound by a module-level import of a listed
    top-level module.
Each line is {"path": path relative to ROOT, "index": the function's index
among the file's top-level functions, "name": ...}. Files that do not parse
(or are not UTF-8) are skipped. Length and self-containedness are not
rules here: the reference is what UnitCoder's rules accept.
"""
import ast
import json
import os
import sys


def module_imports(tree):
    """Names bound by imports at module level (outside defs and classes)."""
    bound = {}

    def visit(stmts):
        for s in stmts:
            if isinstance(s, ast.Import):
                for a in s.names:
                    bound[a.asname or a.name.split(".")[0]] = a.name.split(".")[0]
            elif isinstance(s, ast.ImportFrom):
                if s.level == 0 and s.module:
                    for a in s.names:
                        if a.name != "*":
                            bound[a.asname or a.name] = s.module.split(".")[0]
            elif isinstance(s, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(s, field, []) or [])
                for h in getattr(s, "handlers", []) or []:
                    visit(h.body)
    visit(tree.body)
    return bound


def own_nodes(fn):
    """Nodes of fn's body, not descending into nested defs, classes or lambdas."""
    stack = list(fn.body)
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(n))


def root_name(e):
    while isinstance(e, ast.Attribute):
        e = e.value
    return e.id if isinstance(e, ast.Name) else None


def accepted(fn, imports, libs):
    a = fn.args
    if not (a.posonlyargs or a.args or a.kwonlyargs or a.vararg or a.kwarg):
        return False
    nodes = list(own_nodes(fn))
    if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)) for n in nodes):
        return False
    if not any(isinstance(n, ast.Return) and n.value is not None for n in nodes):
        return False
    local = {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs + [v for v in (a.vararg, a.kwarg) if v]}
    for n in ast.walk(fn):
        if isinstance(n, ast.Call):
            r = root_name(n.func)
            if r and r not in local and imports.get(r) in libs:
                return True
    return False


def main():
    libs = {l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")}
    root = sys.argv[2]
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            try:
                tree = ast.parse(open(path, encoding="utf-8").read())
            except (SyntaxError, UnicodeDecodeError, ValueError):
                continue
            imports = module_imports(tree)
            fns = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
            for i, fn in enumerate(fns):
                if accepted(fn, imports, libs):
                    print(json.dumps({"path": os.path.relpath(path, root), "index": i, "name": fn.name}))


if __name__ == "__main__":
    main()
