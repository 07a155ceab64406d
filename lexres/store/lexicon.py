"""Lookups in the stored lexicons: the translations of a word, and a whole direction as a dictionary.

Stable API (used by augmentation): `translations()` and `dictionary()`.
- Both stored directions serve a query: a pair filed eng->swa also answers swa->eng.
- Macrolanguages both ways, on either side (`Lang.family`): a query for `swh` also searches pairs filed
  under its macrolanguage `swa`, and a query for `swa` (or `sw`) also searches pairs filed under its
  individual languages (`swh`, `swc`); each translation names the varieties that gave it
  (`Translation.varieties`), and `served_by` / `translation_found_under` say which other codes served a
  lookup (`lexres.langs.found_under`).
- Weight of a translation = sum, over the distinct resources giving the pair, of that resource's score:
  1.0 for a plain dictionary attestation, or the stored pair weight (a pivot score in (0, 1]). Repeats
  inside one resource (the `count` column) do not add: a file listing a pair twice is not two witnesses.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lexres.errors import OptionError
from lexres.langs import FoundUnder, Lang, found_under, resolve
from lexres.store import nearby
from lexres.store.core import Store
from lexres.store.entries import has_pairs, lexicon_ids
from lexres.text import fold, key, normalize


@dataclass(frozen=True, slots=True)
class Translation:
    """One translation of a word: the target word (surface form), its weight, the resources that give it,
    the most frequent part of speech given for it (None when no source gives one), and the (source variety,
    target variety) pairs of the stored pairs that give it, sorted (BCP-47 tags as kept, e.g. (`swh`,
    `eng`); not compared: two equal translations are equal whatever their varieties)."""

    word: str
    weight: float
    sources: tuple[int, ...]
    pos: str | None = None
    varieties: tuple[tuple[str, str], ...] = field(default=(), compare=False)


def _lang(code: str | Lang) -> Lang:
    return code if isinstance(code, Lang) else resolve(code)


def _side_filter(col: str, lang: Lang, *, indexed: bool = True) -> tuple[str, list]:
    """SQL restricting one side to a language: its family of codes, and the exact variety when the query
    names a private-use variety (e.g. qaa-x-eryu1239, a CLDF dialect without an ISO code). Not `indexed`:
    the language test is kept off the indexes (a unary `+`), so that SQLite seeks the word index of the
    other side instead of reading every pair of the resources through (resource_id, src_lang, tgt_lang)."""
    family = list(lang.family)
    sql = f"{'' if indexed else '+'}{col}_lang IN ({','.join('?' * len(family))})"
    if "-x-" in lang.tag:
        sql += f" AND {col}_variety = ?"
        family.append(lang.tag)
    return sql, family


def _searched(store: Store, src: Lang, tgt: Lang, resources: Sequence[int] | None) -> list[int]:
    """The lexicons a lookup searches: `resources`, or by default the imported ones (derived ones, pivot and
    induced, must be named) that hold both languages."""
    return list(resources) if resources else lexicon_ids(store, src.family, tgt.family, imported_only=True)


def _rows(store: Store, src: Lang, tgt: Lang, word_key: str | None, fold_case: bool,
          resources: Sequence[int] | None) -> Iterable[tuple]:
    """(source key, target word, target key, resource id, weight, pos, source variety, target variety) for
    both stored directions. The resources searched are `resources`, or by default the imported lexicons
    (derived ones, pivot and induced, must be named) that hold both languages: the word indexes are keyed
    (language, resource, word), so a lookup seeks once per language code and resource."""
    ids = _searched(store, src, tgt, resources)
    if not ids:
        return []
    kcol = "fold" if fold_case else "key"
    out = []
    for a, b in (("src", "tgt"), ("tgt", "src")):
        fa, args_a = _side_filter(a, src)
        fb, args_b = _side_filter(b, tgt, indexed=False)
        sql = (f"SELECT {a}_{kcol}, {b}_word, {b}_{kcol}, resource_id, weight, pos, {a}_variety, "
               f"{b}_variety FROM lexicon WHERE {fa} AND {fb} "
               f"AND resource_id IN ({','.join('?' * len(ids))})")
        args = args_a + args_b + ids
        if word_key is not None:  # the folded key is indexed; an exact lookup narrows on the exact key
            sql += f" AND {a}_fold = ?"
            args.append(word_key.casefold())
            if not fold_case:
                sql += f" AND {a}_key = ?"
                args.append(word_key)
        out.extend(store.conn.execute(sql, args).fetchall())
    return out


class _Acc:
    """Accumulates the evidence for one (source key, target key)."""

    __slots__ = ("surfaces", "by_resource", "pos", "varieties")

    def __init__(self):
        self.surfaces: dict[str, int] = {}
        self.by_resource: dict[int, float] = {}
        self.pos: dict[str, int] = {}
        self.varieties: set[tuple[str, str]] = set()

    def add(self, surface: str, rid: int, weight: float | None, pos: str | None,
            varieties: tuple[str, str]) -> None:
        self.surfaces[surface] = self.surfaces.get(surface, 0) + 1
        self.varieties.add(varieties)
        w = 1.0 if weight is None else float(weight)
        if w > self.by_resource.get(rid, float("-inf")):
            self.by_resource[rid] = w
        if pos:
            self.pos[pos] = self.pos.get(pos, 0) + 1

    def translation(self) -> Translation:
        word = max(self.surfaces.items(), key=lambda kv: (kv[1], kv[0]))[0]
        pos = max(self.pos.items(), key=lambda kv: (kv[1], kv[0]))[0] if self.pos else None
        return Translation(word, sum(self.by_resource.values()), tuple(sorted(self.by_resource)), pos,
                           tuple(sorted(self.varieties)))


def _collect(rows: Iterable[tuple]) -> dict[str, dict[str, _Acc]]:
    out: dict[str, dict[str, _Acc]] = {}
    for skey, tword, tkey, rid, weight, pos, svar, tvar in rows:
        out.setdefault(skey, {}).setdefault(tkey, _Acc()).add(tword, rid, weight, pos, (svar, tvar))
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
        ids = _searched(store, s, t, resources)
        rows = [("", *r[1:]) for k in folded_words(store, s, word, resources=ids)
                for r in _rows(store, s, t, k, True, ids)]
        return _ranked(_collect(rows).get("", {}))
    k = key(word, fold_case=fold_case)
    found = _collect(_rows(store, s, t, k, fold_case, resources))
    return _ranked(found.get(k, {}))


def folded_words(store: Store, lang: str | Lang, word: str, *, resources: Sequence[int] | None = None
                 ) -> list[str]:
    """The stored (case-folded) keys of `lang`'s words, on either side of a lexicon (of `resources`, or of
    every lexicon holding the language), that equal `word` once case and diacritics are ignored
    (`lexres.text.fold`), sorted; found by walking the word indexes (lexres.store.nearby), not by reading
    the lexicon."""
    family = list(_lang(lang).family)
    ids = list(resources) if resources is not None else lexicon_ids(store, family)
    found = set(nearby.folded_matches(store, "lexicon.src", family, word, resources=ids))
    found.update(nearby.folded_matches(store, "lexicon.tgt", family, word, resources=ids))
    return sorted(found)


def suggest(store: Store, src: str | Lang, tgt: str | Lang, word: str, *, n: int = 5,
            resources: Sequence[int] | None = None) -> list[str]:
    """Up to `n` words of `src` that look like `word` and have a translation into `tgt` (with `resources`,
    from those), best first, as a lexicon writes them: did-you-mean suggestions for a word that is not
    there (lexres.store.nearby.near_matches: difflib over folded keys, candidates found through the index)."""
    s, t = _lang(src), _lang(tgt)
    family = list(s.family)
    q = fold(normalize(word))
    ids = _searched(store, s, t, resources)
    cands = set(nearby.near_matches(store, "lexicon.src", family, word, n=n * 2, resources=ids))
    cands.update(nearby.near_matches(store, "lexicon.tgt", family, word, n=n * 2, resources=ids))
    ranked = sorted(cands, key=lambda c: (-difflib.SequenceMatcher(None, q, fold(c)).ratio(), c))
    out: list[str] = []
    for cand in ranked:
        if translations(store, s, t, cand, fold_case=True, resources=resources):
            surface = _surface(store, family, ids, cand)
            if surface not in out and surface != normalize(word):
                out.append(surface)
        if len(out) >= n:
            break
    return out


def _surface(store: Store, family: Sequence[str], ids: Sequence[int], folded: str) -> str:
    """The spelling the lexicons `ids` give for a case-folded key (the first stored), for showing it."""
    marks, rids = ",".join("?" * len(family)), ",".join("?" * len(ids))
    for side in ("src", "tgt"):
        row = store.conn.execute(f"SELECT {side}_word FROM lexicon WHERE {side}_lang IN ({marks}) AND "
                                 f"resource_id IN ({rids}) AND {side}_fold = ? LIMIT 1",
                                 (*family, *ids, folded)).fetchone()
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


__all__ = ["Translation", "translations", "dictionary", "sources_of", "folded_words", "suggest", "served_by",
           "translation_found_under"]


def pair_resources(store: Store, a: str | Lang, b: str | Lang, *, include_derived: bool = False) -> list[int]:
    """Ids of the resources holding pairs between a and b (either direction, macrolanguages included);
    imported lexicons only unless `include_derived` (pivot/induced lexicons, anything with parents)."""
    la, lb = (x if isinstance(x, Lang) else resolve(x) for x in (a, b))
    fa, fb = list(la.family), list(lb.family)
    return [rid for rid in lexicon_ids(store, fa, fb, imported_only=not include_derived)
            if has_pairs(store, rid, fa, fb) or has_pairs(store, rid, fb, fa)]


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


class TokenCounts:
    """A text tokenised once for `coverage` (`tokens`, each made a lookup `key`), so that the coverage of
    several lexicons on one text (e.g. a Bible in `lexres report`) reads and tokenises it once: how often
    each key occurs (`counts`), the total (`n_tokens`), and the keys of the lines in which a multi-word
    entry may start (`lines`: every non-empty line, or with `phrase_starts` only the lines holding one of
    those first words, which keeps memory to the word types when a lexicon is measured once). The lines
    are read once, as they come."""

    __slots__ = ("fold_case", "phrase_starts", "counts", "n_tokens", "lines")

    def __init__(self, lines: Iterable[str], *, fold_case: bool = False,
                 phrase_starts: Iterable[str] | None = None):
        self.fold_case = fold_case
        self.phrase_starts = None if phrase_starts is None else frozenset(phrase_starts)
        self.counts: Counter = Counter()
        self.lines: list[list[str]] = []
        keys: dict[str, str] = {}  # token -> key (a Bible has ~10k types among ~300k tokens)
        for line in lines:
            toks = []
            for t in tokens(line):
                k = keys.get(t)
                if k is None:
                    k = keys[t] = key(t, fold_case=fold_case)
                toks.append(k)
            self.counts.update(toks)
            if toks and (self.phrase_starts is None or not self.phrase_starts.isdisjoint(toks)):
                self.lines.append(toks)
        self.n_tokens = sum(self.counts.values())


def coverage(store: Store, src: str, tgt: str, lines: Iterable[str] | TokenCounts, *,
             fold_case: bool = False, resources: Sequence[int] | None = None, top: int = 10) -> Coverage:
    """Share of the tokens and types of a text that the src->tgt lexicon can translate. A token is covered
    when it, or a multi-word entry it starts or continues (longest match, left to right), is in the lexicon;
    a type is covered when the word alone is. `lines`: the text, or its `TokenCounts` (made with the same
    `fold_case`) to measure several lexicons on one text; raises OptionError when that cannot serve.

    Every token is first counted alone (from the type counts); then, only on the lines holding the first
    word of a multi-word entry, the entries matched cover the words they span that are not entries alone."""
    vocab = {r[0] for r in _rows(store, _lang(src), _lang(tgt), None, fold_case, resources)}
    starts = {k.split(" ", 1)[0] for k in vocab if " " in k}
    longest = max((len(k.split(" ")) for k in vocab), default=1)
    if not isinstance(lines, TokenCounts):
        lines = TokenCounts(lines, fold_case=fold_case, phrase_starts=starts)
    elif lines.fold_case != fold_case:
        raise OptionError(f"the text was tokenised with fold_case={lines.fold_case}, not {fold_case}")
    elif lines.phrase_starts is not None and not starts <= lines.phrase_starts:
        raise OptionError("the tokenised text kept only the lines of other multi-word entries",
                          hint="make the TokenCounts without phrase_starts to measure several lexicons")
    text = lines
    n_cov = sum(n for t, n in text.counts.items() if t in vocab)
    missing = {t: n for t, n in text.counts.items() if t not in vocab}
    types_covered = len(text.counts) - len(missing)
    phrases = 0
    for toks in text.lines if starts else ():
        if starts.isdisjoint(toks):
            continue
        i = 0
        while i < len(toks):
            span = 1
            if toks[i] in starts:
                for n in range(min(longest, len(toks) - i), 1, -1):
                    if " ".join(toks[i:i + n]) in vocab:
                        span = n
                        break
            if span > 1:
                phrases += 1
                for t in toks[i:i + span]:
                    if t not in vocab:  # counted missing alone above; the entry covers it here
                        n_cov += 1
                        missing[t] -= 1
            i += span
    worst = sorted(((t, n) for t, n in missing.items() if n), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Coverage(text.n_tokens, n_cov, len(text.counts), types_covered, phrases, tuple(worst))


def langs_of(store: Store, rid: int) -> set[str]:
    """The ISO 639-3 codes a resource is filed under."""
    return {r[0] for r in store.query("SELECT lang FROM resource_langs WHERE resource_id = ?", (rid,))}


def served_by(store: Store, lang: str | Lang, rids: Iterable[int]) -> tuple[FoundUnder, ...]:
    """How the resources `rids` served a lookup for `lang` through other codes of its family
    (`Lang.family`): the family codes that the resources not filed under `lang`'s own code are filed under
    (`lexres.langs.found_under`); empty when every resource is filed under `lang` itself."""
    la = _lang(lang)
    codes: set[str] = set()
    for rid in set(rids):
        filed = langs_of(store, rid)
        if la.code not in filed:
            codes |= filed
    return found_under(la, codes)


def translation_found_under(src: str | Lang, tgt: str | Lang,
                            found: Iterable[Translation]) -> tuple[FoundUnder, ...]:
    """How a src->tgt lookup was served through other codes of either language's family, read from the
    varieties of the pairs that gave its translations (`Translation.varieties`; a variety tag starts with
    its ISO 639-3 code): source side first, then target side."""
    found = list(found)
    src_codes = {sv.split("-")[0] for t in found for sv, _ in t.varieties}
    tgt_codes = {tv.split("-")[0] for t in found for _, tv in t.varieties}
    return found_under(_lang(src), src_codes) + found_under(_lang(tgt), tgt_codes)
