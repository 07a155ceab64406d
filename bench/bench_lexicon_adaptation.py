"""Lexicon-based adaptation for NER without target labeled data (issue 14; Wang, Ruder & Neubig 2022), on real
data, with its targets checked:

1. a temporary store gets the Swahili NT (CES XML), the English NT (Berean Standard Bible, vline + vref) and
   the Wiktionary sw-en and FreeDict eng-swh lexicons, imported with `lexres import`;
2. `lexres task tagging experiment` runs (a) English WikiANN only, (a=) its equal-steps control, (b) + the
   same data pseudo-labeled into Swahili, (c) + a body adapted on Bible + pseudo-monolingual text, (d) +
   distilled labels, on the MasakhaNER 2.0 Swahili test (DATE mapped to O; best epochs chosen on MasakhaNER
   dev only);
3. the same with `--lexicon induced` (a lexicon induced from the Bible pair by IBM Model 1 instead).

Targets: (b) - (a) >= +10 F1 (mean over the seeds) with non-overlapping mean ± 1 sd; (c) >= (b); with the
induced lexicon (b) > (a). Exit status 1 when a target is missed (the numbers are printed either way).

    python bench/bench_lexicon_adaptation.py [--seeds 1,2,3] [--budget-minutes 60] [--threads 1] [--out DIR]
        [--skip-induced] [--base LOCAL_MODEL_DIR]
    python bench/bench_lexicon_adaptation.py --results DIR   # check the targets on an --out DIR of a past run

Shared data is found at ../shared/data beside the repository, or at $LEXRES_SHARED_DATA; the benchmark exits
cleanly when absent."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SWH_NT = "bible/christos-c/bibles/Swahili-NT.xml"
ENG_NT = "bible/clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"
NT_VREF = "bible/clear-bible-vref/data/vref/org_nt_vref.txt"
LEXICON = "lexicons/muse-style/wiktionary_bli/final/sw-en.all"
FREEDICT = "lexicons/freedict/eng-swh/eng-swh.tei"
WIKIANN = "ner/wikiann-en/WikiANN/en/train"
MASAKHA = "ner/masakhaner2/MasakhaNER2.0/data/swa"


def shared_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("LEXRES_SHARED_DATA", root.parent / "shared" / "data"))


def lexres(*args: str, store: Path) -> None:
    """Run the real CLI in-process; a non-zero exit stops the benchmark."""
    from lexres.cli import main

    try:
        main(["--store", str(store), *map(str, args)])
    except SystemExit as exc:
        if exc.code not in (0, None):
            sys.exit(f"lexres {' '.join(map(str, args))} failed with exit status {exc.code}")


def build_store(data: Path, store: Path) -> None:
    lexres("import", "bible", data / SWH_NT, "--lang", "swh", store=store)
    lexres("import", "bible", data / ENG_NT, "--lang", "eng", "-o", f"vref={data / NT_VREF}", store=store)
    lexres("import", "lexicon", data / LEXICON, "--lang", "swh", "--target-lang", "eng", store=store)
    lexres("import", "lexicon", data / FREEDICT, "--lang", "eng", "--target-lang", "swh", store=store)


def experiment(data: Path, store: Path, out: Path, args, lexicon: str) -> dict:
    extra = ["--base", args.base] if args.base else []
    if args.threads:
        extra += ["--threads", str(args.threads)]
    lexres(
        "task",
        "tagging",
        "experiment",
        "--lang",
        "swh",
        "--src",
        "eng",
        "--train-en",
        data / WIKIANN,
        "--dev",
        data / MASAKHA / "dev.txt",
        "--test",
        data / MASAKHA / "test.txt",
        "--out",
        out,
        "--seeds",
        args.seeds,
        "--budget-minutes",
        str(args.budget_minutes),
        "--lexicon",
        lexicon,
        "--drop-types",
        "DATE",
        "--force",
        *extra,
        store=store,
    )
    return summaries(out)


def summaries(out: Path) -> dict:
    """{configuration: summary} from an experiment's results.json."""
    return {s["config"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["summaries"]}


def check(name: str, ok: bool, detail: str) -> bool:
    print(f"[{'PASS' if ok else 'MISS'}] {name}: {detail}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--budget-minutes", type=float, default=60.0)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a shared CPU)")
    ap.add_argument("--out", type=Path, default=None, help="keep results here (default: a temporary folder)")
    ap.add_argument("--skip-induced", action="store_true")
    ap.add_argument("--base", default=None, help="a local XLM-R/mBERT directory instead of a scratch body")
    ap.add_argument("--results", type=Path, default=None,
                    help="check the targets on the results of a past run (its --out DIR) instead of running")
    args = ap.parse_args()
    if args.results:
        return checked(args, summaries(args.results / "store-lexicon"),
                       lambda: summaries(args.results / "induced-lexicon"))
    data = shared_root()
    if not (data / WIKIANN).is_file() or not (data / SWH_NT).is_file():
        print(f"shared data not found at {data}; nothing to benchmark")
        return 0
    with tempfile.TemporaryDirectory(prefix="lexres-bench-adapt-") as tmp:
        root = args.out or Path(tmp)
        store = Path(tmp) / "store.db"
        build_store(data, store)
        res = experiment(data, store, root / "store-lexicon", args, "store")
        return checked(args, res, lambda: experiment(data, store, root / "induced-lexicon", args, "induced"))


def checked(args, res: dict, induced) -> int:
    """Print the F1 table and check the targets; `induced()` gives the induced-lexicon summaries."""
    f1 = {k: (100 * v["f1_mean"], 100 * v["f1_sd"]) for k, v in res.items()}
    for k, (m, sd) in f1.items():
        print(f"({k}) F1 {m:.2f} ± {sd:.2f}")
    (am, asd), (bm, bsd), (cm, _) = f1["a"], f1["b"], f1["c"]
    ok = check("(b) - (a) >= +10 F1", bm - am >= 10.0, f"{bm - am:+.2f}")
    ok &= check(
        "(b) ± sd and (a) ± sd do not overlap",
        bm - bsd > am + asd,
        f"(a) {am:.2f}±{asd:.2f}, (b) {bm:.2f}±{bsd:.2f}",
    )
    ok &= check("(c) >= (b)", cm >= bm, f"(c) {cm:.2f} vs (b) {bm:.2f}")
    print(f"equal-steps control (a=): {f1['a-equal-steps'][0]:.2f} ± {f1['a-equal-steps'][1]:.2f}")
    if not args.skip_induced:
        ind = induced()
        ia, ib = 100 * ind["a"]["f1_mean"], 100 * ind["b"]["f1_mean"]
        ok &= check("induced lexicon: (b) > (a)", ib > ia, f"(a) {ia:.2f}, (b) {ib:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
