"""Train and score the neural inflection transducer on the SIGMORPHON 2022 settings and 2023 languages, next
to the official 2022 neural and non-neural dev figures and our non-neural baseline; optionally retrain the
small settings on train + hallucinated data (before/after).

    python bench/bench_neural_inflection.py [--only bra_small ...] [--hallucinate 10000] [--out DIR]
    python bench/bench_neural_inflection.py --report --out DIR     # table of finished runs only

Each finished run appends a line to DIR/results.jsonl (settings already there are skipped unless --rerun),
so settings can be trained in parallel processes (one torch thread each) and the table printed at the end.
Without a budget the defaults run to early stopping: minutes for a 700-example setting, 20-40 minutes for a
10k one on one shared core. `-o max_minutes=M` caps each run (the best epoch so far is kept), trading
accuracy for a predictable total; a capped run is reproducible only on a machine as fast.
Shared data is found at ../shared/data beside the repository, or at $LEXRES_SHARED_DATA."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

SMALL_2022 = ("bra_small", "evn_small", "itl_small", "ket_small", "lud_small")
SETTINGS_2022 = ("bra_small", "evn_small", "evn_large", "itl_small", "ket_small", "lud_small", "lud_large")
LANGS_2023 = ("amh", "kat", "klr", "nav", "tur")


def shared_root() -> Path:
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("LEXRES_SHARED_DATA", root.parent / "shared" / "data"))


def files_of(shared: Path, setting: str) -> tuple[Path, Path]:
    if setting in LANGS_2023:
        base = shared / "sigmorphon/2023/part1/data"
        return base / f"{setting}.trn", base / f"{setting}.dev"
    base = shared / "sigmorphon/2022/part1/development_languages"
    return base / f"{setting}.train", base / f"{setting.split('_')[0]}.dev"


def run(shared: Path, setting: str, out: Path, seed: int, hallucinate: int, opts: dict) -> dict:
    """Train one setting (optionally with hallucinated data added) and score it on dev."""
    from lexres.tasks.inflection.bench import run as run_nonneural
    from lexres.tasks.inflection.files import read_task_file
    from lexres.tasks.inflection.models import load_model, train_model
    from lexres.tasks.inflection.scoring import evaluate

    train_path, dev_path = files_of(shared, setting)
    train = read_task_file(train_path).examples()
    dev = read_task_file(dev_path).examples()
    extra = []
    if hallucinate:
        from lexres.augment.morph.hallucinate import hallucinate as make

        extra = make(train, hallucinate, seed=seed)
        # ~6k examples fall under the 10k-size defaults; keep the small sets' batch size so that a time budget
        # buys as many updates as the plain run got (the measured table used these settings)
        opts = {"batch_size": "32", "warmup": "200", **opts}
    model_dir = out / (setting + (f"+h{hallucinate}" if hallucinate else ""))
    start = time.perf_counter()
    metrics = train_model("neural", train + extra, dev, model_dir, seed=seed, inputs={"train": train_path},
                          **opts)
    seconds = time.perf_counter() - start
    preds = load_model(model_dir).predict([(e.lemma, e.features) for e in dev])
    scored = evaluate([(e.lemma, e.features, e.form) for e in dev], preds).overall
    # the results file and the tables hold percentages, the unit of the official figures
    return {"setting": setting, "hallucinated": len(extra), "dev_accuracy": scored.percent,
            "distance": scored.distance, "best_epoch": metrics.extra["best_epoch"],
            "epochs": metrics.extra["epochs"], "stopped": metrics.extra.get("stopped"),
            "seconds": round(seconds, 1),
            "nonneural": run_nonneural(train_path, dev_path).evaluation.overall.percent,
            "n_train": len(train), "opts": opts}


def official(setting: str, model: str) -> float | None:
    from lexres.tasks.inflection.bench import official_2022

    row = official_2022().get((setting, "dev", model))
    return 100.0 * row.accuracy if row else None  # percent, like the results file


def report(results: list[dict]) -> None:
    latest = {}
    for r in results:  # a rerun of a setting replaces the earlier one
        latest[(r["setting"], bool(r["hallucinated"]))] = r
    base = {s: r for (s, h), r in latest.items() if not h}
    hall = {s: r for (s, h), r in latest.items() if h}
    print("\nNeural transducer, DEV accuracy (official figures: SIGMORPHON 2022 baselines)")
    print(f"{'setting':<10} {'ours':>7} {'off.neur':>9} {'ours nn':>8} {'off.nn':>7} {'epochs':>7} {'s':>6}"
          "  stop")
    order = [s for s in SETTINGS_2022 + LANGS_2023 if s in base]
    for s in order:
        r = base[s]
        on, onn = official(s, "neural"), official(s, "nonneural")
        print(f"{s:<10} {r['dev_accuracy']:7.2f} {_f(on):>9} {r['nonneural']:8.2f} {_f(onn):>7} "
              f"{r['best_epoch']:>3}/{r['epochs']:<3} {r['seconds']:6.0f}  {r.get('stopped') or ''}")
    done22 = [s for s in SETTINGS_2022 if s in base]
    if done22:
        ours = _mean(base[s]["dev_accuracy"] for s in done22)
        off = _mean(official(s, "neural") for s in done22)
        print(f"\n2022 macro ({len(done22)}/7 settings): ours {ours:.2f} vs official neural {off:.2f} "
              f"-> ratio {ours / off:.3f} (target > 1)")
    if order:
        ours = _mean(base[s]["dev_accuracy"] for s in order)
        nn = _mean(base[s]["nonneural"] for s in order)
        print(f"2022+2023 macro ({len(order)} settings): ours {ours:.2f} vs our non-neural {nn:.2f} "
              f"-> ratio {ours / nn:.3f} (target > 1)")
    if hall:
        print("\nHallucination (train + N hallucinated), DEV accuracy")
        print(f"{'setting':<10} {'before':>7} {'after':>7} {'diff':>7} {'N':>6} {'s':>6}")
        for s in [s for s in SETTINGS_2022 + LANGS_2023 if s in hall]:
            after = hall[s]["dev_accuracy"]
            before = base[s]["dev_accuracy"] if s in base else None
            diff = f"{after - before:+7.2f}" if before is not None else f"{'-':>7}"
            print(f"{s:<10} {_f(before):>7} {after:7.2f} {diff} {hall[s]['hallucinated']:>6} "
                  f"{hall[s]['seconds']:6.0f}")
        if all(s in base for s in SETTINGS_2022):
            mixed = _mean((hall.get(s) or base[s])["dev_accuracy"] for s in SETTINGS_2022)
            off = _mean(official(s, "neural") for s in SETTINGS_2022)
            print(f"2022 macro with hallucination where run: ours {mixed:.2f} vs official neural {off:.2f} "
                  f"-> ratio {mixed / off:.3f}")


def _f(x) -> str:
    return "-" if x is None else f"{x:.2f}"


def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", choices=SETTINGS_2022 + LANGS_2023, help="settings to train")
    ap.add_argument("--hallucinate", type=int, default=0, metavar="N",
                    help="also train the small 2022 settings (or --only ones) on train + N hallucinated")
    ap.add_argument("--out", type=Path, help="model directories and results.jsonl (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="torch threads per training run")
    ap.add_argument("-o", dest="opts", action="append", default=[], metavar="KEY=VALUE",
                    help="neural option override, e.g. -o max_epochs=20")
    ap.add_argument("--report", action="store_true", help="only print the table of finished runs in --out")
    ap.add_argument("--rerun", action="store_true", help="retrain settings already in --out/results.jsonl")
    args = ap.parse_args(argv)
    shared = shared_root()
    if not (shared / "sigmorphon" / "2022").is_dir():
        print(f"shared data not found at {shared} (set LEXRES_SHARED_DATA or place shared/ beside the repo)",
              file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_neural_"))
    out.mkdir(parents=True, exist_ok=True)
    results_file = out / "results.jsonl"
    if not args.report:
        try:
            import torch  # noqa: F401
        except ImportError:
            print("torch is not installed: pip install 'lexres[model]'", file=sys.stderr)
            return 2
        opts = dict(kv.split("=", 1) for kv in args.opts)
        opts.setdefault("threads", str(args.threads))
        plain = list(args.only or SETTINGS_2022 + LANGS_2023)
        jobs = [(s, 0) for s in plain]
        if args.hallucinate:
            jobs += [(s, args.hallucinate) for s in (args.only or SMALL_2022)]
        done = set()
        if results_file.exists() and not args.rerun:
            done = {(r["setting"], r["hallucinated"] > 0) for r in _results(results_file)}
        for setting, n in jobs:
            if (setting, n > 0) in done:
                print(f"{setting}{f' + {n} hallucinated' if n else ''}: already in {results_file}, skipped")
                continue
            print(f"training {setting}{f' + {n} hallucinated' if n else ''} ...", flush=True)
            r = run(shared, setting, out, args.seed, n, opts)
            print(f"  dev {r['dev_accuracy']:.2f} in {r['seconds']:.0f} s", flush=True)
            with open(results_file, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(r) + "\n")
    if not results_file.exists():
        print(f"no results in {out}", file=sys.stderr)
        return 2
    report(_results(results_file))
    return 0


def _results(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
