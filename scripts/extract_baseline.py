#!/usr/bin/python3
"""Baseline for scripts/bench-extract.sh: the extraction job of
pyast/extract done with Python's ast module, single-threaded.

For every *.py file under ROOT: parse it, collect module-level imports
(outside classes and functions), and for each top-level def / async def
find the names it reads, the import lines it uses (rewritten to the used
names) and its attribute calls resolved through the imports
(np.mean -> numpy.mean). Files that do not parse are skipped, as the Go
extractor rejects them. Prints one line: bytes, wall seconds, wall MB/s,
CPU-time MB/s (the per-core figure under load) and functions found.
"""
import ast
import os
import sys
import time


def module_imports(tree):
    """Map local name -> (qualified target, import line for that name)."""
    table = {}
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    table.setdefault(a.asname, (a.name, f"import {a.name} as {a.asname}"))
                else:
                    top = a.name.split(".")[0]
                    table.setdefault(top, (top, f"import {a.name}"))
        elif isinstance(node, ast.ImportFrom):
            mod = "." * node.level + (node.module or "")
            for a in node.names:
                if a.name == "*":
                    continue
                local = a.asname or a.name
                line = f"from {mod} import {a.name}" + (f" as {a.asname}" if a.asname else "")
                table.setdefault(local, (f"{mod}.{a.name}", line))
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    stack.append(child)
    return table


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def function_facts(fn, imports):
    bound, reads, calls = set(), [], []
    for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs:
        bound.add(a.arg)
    for a in (fn.args.vararg, fn.args.kwarg):
        if a:
            bound.add(a.arg)
    for node in ast.walk(fn):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                reads.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, ast.Call):
            calls.append(node.func)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    free = [n for n in dict.fromkeys(reads) if n not in bound]
    used = [n for n in free if n in imports]
    lines = sorted({imports[n][1] for n in used})
    apis = []
    for f in calls:
        parts = dotted(f)
        if parts and parts[0] in used:
            apis.append(".".join([imports[parts[0]][0]] + parts[1:]))
    return free, lines, apis


def main(root):
    paths = []
    for d, _, files in os.walk(root):
        paths += [os.path.join(d, f) for f in files if f.endswith(".py")]
    sources = []
    for p in sorted(paths):
        with open(p, "rb") as fh:
            sources.append(fh.read())
    total = sum(len(s) for s in sources)
    start, cpu_start = time.perf_counter(), time.process_time()
    functions = 0
    for src in sources:
        try:
            tree = ast.parse(src)
        except (SyntaxError, ValueError):
            continue
        imports = module_imports(tree)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                function_facts(node, imports)
                functions += 1
    secs = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f"bytes={total} seconds={secs:.3f} MB/s={total / secs / 1e6:.2f} "
          f"cpu-MB/s={total / cpu / 1e6:.2f} functions={functions}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3.11")
