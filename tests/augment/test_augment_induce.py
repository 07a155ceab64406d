"""Lexicon induction logic on a synthetic parallel corpus with a known dictionary, the evaluation, and the
store glue (verses in, derived lexicon out)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from lexres.augment.lexicon import ibm1 as ind
from lexres.augment.lexicon.bible import eval_lexicon, induce_lexicon
from lexres.importer import import_resource
from lexres.records import LexiconPair, Verse

# A toy language pair: every source word has one translation; "the"/"a" map to the same target word, and
# target sentences are shuffled, so only co-occurrence statistics can find the pairs.
DICT = {
    "god": "mungu",
    "house": "nyumba",
    "water": "maji",
    "king": "mfalme",
    "father": "baba",
    "son": "mwana",
    "bread": "mkate",
    "city": "mji",
    "light": "nuru",
    "word": "neno",
    "the": "ya",
    "a": "ya",
    "of": "wa",
    "and": "na",
    "great": "kuu",
    "good": "njema",
}


def synthetic(n: int, seed: int = 0):
    rng = random.Random(seed)
    content = [w for w in DICT if w not in ("the", "a", "of", "and")]
    out = []
    for i in range(n):
        words = rng.sample(content, rng.randint(2, 5)) + rng.sample(["the", "a", "of", "and"], 2)
        rng.shuffle(words)
        tgt = [DICT[w] for w in words]
        rng.shuffle(tgt)
        out.append((f"REF {i}", " ".join(words).capitalize() + ".", " ".join(tgt) + "."))
    return out


def test_corpus_and_pairs():
    c = ind.build_corpus([("r1", "A b, a!", "x y"), ("r2", "", "z"), ("r3", "b", "y")])
    assert c.n == 2 and c.src_vocab == ["a", "b"] and c.tgt_vocab == ["x", "y"]
    assert c.src.tolist() == [0, 1, 0, 1] and c.src_len.tolist() == [3, 1]
    e_ids, f_index = ind._pairs(c.src, c.src_len, c.tgt, c.tgt_len, null=True)
    # verse 1: 2 target tokens x (NULL + 3 source tokens); verse 2: 1 x 2
    assert len(e_ids) == 2 * 4 + 1 * 2
    assert e_ids[:4].tolist() == [-1, 0, 1, 0] and f_index.tolist() == [0] * 4 + [1] * 4 + [2] * 2


def test_ibm1_recovers_dictionary_and_beats_chance():
    c = ind.build_corpus(synthetic(400))
    lex = ind.induce(c, "ibm1", k=3)
    gold = {w: {t} for w, t in DICT.items()}
    for w in ("god", "house", "water", "king", "bread"):
        assert lex[w][0][0] == DICT[w]
    ev = ind.evaluate(lex, gold, c.src_vocab)
    assert ev.n == len(DICT) and ev.p_at_1 >= 0.9 and ev.p_at_5 >= ev.p_at_1
    assert ev.to_dict() == {"n": ev.n, "p_at_1": ev.p_at_1, "p_at_5": ev.p_at_5, "covered": ev.covered}
    # probabilities of each source word's translations never exceed 1
    assert all(0 < s <= 1.0 for ts in lex.values() for _, s in ts)


def test_ibm1_reports_each_em_iteration_and_progress_changes_nothing():
    from lexres.progress import Progress

    class Count(Progress):
        def __init__(self):
            self.total, self.done = None, 0

        def start(self, total, description="", unit=""):
            self.total = total

        def advance(self, amount=1):
            self.done += amount

    c = ind.build_corpus(synthetic(200))
    seen = Count()
    with_bar = ind.induce(c, iterations=4, progress=seen)
    assert (seen.total, seen.done) == (8, 8)  # 4 iterations in each direction
    assert with_bar == ind.induce(c, iterations=4)
    one_way = Count()
    ind.induce(c, iterations=3, reverse_weight=0.0, progress=one_way)
    assert (one_way.total, one_way.done) == (3, 3)


def test_ibm1_beats_dice_on_function_words():
    c = ind.build_corpus(synthetic(400, seed=3))
    gold = {w: {t} for w, t in DICT.items()}
    ibm = ind.evaluate(ind.induce(c, "ibm1"), gold, c.src_vocab)
    dice = ind.evaluate(ind.induce(c, "dice"), gold, c.src_vocab)
    assert ibm.p_at_1 >= dice.p_at_1


def test_dice_scores_are_exact():
    c = ind.build_corpus([("1", "a b", "x"), ("2", "a", "x y"), ("3", "b", "y")])
    keys, scores = ind.dice(c)
    pairs = zip(keys.tolist(), scores.tolist(), strict=True)
    got = {(c.src_vocab[k // 2], c.tgt_vocab[k % 2]): s for k, s in pairs}
    # a: verses 1,2; b: 1,3; x: 1,2; y: 2,3
    assert got == {("a", "x"): 1.0, ("a", "y"): 0.5, ("b", "x"): 0.5, ("b", "y"): 0.5}


def test_top_k_threshold_and_min_count():
    c = ind.build_corpus([("1", "a b", "x"), ("2", "a", "x y"), ("3", "b", "y")])
    keys, scores = ind.dice(c)
    assert ind.top_k(c, keys, scores, k=1) == {"a": [("x", 1.0)], "b": [("x", 0.5)]}
    assert ind.top_k(c, keys, scores, k=5, threshold=0.6) == {"a": [("x", 1.0)]}
    assert ind.top_k(c, keys, scores, min_count=3) == {}


def test_evaluate_counts_only_shared_words():
    pred = {"god": [("mungu", 1.0)], "house": [("jamaa", 0.9), ("nyumba", 0.1)]}
    gold = {"God": {"Mungu"}, "house": {"nyumba"}, "absent": {"x"}}
    ev = ind.evaluate(pred, gold, ["god", "house", "other"])
    assert ev == ind.PrecisionAtK(n=2, p_at_1=0.5, p_at_5=1.0, covered=2)


def test_induce_from_store_records_derived_lexicon(store, fixtures, tmp_path):
    src_path = fixtures / "augment" / "eng.txt"  # any file: the verses are fed as records
    verses = synthetic(300, seed=5)
    ids = []
    for lang, side in (("eng", 1), ("swh", 2)):
        recs = [Verse("MAT", 1 + i // 50, 1 + i % 50, v[side]) for i, v in enumerate(verses)]
        ids.append(
            import_resource(
                store,
                "bible",
                [src_path],
                lang=lang,
                name=f"{lang}-toy",
                records=recs,
                options={"versification": "org"},
            ).resource_id
        )
    gold_pairs = [LexiconPair(t, w, line=i) for i, (w, t) in enumerate(DICT.items(), 1)]  # filed swh -> eng
    gold = import_resource(
        store, "lexicon", [src_path], lang="swh", target_lang="eng", name="gold", records=gold_pairs
    ).resource_id
    out = tmp_path / "eng-swh.tsv"
    result = induce_lexicon(store, "eng", "swh", out, gold=gold, min_count=1)
    assert result.counts["verse_pairs"] == 300
    assert result.evaluation.induced.p_at_1 >= 0.9
    assert result.evaluation.induced.p_at_1 >= result.evaluation.dice.p_at_1
    assert set(result.to_dict()["evaluation"]) == {"ibm1", "dice", "gold"}
    assert result.signature.startswith("lexres:") and f"gold#{gold}:" in result.signature
    res = store.resource(result.resource_id)
    assert res.kind == "lexicon" and res.derived_from == ids and res.format == "induced-ibm1"
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert ["god", "mungu"] == rows[[r[0] for r in rows].index("god")][:2]
    manifest = json.loads((tmp_path / "eng-swh.tsv.manifest.json").read_text())
    assert manifest["counts"]["pairs"] == len(rows) == res.entries
    ev = eval_lexicon(store, "eng", "swh", result.resource_id, gold)
    assert ev.p_at_1 == pytest.approx(result.evaluation.induced.p_at_1)
    assert 0.0 <= ev.p_at_5 <= 1.0 and ev.p_at_1 <= ev.p_at_5
    assert ev.signature.startswith("lexres:") and "augment eval-lexicon" in ev.signature
    assert f"lexicon#{result.resource_id}:{res.sha256[:12]}" in ev.signature


def test_pair_arrays_have_one_row_per_combination():
    small = ind.build_corpus(synthetic(100))
    e_ids, f_index = ind._pairs(small.src, small.src_len, small.tgt, small.tgt_len, null=True)
    assert len(e_ids) == len(f_index) == int(np.sum((small.src_len + 1) * small.tgt_len))
    assert (np.bincount(f_index) == np.repeat(small.src_len + 1, small.tgt_len)).all()


def test_diagonal_prior_is_normalized_and_prefers_the_diagonal():
    e_len, f_len = np.array([3, 2]), np.array([3, 1])
    prior = ind._diagonal(e_len, f_len, tension=4.0, p_null=0.1)
    # one row per (NULL + e token, f token): verse 1: 3 f tokens x 4, verse 2: 1 x 3
    assert len(prior) == 3 * 4 + 1 * 3
    per_f = np.add.reduceat(prior, [0, 4, 8, 12])
    assert np.allclose(per_f, 1.0)
    first = prior[:4]  # f position 0 of 3: NULL, e positions 0, 1, 2
    assert first[0] == pytest.approx(0.1) and first[1] > first[2] > first[3]
    last = prior[8:12]
    assert last[3] > last[2] > last[1]
    assert prior[12] == pytest.approx(0.1) and prior[13] == pytest.approx(prior[14])
