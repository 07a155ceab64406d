"""What the file-level inflection operations return (build, convert, train, predict, eval, hallucinate):
frozen records with a `to_dict()` whose keys are the `--json` output's. Accuracies are fractions 0-1; the
CLI prints them as percentages, the unit of the SIGMORPHON tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lexres.records import Result
from lexres.tasks.inflection.models import Metrics
from lexres.tasks.inflection.scoring import Evaluation, Overlap, Score


@dataclass(frozen=True)
class BuildReport(Result):
    """A task built from the store: where and how (year, column layout, split kind, seed), the morph
    resources used, notes on where entries came from, entries available, whether the asked sizes were
    scaled down, lines per split, covered lines skipped and duplicates dropped, file names by role
    (`train`, `dev`, `test`, `*_covered`), and the overlap of dev and test with train (shares 0-1)."""

    out: str
    year: str
    layout: str
    split: str
    seed: int
    resources: Sequence[int]
    notes: Sequence[str]
    available: int
    sizes_scaled: bool
    counts: Mapping[str, int]
    covered_skipped: int
    duplicates_dropped: int
    files: Mapping[str, str]
    overlap: Mapping[str, Overlap]


@dataclass(frozen=True)
class ConvertReport(Result):
    """A task file rewritten in another layout: the detected input layout, the written one, lines written.
    `to_dict()` names the layouts `from` and `to`."""

    from_layout: str
    to_layout: str
    lines: int

    def to_dict(self) -> dict[str, Any]:
        """`{"from": ..., "to": ..., "lines": ...}`."""
        return {"from": self.from_layout, "to": self.to_layout, "lines": self.lines}


@dataclass(frozen=True)
class TrainReport(Result):
    """A model trained from files: its kind, directory, training and dev sizes, its Metrics (dev accuracy a
    fraction 0-1) and the run's signature (lexres version, input hashes, seed, options)."""

    model: str
    out: str
    train: int
    dev: int
    metrics: Metrics
    signature: str


@dataclass(frozen=True)
class PredictReport(Result):
    """A prediction file written: input and output paths, output and input layouts, lines, model kind."""

    input: str
    output: str
    layout: str
    input_layout: str
    lines: int
    model: str


@dataclass(frozen=True)
class EvalReport(Result):
    """A prediction file scored against gold (SIGMORPHON 2020 exact match after NFC, mean Levenshtein
    distance; with a training file, the 2022 seen/unseen buckets). Accuracies are fractions 0-1.
    `missing` counts gold lines without a prediction (scored as empty); `signature` names the lexres version,
    the input files' hashes and options, to print next to the score. `to_dict()` keeps the flat JSON shape
    `{"overall", "by_category"?, "gold", "pred", "missing", "train"?, "signature"}`."""

    evaluation: Evaluation
    gold: str
    pred: str
    missing: int
    train: str | None
    signature: str

    @property
    def overall(self) -> Score:
        """The score over all gold lines."""
        return self.evaluation.overall

    @property
    def by_category(self) -> Mapping[str, Score] | None:
        """Scores per 2022 bucket, or None without a training file."""
        return self.evaluation.by_category

    def to_dict(self) -> dict[str, Any]:
        """The flat JSON shape described in the class docstring."""
        d = {**self.evaluation.to_dict(), "gold": self.gold, "pred": self.pred, "missing": self.missing}
        if self.train is not None:
            d["train"] = self.train
        d["signature"] = self.signature
        return d


@dataclass(frozen=True)
class HallucinateReport(Result):
    """Hallucinated inflection examples written (Anastasopoulos & Neubig 2019): the source training file,
    the output and its layout, examples read, examples made, lines written (made + read with --with-input).
    `input` is the count of examples read, as in the manifest's counts."""

    source: str
    output: str
    layout: str
    input: int
    hallucinated: int
    lines: int
