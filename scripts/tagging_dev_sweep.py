"""Choose the tagging experiment's fine-tuning learning rate and epochs on the dev set alone.

Re-trains configurations (a), (b) and (c) of a finished `lexres task tagging experiment` run (its `work/`
folder: train-a.conll, train-b.conll, dev.conll, body/, body-adapted/) for every (lr, epochs) in the grid and
seed, and prints each run's best dev entity F1 and the mean per setting. The test file is never read. The
setting with the highest mean dev F1 of (b), the configuration the claim is about, becomes the recipe.

    python scripts/tagging_dev_sweep.py EXP/work --grid 2.5e-4:5,5e-4:3,5e-4:5,1e-3:3,1e-3:5,2e-3:3 \
        --seeds 1,2 --out sweep/

Results are kept one JSON file per run in --out, so an interrupted sweep resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

# configuration -> (training file, body) in the experiment's work folder
CONFIGS = {
    "a": ("train-a.conll", "body"),
    "b": ("train-b.conll", "body"),
    "c": ("train-b.conll", "body-adapted"),
}


def main() -> None:
    from lexres.tasks.tagging.train import TrainOptions, train

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("work", type=Path, help="the work/ folder of a finished experiment")
    ap.add_argument("--grid", default="5e-4:3,1e-3:3", help="lr:epochs settings, comma-separated")
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--configs", default="a,b,c")
    ap.add_argument("--max-steps", type=int, default=None, help="cap on updates per run (smoke tests)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    grid = [(float(lr), int(ep)) for lr, ep in (x.split(":") for x in args.grid.split(","))]
    seeds = [int(s) for s in args.seeds.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    scores: dict[tuple[float, int, str], list[float]] = {}
    for lr, epochs in grid:
        for seed in seeds:
            for cfg in args.configs.split(","):
                train_file, body = CONFIGS[cfg]
                done = args.out / f"lr{lr:g}-ep{epochs}-{cfg}-seed{seed}.json"
                if not done.exists():
                    opts = TrainOptions(seed=seed, epochs=epochs, max_steps=args.max_steps, lr=lr,
                                        batch_size=32, threads=1, patience=epochs, max_length=128)
                    t0 = time.process_time()
                    rep = train(args.work / body, args.work / train_file, args.out / "model", "conll",
                                dev_path=args.work / "dev.conll", options=opts, force=True)
                    rec = {"lr": lr, "epochs": epochs, "config": cfg, "seed": seed,
                           "dev_f1": rep.best_dev_score, "best_epoch": rep.best_epoch, "steps": rep.steps,
                           "cpu_seconds": round(time.process_time() - t0, 1)}
                    done.write_text(json.dumps(rec) + "\n", encoding="utf-8")
                rec = json.loads(done.read_text(encoding="utf-8"))
                scores.setdefault((lr, epochs, cfg), []).append(100 * rec["dev_f1"])
                print(f"lr {lr:g} epochs {epochs} ({cfg}) seed {seed}: dev F1 {100 * rec['dev_f1']:.2f} "
                      f"(best epoch {rec['best_epoch']})", flush=True)
    print("\n| lr | epochs | config | dev F1 per seed | mean |\n|---|---|---|---|---|")
    for (lr, epochs, cfg), vals in sorted(scores.items()):
        print(f"| {lr:g} | {epochs} | {cfg} | {', '.join(f'{v:.2f}' for v in vals)} | "
              f"{statistics.fmean(vals):.2f} |")
    best = max((k for k in scores if k[2] == "b"), key=lambda k: statistics.fmean(scores[k]), default=None)
    if best:
        print(f"\nhighest mean dev F1 of (b): lr {best[0]:g}, {best[1]} epochs")


if __name__ == "__main__":
    main()
