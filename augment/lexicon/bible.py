"""Store glue for lexicon induction: read verse-aligned Bibles, induce, store the result as a derived lexicon
(with a TSV file and manifest), and evaluate a lexicon against a reference dictionary."""

from __future__ import annotations

import csv
from pathlib import Path

from lexres.errors import NotFoundError, OptionError
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.provenance import write_manifest
from lexres.progress import Progress
from lexres.records import LexiconPair
from lexres.store import Store
from lexres.augment.lexicon import ibm1 as ind
from lexres.augment.derived import set_derived_from
from lexres.augment.substitute.table import table_from_store


def bible_corpus(
    store: Store, src: str, tgt: str, src_bible: str | None = None, tgt_bible: str | None = None
):
    """(Corpus, source Bible resource, target Bible resource) from the store."""
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
    """Reference translations src -> tgt from a lexicon resource (used reversed when filed tgt -> src)."""
    table = table_from_store(store, resolve(src).code, resolve(tgt).code, [gold])
    return {k: set(e.targets) for k, e in table.entries.items()}


def induce_lexicon(
    store: Store,
    src: str,
    tgt: str,
    output: str | Path,
    *,
    method: str = "ibm1",
    k: int = 5,
    threshold: float = 0.01,
    min_count: int = 1,
    iterations: int = 6,
    reverse_weight: float = 0.25,
    diagonal: float = 4.0,
    src_bible: str | None = None,
    tgt_bible: str | None = None,
    gold: int | None = None,
    name: str | None = None,
    record: bool = True,
    progress: Progress | None = None,
) -> dict:
    """Induce a src -> tgt lexicon from the Bibles in the store, write it as TSV (source, target, score)
    with a manifest, import it as a lexicon derived from the two Bibles, and evaluate it (and the Dice
    baseline) against `gold` when given."""
    src_l, tgt_l = resolve(src), resolve(tgt)
    if k < 1:
        raise OptionError("--top-k must be at least 1")
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
    with open(output, "w", encoding="utf-8", newline="") as fh:
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
        baseline = ind.induce(corpus, "dice", k=k, min_count=min_count) if method != "dice" else lexicon
        evaluation = {
            method: ind.evaluate(lexicon, reference, corpus.src_vocab),
            "dice": ind.evaluate(baseline, reference, corpus.src_vocab),
            "gold": gold,
        }
        counts["evaluation"] = evaluation
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
    return {
        "output": str(output),
        "manifest": str(manifest),
        "resource_id": rid,
        "bibles": [a.id, b.id],
        "counts": counts,
        "evaluation": evaluation,
    }


def eval_lexicon(
    store: Store, src: str, tgt: str, lexicon: int, gold: int, *, src_bible: str | None = None
) -> dict:
    """Precision@1/@5 of a stored lexicon against a reference dictionary, on the reference's source words
    that occur in the source-language Bible (by the lexicon's own ranking: weight, then order)."""
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
    return {"lexicon": lexicon, "gold": gold, "bible": bible.id, **result}
