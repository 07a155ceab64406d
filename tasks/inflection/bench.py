"""Reproducing the SIGMORPHON baselines' published numbers on the shared-task files: the non-neural dev
(and, with gold files, test) accuracy per 2022 setting against the official figures, and 2023 dev accuracy.

The official figures (`data/sigmorphon2022_baselines.tsv`) are the 2022 task's published baseline results
(overall accuracy, accuracy and item counts per seen/unseen bucket), for its development languages. The file
holds percentages, as published; the API turns them into fractions 0-1 like every other score, and the
benchmark scripts print percentages again."""

from __future__ import annotations

import csv
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lexres.records import Result
from lexres.tasks.inflection.affix_baseline import AffixModel
from lexres.tasks.inflection.files import read_task_file
from lexres.tasks.inflection.scoring import CATEGORIES, Evaluation, evaluate

SETTINGS_2022 = ("bra_small", "evn_small", "evn_large", "itl_small", "ket_small", "lud_small", "lud_large")
DIR_2022 = Path("sigmorphon/2022/part1/development_languages")
DIR_2023 = Path("sigmorphon/2023/part1/data")
_BUCKET = {"both": "both", "lemma": "lemma", "features": "feats", "neither": "unseen"}


@dataclass(frozen=True)
class Official(Result):
    """One published SIGMORPHON 2022 baseline result: overall accuracy and accuracy per 2022 bucket
    (`CATEGORIES` keys), all fractions 0-1 (the published table's percentages / 100), and the item counts
    (`n` overall, `counts` per bucket)."""

    accuracy: float
    by_category: Mapping[str, float]
    n: int
    counts: Mapping[str, int]


@dataclass(frozen=True)
class BaselineRun(Result):
    """The affix baseline fitted on one file and scored on another: the evaluation (accuracies 0-1, with
    the 2022 buckets), wall-clock seconds, and whether the model worked on reversed strings."""

    evaluation: Evaluation
    seconds: float
    prefixing: bool


@dataclass(frozen=True)
class Row2022(Result):
    """One 2022 setting: our non-neural accuracy vs the official one (fractions 0-1; `diff` = ours -
    official), bucket counts (ours and official), seconds, and the gold file scored. `missing` rows (no gold
    test file found) carry only the setting."""

    setting: str
    missing: bool = False
    ours: float | None = None
    official: float | None = None
    diff: float | None = None
    counts: Mapping[str, int] | None = None
    official_counts: Mapping[str, int] | None = None
    seconds: float | None = None
    gold: str | None = None


@dataclass(frozen=True)
class Row2023(Result):
    """One 2023 language: our non-neural dev accuracy (fraction 0-1), mean edit distance, prefixing,
    seconds."""

    lang: str
    ours: float
    distance: float
    prefixing: bool
    seconds: float


@lru_cache(maxsize=1)
def official_2022() -> dict[tuple[str, str, str], Official]:
    """(setting, split, model) -> the published figures of that 2022 baseline run (fractions 0-1).
    Source: SIGMORPHON-UniMorph 2022 shared task on inflection, part 1, baseline results."""
    text = files("lexres.tasks").joinpath("data/sigmorphon2022_baselines.tsv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        key = (row["setting"], row["split"], row["model"])
        out[key] = Official(
            accuracy=float(row["all"]) / 100.0,
            by_category={c: float(row[_BUCKET[c]]) / 100.0 for c in CATEGORIES},
            n=int(row["n"]),
            counts={c: int(row["n_" + _BUCKET[c]]) for c in CATEGORIES},
        )
    return out


def official_counts(setting: str, split: str) -> dict[str, int]:
    """The published item count per 2022 bucket for a setting's non-neural run on `split`."""
    return dict(official_2022()[(setting, split, "nonneural")].counts)


def run(train_path: Path, gold_path: Path) -> BaselineRun:
    """Fit the affix baseline on one file, score it on another (with the seen/unseen breakdown)."""
    start = time.perf_counter()
    train = read_task_file(train_path)
    gold = read_task_file(gold_path).examples()
    model = AffixModel.fit(train.examples())
    preds = model.predict([(e.lemma, e.features) for e in gold])
    result = evaluate([(e.lemma, e.features, e.form) for e in gold], preds, train.items())
    return BaselineRun(result, time.perf_counter() - start, model.prefixing)


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


def table_2022(shared: Path, split: str = "dev", gold_dir: Path | None = None) -> list[Row2022]:
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
                rows.append(Row2022(setting, missing=True))
                continue
        r = run(base / f"{setting}.train", gold)
        off = official_2022()[(setting, split, "nonneural")]
        ours = r.evaluation.overall.accuracy
        by = r.evaluation.by_category or {}
        rows.append(
            Row2022(
                setting,
                ours=ours,
                official=off.accuracy,
                diff=ours - off.accuracy,
                counts={c: by[c].n for c in CATEGORIES},
                official_counts=dict(off.counts),
                seconds=r.seconds,
                gold=str(gold),
            )
        )
    return rows


def table_2023(shared: Path) -> list[Row2023]:
    """Non-neural dev accuracy for each 2023 language (no official figure to compare with)."""
    base = shared / DIR_2023
    rows = []
    for train in sorted(base.glob("*.trn")):
        r = run(train, train.with_suffix(".dev"))
        o = r.evaluation.overall
        rows.append(Row2023(train.stem, o.accuracy, o.distance, r.prefixing, r.seconds))
    return rows
