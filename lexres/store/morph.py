"""Lookups on stored morphology: the paradigm of a lemma, the analyses of a form, feature statistics,
and export to pandas or to a SIGMORPHON-layout TSV. Queries go through the (lang, lemma) and
(lang, form) indexes, so they answer in milliseconds on 100k-entry tables; a language's query also
searches its macrolanguage (`swh` finds resources filed under `swa`), and results say where they came from."""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lexres.errors import NotFoundError, ParseError
from lexres.langs import resolve
from lexres.store import Store

from lexres.features import analyze as analyze_bundle
from lexres.features import schema
from lexres.loaders.morph.common import LAYOUTS, LEMMA_FEATURES, LEMMA_FEATURES_FORM, check_layout

_COLS = "m.lemma, m.form, m.features, m.features_canon, m.lang, m.resource_id, r.name, m.line"


@dataclass(frozen=True, slots=True)
class Cell:
    """One stored entry as a lookup returns it."""

    lemma: str
    form: str | None
    features: tuple[str, ...]
    canonical: tuple[str, ...]
    lang: str
    resource_id: int
    resource: str
    line: int

    def to_dict(self) -> dict:
        return {"lemma": self.lemma, "form": self.form, "features": ";".join(self.features),
                "canonical": ";".join(self.canonical), "lang": self.lang, "resource_id": self.resource_id,
                "resource": self.resource, "line": self.line}


@dataclass(frozen=True)
class LookupResult:
    """Entries found for a query, the codes searched and a note when a macrolanguage supplied them."""

    query: str
    lang: str
    searched: tuple[str, ...]
    cells: tuple[Cell, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {"query": self.query, "lang": self.lang, "searched": list(self.searched),
                "entries": [c.to_dict() for c in self.cells], "notes": list(self.notes)}


def _family(store: Store, lang: str) -> tuple[str, tuple[str, ...]]:
    code = resolve(lang).code
    return code, tuple(store.langs_in(lang))


def _variety(lang: str) -> str | None:
    """The BCP-47 tag when the query names a variety (`ckb-Latn`): only its resources are searched."""
    got = resolve(lang)
    return got.tag if got.tag != got.code else None


def _fallback_notes(code: str, cells: tuple[Cell, ...]) -> tuple[str, ...]:
    others = sorted({c.lang for c in cells if c.lang != code})
    return tuple(f"found under {o} (macrolanguage of {code}): {sum(1 for c in cells if c.lang == o)} entries"
                 for o in others)


def _cells(rows) -> tuple[Cell, ...]:
    return tuple(Cell(r[0], r[1], tuple(r[2].split(";")), tuple(r[3].split(";")), r[4], r[5], r[6], r[7])
                 for r in rows)


def _query(store: Store, lang: str, column: str, value: str, resource: int | None) -> LookupResult:
    code, fam = _family(store, lang)
    value = unicodedata.normalize("NFC", value.strip())
    marks = ",".join("?" * len(fam))
    sql = (f"SELECT {_COLS} FROM morph m JOIN resources r ON r.id = m.resource_id "
           f"WHERE m.lang IN ({marks}) AND m.{column} = ?")
    args: list = [*fam, value]
    if resource is not None:
        sql += " AND m.resource_id = ?"
        args.append(resource)
    variety = _variety(lang)
    if variety:
        sql += " AND r.variety = ?"
        args.append(variety)
    cells = _cells(store.conn.execute(sql + " ORDER BY m.resource_id, m.line", args))
    return LookupResult(value, variety or code, fam, cells, _fallback_notes(code, cells))


def paradigm(store: Store, lang: str, lemma: str, *, resource: int | None = None) -> LookupResult:
    """Every stored form of `lemma` (all resources of the language unless one is named)."""
    return _query(store, lang, "lemma", lemma, resource)


def analyze(store: Store, lang: str, form: str, *, resource: int | None = None) -> LookupResult:
    """Every (lemma, features) a stored table gives for the surface `form`."""
    return _query(store, lang, "form", form, resource)


def require_found(result: LookupResult, what: str) -> LookupResult:
    if not result.cells:
        searched = ", ".join(result.searched)
        raise NotFoundError(f"no {what} `{result.query}` for {result.lang} (searched {searched})",
                            hint="see `lexres list` for what the store holds; lookups are exact (NFC)")
    return result


def feature_stats(store: Store, lang: str, *, resource: int | None = None) -> dict:
    """Counts for one language: entries, lemmas, forms, bundles, per-tag and per-dimension counts,
    and the tags that are not in the UniMorph schema."""
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
    for canon, count in q(f"SELECT features_canon, COUNT(*) FROM morph WHERE {where} GROUP BY features_canon",
                          args):
        bundles += 1
        for t in canon.split(";"):
            tags[t] += count
        try:
            for a in analyze_bundle(canon).unknown:
                unknown[a] += count
        except ParseError:  # stored by a caller that bypassed the readers; count it, do not fail
            unknown[canon] += count
    sch = schema()
    dims: Counter = Counter()
    for t, c in tags.items():
        dims[sch.dimension(t.split("(", 1)[0]) or "(unknown)"] += c
    res = [dict(r) for r in q(f"SELECT resource_id, lang, COUNT(*) AS entries FROM morph WHERE {where} "
                              f"GROUP BY resource_id, lang ORDER BY resource_id", args)]
    return {"lang": code, "searched": list(fam), "entries": n, "lemmas": lemmas, "forms": forms,
            "covered": covered or 0, "bundles": bundles, "tags": dict(tags.most_common()),
            "dimensions": dict(dims.most_common()), "unknown_tags": dict(unknown.most_common()),
            "resources": res,
            "notes": [f"found under {r['lang']} (macrolanguage of {code}): {r['entries']} entries"
                      for r in res if r["lang"] != code]}


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
               resource: int | None = None, canonical: bool = False) -> int:
    """Write entries as a headerless SIGMORPHON-style TSV in `layout`, with a manifest; returns rows."""
    from lexres.provenance import write_manifest

    check_layout(layout)
    sql, args = _select(store, lang, resource)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    used: set[int] = set()
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for lemma, form, feats, canon, _, rid, _ in store.conn.execute(sql, args):
            if layout != LEMMA_FEATURES and form is None:
                continue  # a covered entry has no form to write in a full layout
            fh.write(format_row(lemma, form, canon if canonical else feats, layout) + "\n")
            used.add(rid)
            n += 1
    if n == 0:
        out.unlink()
        raise NotFoundError("nothing to export for this selection")
    hashes = {f"resource:{rid}": store.resource(rid).sha256 for rid in sorted(used)}
    write_manifest(out, "morph-export", input_hashes=hashes,
                   params={"layout": layout, "lang": lang, "resource": resource, "canonical": canonical},
                   counts={"rows": n})
    return n
