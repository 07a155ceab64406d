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

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lexres.langs import Lang, resolve
from lexres.store import nearby
from lexres.store.core import IMPORTED_SQL, Store
from lexres.text import fold, key, normalize


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
        else:  # by default only imported lexicons: derived ones (pivot, induced) must be named. A correlated
            # EXISTS looks up each matching row's resource by key; `IN (SELECT ...)` listed every resource
            # first (1.6 ms a lookup with 3,000 resources, 0.03 ms this way: bench/bench_scale.py)
            sql += (" AND EXISTS (SELECT 1 FROM resources r WHERE r.id = lexicon.resource_id AND "
                    f"{IMPORTED_SQL})")
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
                 resources: Sequence[int] | None = None, fold: bool = False) -> list[Translation]:
    """Translations of `word` from `src` into `tgt`, best first (highest weight, then alphabetical). With
    `fold`, of every stored word that matches ignoring case and diacritics (`folded_words`), as one list:
    a resource giving the same translation for two spellings still counts once."""
    s, t = _lang(src), _lang(tgt)
    if fold:
        rows = [("", *r[1:]) for k in folded_words(store, s, word)
                for r in _rows(store, s, t, k, True, resources)]
        return _ranked(_collect(rows).get("", {}))
    k = key(word, fold_case=fold_case)
    found = _collect(_rows(store, s, t, k, fold_case, resources))
    return _ranked(found.get(k, {}))


def folded_words(store: Store, lang: str | Lang, word: str) -> list[str]:
    """The stored (case-folded) keys of `lang`'s words, on either side of a lexicon, that equal `word` once
    case and diacritics are ignored (`lexres.text.fold`), sorted; found by walking the fold indexes
    (lexres.store.nearby), not by reading the lexicon."""
    family = list(_lang(lang).family)
    found = set(nearby.folded_matches(store, "lexicon.src", family, word))
    found.update(nearby.folded_matches(store, "lexicon.tgt", family, word))
    return sorted(found)


def suggest(store: Store, src: str | Lang, tgt: str | Lang, word: str, *, n: int = 5,
            resources: Sequence[int] | None = None) -> list[str]:
    """Up to `n` words of `src` that look like `word` and have a translation into `tgt` (with `resources`,
    from those), best first, as a lexicon writes them: did-you-mean suggestions for a word that is not
    there (lexres.store.nearby.near_matches: difflib over folded keys, candidates found through the index)."""
    s, t = _lang(src), _lang(tgt)
    family = list(s.family)
    q = fold(normalize(word))
    cands = set(nearby.near_matches(store, "lexicon.src", family, word, n=n * 2))
    cands.update(nearby.near_matches(store, "lexicon.tgt", family, word, n=n * 2))
    ranked = sorted(cands, key=lambda c: (-difflib.SequenceMatcher(None, q, fold(c)).ratio(), c))
    out: list[str] = []
    for cand in ranked:
        if translations(store, s, t, cand, fold_case=True, resources=resources):
            surface = _surface(store, family, cand)
            if surface not in out and surface != normalize(word):
                out.append(surface)
        if len(out) >= n:
            break
    return out


def _surface(store: Store, family: Sequence[str], folded: str) -> str:
    """The spelling a lexicon gives for a case-folded key (the first stored), for showing it."""
    marks = ",".join("?" * len(family))
    for side in ("src", "tgt"):
        row = store.conn.execute(f"SELECT {side}_word FROM lexicon WHERE {side}_lang IN ({marks}) "
                                 f"AND {side}_fold = ? LIMIT 1", (*family, folded)).fetchone()
        if row:
            return row[0]
    return folded


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


__all__ = ["Translation", "translations", "dictionary", "sources_of", "folded_words", "suggest"]


def pair_resources(store: Store, a: str | Lang, b: str | Lang, *, include_derived: bool = False) -> list[int]:
    """Ids of the resources holding pairs between a and b (either direction, macrolanguages included);
    imported lexicons only unless `include_derived` (pivot/induced lexicons, anything with parents)."""
    la, lb = (x if isinstance(x, Lang) else resolve(x) for x in (a, b))
    fa, fb = list(la.family), list(lb.family)
    qa, qb = ",".join("?" * len(fa)), ",".join("?" * len(fb))
    only = "" if include_derived else f" AND resource_id IN (SELECT id FROM resources WHERE {IMPORTED_SQL})"
    rows = store.query(
        f"SELECT DISTINCT resource_id FROM lexicon WHERE ((src_lang IN ({qa}) AND tgt_lang IN ({qb})) "
        f"OR (src_lang IN ({qb}) AND tgt_lang IN ({qa}))){only} ORDER BY resource_id", fa + fb + fb + fa)
    return [r[0] for r in rows]


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


def tokens(text: str) -> list[str]:
    """Word tokens: runs of letters/digits (U+02BC and other modifier letters count as letters), joined
    through inner hyphens and apostrophes."""
    return _TOKEN.findall(normalize(text))


@dataclass(frozen=True)
class Coverage:
    """How much of a text a src->tgt lexicon covers (see `coverage`): tokens and word types, covered or
    not, how many multi-word entries matched, and the most frequent uncovered words with their counts."""

    tokens: int
    tokens_covered: int
    types: int
    types_covered: int
    phrases_matched: int
    top_missing: tuple[tuple[str, int], ...]

    @property
    def token_share(self) -> float:
        """Fraction (0-1) of the text's tokens that are covered; 0.0 for a text without tokens."""
        return self.tokens_covered / self.tokens if self.tokens else 0.0

    @property
    def type_share(self) -> float:
        """Fraction (0-1) of the text's word types that are covered; 0.0 for a text without tokens."""
        return self.types_covered / self.types if self.types else 0.0

    def to_dict(self) -> dict:
        """The fields as a JSON-ready dict, `top_missing` as lists, plus both shares (fractions 0-1,
        rounded to 6 places)."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["top_missing"] = [list(x) for x in self.top_missing]
        return {**d, "token_share": round(self.token_share, 6), "type_share": round(self.type_share, 6)}


def coverage(store: Store, src: str, tgt: str, lines: Iterable[str], *, fold_case: bool = False,
             resources: Sequence[int] | None = None, top: int = 10) -> Coverage:
    """Share of the tokens and types of a text that the src->tgt lexicon can translate. A token is covered
    when it, or a multi-word entry it starts or continues (longest match), is in the lexicon; a type is
    covered when the word alone is."""
    vocab = set(dictionary(store, src, tgt, resources=resources, fold_case=fold_case))
    longest = max((len(k.split(" ")) for k in vocab), default=1)
    n_tok = n_cov = phrases = 0
    seen: dict[str, bool] = {}
    missing: dict[str, int] = {}
    for line in lines:
        toks = [key(t, fold_case=fold_case) for t in tokens(line)]
        i = 0
        while i < len(toks):
            span = 1
            for n in range(min(longest, len(toks) - i), 1, -1):
                if " ".join(toks[i:i + n]) in vocab:
                    span = n
                    break
            if span > 1:
                phrases += 1
                n_cov += span
            elif toks[i] in vocab:
                n_cov += 1
            else:
                missing[toks[i]] = missing.get(toks[i], 0) + 1
            for t in toks[i:i + span]:
                seen[t] = t in vocab
            n_tok += span
            i += span
    worst = sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Coverage(n_tok, n_cov, len(seen), sum(seen.values()), phrases, tuple(worst))


def langs_of(store: Store, rid: int) -> set[str]:
    """The ISO 639-3 codes a resource is filed under."""
    return {r[0] for r in store.query("SELECT lang FROM resource_langs WHERE resource_id = ?", (rid,))}
