"""Throughput of `augment pseudo-mono` against the reference algorithm: a plain per-token dictionary lookup
(whitespace split, dict lookup, random.choice, join), over the same input in the same run.

Input: the English verse-per-line New Testament repeated 5 and 20 times (BENCH_REPEAT=5,20); lexicon: the
Swahili-English Wiktionary list used reversed (eng -> swh). lexres learns each distinct chunk once, so the
short input shows that cost and the long one the steady state. Prints a table and the ratio (target >= 1x).
Run: python bench/bench_pseudo_mono.py"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 1.0


def shared_data() -> Path:
    root = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not (root / "README.md").exists():
        sys.exit(f"bench_pseudo_mono: shared data not found at {root} (set LEXRES_SHARED_DATA)")
    return root


def reference(lines_path: Path, out_path: Path, pairs: list[tuple[str, str]], seed: int) -> int:
    """The reference algorithm: one dictionary lookup per whitespace token, uniform random choice."""
    table: dict[str, list[str]] = {}
    for eng, swh in pairs:
        table.setdefault(eng, []).append(swh)
    rng = random.Random(seed)
    n = 0
    with open(lines_path, encoding="utf-8") as src, open(out_path, "w", encoding="utf-8") as dst:
        for line in src:
            out = []
            for word in line.split():
                n += 1
                cands = table.get(word)
                out.append(rng.choice(cands) if cands else word)
            dst.write(" ".join(out) + "\n")
    return n


def main() -> int:
    from lexres.augment.pseudo_mono import run_file
    from lexres.augment.substitute import Options, Substituter
    from lexres.augment.table import build_table

    data = shared_data()
    bible = data / "bible/clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"
    lex = data / "lexicons/muse-style/wiktionary_bli/final/sw-en.all"
    pairs = []
    for line in lex.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            pairs.append((parts[1], parts[0]))  # the file is sw -> en; translate en -> sw
    repeats = [int(r) for r in os.environ.get("BENCH_REPEAT", "5,20").split(",")]
    text = bible.read_text(encoding="utf-8")
    print(f"lexicon: sw-en.all reversed ({len(pairs):,} pairs); CPU seconds, best of 2 interleaved runs")
    print(f"{'input':<14}{'algorithm':<11}{'seconds':>9}{'ws tokens/s':>13}{'ratio':>8}")
    ratios = {}
    for repeat in repeats:
        with tempfile.TemporaryDirectory() as tmp:
            inp = Path(tmp) / "in.txt"
            inp.write_text(text * repeat, encoding="utf-8")
            rows = []
            for name in ("reference", "lexres", "reference", "lexres"):  # interleaved
                out = Path(tmp) / f"{name}.txt"
                t0 = time.process_time()
                if name == "reference":
                    n = reference(inp, out, pairs, 1)
                else:
                    table = build_table((e, s, 1.0) for e, s in pairs)
                    run_file(Substituter(table, Options(min_replaced=0, seed=1)), inp, out)
                rows.append((name, time.process_time() - t0))
        best = {name: min(t for nm, t in rows if nm == name) for name in ("reference", "lexres")}
        ratio = ratios[repeat] = best["reference"] / best["lexres"]
        for name in ("reference", "lexres"):
            r = f"{ratio:.2f}x" if name == "lexres" else ""
            print(f"{'NT x' + str(repeat):<14}{name:<11}{best[name]:>9.3f}{n / best[name]:>13,.0f}{r:>8}")
    print("(tokens/s counts the same whitespace tokens for both, so a ratio is a ratio of times; lexres also")
    print(" tokenizes punctuation, keeps spacing, carries case, matches phrases and seeds per sentence)")
    summary = ", ".join(f"{r:.2f}x on NT x{k}" for k, r in ratios.items())
    met = [k for k, r in ratios.items() if r >= TARGET]
    verdict = "OK" if len(met) == len(ratios) else (f"OK from NT x{min(met)}" if met else "BELOW")
    print(f"ratio lexres / reference: {summary} (target >= {TARGET:.1f}x): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
