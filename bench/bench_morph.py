"""Morphology import and lookup speed on the Irish UniMorph table (unimorph/gle/gle, 107,298 entries).

    python bench/bench_morph.py [--repeat N]

Import: `import_resource` of the table into a fresh, already created store, against `pandas.read_csv`
of the same file in the same run (read as text, the way a UniMorph table must be read: no NA
conversion, no quoting). Target: within 4x. The import is broken down so the floor can be seen: the
reader alone (decode, split, check features, build records) and, with rows built beforehand, a bare
SQLite insert into a fresh store's morph table without its indexes and the build of those indexes
afterwards (what an import of one row per entry into an indexed table cannot avoid).
Lookup: the paradigm of a lemma from the store, against `unimorph.inflect_word`
on the same lemma (the package's data folder is pointed at a temporary copy of the table).
Target: at least 100x faster. Both sides are timed as the best of N runs, interleaved.
Shared data is found at ../shared/data beside the repository, or at $LEXRES_SHARED_DATA."""
from __future__ import annotations

import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

IMPORT_TARGET = 4.0
LOOKUP_TARGET = 100.0
LEMMA = "greadóg"


def shared_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("LEXRES_SHARED_DATA", root.parent / "shared" / "data"))


def best(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time is what other processes' load cannot skew."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 5
    table = shared_root() / "unimorph" / "gle" / "gle"
    if not table.is_file():
        print(f"shared data not found: {table} (set LEXRES_SHARED_DATA or place shared/ beside the repo)",
              file=sys.stderr)
        return 2
    import pandas as pd

    from lexres.importer import import_resource
    from lexres.langs import resolve
    from lexres.store import Store
    from lexres.store import morph as morph_lookup

    tmp = Path(tempfile.mkdtemp(prefix="bench-morph-"))
    try:
        resolve("gle")  # the ISO 639 tables load once per process; not part of an import's work

        def pandas_read():
            pd.read_csv(table, sep="\t", header=None, names=["lemma", "form", "features"], dtype=str,
                        keep_default_na=False, quoting=csv.QUOTE_NONE)

        counter = iter(range(1 << 30))
        stored = {}

        def lexres_import() -> tuple[float, float]:
            # the store is created before and closed after the clock: creating a store (schema, WAL files,
            # ~40 ms wall on this disk) is not part of an import, as in bench_bible
            with Store.open(tmp / f"store{next(counter)}.db") as s:
                return timed(lambda: stored.__setitem__("result", import_resource(s, "morph", [table],
                                                                                  lang="gle")))

        from lexres import formats as registry
        from lexres.formats import ReadContext
        from lexres.store.writers import MorphWriter, insert_rows

        def reader_only():
            for _ in registry.get("morph", "unimorph").read([table], ReadContext(lang=None)):
                pass

        rows = [(1, "gle", e.lemma, e.form, ";".join(e.features), ";".join(e.canonical or e.features), e.line,
                 None) for e in registry.get("morph", "unimorph").read([table], ReadContext(lang=None))]
        floor: dict[str, list[tuple[float, float]]] = {"insert": [], "index": []}

        def bare_insert():
            with Store.open(tmp / f"store{next(counter)}.db") as s:
                s.conn.execute("INSERT INTO languages(code, name, scope) "
                               "VALUES ('gle', 'Irish', 'individual')")
                s.conn.execute("INSERT INTO resources(id, kind, format, name, lang, variety, sha256, "
                               "importer_version, imported_at) VALUES (1, 'morph', 'unimorph', 'x', 'gle', "
                               "'gle', '', '', '')")
                indexes = s.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                  "AND tbl_name = 'morph' AND sql IS NOT NULL")
                with s.transaction() as conn:
                    for name, _ in indexes:
                        conn.execute(f'DROP INDEX "{name}"')
                    floor["insert"].append(timed(lambda: insert_rows(conn, MorphWriter.sql, rows)))
                    floor["index"].append(timed(lambda: [conn.execute(sql) for _, sql in indexes]))

        t_pd, t_imp, t_read = [], [], []
        for _ in range(repeat):  # interleaved, so load from other processes hits both sides alike
            t_pd.append(timed(pandas_read))
            t_imp.append(lexres_import())
            t_read.append(timed(reader_only))
            bare_insert()
        p, q = min(w for w, _ in t_pd), min(w for w, _ in t_imp)
        pc, qc = min(c for _, c in t_pd), min(c for _, c in t_imp)
        parts = {"reader": t_read, **floor}
        best_parts = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in parts.items()}
        n = stored["result"].n_stored
        import_ratio, import_cpu_ratio = q / p, qc / pc

        # lookups: a store with the table, and the unimorph package reading a copy of it
        (tmp / "um" / "gle").mkdir(parents=True)
        shutil.copy(table, tmp / "um" / "gle" / "gle")
        os.environ["UNIMORPH"] = str(tmp / "um")
        import unimorph

        unimorph.UNIMORPH_DIR = tmp / "um"  # it read $UNIMORPH at import time; make sure it uses the copy
        store = Store.open(tmp / "store0.db")
        ours = morph_lookup.paradigm(store, "gle", LEMMA)
        theirs = unimorph.inflect_word(LEMMA, lang="gle")
        their_forms = sorted(line.split("\t")[1] for line in theirs.splitlines() if line.strip())
        assert sorted(c.form for c in ours.cells) == their_forms, "the two lookups disagree"
        t_um = [best(lambda: unimorph.inflect_word(LEMMA, lang="gle"), 1) for _ in range(repeat)]
        t_ours = [best(lambda: morph_lookup.paradigm(store, "gle", LEMMA), 1) for _ in range(200)]
        t_an = [best(lambda: morph_lookup.analyze(store, "gle", "na ngreadóg"), 1) for _ in range(200)]
        store.close()
        um, me, an = statistics.median(t_um), statistics.median(t_ours), statistics.median(t_an)
        lookup_ratio = um / me
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Irish UniMorph table: {n} entries, {table.stat().st_size:,} bytes; best of {repeat}")
    print(f"{'measure':<42} {'seconds':>10} {'CPU s':>8}")
    print(f"{'pandas.read_csv (text, no NA, no quoting)':<42} {p:10.4f} {pc:8.4f}")
    print(f"{'lexres import (parse, check, store)':<42} {q:10.4f} {qc:8.4f}  {q / p:5.2f}x {qc / pc:5.2f}x")
    labels = {"reader": "  reader alone (records, nothing stored)",
              "insert": "  bare SQLite insert, no index",
              "index": "  building the 3 morph indexes after it"}
    for key, label in labels.items():
        w, c = best_parts[key]
        print(f"{label:<42} {w:10.4f} {c:8.4f}  {w / p:5.2f}x {c / pc:5.2f}x")
    fl = best_parts["insert"][1] + best_parts["index"][1]
    print(f"{'  floor: insert + index (no Python per row)':<42} {'':10} {fl:8.4f}  {'':6} {fl / pc:5.2f}x")
    print(f"{'unimorph.inflect_word (median)':<42} {um:10.4f}")
    print(f"{'lexres paradigm lookup (median)':<42} {me:10.6f}")
    print(f"{'lexres analyze lookup (median)':<42} {an:10.6f}")
    ok_i, ok_l = import_ratio <= IMPORT_TARGET, lookup_ratio >= LOOKUP_TARGET
    print(f"import / pandas  = {import_ratio:6.2f}x wall, {import_cpu_ratio:.2f}x CPU  "
          f"(target <= {IMPORT_TARGET:.0f}x: {'OK' if ok_i else 'MISSED'})")
    print(f"unimorph / lookup = {lookup_ratio:8.0f}x  (target >= {LOOKUP_TARGET:.0f}x: "
          f"{'OK' if ok_l else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
