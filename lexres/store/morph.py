"""Lookups on stored morphology: the paradigm of a lemma, the analyses of a form, feature statistics,
and export to pandas or to a SIGMORPHON-layout TSV. Queries go through the (lang, lemma) and
(lang, form) indexes, so they answer in milliseconds on 100k-entry tables; a language's query searches its
family (`Lang.family`), macrolanguages both ways: `swh` finds entries filed under its macrolanguage `swa`, and
`swa` (or `sw`) finds those filed under its individual languages (`swh`); results say where they came from
(`found_under`, notes) and each entry names its variety."""
from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lexres.errors import NotFoundError, ParseError
from lexres.features import analyze as analyze_bundle
from lexres.features import schema
from lexres.langs import FoundUnder, found_under, resolve
from lexres.loaders.morph.common import LAYOUTS, LEMMA_FEATURES, LEMMA_FEATURES_FORM, check_layout
from lexres.records import Result
from lexres.store import Store, nearby

_COLS = "m.lemma, m.form, m.features, m.features_canon, m.lang, m.resource_id, r.name, m.line, r.variety"


@dataclass(frozen=True, slots=True)
class Cell:
    """One stored entry as a lookup returns it: `lang` is the code it is filed under, `variety` its
    resource's BCP-47 variety tag (= `lang` when plain)."""

    lemma: str
    form: str | None
    features: tuple[str, ...]
    canonical: tuple[str, ...]
    lang: str
    resource_id: int
    resource: str
    line: int
    variety: str = ""

    def to_dict(self) -> dict:
        """JSON view: feature bundles joined with `;`."""
        return {"lemma": self.lemma, "form": self.form, "features": ";".join(self.features),
                "canonical": ";".join(self.canonical), "lang": self.lang,
                "variety": self.variety or self.lang, "resource_id": self.resource_id,
                "resource": self.resource, "line": self.line}


