"""Bench: import a whole CES New Testament (Swahili-NT.xml) into a fresh store, against a bare
lxml.etree.iterparse pass over the same file in the same run. Target: import within 2x of the bare pass.

    python bench/bench_bible.py [--repeat N] [--file PATH]

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
    from lexres import registry
    from lexres.importer import ReadContext

    return sum(1 for _ in registry.get("bible", "ces").read([path], ReadContext(lang=None)))


def lexres_import(path: Path, fmt: str | None, repeat: int) -> tuple[float, int]:
    """Median seconds of `import_resource` into a fresh, already created store (store creation is not
    part of an import), and the verses stored."""
    from lexres.importer import import_resource
    from lexres.store import Store

    times, stored = [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
            t0 = time.perf_counter()
            stored = import_resource(store, "bible", [path], lang="swh", format=fmt).n_stored
            times.append(time.perf_counter() - t0)
    return statistics.median(times), stored


def timed(fn, *args, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per measurement (median is reported)")
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
    bare_pass(path)
    lexres_import(path, None, 1)
    base, elements = timed(bare_pass, path, repeat=args.repeat)
    reading, _ = timed(reader_only, path, repeat=args.repeat)
    forced, verses = lexres_import(path, "ces", args.repeat)
    sniffed, _ = lexres_import(path, None, args.repeat)
    size = path.stat().st_size / 1e6
    print(f"{path.name}: {size:.2f} MB, {elements} XML elements, {verses} verses stored; "
          f"median of {args.repeat} runs")
    print(f"{'measurement':<42}{'seconds':>9}{'ratio':>8}")
    print(f"{'bare lxml.etree.iterparse pass (baseline)':<42}{base:>9.3f}{1.0:>8.2f}")
    print(f"{'CES reader alone (Verse records, no store)':<42}{reading:>9.3f}{reading / base:>8.2f}")
    print(f"{'lexres import, --format ces':<42}{forced:>9.3f}{forced / base:>8.2f}")
    print(f"{'lexres import, format sniffed':<42}{sniffed:>9.3f}{sniffed / base:>8.2f}")
    ratio = forced / base
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"ratio {ratio:.2f}x vs target {TARGET:.1f}x: {verdict} the target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
