"""Data hallucination for low-resource inflection (Anastasopoulos & Neubig 2019): keep an example's affixes
and features but swap its stem for random characters, so a model learns the affixes rather than the stems.

The stem is every run of at least `min_run` aligned identical characters of lemma and form; each of its
characters is replaced by one drawn uniformly from the language's alphabet (the non-space characters of the
training data), the same draw in lemma and form, so the example stays a consistent inflection.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from lexres.errors import OptionError
from lexres.progress import Progress

from lexres.tasks.inflection.affix_baseline import align
from lexres.tasks.inflection.models import Example


def alphabet_of(examples: Sequence[Example]) -> list[str]:
    """Characters seen in lemmas and forms, spaces excluded, in a fixed (sorted) order for seeding."""
    chars = set()
    for e in examples:
        chars.update(e.lemma)
        chars.update(e.form)
    return sorted(c for c in chars if not c.isspace())


def stem_runs(cols, min_run: int = 3) -> list[tuple[int, int]]:
    """Column ranges [start, end) where lemma and form agree on at least `min_run` characters in a row."""
    runs, start = [], None
    for k, (a, b) in enumerate(list(cols) + [(None, "")]):
        same = a is not None and a == b
        if same and start is None:
            start = k
        elif not same and start is not None:
            if k - start >= min_run:
                runs.append((start, k))
            start = None
    return runs


def hallucinate_one(
    example: Example, alphabet: Sequence[str], rng: random.Random, min_run: int = 3
) -> Example | None:
    """A new example with the stem runs of `example` replaced, or None when it has no stem run."""
    cols = align(example.lemma, example.form)
    runs = stem_runs(cols, min_run)
    if not runs:
        return None
    cols = [list(c) for c in cols]
    for start, end in runs:
        for k in range(start, end):
            if not cols[k][0].isspace():  # keep word boundaries of multi-word forms
                cols[k][0] = cols[k][1] = rng.choice(alphabet)
    lemma = "".join(a for a, _ in cols if a is not None)
    form = "".join(b for _, b in cols if b is not None)
    return Example(lemma, example.features, form)


def hallucinate(
    train: Sequence[Example],
    n: int,
    *,
    seed: int = 0,
    min_run: int = 3,
    alphabet: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[Example]:
    """`n` hallucinated examples from `train` (sources drawn uniformly with replacement), reproducible by
    `seed`. Examples without a stem run of `min_run` characters are never drawn."""
    if n < 0:
        raise OptionError(f"--n must be at least 0, got {n}")
    if min_run < 1:
        raise OptionError(f"the minimum stem run must be at least 1, got {min_run}")
    alphabet = list(alphabet) if alphabet is not None else alphabet_of(train)
    usable = [e for e in train if stem_runs(align(e.lemma, e.form), min_run)]
    if n and (not usable or not alphabet):
        raise OptionError(
            f"no training example shares a run of {min_run}+ characters between lemma and form",
            hint="hallucination needs stems to replace; check the input or lower the run length",
        )
    rng = random.Random(seed)
    progress = progress or Progress()
    progress.start(n, "hallucinating")
    out = []
    for _ in range(n):
        out.append(hallucinate_one(rng.choice(usable), alphabet, rng, min_run))
        progress.advance()
    return out
