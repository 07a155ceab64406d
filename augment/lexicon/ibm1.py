"""Bilingual lexicon induction from verse-aligned text: IBM Model 1 (Brown et al. 1993) trained by EM in both
directions (with a NULL word and, by default, fast_align's diagonal prior in the E-step, Dyer, Chahuneau &
Smith 2013), pairs scored by t(f|e) * t(e|f)**w, top-k per word above a threshold; plus the co-occurrence
Dice baseline. Everything runs on flat numpy arrays over all (verse, source token, target token)
combinations, with no Python loop over the corpus.

Array conventions: token ids are int64; a pair of source id e and target id f is keyed e * n_f + f
(int64); scores and probabilities are float64."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from lexres import defaults
from lexres.augment.substitute.tokenize import WORD
from lexres.progress import Progress
from lexres.records import Result


@dataclass
class Corpus:
    """Verse pairs as token ids: `src`/`tgt` are flat int64 id arrays (all verses' tokens in order, ids
    into `src_vocab`/`tgt_vocab`) with `src_len`/`tgt_len` (int64, one per verse) giving each verse's
    token count."""

    src_vocab: list[str]
    tgt_vocab: list[str]
    src: np.ndarray
    tgt: np.ndarray
    src_len: np.ndarray
    tgt_len: np.ndarray

    @property
    def n(self) -> int:
        """Number of verse pairs."""
        return len(self.src_len)

    def src_counts(self) -> np.ndarray:
        """Corpus frequency of each source word: int64 array of shape (len(src_vocab),)."""
        return np.bincount(self.src, minlength=len(self.src_vocab))


@dataclass(frozen=True)
class PrecisionAtK(Result):
    """Precision@1 and precision@5 (fractions 0-1) of an induced lexicon on `n` gold source words, and
    how many of those words got at least one prediction (`covered`)."""

    n: int
    p_at_1: float
    p_at_5: float
    covered: int


def words(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation dropped)."""
    return WORD.findall(text.casefold())


def build_corpus(
    pairs: Iterable[tuple[str, str, str]], max_len: int = defaults.INDUCTION_MAX_VERSE_WORDS
) -> Corpus:
    """Corpus from (ref, source text, target text); verses with an empty side, or longer than `max_len`
    words on either side (rare merged passages that would dominate the pair count), are skipped."""
    sv: dict[str, int] = {}
    tv: dict[str, int] = {}
    src, tgt, sl, tl = [], [], [], []
    for _ref, a, b in pairs:
        wa, wb = words(a), words(b)
        if not wa or not wb or len(wa) > max_len or len(wb) > max_len:
            continue
        src.extend(sv.setdefault(w, len(sv)) for w in wa)
        tgt.extend(tv.setdefault(w, len(tv)) for w in wb)
        sl.append(len(wa))
        tl.append(len(wb))
    return Corpus(
        list(sv),
        list(tv),
        np.array(src, np.int64),
        np.array(tgt, np.int64),
        np.array(sl, np.int64),
        np.array(tl, np.int64),
    )


def _pairs(e: np.ndarray, e_len: np.ndarray, f: np.ndarray, f_len: np.ndarray, null: bool):
    """Every (e token, f token) combination within each verse, as flat arrays: (e id, f token index).
    With `null`, each verse's e side gets a NULL word (id -1)."""
    n = len(e_len)
    if null:  # insert -1 at the start of every verse's e tokens
        e_starts = np.cumsum(e_len) - e_len
        e = np.insert(e, e_starts, -1)
        e_len = e_len + 1
    e_start = np.cumsum(e_len) - e_len
    verse_of_f = np.repeat(np.arange(n), f_len)
    per_f = e_len[verse_of_f]  # e tokens each f token pairs with
    f_index = np.repeat(np.arange(len(f)), per_f)
    block = np.repeat(np.cumsum(per_f) - per_f, per_f)
    e_ids = e[np.repeat(e_start[verse_of_f], per_f) + (np.arange(len(f_index)) - block)]
    return e_ids, f_index


