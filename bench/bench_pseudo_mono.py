"""Throughput of `augment pseudo-mono` against the reference algorithm: a plain per-token dictionary lookup
(whitespace split, dict lookup, random.choice, join), over the same input in the same run.

Input: the English verse-per-line New Testament repeated 5 and 20 times (BENCH_REPEAT=5,20); lexicon: the
Swahili-English Wiktionary list used reversed (eng -> swh). Both sides build their table, read the input
file and write an output file inside the timed region. lexres learns each distinct chunk once, so the short
input shows that cost and the long one the steady state. CPU time (process_time) and wall time, best of
BENCH_RUNS (default 3) interleaved runs; the target is a CPU ratio >= 1x on every input.
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


def lexres_run(inp: Path, out: Path, pairs: list[tuple[str, str]], seed: int) -> None:
    from lexres.augment.substitute.engine import Options, Substituter
    from lexres.augment.substitute.table import build_table
    from lexres.augment.text.pseudo_mono import run_file

    table = build_table((e, s, 1.0) for e, s in pairs)
    run_file(Substituter(table, Options(min_replaced=0, seed=seed)), inp, out)


def timed(fn, *args) -> tuple[float, float, object]:
    """(CPU seconds, wall seconds, result) of one call."""
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn(*args)
    return time.process_time() - c0, time.perf_counter() - w0, result


ALGORITHMS = {"reference": reference, "lexres": lexres_run}


def count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


def main() -> int:

    data = shared_data()
    bible = data / "bible/clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"
    lex = data / "lexicons/muse-style/wiktionary_bli/final/sw-en.all"
    pairs = []
    for line in lex.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            pairs.append((parts[1], parts[0]))  # the file is sw -> en; translate en -> sw
    repeats = [int(r) for r in os.environ.get("BENCH_REPEAT", "5,20").split(",")]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    text = bible.read_text(encoding="utf-8")
    print(f"lexicon: sw-en.all reversed ({len(pairs):,} pairs); best of {runs} interleaved runs")
    head = f"{'input':<10}{'algorithm':<11}{'CPU s':>8}{'wall s':>8}{'ws tokens/s (CPU)':>19}"
    print(f"{head}{'CPU ratio':>11}{'wall ratio':>12}")
    verdicts = {}
    for repeat in repeats:
        with tempfile.TemporaryDirectory() as tmp:
            inp = Path(tmp) / "in.txt"
            inp.write_text(text * repeat, encoding="utf-8")
            times: dict[str, list[tuple[float, float]]] = {"reference": [], "lexres": []}
            n = 0
            for _ in range(runs):  # interleaved, so a load change on the machine hits both sides
                for name in ("reference", "lexres"):
                    out = Path(tmp) / f"{name}.txt"
                    if out.exists():
                        out.unlink()  # both sides write a new file
                    cpu_s, wall_s, got = timed(ALGORITHMS[name], inp, out, pairs, 1)
                    times[name].append((cpu_s, wall_s))
                    n = got if name == "reference" else n
            lines_in, lines_out = count_lines(inp), count_lines(Path(tmp) / "lexres.txt")
        if lines_in != lines_out:
            sys.exit(f"bench_pseudo_mono: lexres wrote {lines_out} lines for {lines_in}")
        cpu = {k: min(c for c, _ in v) for k, v in times.items()}
        wall = {k: min(w for _, w in v) for k, v in times.items()}
        r_cpu, r_wall = cpu["reference"] / cpu["lexres"], wall["reference"] / wall["lexres"]
        verdicts[repeat] = (r_cpu, r_wall)
        for name in ("reference", "lexres"):
            ratios = f"{r_cpu:>10.2f}x{r_wall:>11.2f}x" if name == "lexres" else ""
            label = f"NT x{repeat}"
            print(f"{label:<10}{name:<11}{cpu[name]:>8.3f}{wall[name]:>8.3f}{n / cpu[name]:>19,.0f}{ratios}")
    print("(tokens/s counts the same whitespace tokens for both, so a ratio is a ratio of times; lexres also")
    print(" tokenizes punctuation, keeps spacing, carries case, matches phrases and seeds per sentence)")
    for repeat, (r_cpu, r_wall) in verdicts.items():
        status = "meets" if r_cpu >= TARGET else "is BELOW"
        ratios = f"CPU {r_cpu:.2f}x, wall {r_wall:.2f}x"
        print(f"NT x{repeat}: {status} the target ({ratios}; target: CPU >= {TARGET:.1f}x)")
    met = sum(r >= TARGET for r, _ in verdicts.values())
    print(
        f"result: {met} of {len(verdicts)} inputs meet the target"
        + (" (all)" if met == len(verdicts) else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
