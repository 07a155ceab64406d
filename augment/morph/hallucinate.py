"""Data hallucination for low-resource inflection (Anastasopoulos & Neubig 2019): keep an example's affixes
and features but swap its stem for random characters, so a model learns the affixes rather than the stems.

The stem is every run of at least `min_run` aligned identical characters of lemma and form; each of its
letters is replaced by one drawn from the language's letters by their frequency in the training lemmas and
forms (so common letters stay common and no foreign letter appears), the same draw in lemma and form, so the
example stays a consistent inflection. Case follows the slot: a lower-case slot gets a lower-case letter
seen in training, an upper-case slot the upper case of one; a caseless letter (Arabic, Georgian...) is
replaced by a caseless one; non-letters (digits, apostrophes, combining marks) and spaces are kept.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from lexres import defaults
from lexres.errors import OptionError
from lexres.progress import Progress
from lexres.tasks.inflection.affix_baseline import align
from lexres.tasks.inflection.models import Example


@dataclass(frozen=True)
class Alphabet:
    """Letters to draw replacement characters from, with cumulative frequency weights, in sorted order (so a
    seed gives the same draws everywhere): `cased` holds lower-case letters (an upper-case slot takes the
    upper case of the draw), `caseless` the letters of caseless scripts. Iterating gives every character
    a draw can produce."""

    cased: tuple[str, ...]
    cased_cum: tuple[float, ...]
    caseless: tuple[str, ...]
    caseless_cum: tuple[float, ...]

    @classmethod
    def from_counts(cls, counts: Counter) -> Alphabet:
        """From character counts: an upper-case letter counts toward its lower case when that lower case is
        itself seen; upper-case letters without one are used only when no lower-case letter was seen."""
        lower: Counter = Counter()
        upper_only: Counter = Counter()
        caseless: Counter = Counter()
        for c, n in counts.items():
            if c.islower():
                lower[c] += n
            elif c.isupper():
                low = c.lower()
                if len(low) == 1 and low in counts:
                    lower[low] += n
                else:
                    upper_only[c] += n
            elif c.isalpha():
                caseless[c] += n
        lower = lower or upper_only
        cased, caseless_keys = sorted(lower), sorted(caseless)
        return cls(tuple(cased), tuple(accumulate(lower[c] for c in cased)), tuple(caseless_keys),
                   tuple(accumulate(caseless[c] for c in caseless_keys)))

    @classmethod
    def uniform(cls, chars: Iterable[str]) -> Alphabet:
        """Every given character once (a fixed alphabet, drawn uniformly)."""
        return cls.from_counts(Counter(set(chars)))

    def __iter__(self) -> Iterator[str]:
        for c in self.cased:
            yield c
            if len(c.upper()) == 1:
                yield c.upper()
        yield from self.caseless

    def __bool__(self) -> bool:
        return bool(self.cased or self.caseless)

    def draw(self, slot: str, rng: random.Random) -> str:
        """A replacement for the character `slot`: same case class, by frequency; `slot` itself when it is
        not a letter or no letter of its class was seen."""
        if slot.isupper() or slot.islower():
            if not self.cased:
                return slot
            c = self.cased[bisect(self.cased_cum, rng.random() * self.cased_cum[-1])]
            if slot.isupper():
                up = c.upper()
                return up if len(up) == 1 else c
            return c
        if slot.isalpha() and self.caseless:
            return self.caseless[bisect(self.caseless_cum, rng.random() * self.caseless_cum[-1])]
        return slot


def alphabet_of(examples: Sequence[Example]) -> Alphabet:
    """The letters of the training lemmas and forms with their frequencies (see `Alphabet`)."""
    counts: Counter = Counter()
    for e in examples:
        counts.update(e.lemma)
        counts.update(e.form)
    return Alphabet.from_counts(counts)


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
    example: Example, alphabet: Alphabet | Sequence[str], rng: random.Random, min_run: int = 3
) -> Example | None:
    """A new example with the stem runs of `example` replaced, or None when it has no stem run. A plain
    sequence of characters as `alphabet` is drawn uniformly."""
    if not isinstance(alphabet, Alphabet):
        alphabet = Alphabet.uniform(alphabet)
    cols = align(example.lemma, example.form)
    runs = stem_runs(cols, min_run)
    if not runs:
        return None
    cols = [list(c) for c in cols]
    for start, end in runs:
        for k in range(start, end):
            if not cols[k][0].isspace():  # keep word boundaries of multi-word forms
                cols[k][0] = cols[k][1] = alphabet.draw(cols[k][0], rng)
    lemma = "".join(a for a, _ in cols if a is not None)
    form = "".join(b for _, b in cols if b is not None)
    return Example(lemma, example.features, form)


def hallucinate(
    train: Sequence[Example],
    n: int,
    *,
    seed: int = defaults.SEED,
    min_run: int = defaults.HALLUCINATE_MIN_RUN,
    alphabet: Alphabet | Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[Example]:
    """`n` hallucinated examples from `train` (sources drawn uniformly with replacement), reproducible by
    `seed`; replacement letters follow the training letters' frequencies (see `Alphabet`). Examples
    without a stem run of `min_run` characters are never drawn.

    Raises OptionError for a negative `n`, `min_run` < 1, or no usable example."""
    if n < 0:
        raise OptionError(f"--n must be at least 0, got {n}")
    if min_run < 1:
        raise OptionError(f"the minimum stem run must be at least 1, got {min_run}")
    if alphabet is None:
        alphabet = alphabet_of(train)
    elif not isinstance(alphabet, Alphabet):
        alphabet = Alphabet.uniform(alphabet)
    usable = [e for e in train if stem_runs(align(e.lemma, e.form), min_run)]
    if n and (not usable or not alphabet):
        raise OptionError(
            f"no training example shares a run of {min_run}+ characters between lemma and form",
            hint="hallucination needs stems to replace; check the input or lower the run length",
        )
    rng = random.Random(seed)
    progress = progress or Progress()
    progress.start(n, "hallucinating", "examples")
    out = []
    for _ in range(n):
        out.append(hallucinate_one(rng.choice(usable), alphabet, rng, min_run))
        progress.advance()
    return out
