"""Throughput of `augment pseudo-mono` against the reference algorithm: a plain per-token dictionary lookup
(whitespace split, dict lookup, random.choice, join), over the same input in the same run.

Input: the English verse-per-line New Testament repeated; lexicon: the Swahili-English Wiktionary list used
reversed (eng -> swh). Prints a table and the ratio (target >= 1x). Run: python bench/bench_pseudo_mono.py"""

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
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.txt"
        text = bible.read_text(encoding="utf-8")
        inp.write_text(text * repeat, encoding="utf-8")
        rows = []
        for name in ("reference", "lexres", "reference", "lexres"):  # interleaved: warm caches for both
            out = Path(tmp) / f"{name}.txt"
            t0 = time.process_time()
            if name == "reference":
                n = reference(inp, out, pairs, 1)
            else:
                table = build_table((e, s, 1.0) for e, s in pairs)
                opts = Options(min_replaced=0, seed=1, unknown="keep")
                counts = run_file(Substituter(table, opts), inp, out)
                n = counts.tokens
            rows.append((name, n, time.process_time() - t0))
    best = {name: min(t for nm, _, t in rows if nm == name) for name in ("reference", "lexres")}
    toks = {name: next(n for nm, n, _ in rows if nm == name) for name in best}
    print(
        f"input: English NT x{repeat} ({toks['lexres']:,} lexres tokens incl. punctuation; "
        f"{toks['reference']:,} whitespace tokens); lexicon sw-en.all reversed ({len(pairs):,} pairs)"
    )
    print(f"{'algorithm':<12}{'seconds':>10}{'tokens/s':>14}")
    for name in ("reference", "lexres"):
        print(f"{name:<12}{best[name]:>10.3f}{toks['reference'] / best[name]:>14,.0f}")
    ratio = best["reference"] / best["lexres"]
    print("(tokens/s counts the same whitespace tokens for both, so the ratio is a ratio of times)")
    print(
        f"ratio lexres / reference: {ratio:.2f}x (target >= {TARGET:.1f}x) "
        f"{'OK' if ratio >= TARGET else 'BELOW'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
