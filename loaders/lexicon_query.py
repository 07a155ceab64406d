"""Lookups in the stored lexicons: the translations of a word, and a whole direction as a dictionary.

Stable API (used by augmentation): `translations()` and `dictionary()`.
- Both stored directions serve a query: a pair filed eng->swa also answers swa->eng.
- Macrolanguage fallback, on either side: a query for `swh` also searches pairs filed under `swa`
  (`Lang.family`); a query for `swa` does not search its members.
- Weight of a translation = sum, over the distinct resources giving the pair, of that resource's score:
  1.0 for a plain dictionary attestation, or the stored pair weight (a pivot score in (0, 1]). Repeats
  inside one resource (the `count` column) do not add: a file listing a pair twice is not two witnesses.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lexres.langs import Lang, resolve
from lexres.store import Store
from lexres.text import key


@dataclass(frozen=True, slots=True)
class Translation:
    """One translation of a word: the target word (surface form), its weight, the resources that give it,
    and the most frequent part of speech given for it (None when no source gives one)."""

    word: str
    weight: float
    sources: tuple[int, ...]
    pos: str | None = None


def _lang(code: str | Lang) -> Lang:
    return code if isinstance(code, Lang) else resolve(code)


def _side_filter(col: str, lang: Lang) -> tuple[str, list]:
    """SQL restricting one side to a language: its family of codes, and the exact variety when the query
    names a private-use variety (e.g. qaa-x-eryu1239, a CLDF dialect without an ISO code)."""
    family = list(lang.family)
    sql = f"{col}_lang IN ({','.join('?' * len(family))})"
    if "-x-" in lang.tag:
        sql += f" AND {col}_variety = ?"
        family.append(lang.tag)
    return sql, family


def _rows(store: Store, src: Lang, tgt: Lang, word_key: str | None, fold_case: bool,
          resources: Sequence[int] | None) -> Iterable[tuple]:
    """(source key, target word, target key, resource id, weight, pos) for both stored directions."""
    kcol = "fold" if fold_case else "key"
    out = []
    for a, b in (("src", "tgt"), ("tgt", "src")):
        fa, args_a = _side_filter(a, src)
        fb, args_b = _side_filter(b, tgt)
        sql = (f"SELECT {a}_{kcol}, {b}_word, {b}_{kcol}, resource_id, weight, pos FROM lexicon "
               f"WHERE {fa} AND {fb}")
        args = args_a + args_b
        if word_key is not None:  # the folded key is indexed; an exact lookup narrows on the exact key
            sql += f" AND {a}_fold = ?"
            args.append(word_key.casefold())
            if not fold_case:
                sql += f" AND {a}_key = ?"
                args.append(word_key)
        if resources:
            sql += f" AND resource_id IN ({','.join('?' * len(resources))})"
            args.extend(resources)
        out.extend(store.conn.execute(sql, args).fetchall())
    return out


class _Acc:
    """Accumulates the evidence for one (source key, target key)."""

    __slots__ = ("surfaces", "by_resource", "pos")

    def __init__(self):
        self.surfaces: dict[str, int] = {}
        self.by_resource: dict[int, float] = {}
        self.pos: dict[str, int] = {}

    def add(self, surface: str, rid: int, weight: float | None, pos: str | None) -> None:
        self.surfaces[surface] = self.surfaces.get(surface, 0) + 1
        w = 1.0 if weight is None else float(weight)
        if w > self.by_resource.get(rid, float("-inf")):
            self.by_resource[rid] = w
        if pos:
            self.pos[pos] = self.pos.get(pos, 0) + 1

    def translation(self) -> Translation:
        word = max(self.surfaces.items(), key=lambda kv: (kv[1], kv[0]))[0]
        pos = max(self.pos.items(), key=lambda kv: (kv[1], kv[0]))[0] if self.pos else None
        return Translation(word, sum(self.by_resource.values()), tuple(sorted(self.by_resource)), pos)


def _collect(rows: Iterable[tuple]) -> dict[str, dict[str, _Acc]]:
    out: dict[str, dict[str, _Acc]] = {}
    for skey, tword, tkey, rid, weight, pos in rows:
        out.setdefault(skey, {}).setdefault(tkey, _Acc()).add(tword, rid, weight, pos)
    return out


def _ranked(accs: dict[str, _Acc]) -> list[Translation]:
    return sorted((a.translation() for a in accs.values()), key=lambda t: (-t.weight, t.word))


def translations(store: Store, src: str | Lang, tgt: str | Lang, word: str, *, fold_case: bool = False,
                 resources: Sequence[int] | None = None) -> list[Translation]:
    """Translations of `word` from `src` into `tgt`, best first (highest weight, then alphabetical)."""
    s, t = _lang(src), _lang(tgt)
    k = key(word, fold_case=fold_case)
    found = _collect(_rows(store, s, t, k, fold_case, resources))
    return _ranked(found.get(k, {}))


def dictionary(store: Store, src: str | Lang, tgt: str | Lang, *, resources: Sequence[int] | None = None,
               fold_case: bool = False) -> dict[str, list[tuple[str, float]]]:
    """Every source key of the direction src->tgt mapped to its translations [(word, weight)], best first.
    Keys are normalized (NFC, whitespace folded; case-folded when `fold_case`)."""
    s, t = _lang(src), _lang(tgt)
    found = _collect(_rows(store, s, t, None, fold_case, resources))
    return {k: [(tr.word, tr.weight) for tr in _ranked(accs)] for k, accs in found.items()}


def sources_of(store: Store, ids: Iterable[int]) -> dict[int, str]:
    """Resource id -> name, for printing where a translation comes from."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = store.conn.execute(f"SELECT id, name FROM resources WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {r[0]: r[1] for r in rows}


__all__ = ["Translation", "translations", "dictionary", "sources_of"]
