"""Reproducing the SIGMORPHON baselines' published numbers on the shared-task files: the non-neural dev
(and, with gold files, test) accuracy per 2022 setting against the official figures, and 2023 dev accuracy.

The official figures (`data/sigmorphon2022_baselines.tsv`) are the 2022 task's published baseline results
(overall accuracy, accuracy and item counts per seen/unseen bucket), for its development languages."""

from __future__ import annotations

import csv
import time
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lexres.tasks.inflection.affix_baseline import AffixModel
from lexres.tasks.inflection.scoring import CATEGORIES, evaluate
from lexres.tasks.inflection.files import read_task_file

SETTINGS_2022 = ("bra_small", "evn_small", "evn_large", "itl_small", "ket_small", "lud_small", "lud_large")
DIR_2022 = Path("sigmorphon/2022/part1/development_languages")
DIR_2023 = Path("sigmorphon/2023/part1/data")
_BUCKET = {"both": "both", "lemma": "lemma", "features": "feats", "neither": "unseen"}


@lru_cache(maxsize=1)
def official_2022() -> dict[tuple[str, str, str], dict]:
    """(setting, split, model) -> published figures: `all`, per-bucket accuracy and counts `n_*`."""
    text = files("lexres.tasks").joinpath("data/sigmorphon2022_baselines.tsv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        key = (row.pop("setting"), row.pop("split"), row.pop("model"))
        out[key] = {k: (int(v) if k.startswith("n") else float(v)) for k, v in row.items()}
    return out


def official_counts(setting: str, split: str) -> dict[str, int]:
    row = official_2022()[(setting, split, "nonneural")]
    return {c: row["n_" + _BUCKET[c]] for c in CATEGORIES}


def run(train_path: Path, gold_path: Path) -> dict:
    """Fit the affix baseline on one file, score it on another (with the seen/unseen breakdown)."""
    start = time.perf_counter()
    train = read_task_file(train_path)
    gold = read_task_file(gold_path).examples()
    model = AffixModel.fit(train.examples())
    preds = model.predict([(e.lemma, e.features) for e in gold])
    result = evaluate([(e.lemma, e.features, e.form) for e in gold], preds, train.items())
    result["seconds"] = time.perf_counter() - start
    result["prefixing"] = model.prefixing
    return result


def find_gold(gold_dir: Path, lang: str, covered: Path) -> Path | None:
    """The file in `gold_dir` holding the answers to `covered`: named after the language and matching it
    line by line (lemma and features), whatever its exact name and layout."""
    want = read_task_file(covered).items()
    for path in sorted(gold_dir.iterdir()):
        if not path.is_file() or not path.name.startswith((lang + ".", lang + "_", lang + "-")):
            continue
        try:
            tf = read_task_file(path)
        except Exception:  # noqa: BLE001 - any unreadable candidate is simply not the gold file
            continue
        if not tf.covered and tf.items() == want:
            return path
    return None


def table_2022(shared: Path, split: str = "dev", gold_dir: Path | None = None) -> list[dict]:
    """One row per 2022 setting: ours vs official non-neural accuracy on dev (or on test, from gold files)."""
    base = shared / DIR_2022
    rows = []
    for setting in SETTINGS_2022:
        lang = setting.split("_")[0]
        if split == "dev":
            gold = base / f"{lang}.dev"
        else:
            gold = find_gold(gold_dir, lang, base / f"{lang}.test") if gold_dir else None
            if gold is None:
                rows.append({"setting": setting, "missing": True})
                continue
        r = run(base / f"{setting}.train", gold)
        off = official_2022()[(setting, split, "nonneural")]
        ours = r["overall"]["accuracy"]
        rows.append(
            {
                "setting": setting,
                "ours": ours,
                "official": off["all"],
                "diff": ours - off["all"],
                "counts": {c: r["by_category"][c]["n"] for c in CATEGORIES},
                "official_counts": official_counts(setting, split),
                "seconds": r["seconds"],
                "gold": str(gold),
            }
        )
    return rows


def table_2023(shared: Path) -> list[dict]:
    """Non-neural dev accuracy for each 2023 language (no official figure to compare with)."""
    base = shared / DIR_2023
    rows = []
    for train in sorted(base.glob("*.trn")):
        r = run(train, train.with_suffix(".dev"))
        rows.append(
            {
                "lang": train.stem,
                "ours": r["overall"]["accuracy"],
                "distance": r["overall"]["distance"],
                "prefixing": r["prefixing"],
                "seconds": r["seconds"],
            }
        )
    return rows
