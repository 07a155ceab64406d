"""Bench: a thousand languages in one store. N languages are synthesised deterministically from real data
(the Swahili New Testament in CES XML, the Wiktionary sw-en lexicon and a slice of the Irish UniMorph table,
each with a seeded substitution of the letters a-z per language) under real ISO 639-3 codes of living
individual languages (python-iso639, a seeded sample), then in one run:

* import throughput (rows/s) per block of `--block` languages as the store grows (target: the last block
  within 25% of the first);
* paradigm lookup, word translation and verse lookup latency, p50/p99 over `--queries` random queries, when
  the store holds 10, 100 and 1,000 languages (target p99 <= 5 ms);
* `batch pseudo-mono` over all N languages with 1 and 2 workers (a LocalCluster started beforehand, so its
  start-up is reported apart): languages/s, speedup (target >= 1.6x on an idle machine), summed task CPU
  time, peak memory per worker, and whether both runs wrote the same bytes;
* store size on disk per million rows.

    python bench/bench_scale.py [--languages 60] [--block 50] [--morph-lines 10000] [--text-lines 1000]
                                [--queries 300] [--workdir DIR] [--keep] [--reuse DIR] [--no-batch]

`--keep` leaves the work folder (store, outputs) in place; `--reuse DIR` measures again on the store such a
run left in DIR (same --languages and --morph-lines): no synthesis and no import, the lookup latency at the
store's N languages only (and the batch runs unless --no-batch). The store is upgraded to this lexres's
schema first if it is older.

Shared data is found at ../shared/data beside the repo, or at $LEXRES_SHARED_DATA."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = 20261130
CHECKPOINTS = (10, 100, 1000)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ENTITY = re.compile(r"(&#?\w+;)")


def shared_data() -> Path:
    root = Path(os.environ.get("LEXRES_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not (root / "bible").is_dir():
        sys.exit(f"shared data not found at {root} (set LEXRES_SHARED_DATA)")
    return root


def codes(n: int) -> list[str]:
    """n ISO 639-3 codes of living individual languages outside any macrolanguage that lexres accepts, a
    seeded sample."""
    from iso639 import ALL_LANGUAGES

    pool = sorted(
        x.part3
        for x in ALL_LANGUAGES
        if x.scope == "I"
        and x.type == "L"
        and x.status == "A"
        and x.part3
        and not x.macrolanguage
        and x.part3 not in ("eng", "swh", "gle")
    )
    random.Random(SEED).shuffle(pool)
    from lexres.errors import LanguageError
    from lexres.langs import resolve

    out = []
    for code in pool:  # only codes lexres accepts (langcodes must know them as well-formed tags)
        try:
            resolve(code)
        except LanguageError:
            continue
        out.append(code)
        if len(out) == n:
            return sorted(out)
    sys.exit(f"at most {len(out)} languages")


def cipher(i: int) -> dict[int, str]:
    """The letter substitution of language number i (lower and upper case alike)."""
    perm = list(LETTERS)
    random.Random(f"{SEED}:{i}").shuffle(perm)
    table = str.maketrans(LETTERS, "".join(perm))
    table.update(str.maketrans(LETTERS.upper(), "".join(perm).upper()))
    return table


class Sources:
    """The real inputs, read once."""

    def __init__(self, root: Path, morph_lines: int):
        self.ces = (
            (root / "bible/christos-c/bibles/Swahili-NT.xml").read_text(encoding="utf-8").splitlines(True)
        )
        self.lex = (
            (root / "lexicons/muse-style/wiktionary_bli/final/sw-en.all")
            .read_text(encoding="utf-8")
            .splitlines()
        )
        gle = [x for x in (root / "unimorph/gle/gle").read_text(encoding="utf-8").splitlines() if x.strip()]
        self.gle = gle
        self.morph_lines = morph_lines
        self.english = root / "bible/clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"

    def write(self, i: int, code: str, folder: Path) -> dict[str, Path]:
        """Language i's Bible, lexicon (L -> eng) and morphology slice under `folder`."""
        t = cipher(i)
        folder.mkdir(parents=True, exist_ok=True)
        bible = folder / f"{code}.ces.xml"
        with open(bible, "w", encoding="utf-8", newline="") as fh:
            for line in self.ces:
                if line.lstrip().startswith("<"):
                    fh.write(line)
                else:  # verse text: letters substituted, entity references (&amp;) kept
                    fh.write("".join(p if p.startswith("&") else p.translate(t) for p in ENTITY.split(line)))
        lex = folder / f"{code}-en.tsv"
        lex.write_text(
            "".join(f"{a.translate(t)}\t{b}\n" for a, b in (r.split("\t") for r in self.lex)),
            encoding="utf-8",
        )
        start = (i * 7919) % max(1, len(self.gle) - self.morph_lines)
        rows = self.gle[start : start + self.morph_lines]
        morph = folder / f"{code}.unimorph"
        morph.write_text(
            "".join(
                f"{a.translate(t)}\t{b.translate(t)}\t{c}\n" for a, b, c in (r.split("\t") for r in rows)
            ),
            encoding="utf-8",
        )
        return {"bible": bible, "lexicon": lex, "morph": morph}


