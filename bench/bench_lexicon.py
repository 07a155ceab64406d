"""Bench: lexicon import and lookup against bare baselines measured in the same run.

- import: `import_resource` of the three ~35k-pair MUSE lists (af-en, tl-en, en-tl hunalign) into a fresh
  store, against a bare pass that reads and splits the same lines and inserts them with one executemany into
  an indexed SQLite table. Target: within 4x of the bare pass (the importer also normalizes, collapses
  duplicates, keeps two keys per side and provenance).
- lookup: `translations()` for 5,000 words (both directions, macrolanguage families, weights, sources),
  against one indexed SELECT per word. Target: within 4x.

    python bench/bench_lexicon.py [--repeat N]

Shared data is found at ../shared/data beside the repo, or at $LEXRES_SHARED_DATA."""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"import": 4.0, "lookup": 4.0}
FILES = ("muse-style/wiktionary_bli/final/af-en.train.MUSE",
         "muse-style/wiktionary_bli/final/tl-en.train.MUSE",
         "muse-style/hunalign-dict-muse/dict/en-tl.dict")


def shared_data() -> Path | None:
    root = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))
    return root if (root / "lexicons").is_dir() else None


def bare_import(paths: list[Path], db: Path) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE p (src TEXT, tgt TEXT)")
    conn.execute("CREATE INDEX p_src ON p(src)")
    conn.execute("CREATE INDEX p_tgt ON p(tgt)")
    conn.execute("BEGIN")
    n = 0
    for path in paths:
        sep = " @ " if path.suffix == ".dict" else "\t"
        with open(path, encoding="utf-8") as fh:
            rows = [ln.rstrip("\n").split(sep) for ln in fh]
        conn.executemany("INSERT INTO p VALUES (?, ?)", rows)
        n += len(rows)
    conn.execute("COMMIT")
    conn.close()
    return n


def lexres_import(paths: list[Path], db: Path) -> int:
    from lexres.importer import import_resource
    from lexres.store import Store

    with Store.open(db) as store:
        return sum(import_resource(store, "lexicon", [p]).n_stored for p in paths)


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = shared_data()
    if root is None:
        print("bench_lexicon: shared data not found (../shared/data or $LEXRES_SHARED_DATA); nothing to do")
        return 0
    paths = [root / "lexicons" / f for f in FILES]
    import lexres.langs  # noqa: F401  (load the ISO tables before timing: a one-off cost)
    from lexres.langs import resolve

    resolve("af")
    bare_t, ours_t = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            bare_t.append(timed(bare_import, paths, Path(tmp) / f"bare{i}.db"))
            ours_t.append(timed(lexres_import, paths, Path(tmp) / f"lex{i}.db"))
        from lexres.store import Store
        from lexres.store.lexicon import translations

        words = [ln.split("\t")[0] for ln in paths[1].read_text(encoding="utf-8").splitlines()]
        sample = random.Random(0).sample(words, 5000)
        raw = sqlite3.connect(Path(tmp) / "bare0.db")
        base_l, ours_l = [], []
        with Store.open(Path(tmp) / "lex0.db") as store:
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                for w in sample:
                    raw.execute("SELECT tgt FROM p WHERE src = ?", (w,)).fetchall()
                base_l.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                for w in sample:
                    translations(store, "tgl", "eng", w)
                ours_l.append(time.perf_counter() - t0)
        raw.close()
        base_lookup, our_lookup = statistics.median(base_l), statistics.median(ours_l)
    rows = [("import 3 lists (~106k pairs)", statistics.median(bare_t), statistics.median(ours_t), "import"),
            ("lookup 5,000 words", base_lookup, our_lookup, "lookup")]
    print(f"{'what':32} {'baseline s':>11} {'lexres s':>9} {'ratio':>6} {'target':>7}")
    ok = True
    for what, base, ours, key in rows:
        ratio = ours / base if base else float("inf")
        ok &= ratio <= TARGETS[key]
        print(f"{what:32} {base:11.3f} {ours:9.3f} {ratio:6.2f} {TARGETS[key]:6.1f}x")
    print("within target" if ok else "OVER TARGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