@dataclass(frozen=True)
class LookupResult:
    """Entries found for a query, the codes searched (`Lang.family`), how other codes of the family served
    it (`found_under`) and notes (those lines with their entry counts, and --fold matches)."""

    query: str
    lang: str
    searched: tuple[str, ...]
    cells: tuple[Cell, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    found_under: tuple[FoundUnder, ...] = ()

    @property
    def varieties(self) -> tuple[str, ...]:
        """The varieties the entries come from, sorted."""
        return tuple(sorted({c.variety or c.lang for c in self.cells}))

    def to_dict(self) -> dict:
        """JSON view: the query, language, codes searched, entries (as `Cell.to_dict`), notes and
        found_under."""
        return {"query": self.query, "lang": self.lang, "searched": list(self.searched),
                "entries": [c.to_dict() for c in self.cells], "notes": list(self.notes),
                "found_under": [f.to_dict() for f in self.found_under]}


@dataclass(frozen=True)
class ResourceShare(Result):
    """How many of a language's entries one resource holds, and under which code it is filed."""

    resource_id: int
    lang: str
    entries: int


@dataclass(frozen=True)
class FeatureStats(Result):
    """Morphology counts for one language (`feature_stats`): the code and the codes searched (its family,
    `Lang.family`), entries, distinct lemmas, forms and canonical bundles, covered entries (no form), entries
    per tag and per UniMorph dimension (most frequent first; `(unknown)` for tags outside the schema), tags
    not in the UniMorph schema, entries per resource, and how other codes of the family served it
    (`found_under`; as `notes`, with counts)."""

    lang: str
    searched: Sequence[str]
    entries: int
    lemmas: int
    forms: int
    covered: int
    bundles: int
    tags: Mapping[str, int]
    dimensions: Mapping[str, int]
    unknown_tags: Mapping[str, int]
    resources: Sequence[ResourceShare]
    notes: Sequence[str]
    found_under: Sequence[FoundUnder] = ()


def _family(store: Store, lang: str) -> tuple[str, tuple[str, ...]]:
    code = resolve(lang).code
    return code, tuple(store.langs_in(lang))


def _variety(lang: str) -> str | None:
    """The BCP-47 tag when the query names a variety (`ckb-Latn`): only its resources are searched."""
    got = resolve(lang)
    return got.tag if got.tag != got.code else None


def _found(lang: str, counts: Mapping[str, int]) -> tuple[tuple[FoundUnder, ...], tuple[str, ...]]:
    """How other codes of the family served a query (`lexres.langs.found_under`) from the entries found per
    filed code, and the note lines saying so with their counts."""
    found = found_under(resolve(lang), counts)
    entries = {f.filed: counts[f.filed] for f in found}
    return found, tuple(f"{f.note}: {entries[f.filed]:,} " + ("entry" if entries[f.filed] == 1 else "entries")
                        for f in found)


def _tags(text: str) -> tuple[str, ...]:
    """Top-level tags of a stored bundle, by the one bundle parser (`N;GEN(SG;DEF)` is two tags)."""
    try:
        return analyze_bundle(text).given
    except ParseError:  # stored by a caller that bypassed the readers: shown as stored
        return (text,)


def _cells(rows) -> tuple[Cell, ...]:
    return tuple(Cell(r[0], r[1], _tags(r[2]), _tags(r[3]), r[4], r[5], r[6], r[7], r[8]) for r in rows)


def _query(store: Store, lang: str, column: str, value: str, resource: int | None,
           fold: bool = False) -> LookupResult:
    code, fam = _family(store, lang)
    value = unicodedata.normalize("NFC", value.strip())
    # --fold: the stored words whose folded key is the query's (found by walking the index), then their rows
    values = nearby.folded_matches(store, f"morph.{column}", fam, value) if fold else [value]
    marks = ",".join("?" * len(fam))
    sql = (f"SELECT {_COLS} FROM morph m JOIN resources r ON r.id = m.resource_id "
           f"WHERE m.lang IN ({marks}) AND m.{column} IN ({','.join('?' * len(values)) or 'NULL'})")
    args: list = [*fam, *values]
    if resource is not None:
        sql += " AND m.resource_id = ?"
        args.append(resource)
    variety = _variety(lang)
    if variety:
        sql += " AND r.variety = ?"
        args.append(variety)
    cells = _cells(store.conn.execute(sql + " ORDER BY m.resource_id, m.line", args))
    found, notes = _found(lang, Counter(c.lang for c in cells))
    matched = sorted({getattr(c, column) for c in cells} - {value})
    if fold and matched:
        notes += (f"matched ignoring case and diacritics: {', '.join(f'`{m}`' for m in matched)}",)
    return LookupResult(value, variety or code, fam, cells, notes, found)


def paradigm(store: Store, lang: str, lemma: str, *, resource: int | None = None,
             fold: bool = False) -> LookupResult:
    """Every stored form of `lemma` (all resources of the language unless one is named); with `fold`, of
    every lemma that matches ignoring case and diacritics (`lexres.text.fold`)."""
    return _query(store, lang, "lemma", lemma, resource, fold)


def analyze(store: Store, lang: str, form: str, *, resource: int | None = None,
            fold: bool = False) -> LookupResult:
    """Every (lemma, features) a stored table gives for the surface `form`; with `fold`, for every stored
    form that matches ignoring case and diacritics (`lexres.text.fold`), each cell naming its own form."""
    return _query(store, lang, "form", form, resource, fold)


def suggest(store: Store, lang: str, word: str, column: str = "form", *, resource: int | None = None,
            n: int = 5) -> list[str]:
    """Up to `n` stored words of `column` (form or lemma) of the language (its family, `Lang.family`) that
    look like `word`, best first (`lexres.store.nearby.near_matches`: difflib over folded keys, candidates
    found through the index); only words the resource (and variety) asked for holds."""
    if column not in ("form", "lemma"):
        raise ValueError(f"column must be form or lemma, not {column!r}")
    _, fam = _family(store, lang)
    word = unicodedata.normalize("NFC", word.strip())
    out = []
    for cand in nearby.near_matches(store, f"morph.{column}", fam, word, n=n * 2):
        if cand != word and _query(store, lang, column, cand, resource).cells:
            out.append(cand)
    return out[:n]


def require_found(result: LookupResult, what: str, suggestions: Sequence[str] = ()) -> LookupResult:
    """`result` itself when it found entries; raises NotFoundError naming the query (`what`: lemma, form)
    and the codes searched otherwise, its hint the `suggestions` (did you mean ...?) when there are any."""
    if not result.cells:
        searched = ", ".join(result.searched)
        label = {"form": "analysis for", "lemma": "paradigm for"}.get(what, what)
        hint = (nearby.did_you_mean(suggestions, result.query)
                or "see `lexres list` for what the store holds; lookups are exact (NFC) unless --fold")
        raise NotFoundError(f"no {label} `{result.query}` in {result.lang} (searched {searched})", hint=hint)
    return result


def require_morphology(store: Store, lang: str, *, resource: int | None = None) -> None:
    """Nothing when the language (its family, `Lang.family`; the resource, when named) holds morphology;
    raises NotFoundError saying the language has none otherwise, so that a lookup that found nothing does
    not send the user after other spellings (one indexed probe)."""
    code, fam = _family(store, lang)
    sql = f"SELECT 1 FROM morph WHERE lang IN ({','.join('?' * len(fam))})"
    args: list = list(fam)
    if resource is not None:
        sql += " AND resource_id = ?"
        args.append(resource)
    if store.conn.execute(sql + " LIMIT 1", args).fetchone() is None:
        where = f" in resource #{resource}" if resource is not None else ""
        raise NotFoundError(f"no morphology stored for {code}{where} (searched {', '.join(fam)})",
                            hint="`lexres langs --kind morph` lists the languages that have some")


def feature_stats(store: Store, lang: str, *, resource: int | None = None) -> FeatureStats:
    """Counts for one language: entries, lemmas, forms, bundles, per-tag and per-dimension counts,
    and the tags that are not in the UniMorph schema (see FeatureStats). Raises NotFoundError when the
    language (or the resource) holds no morphology."""
    code, fam = _family(store, lang)
    marks = ",".join("?" * len(fam))
    where, args = f"lang IN ({marks})", list(fam)
    if resource is not None:
        where += " AND resource_id = ?"
        args.append(resource)
    variety = _variety(lang)
    if variety:
        where += " AND resource_id IN (SELECT id FROM resources WHERE variety = ?)"
        args.append(variety)
    q = store.conn.execute
    n, lemmas, forms, covered = q(f"SELECT COUNT(*), COUNT(DISTINCT lemma), COUNT(DISTINCT form), "
                                  f"SUM(form IS NULL) FROM morph WHERE {where}", args).fetchone()
    if not n:
        raise NotFoundError(f"no morphology stored for {code} (searched {', '.join(fam)})")
    tags: Counter = Counter()
    unknown: Counter = Counter()
    bundles = 0
    sch = schema()
    dims: Counter = Counter()
    for canon, count in q(f"SELECT features_canon, COUNT(*) FROM morph WHERE {where} GROUP BY features_canon",
                          args):
        bundles += 1
        try:  # the one bundle parser: a layered tag such as `PSS(SG;3)` is one tag, not two fragments
            parsed = analyze_bundle(canon)
        except ParseError:  # stored by a caller that bypassed the readers; count it, do not fail
            unknown[canon] += count
            tags[canon] += count
            dims["(unknown)"] += count
            continue
        for t, text in zip(parsed.tags, parsed.given, strict=True):
            tags[text] += count
            dims[sch.dimension(t.name) or "(unknown)"] += count
        for a in parsed.unknown:
            unknown[a] += count
    res = [ResourceShare(int(r[0]), r[1], int(r[2]))
           for r in q(f"SELECT resource_id, lang, COUNT(*) AS entries FROM morph WHERE {where} "
                      f"GROUP BY resource_id, lang ORDER BY resource_id", args)]
    per_code: Counter = Counter()
    for r in res:
        per_code[r.lang] += r.entries
    found, notes = _found(lang, per_code)
    return FeatureStats(
        lang=code, searched=list(fam), entries=n, lemmas=lemmas, forms=forms, covered=covered or 0,
        bundles=bundles, tags=dict(tags.most_common()), dimensions=dict(dims.most_common()),
        unknown_tags=dict(unknown.most_common()), resources=res, notes=list(notes), found_under=found)


def _select(store: Store, lang: str | None, resource: int | None) -> tuple[str, list]:
    if lang is None and resource is None:
        raise NotFoundError("name a language or a resource to export")
    sql = "SELECT lemma, form, features, features_canon, lang, resource_id, line FROM morph WHERE 1=1"
    args: list = []
    if lang is not None:
        _, fam = _family(store, lang)
        sql += f" AND lang IN ({','.join('?' * len(fam))})"
        args += fam
        variety = _variety(lang)
        if variety:
            sql += " AND resource_id IN (SELECT id FROM resources WHERE variety = ?)"
            args.append(variety)
    if resource is not None:
        sql += " AND resource_id = ?"
        args.append(resource)
    return sql + " ORDER BY id", args


def to_frame(store: Store, lang: str | None = None, *, resource: int | None = None):
    """Entries as a pandas DataFrame of strings (`NA`, `null`, `nan` stay words)."""
    import pandas as pd

    sql, args = _select(store, lang, resource)
    cur = store.conn.execute(sql, args)
    return pd.DataFrame.from_records(cur.fetchall(), columns=[d[0] for d in cur.description])


def format_row(lemma: str, form: str | None, features: str, layout: str) -> str:
    """One line in a SIGMORPHON layout (covered layout drops the form)."""
    if layout == LEMMA_FEATURES:
        return f"{lemma}\t{features}"
    if layout == LEMMA_FEATURES_FORM:
        return f"{lemma}\t{features}\t{form or ''}"
    return f"{lemma}\t{form or ''}\t{features}"


def export_tsv(store: Store, out: str | Path, layout: str = LAYOUTS[0], *, lang: str | None = None,
               resource: int | None = None, canonical: bool = False, force: bool = False) -> int:
    """Write entries as a headerless SIGMORPHON-style TSV in `layout`, atomically (lexres.outputs), with a
    manifest; returns rows. An empty selection raises NotFoundError and writes nothing."""
    from lexres.outputs import atomic_output, check_destination
    from lexres.provenance import write_manifest

    check_layout(layout)
    sql, args = _select(store, lang, resource)
    out = Path(out)
    rows = (r for r in store.conn.execute(sql, args) if layout == LEMMA_FEATURES or r[1] is not None)
    first = next(rows, None)  # a covered entry has no form to write in a full layout
    if first is None:
        raise NotFoundError("nothing to export for this selection", hint="no file was written")
    check_destination(out, force=force)
    n = 0
    used: set[int] = set()
    with atomic_output(out, force=force, newline="\n") as fh:
        for lemma, form, feats, canon, _, rid, _ in itertools.chain([first], rows):
            fh.write(format_row(lemma, form, canon if canonical else feats, layout) + "\n")
            used.add(rid)
            n += 1
    hashes = {f"resource:{rid}": store.resource(rid).sha256 for rid in sorted(used)}
    write_manifest(out, "morph-export", input_hashes=hashes,
                   params={"layout": layout, "lang": lang, "resource": resource, "canonical": canonical},
                   counts={"rows": n})
    return n


def has_entries(store: Store, langs: Sequence[str]) -> bool:
    """Whether any morphology entry is filed under one of `langs` (ISO 639-3 codes)."""
    q = ",".join("?" * len(langs))
    row = store.conn.execute(f"SELECT 1 FROM morph WHERE lang IN ({q}) LIMIT 1", tuple(langs)).fetchone()
    return row is not None


def first_analysis(store: Store, langs: Sequence[str], form: str) -> tuple[str, str] | None:
    """(lemma, canonical feature bundle) of the first stored entry whose form is `form`, or None."""
    q = ",".join("?" * len(langs))
    row = store.conn.execute(
        f"SELECT lemma, features_canon FROM morph WHERE lang IN ({q}) AND form = ? ORDER BY id LIMIT 1",
        (*langs, form),
    ).fetchone()
    return (row[0], row[1]) if row else None


def forms_of_lemma(store: Store, langs: Sequence[str], lemma: str) -> list[tuple[str, str]]:
    """(form, canonical feature bundle) of every stored cell of `lemma`, in file order."""
    q = ",".join("?" * len(langs))
    return [(r[0], r[1]) for r in store.conn.execute(
        f"SELECT form, features_canon FROM morph WHERE lang IN ({q}) AND lemma = ? AND form IS NOT NULL "
        "ORDER BY id",
        (*langs, lemma),
    )]


def cells_of_resource(store: Store, rid: int, langs: Sequence[str] | None = None):
    """(lemma, form, features as given) of every entry of one morph resource in file order, optionally only
    those filed under `langs`; `form` is None for covered (form-less) entries. A lazy cursor."""
    sql = "SELECT lemma, form, features FROM morph WHERE resource_id = ?"
    args: list = [rid]
    if langs:
        sql += f" AND lang IN ({','.join('?' * len(langs))})"
        args += list(langs)
    return store.conn.execute(sql + " ORDER BY id", args)


def uses_layered_features(store: Store, rid: int) -> bool:
    """Whether a morph resource writes its feature bundles in the layered UniMorph 4 notation
    (`N;GEN(SG;DEF)`)."""
    return store.conn.execute(
        "SELECT 1 FROM morph WHERE resource_id = ? AND features LIKE '%(%' LIMIT 1", (rid,)
    ).fetchone() is not None