def probes_of(src: Sources, i: int, morph_lines: int) -> dict[str, list[str]]:
    """Language i's query words: up to 200 lemmas of its morphology slice and every 37th lexicon word."""
    t = cipher(i)
    start = (i * 7919) % max(1, len(src.gle) - morph_lines)
    return {
        "lemmas": sorted({r.split("\t")[0].translate(t) for r in src.gle[start : start + morph_lines]})[:200],
        "words": [r.split("\t")[0].translate(t) for r in src.lex[::37] if r.split("\t")[1].strip()],
        "english": [r.split("\t")[1] for r in src.lex[::37] if r.split("\t")[1].strip()],
    }


def reuse_store(work: Path, langs: list[str]) -> int:
    """Check that `work` holds the store of an earlier --keep run with these languages (upgrading its schema
    if older); returns its number of rows."""
    from lexres.store import Store

    store_path = work / "store.db"
    if not store_path.is_file():
        sys.exit(f"{work}: no store.db here (make one with --keep)")
    with Store(store_path) as store:  # opened for writing once: migrates an older schema
        held = {r.lang for r in store.resources("bible")}
        rows = sum(r.n_stored for r in store.resources())
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if held != set(langs):
        sys.exit(f"{work}: the store holds {len(held)} languages, not the {len(langs)} of --languages "
                 f"{len(langs)}")
    return rows


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def latency(store_path: Path, langs: list[str], probes: dict, n: int, rng: random.Random) -> dict[str, tuple]:
    """p50/p99 (ms) of paradigm lookup, word translation (L -> eng, and eng -> L: the side every lexicon
    shares) and verse lookup on a read-only store."""
    from lexres.export.bible import show
    from lexres.store import Store
    from lexres.store.lexicon import translations
    from lexres.store.morph import paradigm

    out = {}
    with Store(store_path, readonly=True) as store:
        cases = {  # name: (query, the probes of a language)
            "paradigm": (lambda lg, x: paradigm(store, lg, x).cells, lambda lg: probes[lg]["lemmas"]),
            "translate": (lambda lg, x: translations(store, lg, "eng", x), lambda lg: probes[lg]["words"]),
            "translate eng->L": (lambda lg, x: translations(store, "eng", lg, x),
                                 lambda lg: probes[lg]["english"]),
            "verse": (lambda lg, x: show(store, lg, x)[0]["verses"], lambda lg: probes["refs"]),
        }
        for name, (fn, pool) in cases.items():
            for lg in langs[:5]:
                fn(lg, pool(lg)[0])  # warm the caches a user's second query would find warm
            times, cpu = [], []
            for _ in range(n):
                lg = rng.choice(langs)
                x = rng.choice(pool(lg))
                t0, c0 = time.perf_counter(), time.thread_time()
                found = fn(lg, x)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.thread_time() - c0) * 1000)
                if not found:
                    sys.exit(f"{name} found nothing for {lg} {x!r}")
            out[name] = (pct(times, 0.5), pct(times, 0.99), pct(cpu, 0.99))
    return out


