"""Reproduce the SIGMORPHON 2022 non-neural baseline's published DEV accuracy per setting (target: within 2
points each), optionally the TEST table from a directory of gold test files, and report the 2023 languages'
dev accuracy.

    python bench/bench_inflection_baselines.py [GOLD_TEST_DIR]

Shared data is found at ../shared/data beside the repository, or at $LEXRES_SHARED_DATA."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from lexres.provenance import sha256_files, signature
from lexres.tasks.inflection.bench import DIR_2022, DIR_2023, table_2022, table_2023

TARGET = 2.0  # points of accuracy


def shared_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("LEXRES_SHARED_DATA", root.parent / "shared" / "data"))


def show_2022(rows: list, split: str) -> float:
    """Print the 2022 table (accuracies as percentages, the published unit); returns the worst |diff|."""
    print(f"\nSIGMORPHON 2022 non-neural baseline, {split.upper()} accuracy (ours vs official)")
    print(
        f"{'setting':<11} {'ours':>7} {'official':>9} {'diff':>7}  "
        f"{'buckets both/lemma/feats/unseen':<34} {'s':>5}"
    )
    worst = 0.0
    for r in rows:
        if r.missing:
            print(f"{r.setting:<11} {'(no gold file found)':>25}")
            continue
        same = "= official" if r.counts == r.official_counts else f"!= official {r.official_counts}"
        buckets = "/".join(str(r.counts[c]) for c in ("both", "lemma", "features", "neither"))
        print(
            f"{r.setting:<11} {100 * r.ours:7.2f} {100 * r.official:9.2f} {100 * r.diff:+7.2f}  "
            f"{buckets + ' ' + same:<34} {r.seconds:5.2f}"
        )
        worst = max(worst, abs(100 * r.diff))
    print(
        f"max |diff| = {worst:.2f} points; target <= {TARGET:.2f}; ratio {worst / TARGET:.2f} "
        f"({'OK' if worst <= TARGET else 'MISSED'})"
    )
    return worst


def main(argv: list[str]) -> int:
    shared = shared_root()
    if not (shared / "sigmorphon" / "2022").is_dir():
        print(
            f"shared data not found at {shared} (set LEXRES_SHARED_DATA or place shared/ beside the repo)",
            file=sys.stderr,
        )
        return 2
    start = time.perf_counter()
    show_2022(table_2022(shared, "dev"), "dev")
    if argv:
        gold_dir = Path(argv[0])
        if not gold_dir.is_dir():
            print(f"{gold_dir}: not a directory of gold test files", file=sys.stderr)
            return 2
        show_2022(table_2022(shared, "test", gold_dir), "test")
    print("\nSIGMORPHON 2023 non-neural baseline, DEV accuracy (no official figures)")
    print(f"{'lang':<6} {'ours':>7} {'mean dist':>10} {'prefixing':>10} {'s':>6}")
    rows = table_2023(shared)
    for r in rows:
        print(
            f"{r.lang:<6} {100 * r.ours:7.2f} {r.distance:10.3f} {str(r.prefixing):>10} "
            f"{r.seconds:6.2f}"
        )
    if rows:
        print(f"macro-average {100 * sum(r.ours for r in rows) / len(rows):.2f}")
    data = sorted(p for d in (DIR_2022, DIR_2023) for p in (shared / d).iterdir() if p.is_file())
    params = {"data": sha256_files(data)[:12], "model": "nonneural", "unit": "percent"}
    if argv:
        params["gold"] = sha256_files(sorted(p for p in Path(argv[0]).iterdir() if p.is_file()))[:12]
    print(f"signature: {signature('bench inflection-baselines', params)}")
    print(f"\ntotal {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