def _diagonal(e_len: np.ndarray, f_len: np.ndarray, tension: float, p_null: float = 0.08) -> np.ndarray:
    """fast_align's alignment prior for every (NULL + e, f) combination of `_pairs(..., null=True)`: NULL
    gets p_null, and e position i of m draws (1 - p_null) in proportion to exp(-tension * |i/m - j/n|)
    for f position j of n (positions centred), so verse pairs are read as roughly monotone."""
    n = len(e_len)
    verse_of_f = np.repeat(np.arange(n), f_len)
    j = np.arange(len(verse_of_f)) - np.repeat(np.cumsum(f_len) - f_len, f_len)
    per_f = e_len[verse_of_f] + 1
    f_index = np.repeat(np.arange(len(verse_of_f)), per_f)
    i = np.arange(len(f_index)) - np.repeat(np.cumsum(per_f) - per_f, per_f)  # 0 = NULL
    m = e_len[verse_of_f][f_index].astype(float)
    nf = f_len[verse_of_f][f_index].astype(float)
    raw = np.exp(-tension * np.abs((i - 0.5) / m - (j[f_index] + 0.5) / nf))
    raw[i == 0] = 0.0
    total = np.bincount(f_index, weights=raw, minlength=len(verse_of_f))
    prior = (1.0 - p_null) * raw / total[f_index]
    prior[i == 0] = p_null
    return prior


