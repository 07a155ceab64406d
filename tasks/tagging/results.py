"""Results of the tagging task as frozen dataclasses. Every score is a fraction in 0–1 (the CLI prints
percent); every result carries the signature of the run that made it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TypeScore:
    """Entity precision, recall and F1 (fractions 0–1) for one entity type, or `micro` over all types;
    `gold`/`predicted` count entities, `correct` the exact matches (same type, same span)."""

    type: str
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int


@dataclass(frozen=True)
class EntityScores:
    """Span-level scores as seqeval computes them by default (conlleval chunking): per type (sorted by
    type name) and micro-averaged."""

    per_type: tuple[TypeScore, ...]
    micro: TypeScore
    sentences: int
    tokens: int


@dataclass(frozen=True)
class PosScores:
    """UPOS tagging accuracy (fraction 0–1) over `tokens` words."""

    accuracy: float
    correct: int
    tokens: int
    sentences: int


@dataclass(frozen=True)
class EvalReport:
    """What `task tagging eval` measured: entity scores (IOB2 data) or UPOS accuracy (UPOS data).
    `dropped_types` were mapped to O in gold and prediction before scoring; `dropped_gold`/`dropped_pred`
    count the entities that removed."""

    scheme: str
    entities: EntityScores | None
    pos: PosScores | None
    dropped_types: tuple[str, ...]
    dropped_gold: int
    dropped_pred: int
    gold_sha256: str
    pred_sha256: str
    signature: str


@dataclass(frozen=True)
class EpochReport:
    """One training epoch: mean training loss, dev score (entity micro F1 or UPOS accuracy, 0–1; None
    without dev data), wall seconds (training and dev scoring), training throughput in subword pieces per
    second (training steps only), whether it was the best so far (and so saved; always False without dev
    data, when the last epoch is the one saved)."""

    epoch: int
    steps: int
    loss: float
    dev_score: float | None
    seconds: float
    tokens_per_second: float
    best: bool


@dataclass(frozen=True)
class TrainReport:
    """A finished training run: the saved model directory, its labels and scheme, the epochs run, the
    best epoch and its dev score (0–1), why training stopped, and the run's signature."""

    out: str
    scheme: str
    labels: tuple[str, ...]
    epochs: tuple[EpochReport, ...]
    best_epoch: int
    best_dev_score: float | None
    stopped: str
    steps: int
    sentences: int
    signature: str


@dataclass(frozen=True)
class PredictReport:
    """A tagged file: sentences and words tagged, labels changed by BIO repair, words the tokenizer gave
    no piece (labelled O / X), and the signature."""

    output: str
    sentences: int
    words: int
    repaired: int
    unpieced: int
    signature: str


@dataclass(frozen=True)
class DistillReport:
    """Label distillation of raw text: sentences kept, the 1-based line numbers dropped for a mean
    confidence (0–1) under `threshold`, empty lines, lines that CoNLL cannot hold (a token starting with
    -DOCSTART-), labels changed by BIO repair, and the signature."""

    output: str
    kept: int
    dropped_lines: tuple[int, ...]
    empty_lines: tuple[int, ...]
    unwritable_lines: tuple[int, ...]
    threshold: float
    repaired: int
    mean_confidence: float
    signature: str
