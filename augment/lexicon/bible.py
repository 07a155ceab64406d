"""Store glue for lexicon induction: read verse-aligned Bibles, induce, store the result as a derived lexicon
(with a TSV file and manifest), and evaluate a lexicon against a reference dictionary (precision@k as
fractions 0-1, each result with a signature to print beside the score)."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lexres import defaults
from lexres.augment.derived import set_derived_from
from lexres.augment.lexicon import ibm1 as ind
from lexres.augment.substitute.table import table_from_store
from lexres.errors import NotFoundError, OptionError
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.outputs import atomic_output, check_destination
from lexres.progress import Progress
from lexres.provenance import signature, write_manifest
from lexres.records import LexiconPair, Result
from lexres.store import Store


@dataclass(frozen=True)
class InductionEval(Result):
    """Precision@1/@5 (fractions 0-1) of the induced lexicon (`induced`, by `method`) and of the Dice
    baseline against the reference lexicon resource `gold`. `to_dict()` keys them by method name:
    `{method: {...}, "dice": {...}, "gold": id}`."""

    method: str
    induced: ind.PrecisionAtK
    dice: ind.PrecisionAtK
    gold: int

    def to_dict(self) -> dict[str, Any]:
        """The shape described in the class docstring."""
        return {self.method: self.induced.to_dict(), "dice": self.dice.to_dict(), "gold": self.gold}


@dataclass(frozen=True)
class InductionResult(Result):
    """What `induce_lexicon` made: the TSV and its manifest, the stored resource id (None with
    record=False), the two Bible resource ids, counts (verse pairs, vocabularies, source words, pairs and,
    with a reference, the evaluation as a dict) and the evaluation itself, and the run's signature
    (lexres version, Bible hashes, options)."""

    output: str
    manifest: str
    resource_id: int | None
    bibles: Sequence[int]
    counts: Mapping[str, Any]
    evaluation: InductionEval | None
    signature: str


@dataclass(frozen=True)
class LexiconEval(Result):
    """Precision@1/@5 (fractions 0-1) of a stored lexicon against a reference one on the `n` reference
    source words found in a Bible, `covered` of them with a prediction; the resource ids involved and the
    signature (lexres version, resource hashes, languages)."""

    lexicon: int
    gold: int
    bible: int
    n: int
    p_at_1: float
    p_at_5: float
    covered: int
    signature: str


def bible_corpus(
    store: Store, src: str, tgt: str, src_bible: str | None = None, tgt_bible: str | None = None
) -> tuple[ind.Corpus, Any, Any]:
    """(Corpus, source Bible resource, target Bible resource) from the store: the two translations'
    verse-aligned pairs (`lexres.store.bible.aligned_pairs`). Raises NotFoundError when they share no
    verse or a language has no Bible."""
    from lexres.store import bible as bible_align

    a = bible_align.translation(store, src_bible or src)
    b = bible_align.translation(store, tgt_bible or tgt)
    corpus = ind.build_corpus(bible_align.aligned_pairs(store, a.id, b.id))
    if corpus.n == 0:
        raise NotFoundError(
            f"Bibles #{a.id} and #{b.id} share no verses",
            hint="check `lexres bible align` for the two translations",
        )
    return corpus, a, b


def gold_dictionary(store: Store, src: str, tgt: str, gold: int) -> dict[str, set[str]]:
    """Reference translations src -> tgt from a lexicon resource (used reversed when filed tgt -> src):
    source key -> set of target words."""
    table = table_from_store(store, resolve(src).code, resolve(tgt).code, [gold])
    return {k: set(e.targets) for k, e in table.entries.items()}


def induce_lexicon(
    store: Store,
    src: str,
    tgt: str,
    output: str | Path,
    *,
    method: str = defaults.INDUCTION_METHOD,
    k: int = defaults.INDUCTION_TOP_K,
    threshold: float = defaults.INDUCTION_THRESHOLD,
    min_count: int = defaults.INDUCTION_MIN_COUNT,
    iterations: int = defaults.INDUCTION_ITERATIONS,
    reverse_weight: float = defaults.INDUCTION_REVERSE_WEIGHT,
    diagonal: float = defaults.INDUCTION_DIAGONAL,
    src_bible: str | None = None,
    tgt_bible: str | None = None,
    gold: int | None = None,
    name: str | None = None,
    record: bool = True,
    progress: Progress | None = None,
    force: bool = False,
) -> InductionResult:
    """Induce a src -> tgt lexicon from the Bibles in the store, write it as TSV (source, target, score)
    with a manifest, import it as a lexicon derived from the two Bibles, and evaluate it (and the Dice
    baseline, with the same top-k, threshold and min_count) against `gold` when given. Methods: see
    `lexres.augment.lexicon.ibm1.induce`. Raises OptionError for k < 1 or an unknown method, NotFoundError
    when a Bible or the reference is missing."""
    src_l, tgt_l = resolve(src), resolve(tgt)
    if k < 1:
        raise OptionError("--top-k must be at least 1")
    check_destination(output, force=force)  # before the (long) induction runs
    corpus, a, b = bible_corpus(store, src_l.code, tgt_l.code, src_bible, tgt_bible)
    lexicon = ind.induce(
        corpus,
        method,
        k=k,
        threshold=threshold,
        min_count=min_count,
        iterations=iterations,
        reverse_weight=reverse_weight,
        diagonal=diagonal,
        progress=progress,
    )
    output = Path(output)
    rows = [(w, t, s) for w, ts in lexicon.items() for t, s in ts]
    with atomic_output(output, force=force, newline="") as fh:  # temp file + rename, never via a symlink
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        for w, t, s in rows:
            out.writerow([w, t, f"{s:.6g}"])
    params = {
        "src": src_l.tag,
        "tgt": tgt_l.tag,
        "method": method,
        "top_k": k,
        "threshold": threshold,
        "min_count": min_count,
        "iterations": iterations,
        "reverse_weight": reverse_weight,
        "diagonal": diagonal,
        "bibles": f"{a.id},{b.id}",
    }
    counts = {
        "verse_pairs": corpus.n,
        "src_vocab": len(corpus.src_vocab),
        "tgt_vocab": len(corpus.tgt_vocab),
        "src_words": len(lexicon),
        "pairs": len(rows),
    }
    evaluation = None
    if gold is not None:
        reference = gold_dictionary(store, src_l.code, tgt_l.code, gold)
        baseline = (
            ind.induce(corpus, "dice", k=k, threshold=threshold, min_count=min_count)
            if method != "dice"
            else lexicon
        )
        evaluation = InductionEval(
            method,
            ind.evaluate(lexicon, reference, corpus.src_vocab),
            ind.evaluate(baseline, reference, corpus.src_vocab),
            gold,
        )
        counts["evaluation"] = evaluation.to_dict()
    manifest = write_manifest(
        output,
        "augment induce-lexicon",
        input_hashes={f"bible#{a.id}": a.sha256, f"bible#{b.id}": b.sha256},
        params=params,
        counts=counts,
        outputs={"output": output},
    )
    rid = None
    if record:
        records = (LexiconPair(w, t, weight=s, line=i) for i, (w, t, s) in enumerate(rows, 1))
        result = import_resource(
            store,
            "lexicon",
            [output],
            lang=src_l.tag,
            target_lang=tgt_l.tag,
            format=f"induced-{method}",
            name=name or output.name,
            records=records,
            replace=True,
        )
        rid = result.resource_id
        set_derived_from(store, rid, [a.id, b.id])
    hashes = {f"bible#{a.id}": a.sha256[:12], f"bible#{b.id}": b.sha256[:12]}
    if gold is not None:
        hashes[f"gold#{gold}"] = store.resource(gold).sha256[:12]
    sig = signature("augment induce-lexicon", {**params, **hashes})
    return InductionResult(str(output), str(manifest), rid, [a.id, b.id], counts, evaluation, sig)


def eval_lexicon(
    store: Store, src: str, tgt: str, lexicon: int, gold: int, *, src_bible: str | None = None
) -> LexiconEval:
    """Precision@1/@5 (fractions 0-1) of a stored lexicon against a reference dictionary, on the
    reference's source words that occur in the source-language Bible (by the lexicon's own ranking: weight,
    then order). Raises NotFoundError when a resource or the Bible is missing."""
    from lexres.store import bible as bible_align

    src_l, tgt_l = resolve(src), resolve(tgt)
    table = table_from_store(store, src_l.code, tgt_l.code, [lexicon])
    predicted = {}
    for key, entry in table.entries.items():
        ranked = sorted(
            zip(entry.targets, entry.weights, range(len(entry.targets)), strict=True),
            key=lambda x: (-x[1], x[2]),
        )
        predicted[key] = [(t, w) for t, w, _ in ranked]
    bible = bible_align.translation(store, src_bible or src_l.code)
    vocab = {w for v in bible_align.verses(store, bible) for w in ind.words(v.text)}
    result = ind.evaluate(predicted, gold_dictionary(store, src_l.code, tgt_l.code, gold), vocab)
    sig = signature(
        "augment eval-lexicon",
        {
            "src": src_l.tag,
            "tgt": tgt_l.tag,
            f"lexicon#{lexicon}": store.resource(lexicon).sha256[:12],
            f"gold#{gold}": store.resource(gold).sha256[:12],
            f"bible#{bible.id}": bible.sha256[:12],
            "casefold": "yes",
        },
    )
    return LexiconEval(lexicon, gold, bible.id, result.n, result.p_at_1, result.p_at_5, result.covered, sig)