def batch_table(runs: dict, n_langs: int, n_lines: int) -> None:
    """Print the table of the batch pseudo-mono runs: {workers: (JobReport, cluster start s, digest)}."""
    print(f"## batch pseudo-mono ({n_langs} languages x {n_lines} English verses)")
    print(
        "| workers | seconds | languages/s | speedup | task CPU s | task wall s "
        "| peak RSS per worker (MiB) | "
        "cluster start s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    base = runs[1][0].seconds
    for w, (rep, startup, _) in runs.items():
        rss = ", ".join(f"{v / 1024:.0f}" for v in sorted(rep.peak_rss_kb().values()))
        print(
            f"| {w} | {rep.seconds:.1f} | {len(rep.done) / rep.seconds:.2f} | {base / rep.seconds:.2f} | "
            f"{rep.cpu_seconds:.1f} | {sum(o.seconds for o in rep.outcomes):.1f} | {rss} | {startup:.1f} |"
        )
    print(f"outputs byte-identical with 1 and 2 workers: {runs[1][2] == runs[2][2]}")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--languages", type=int, default=60)
    ap.add_argument("--block", type=int, default=50)
    ap.add_argument("--morph-lines", type=int, default=10000)
    ap.add_argument("--text-lines", type=int, default=1000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (store, sources, outputs)")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="measure again on the store a --keep run left in this folder (no import)")
    ap.add_argument("--no-batch", action="store_true", help="skip the batch pseudo-mono runs")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from lexres.importer import import_resource
    from lexres.store import Store

    root = shared_data()
    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench_scale.", dir=args.workdir))
    langs = codes(args.languages)
    src = Sources(root, args.morph_lines)
    rng = random.Random(SEED)
    store_path = work / "store.db"
    probes: dict = {"refs": ["MAT 5:3", "MRK 1:1", "LUK 2:1", "JHN 3:16", "ACT 2:1", "ROM 8:28", "REV 22:21"]}
    blocks, block_rows, block_secs, block_cpu = [], 0, 0.0, 0.0
    total_rows, t_synth = 0, 0.0
    lat_rows = []
    print(
        f"# bench_scale: {args.languages} languages, {args.morph_lines} morph lines + 7,324 lexicon pairs + "
        f"the NT (~7,850 verses) each; work folder {work}" + (" (reused)" if args.reuse else ""),
        flush=True,
    )
    t_all = time.perf_counter()
    if args.reuse:
        total_rows = reuse_store(work, langs)
        for i, code in enumerate(langs):
            probes[code] = probes_of(src, i, args.morph_lines)
        lat_rows.append((len(langs), latency(store_path, langs, probes, args.queries, rng)))
    with contextlib.nullcontext() if args.reuse else Store(store_path) as store:
        for i, code in enumerate([] if args.reuse else langs):
            t0 = time.perf_counter()
            files = src.write(i, code, work / "src" / code)
            t_synth += time.perf_counter() - t0
            t0, c0 = time.perf_counter(), time.process_time()
            rows = 0
            rows += import_resource(
                store, "bible", [files["bible"]], lang=code, format="ces", force_lang=True
            ).n_stored
            rows += import_resource(
                store, "lexicon", [files["lexicon"]], lang=code, target_lang="eng", format="muse"
            ).n_stored
            rows += import_resource(store, "morph", [files["morph"]], lang=code, format="unimorph").n_stored
            block_secs += time.perf_counter() - t0
            block_cpu += time.process_time() - c0
            block_rows += rows
            total_rows += rows
            probes[code] = probes_of(src, i, args.morph_lines)
            shutil.rmtree(work / "src" / code)
            done = i + 1
            if done % args.block == 0 or done == len(langs):
                blocks.append((done, block_rows, block_secs, block_cpu))
                print(
                    f"  imported {done:5d} languages: block {block_rows / block_secs:9,.0f} rows/s "
                    f"({block_rows:,} rows in {block_secs:.1f} s, {block_cpu:.1f} CPU s)",
                    flush=True,
                )
                block_rows, block_secs, block_cpu = 0, 0.0, 0.0
            if done in CHECKPOINTS:
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                lat_rows.append((done, latency(store_path, langs[:done], probes, args.queries, rng)))
                print(
                    f"  latency at {done} languages (load {os.getloadavg()[0]:.1f}): "
                    + ", ".join(
                        f"{k} p50 {a:.2f} / p99 {b:.2f} ms (CPU p99 {c:.2f})"
                        for k, (a, b, c) in lat_rows[-1][1].items()
                    ),
                    flush=True,
                )
        if store is not None:
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    t_import_all = time.perf_counter() - t_all
    size = sum(p.stat().st_size for p in work.glob("store.db*"))

    # batch pseudo-mono over every language, 1 and 2 workers
    text = work / "eng.txt"
    lines = [x for x in src.english.read_text(encoding="utf-8").splitlines() if x.strip()][: args.text_lines]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from lexres.batch import run_batch
    from lexres.jobs import client

    runs = {}
    for w in () if args.no_batch else (1, 2):
        shutil.rmtree(work / f"mono{w}", ignore_errors=True)  # outputs of an earlier run (--reuse)
        t0 = time.perf_counter()
        with client(w) as c:
            c.run(importlib.import_module, "lexres.batch")  # warm: module imports are start-up, not work
            c.run(importlib.import_module, "lexres.augment.text.pseudo_mono")
            startup = time.perf_counter() - t0
            rep = run_batch(
                store_path,
                "pseudo-mono",
                langs,
                {"src": "eng", "input": str(text), "out": str(work / f"mono{w}"), "min_replaced": 0},
                seed=1,
                dask_client=c,
                record=False,
            )
        digest = hashlib.sha256()
        for p in sorted((work / f"mono{w}").glob("*.txt")):
            digest.update(p.name.encode() + p.read_bytes())
        runs[w] = (rep, startup, digest.hexdigest())
        print(
            f"  pseudo-mono with {w} worker(s): {len(rep.done)} done, {len(rep.failed)} failed, "
            f"{rep.seconds:.1f} s (+{startup:.1f} s cluster start)",
            flush=True,
        )

    print()
    if blocks:
        print(
            f"## import ({args.languages} languages, blocks of {args.block}; "
            f"synthesis {t_synth:.0f} s not counted)"
        )
        print("| languages | rows in block | rows/s | rows per CPU s |")
        print("|---:|---:|---:|---:|")
        for done, r, s, c in blocks:
            print(f"| {done:,} | {r:,} | {r / s:,.0f} | {r / c:,.0f} |")
        first, last = blocks[0][1] / blocks[0][2], blocks[-1][1] / blocks[-1][2]
        print(f"last block / first block: {last / first:.2f} (target >= 0.75)")
        cfirst, clast = blocks[0][1] / blocks[0][3], blocks[-1][1] / blocks[-1][3]
        k = min(3, len(blocks) // 2) or 1
        med = [statistics.median(r / s for _, r, s, _ in part) for part in (blocks[:k], blocks[-k:])]
        print(f"the same in CPU time (which other processes on the machine do not change): "
              f"{clast / cfirst:.2f}; median of the last {k} blocks / median of the first {k}: "
              f"{med[1] / med[0]:.2f}")
        print()
    print(
        "## lookup latency (ms, read-only store, warm; wall p50 / p99, and p99 of the query's own CPU time, "
        "which preemption by other processes does not inflate)"
    )
    names = list(lat_rows[0][1]) if lat_rows else []
    print("| languages | " + " | ".join(f"{x} p50 | p99 | CPU p99" for x in names) + " |")
    print("|---:|" + "---:|" * (3 * len(names)))
    for done, lat in lat_rows:
        cells = " | ".join(f"{a:.2f} | {b:.2f} | {c:.2f}" for a, b, c in lat.values())
        print(f"| {done:,} | {cells} |")
    print()
    if runs:
        batch_table(runs, args.languages, len(lines))
    print(
        f"## store: {size / 2**20:,.0f} MiB for {total_rows:,} rows = "
        f"{size / 2**20 / (total_rows / 1e6):,.0f} "
        f"MiB per million rows; whole run {time.perf_counter() - t_all:.0f} s (import phase "
        f"{t_import_all:.0f} s); load average {os.getloadavg()[0]:.2f}"
    )
    if args.keep or args.reuse:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
