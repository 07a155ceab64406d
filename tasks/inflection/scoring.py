"""Scoring inflection predictions as the SIGMORPHON 2020 evaluation does (exact match after Unicode NFC, mean
Levenshtein distance), plus the 2022 breakdown by whether the lemma / the feature bundle occurred in
training."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lexres.records import Result

# The 2022 analysis buckets, in report order.
CATEGORIES = ("both", "lemma", "features", "neither")


@dataclass(frozen=True, slots=True)
class Score(Result):
    """Exact-match accuracy and mean edit distance of `n` predictions.

    `accuracy` is a fraction 0-1 (`percent` gives the 0-100 figure the SIGMORPHON papers print);
    `distance` is the mean Levenshtein distance in code points per item."""

    n: int
    correct: int
    accuracy: float
    distance: float

    @property
    def percent(self) -> float:
        """Accuracy as a percentage (0-100), the unit of the shared tasks' published tables."""
        return 100.0 * self.accuracy


@dataclass(frozen=True, slots=True)
class Evaluation(Result):
    """Overall score, plus (when training items were given) one score per 2022 bucket of `CATEGORIES`."""

    overall: Score
    by_category: Mapping[str, Score] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape `{"overall": {...}, "by_category": {...}}`; `by_category` only when computed."""
        d = Result.to_dict(self)
        if self.by_category is None:
            del d["by_category"]
        return d


@dataclass(frozen=True, slots=True)
class Overlap(Result):
    """How items split over the 2022 buckets relative to a training set: `counts` per bucket and
    `share` per bucket as fractions 0-1 of `n`."""

    n: int
    counts: Mapping[str, int]
    share: Mapping[str, float]


def levenshtein(a: str, b: str) -> int:
    """Edit distance with unit insert, delete and substitute costs (code points, after the caller's NFC)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def score(gold: Sequence[str], pred: Sequence[str | None]) -> Score:
    """Accuracy (fraction 0-1) and mean edit distance of predictions against gold forms, compared after NFC,
    as the SIGMORPHON 2020 scorer does. `pred` may be shorter than `gold`: missing predictions count as
    empty strings. Raises OptionError when there are more predictions than gold forms."""
    if len(pred) > len(gold):
        from lexres.errors import OptionError

        raise OptionError(f"{len(pred)} predictions for {len(gold)} gold forms")
    n = len(gold)
    if n == 0:
        return Score(0, 0, 0.0, 0.0)
    correct = dist = 0
    for k, g in enumerate(gold):
        g, p = _nfc(g), _nfc(pred[k] if k < len(pred) else "")
        correct += g == p
        dist += levenshtein(g, p)
    return Score(n, correct, correct / n, dist / n)


def bundle_key(features: Iterable[str]) -> tuple[str, ...]:
    """Order-free identity of a feature bundle (so `N;PL` and `PL;N` count as the same bundle)."""
    return tuple(sorted(features))


def category(lemma: str, features: Iterable[str], seen_lemmas: set[str], seen_bundles: set[tuple]) -> str:
    """Which of the 2022 buckets an item falls in, given what training held."""
    lem = _nfc(lemma) in seen_lemmas
    feat = bundle_key(features) in seen_bundles
    return "both" if lem and feat else "lemma" if lem else "features" if feat else "neither"


def seen_sets(train: Iterable[tuple[str, Sequence[str]]]) -> tuple[set[str], set[tuple]]:
    """The NFC lemmas and the order-free feature bundles (`bundle_key`) of training (lemma, features)
    items."""
    lemmas, bundles = set(), set()
    for lemma, feats in train:
        lemmas.add(_nfc(lemma))
        bundles.add(bundle_key(feats))
    return lemmas, bundles


def evaluate(
    gold: Sequence[tuple[str, Sequence[str], str]],
    pred: Sequence[str | None],
    train: Iterable[tuple[str, Sequence[str]]] | None = None,
) -> Evaluation:
    """Score `pred` against gold (lemma, features, form) items; with `train` (lemma, features) items also
    per 2022 bucket (SIGMORPHON 2022 part 1 analysis: lemma / feature bundle seen in training or not).
    Accuracies are fractions 0-1."""
    overall = score([g[2] for g in gold], pred)
    if train is None:
        return Evaluation(overall)
    lemmas, bundles = seen_sets(train)
    groups: dict[str, tuple[list, list]] = {c: ([], []) for c in CATEGORIES}
    for k, (lemma, feats, form) in enumerate(gold):
        g, p = groups[category(lemma, feats, lemmas, bundles)]
        g.append(form)
        p.append(pred[k] if k < len(pred) else "")
    return Evaluation(overall, {c: score(g, p) for c, (g, p) in groups.items()})


def overlap(
    items: Iterable[tuple[str, Sequence[str]]], train: Iterable[tuple[str, Sequence[str]]]
) -> Overlap:
    """How many items fall in each 2022 bucket relative to `train` (counts and shares 0-1)."""
    lemmas, bundles = seen_sets(train)
    counts = dict.fromkeys(CATEGORIES, 0)
    n = 0
    for lemma, feats in items:
        counts[category(lemma, feats, lemmas, bundles)] += 1
        n += 1
    return Overlap(n, counts, {c: (v / n if n else 0.0) for c, v in counts.items()})
