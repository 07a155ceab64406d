"""Bench: import a whole CES New Testament (Swahili-NT.xml) into a fresh store, against a bare
lxml.etree.iterparse pass over the same file in the same run. Target: import within 2x of the bare pass.

    python bench/bench_bible.py [--repeat N] [--file PATH]

What is timed: `import_resource` into a store that is already created (creating and migrating a store
is not part of an import) -- hashing the source, parsing, building Verse records, writing the rows and
their index, committing. Wall and CPU time (time.process_time, which load from other processes does
not inflate) are both reported, as medians of N interleaved runs. Two extra rows break the import
down: the reader alone (parse + records, nothing stored) and the bare SQLite insert of the same rows
into a fresh store's verses table (no Python per verse at all): parse + insert is the floor.
Shared data is found at ../shared/data beside the repo, or at $LEXRES_SHARED_DATA."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 2.0


def shared_data() -> Path | None:
    root = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))
    return root if (root / "bible").is_dir() else None


def bare_pass(path: Path) -> int:
    """What any streaming reader must at least do: parse every element once, freeing it as it goes."""
    from lxml import etree

    n = 0
    for _, el in etree.iterparse(str(path), events=("end",)):
        n += 1
        el.clear()
    return n


def reader_only(path: Path) -> int:
    """The CES reader alone: every Verse record built, nothing stored."""
    from lexres import formats as registry
    from lexres.formats import ReadContext

    return sum(1 for _ in registry.get("bible", "ces").read([path], ReadContext(lang=None)))


def _rows(path: Path) -> list[tuple]:
    """The rows the import writes, built once outside any timing (for the bare insert)."""
    from lexres import formats as registry
    from lexres.books import sort_key
    from lexres.formats import ReadContext

    return [(1, v.book, v.chapter, v.verse, v.verse_end, v.ref, sort_key(v.book, v.chapter, v.verse), v.text,
             v.line) for v in registry.get("bible", "ces").read([path], ReadContext(lang=None))]


def bare_insert(rows: list[tuple]) -> tuple[float, float]:
    """(wall, CPU) of inserting `rows` into the verses table of a fresh store in one transaction."""
    from lexres.store import Store
    from lexres.store.writers import BibleWriter, insert_rows

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        store.conn.execute("INSERT INTO languages(code, name, scope) VALUES ('swh', 'Swahili', 'individual')")
        store.conn.execute("INSERT INTO resources(id, kind, format, name, lang, variety, sha256, "
                           "importer_version, imported_at) "
                           "VALUES (1, 'bible', 'ces', 'x', 'swh', 'swh', '', '', '')")
        w, c = time.perf_counter(), time.process_time()
        with store.transaction() as conn:
            insert_rows(conn, BibleWriter.sql, rows)  # the import's own way: many rows per statement
        return time.perf_counter() - w, time.process_time() - c


def lexres_import(path: Path, fmt: str | None) -> tuple[float, float, int]:
    """(wall, CPU, verses stored) of one `import_resource` into a fresh, already created store."""
    from lexres.importer import import_resource
    from lexres.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        w, c = time.perf_counter(), time.process_time()
        stored = import_resource(store, "bible", [path], lang="swh", format=fmt).n_stored
        return time.perf_counter() - w, time.process_time() - c, stored


def timed(fn, *args) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9, help="runs per measurement (median is reported)")
    ap.add_argument("--file", type=Path, help="CES file to use (default: the shared Swahili-NT.xml)")
    args = ap.parse_args(argv)
    path = args.file
    if path is None:
        root = shared_data()
        if root is None:
            print("bench_bible: shared data not found (expected ../shared/data beside the repo, or set "
                  "LEXRES_SHARED_DATA); nothing measured", file=sys.stderr)
            return 1
        path = root / "bible" / "christos-c" / "bibles" / "Swahili-NT.xml"
    # Warm up once so that imports, the language table and the file cache are not timed.
    elements = bare_pass(path)
    lexres_import(path, None)
    rows = _rows(path)
    keys = ("base", "reader", "insert", "forced", "sniffed")
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in keys}
    verses = 0
    for _ in range(args.repeat):  # interleaved, so load from other processes hits every row alike
        runs["base"].append(timed(bare_pass, path))
        runs["reader"].append(timed(reader_only, path))
        runs["insert"].append(bare_insert(rows))
        *wc, verses = lexres_import(path, "ces")
        runs["forced"].append(tuple(wc))
        *wc, _ = lexres_import(path, None)
        runs["sniffed"].append(tuple(wc))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in runs.items()}
    (bw, bc) = med["base"]
    size = path.stat().st_size / 1e6
    print(f"{path.name}: {size:.2f} MB, {elements} XML elements, {verses} verses stored; "
          f"median of {args.repeat} interleaved runs")
    print(f"{'measurement':<46}{'wall s':>8}{'ratio':>7}{'CPU s':>8}{'ratio':>7}")
    labels = {"base": "bare lxml.etree.iterparse pass (baseline)",
              "reader": "CES reader alone (Verse records, no store)",
              "insert": "bare SQLite insert of the same rows",
              "forced": "lexres import, --format ces",
              "sniffed": "lexres import, format sniffed"}
    for key, label in labels.items():
        w, c = med[key]
        print(f"{label:<46}{w:>8.3f}{w / bw:>7.2f}{c:>8.3f}{c / bc:>7.2f}")
    fw, fc = med["forced"]
    floor = (med["base"][1] + med["insert"][1]) / bc
    print(f"floor (bare parse + bare insert, CPU): {floor:.2f}x; Python per verse adds "
          f"{(fc - med['base'][1] - med['insert'][1]) * 1e6 / max(verses, 1):.1f} us CPU")
    for what, ratio in (("wall", fw / bw), ("CPU", fc / bc)):
        verdict = "meets" if ratio <= TARGET else "misses"
        print(f"ratio {ratio:.2f}x {what} vs target {TARGET:.1f}x: {verdict} the target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
