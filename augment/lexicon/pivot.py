"""Pivoting: compose the A-B and B-C lexicons of the store into a derived A-C lexicon, scored by
sum over pivot words b of P(b|a) * P(c|b) (the lexicon-composition idea used for low-resource pairs, e.g. in
Wang, Ruder & Neubig 2022's lexicon sources)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lexres.errors import NotFoundError, OptionError
from lexres.langs import Lang, resolve
from lexres.records import LexiconPair
from lexres.store import Store, resources
from lexres.store.lexicon import dictionary, pair_resources
from lexres.text import key


def compose(ab: dict[str, list[tuple[str, float]]], bc: dict[str, list[tuple[str, float]]],
            *, min_score: float = 0.0,
            fold_case: bool = False) -> Iterable[tuple[str, str, float, tuple[str, ...]]]:
    """(a, c, score, pivot words) for every a whose translation b has a translation c.
    score = sum over b of P(b|a) * P(c|b), each P the pair weight over the word's total weight, so a word's
    scores sum to at most 1 and a pair reached through several pivots scores higher."""
    for a_word, bs in ab.items():
        total_ab = sum(w for _, w in bs) or 1.0
        scores: dict[str, float] = {}
        via: dict[str, list[str]] = {}
        for b_word, w_ab in bs:
            cs = bc.get(key(b_word, fold_case=fold_case))
            if not cs:
                continue
            total_bc = sum(w for _, w in cs) or 1.0
            for c_word, w_bc in cs:
                scores[c_word] = scores.get(c_word, 0.0) + (w_ab / total_ab) * (w_bc / total_bc)
                via.setdefault(c_word, []).append(b_word)
        for c_word, score in scores.items():
            if score >= min_score:
                yield a_word, c_word, round(score, 6), tuple(via[c_word])


@dataclass(frozen=True)
class PivotResult:
    """What `pivot` did: `status` imported | unchanged (the same derived lexicon was stored already) |
    replaced; the resource id and name, pairs stored, parent resources (count and ids), and the derived
    resource's identity hash (parents' hashes + parameters)."""

    status: str  # imported | unchanged | replaced
    resource_id: int
    name: str
    pairs: int
    sources: int
    derived_from: tuple[int, ...]
    sha256: str

    def to_dict(self) -> dict:
        """The fields by name, for `--json` output."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def pivot(store: Store, a: str, b: str, c: str, *, name: str | None = None, min_score: float = 0.0,
          replace: bool = False, progress=None) -> PivotResult:
    """Compose the a-b and b-c lexicons of the store into an a-c lexicon stored as a derived resource
    (format `pivot`, `derived_from` = every parent resource, the score as the pair weight)."""
    la, lb, lc = resolve(a), resolve(b), resolve(c)
    if len({la.code, lb.code, lc.code}) < 3:
        raise OptionError("pivot needs three different languages A B C")
    left, right = pair_resources(store, la, lb), pair_resources(store, lb, lc)
    for lx, ly, ids in ((la, lb, left), (lb, lc, right)):
        if not ids:
            raise NotFoundError(f"no {lx.code}-{ly.code} lexicon in the store",
                                hint=f"import one first (`lexres import lexicon ... --lang {lx.code} "
                                     f"--target-lang {ly.code}`)")
    parents = tuple(sorted(set(left + right)))
    params = {"a": la.tag, "b": lb.tag, "c": lc.tag, "min_score": min_score, "score": "sum_b P(b|a)P(c|b)"}
    digest = _derived_sha(store, parents, params)
    name = name or f"pivot {la.tag}-{lb.tag}-{lc.tag}"
    same = resources.find_by_sha(store, "lexicon", digest)
    if same is not None and not replace:
        res = store.resource(same)
        return PivotResult("unchanged", res.id, res.name, res.entries, len(parents), parents, digest)
    if progress is not None:
        progress.start(3, f"pivot {la.code}-{lb.code}-{lc.code}", "steps")
    ab = dictionary(store, la, lb, resources=left)
    if progress is not None:
        progress.advance(1)
    bc = dictionary(store, lb, lc, resources=right)
    if progress is not None:
        progress.advance(1)
    records = (LexiconPair(aw, cw, la.tag, lc.tag, weight=score, gloss="via " + ", ".join(via[:5]))
               for aw, cw, score, via in compose(ab, bc, min_score=min_score))
    notes = [f"pivoted through {lb.code}: {len(ab)} {la.code} words, {len(bc)} {lb.code} words",
             "weight = sum over pivot words b of P(b|a) * P(c|b)"]
    rid, n, replaced = store_derived(store, name, la, lc, records, parents, digest, "pivot", params, notes,
                                     replace=replace)
    if progress is not None:
        progress.advance(1)
    return PivotResult("replaced" if replaced else "imported", rid, name, n, len(parents), parents, digest)


def _derived_sha(store: Store, parents: Sequence[int], params: dict) -> str:
    h = hashlib.sha256()
    for rid in parents:
        h.update(store.resource(rid).sha256.encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


def store_derived(store: Store, name: str, lang: Lang, target: Lang, records: Iterable[LexiconPair],
                  parents: Sequence[int], digest: str, fmt: str, params: dict, notes: list[str], *,
                  replace: bool = False) -> tuple[int, int, int | None]:
    """Store pairs computed from other resources as one derived lexicon, in one transaction; a replaced
    resource keeps its id. Returns (resource id, pairs stored, id of the replaced resource or None).

    Raises OptionError when a lexicon of that name exists and `replace` is false."""
    existing = store.find_named("lexicon", name, lang.tag)
    if existing is not None and not replace:
        raise OptionError(f"a lexicon resource named `{name}` exists (#{existing.id})",
                          hint="pass --replace, or --name to keep both")
    new = resources.NewResource(kind="lexicon", format=fmt, name=name, lang=lang, target_lang=target,
                                scheme=fmt, sha256=digest, options=params, notes=tuple(notes),
                                parents=tuple(parents))
    replaced = existing.id if existing is not None else None
    rid, n = resources.store_records(store, new, records, replace_id=replaced)
    return rid, n, replaced