def ibm1(
    e: np.ndarray,
    e_len: np.ndarray,
    f: np.ndarray,
    f_len: np.ndarray,
    n_e: int,
    n_f: int,
    iterations: int = defaults.INDUCTION_ITERATIONS,
    diagonal: float = 0.0,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """IBM Model 1 t(f|e) by EM (Brown et al. 1993); with `diagonal` > 0, the E-step also weighs each link
    by fast_align's diagonal prior of that tension (Dyer et al. 2013; IBM Model 2 style, not learnt). The
    default here is the plain model; `ibm1_both` and the CLI use defaults.INDUCTION_DIAGONAL.
    `e`, `f`: flat int64 token ids; `e_len`, `f_len`: int64 tokens per verse; `n_e`, `n_f`: vocabulary
    sizes. Returns (int64 pair keys e*n_f+f for e >= 0, float64 t values); NULL rows dropped."""
    e_ids, f_index = _pairs(e, e_len, f, f_len, null=True)
    prior = _diagonal(e_len, f_len, diagonal) if diagonal > 0 else None
    keys = (e_ids + 1) * n_f + f[f_index]  # NULL is row 0
    uniq, inv = np.unique(keys, return_inverse=True)
    e_of = uniq // n_f
    t = np.full(len(uniq), 1.0 / n_f)
    for _ in range(iterations):
        tv = t[inv] if prior is None else t[inv] * prior
        denom = np.bincount(f_index, weights=tv, minlength=len(f))
        post = tv / denom[f_index]
        cnt = np.bincount(inv, weights=post, minlength=len(uniq))
        total = np.bincount(e_of, weights=cnt, minlength=n_e + 1)
        t = cnt / total[e_of]
        if progress is not None:
            progress.advance(1)
    real = e_of > 0
    return (e_of[real] - 1) * n_f + uniq[real] % n_f, t[real]


def dice(c: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Verse-level co-occurrence Dice 2*c(e,f)/(c(e)+c(f)), c counting verses. Returns (int64 pair keys
    e*n_f+f, float64 scores in 0-1)."""
    n_e, n_f = len(c.src_vocab), len(c.tgt_vocab)
    e, e_len = _dedup(c.src, c.src_len, n_e)
    f, f_len = _dedup(c.tgt, c.tgt_len, n_f)
    e_ids, f_index = _pairs(e, e_len, f, f_len, null=False)
    keys, both = np.unique(e_ids * n_f + f[f_index], return_counts=True)
    ce, cf = np.bincount(e, minlength=n_e), np.bincount(f, minlength=n_f)
    return keys, 2.0 * both / (ce[keys // n_f] + cf[keys % n_f])


def _dedup(ids: np.ndarray, lens: np.ndarray, vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """Each verse's distinct tokens."""
    verse = np.repeat(np.arange(len(lens)), lens)
    keys = np.unique(verse * vocab + ids)
    v = keys // vocab
    return keys % vocab, np.bincount(v, minlength=len(lens))


def ibm1_both(
    c: Corpus,
    iterations: int = defaults.INDUCTION_ITERATIONS,
    reverse_weight: float = defaults.INDUCTION_REVERSE_WEIGHT,
    diagonal: float = defaults.INDUCTION_DIAGONAL,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """IBM1 in both directions, combined as t(f|e) * t(e|f)**reverse_weight over pairs both directions
    know (0 = the forward model alone, 0.5 ~ a geometric mean). A small reverse weight keeps the forward
    model's ranking but demotes rare target words that IBM1 lets "collect" probability mass.
    Returns (int64 pair keys e*n_f+f, float64 scores)."""
    n_e, n_f = len(c.src_vocab), len(c.tgt_vocab)
    if progress is not None:
        progress.start(iterations * (1 if reverse_weight == 0 else 2), "IBM Model 1: EM", "iterations")
    k_fe, t_fe = ibm1(c.src, c.src_len, c.tgt, c.tgt_len, n_e, n_f, iterations, diagonal, progress)
    if reverse_weight == 0:
        return k_fe, t_fe
    k_ef, t_ef = ibm1(c.tgt, c.tgt_len, c.src, c.src_len, n_f, n_e, iterations, diagonal, progress)
    k_ef = (k_ef % n_e) * n_f + k_ef // n_e  # re-key f*n_e+e as e*n_f+f
    order = np.argsort(k_ef)
    k_ef, t_ef = k_ef[order], t_ef[order]
    pos = np.searchsorted(k_ef, k_fe).clip(max=len(k_ef) - 1)
    hit = k_ef[pos] == k_fe
    return k_fe[hit], t_fe[hit] * t_ef[pos[hit]] ** reverse_weight


def top_k(
    c: Corpus,
    keys: np.ndarray,
    scores: np.ndarray,
    *,
    k: int = defaults.INDUCTION_TOP_K,
    threshold: float = defaults.INDUCTION_THRESHOLD,
    min_count: int = defaults.INDUCTION_MIN_COUNT,
) -> dict[str, list[tuple[str, float]]]:
    """Best `k` translations per source word with score >= threshold, for words seen >= min_count.
    `keys` (int64 e*n_f+f) and `scores` (float64) are parallel arrays as `ibm1_both` / `dice` return.
    Returns source word -> [(target word, score)], best first (ties by target id)."""
    n_f = len(c.tgt_vocab)
    e, f = keys // n_f, keys % n_f
    keep = (scores >= threshold) & (c.src_counts()[e] >= min_count)
    e, f, s = e[keep], f[keep], scores[keep]
    order = np.lexsort((f, -s, e))
    e, f, s = e[order], f[order], s[order]
    rank = np.arange(len(e)) - np.searchsorted(e, e)  # position within each word's group
    sel = rank < k
    out: dict[str, list[tuple[str, float]]] = {}
    sv, tv = c.src_vocab, c.tgt_vocab
    for ei, fi, si in zip(e[sel].tolist(), f[sel].tolist(), s[sel].tolist(), strict=False):
        out.setdefault(sv[ei], []).append((tv[fi], si))
    return out


def induce(
    c: Corpus,
    method: str = defaults.INDUCTION_METHOD,
    *,
    k: int = defaults.INDUCTION_TOP_K,
    threshold: float = defaults.INDUCTION_THRESHOLD,
    min_count: int = defaults.INDUCTION_MIN_COUNT,
    iterations: int = defaults.INDUCTION_ITERATIONS,
    reverse_weight: float = defaults.INDUCTION_REVERSE_WEIGHT,
    diagonal: float = defaults.INDUCTION_DIAGONAL,
    progress: Progress | None = None,
) -> dict[str, list[tuple[str, float]]]:
    """Induced lexicon: source word -> [(target word, score)], best first. method: ibm1 (see `ibm1_both`)
    or dice. Raises OptionError for another method."""
    if method == "ibm1":
        keys, scores = ibm1_both(c, iterations, reverse_weight, diagonal, progress)
    elif method == "dice":
        keys, scores = dice(c)
    else:
        from lexres.errors import OptionError

        raise OptionError(f"unknown method `{method}`", hint="ibm1 or dice")
    return top_k(c, keys, scores, k=k, threshold=threshold, min_count=min_count)


def evaluate(
    predicted: dict[str, list[tuple[str, float]]], gold: dict[str, set[str]], vocab: Iterable[str]
) -> PrecisionAtK:
    """Precision@1 and @5 (fractions 0-1) over the gold source words that occur in `vocab` (the corpus): a
    word counts as a hit at k when one of its first k predictions is a gold translation (case-insensitive),
    the usual bilingual lexicon induction measure (as in MUSE)."""
    gold = {w.casefold(): {t.casefold() for t in ts} for w, ts in gold.items()}
    words_ = sorted(set(gold) & {w.casefold() for w in vocab})
    hits1 = hits5 = 0
    for w in words_:
        preds = [p.casefold() for p, _ in predicted.get(w, [])]
        hits1 += bool(preds[:1]) and preds[0] in gold[w]
        hits5 += any(p in gold[w] for p in preds[:5])
    n = len(words_)
    return PrecisionAtK(
        n,
        hits1 / n if n else 0.0,
        hits5 / n if n else 0.0,
        sum(1 for w in words_ if predicted.get(w)),
    )
