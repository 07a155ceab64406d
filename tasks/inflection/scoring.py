"""Scoring inflection predictions as the SIGMORPHON 2020 evaluation does (exact match after Unicode NFC, mean
Levenshtein distance), plus the 2022 breakdown by whether the lemma / the feature bundle occurred in
training."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

# The 2022 analysis buckets, in report order.
CATEGORIES = ("both", "lemma", "features", "neither")


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


def score(gold: Sequence[str], pred: Sequence[str | None]) -> dict:
    """Accuracy (percent) and mean edit distance of predictions against gold forms, compared after NFC.
    `pred` may be shorter than `gold`: missing predictions count as empty strings."""
    if len(pred) > len(gold):
        from lexres.errors import OptionError

        raise OptionError(f"{len(pred)} predictions for {len(gold)} gold forms")
    n = len(gold)
    if n == 0:
        return {"n": 0, "correct": 0, "accuracy": 0.0, "distance": 0.0}
    correct = dist = 0
    for k, g in enumerate(gold):
        g, p = _nfc(g), _nfc(pred[k] if k < len(pred) else "")
        correct += g == p
        dist += levenshtein(g, p)
    return {"n": n, "correct": correct, "accuracy": 100.0 * correct / n, "distance": dist / n}


def bundle_key(features: Iterable[str]) -> tuple[str, ...]:
    """Order-free identity of a feature bundle (so `N;PL` and `PL;N` count as the same bundle)."""
    return tuple(sorted(features))


def category(lemma: str, features: Iterable[str], seen_lemmas: set[str], seen_bundles: set[tuple]) -> str:
    """Which of the 2022 buckets an item falls in, given what training held."""
    lem = _nfc(lemma) in seen_lemmas
    feat = bundle_key(features) in seen_bundles
    return "both" if lem and feat else "lemma" if lem else "features" if feat else "neither"


def seen_sets(train: Iterable[tuple[str, Sequence[str]]]) -> tuple[set[str], set[tuple]]:
    lemmas, bundles = set(), set()
    for lemma, feats in train:
        lemmas.add(_nfc(lemma))
        bundles.add(bundle_key(feats))
    return lemmas, bundles


def evaluate(
    gold: Sequence[tuple[str, Sequence[str], str]],
    pred: Sequence[str | None],
    train: Iterable[tuple[str, Sequence[str]]] | None = None,
) -> dict:
    """Score `pred` against gold (lemma, features, form) items; with `train` (lemma, features) items also
    per 2022 bucket: {"overall": {...}, "by_category": {"both": {...}, ...}}."""
    result = {"overall": score([g[2] for g in gold], pred)}
    if train is not None:
        lemmas, bundles = seen_sets(train)
        groups: dict[str, tuple[list, list]] = {c: ([], []) for c in CATEGORIES}
        for k, (lemma, feats, form) in enumerate(gold):
            g, p = groups[category(lemma, feats, lemmas, bundles)]
            g.append(form)
            p.append(pred[k] if k < len(pred) else "")
        result["by_category"] = {c: score(g, p) for c, (g, p) in groups.items()}
    return result


def overlap(items: Iterable[tuple[str, Sequence[str]]], train: Iterable[tuple[str, Sequence[str]]]) -> dict:
    """How many items fall in each 2022 bucket relative to `train` (counts and percentages)."""
    lemmas, bundles = seen_sets(train)
    counts = dict.fromkeys(CATEGORIES, 0)
    n = 0
    for lemma, feats in items:
        counts[category(lemma, feats, lemmas, bundles)] += 1
        n += 1
    return {
        "n": n,
        "counts": counts,
        "percent": {c: (100.0 * v / n if n else 0.0) for c, v in counts.items()},
    }
