#!/usr/bin/python3
"""Packs the *.py files under one or more roots into The Stack-style JSONL
shards ({"content", "path", "repo", "license"} per line), for the memory
and throughput benchmarks (scripts/bench-memory.sh).

    scripts/pack_corpus.py OUT_DIR SHARD_MB COPIES ROOT [ROOT ...]

Files are taken in sorted path order; files that are not valid UTF-8 are
left out. COPIES > 1 repeats the whole corpus under distinct paths
(copy-K/...), so each copy's functions get their own ids: the later copies
are exact duplicates, which dedup rejects. Prints the bytes of content and
the number of rows written.
"""
import json
import os
import sys


def files(roots):
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".py"):
                    yield root, os.path.join(dirpath, name)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    out, shard_mb, copies, roots = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    os.makedirs(out, exist_ok=True)
    shard_bytes = int(shard_mb * 1e6)
    shard, written, total, rows = 0, 0, 0, 0
    f = open(os.path.join(out, "corpus-%05d.jsonl" % shard), "w", encoding="utf-8")
    for copy in range(copies):
        for root, path in files(roots):
            try:
                with open(path, encoding="utf-8") as src:
                    content = src.read()
            except (UnicodeDecodeError, OSError):
                continue
            rel = os.path.relpath(path, root)
            repo = rel.split(os.sep, 1)[0]
            if copies > 1:
                rel, repo = "copy-%d/%s" % (copy, rel), "copy-%d/%s" % (copy, repo)
            line = json.dumps({"content": content, "path": rel, "repo": repo, "license": "debian"}) + "\n"
            if written and written + len(line) > shard_bytes:
                f.close()
                shard, written = shard + 1, 0
                f = open(os.path.join(out, "corpus-%05d.jsonl" % shard), "w", encoding="utf-8")
            f.write(line)
            written += len(line)
            total += len(content.encode("utf-8"))
            rows += 1
    f.close()
    print("packed %d rows, %.1f MB of content, %d shards in %s" % (rows, total / 1e6, shard + 1, out))


if __name__ == "__main__":
    main()
