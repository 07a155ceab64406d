"""Hallucinated stems follow the language's letters: drawn by their frequency in the training lemmas and
forms, case kept as in the slot replaced, nothing from outside the training alphabet."""

from __future__ import annotations

import random
from collections import Counter

from lexres.augment.morph.hallucinate import Alphabet, alphabet_of, hallucinate
from lexres.tasks.inflection.affix_baseline import align
from lexres.tasks.inflection.models import Example


def _training(n: int = 400, seed: int = 3) -> list[Example]:
    """Skewed letters (a, k, t common; q, x rare), some capitalised lemmas (proper nouns), suffixes."""
    rng = random.Random(seed)
    letters, weights = "aktiouqxøé", [30, 20, 15, 10, 8, 6, 1, 1, 4, 5]
    out = []
    for i in range(n):
        stem = "".join(rng.choices(letters, weights, k=rng.randint(4, 8)))
        if i % 5 == 0:
            stem = stem[0].upper() + stem[1:]
        out.append(Example(stem + "a", ("N", "SG"), stem + "ani"))
    return out


def _replaced(train_ex: Example, made: Example) -> list[tuple[str, str]]:
    """(original slot character, new character) for every stem column that changed or could have."""
    old, new = align(train_ex.lemma, train_ex.form), align(made.lemma, made.form)
    return [(a, b) for (a, _), (b, _) in zip(old, new, strict=True) if a is not None]


def test_stem_letters_follow_training_frequencies_and_case():
    train = _training()
    counts = Counter()
    for e in train:
        counts.update(e.lemma.lower())
        counts.update(e.form.lower())
    lower_alphabet = {c for e in train for c in e.lemma + e.form if c.islower()}
    rng_sources = random.Random(11)
    drawn_lower: Counter = Counter()
    uppers = 0
    alphabet = alphabet_of(train)
    for k in range(3000):
        ex = rng_sources.choice(train)
        made = hallucinate([ex], 1, seed=k, alphabet=alphabet)[0]
        assert made.form == made.lemma + "ni"  # the affix is kept, the stem replaced alike in both
        for slot, new in _replaced(ex, made):
            if slot.islower():
                assert new in lower_alphabet  # never a letter from outside the training alphabet
                drawn_lower[new] += 1
            elif slot.isupper():
                assert new.isupper() and new.lower() in lower_alphabet
                uppers += 1
    assert uppers > 100
    # total variation distance between drawn and training letter frequencies (folded to lower case)
    total_d, total_t = sum(drawn_lower.values()), sum(counts[c] for c in lower_alphabet)
    tvd = 0.5 * sum(abs(drawn_lower[c] / total_d - counts[c] / total_t) for c in lower_alphabet)
    assert tvd < 0.03, tvd
    # a uniform draw over the same alphabet would be far off (the test can fail)
    uniform = 0.5 * sum(abs(1 / len(lower_alphabet) - counts[c] / total_t) for c in lower_alphabet)
    assert uniform > 0.15


def test_caseless_letters_and_non_letters():
    alphabet = Alphabet.from_counts(Counter("كتاب" * 5 + "123'"))  # Arabic letters have no case
    rng = random.Random(0)
    assert {alphabet.draw("ك", rng) for _ in range(200)} == set("كتاب")
    assert alphabet.draw("7", rng) == "7" and alphabet.draw("'", rng) == "'"
    assert alphabet.draw("a", rng) == "a"  # no cased letter was seen: the slot is kept
