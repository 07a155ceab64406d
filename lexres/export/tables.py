"""Export entries: to a pandas DataFrame, to TSV, and to Parquet partitioned by language (`lang=xxx/`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from lexres.errors import NotFoundError, OptionError
from lexres.langs import resolve
from lexres.records import KINDS
from lexres.store import Store

# Columns exported per kind: (SQL expression, column name). `lang` is the partition column.
COLUMNS = {
    "morph": [
        ("e.lang", "lang"),
        ("e.lemma", "lemma"),
        ("e.form", "form"),
        ("e.features", "features"),
        ("e.features_canon", "features_canon"),
        ("e.resource_id", "resource_id"),
        ("e.line", "line"),
        ("e.notes", "notes"),
    ],
    "bible": [
        ("r.lang", "lang"),
        ("r.variety", "variety"),
        ("e.ref", "ref"),
        ("e.book", "book"),
        ("e.chapter", "chapter"),
        ("e.verse", "verse"),
        ("e.verse_end", "verse_end"),
        ("e.sort_key", "sort_key"),
        ("e.text", "text"),
        ("e.resource_id", "resource_id"),
    ],
    "lexicon": [
        ("e.src_lang", "lang"),
        ("e.src_word", "src_word"),
        ("e.tgt_lang", "tgt_lang"),
        ("e.tgt_word", "tgt_word"),
        ("e.pos", "pos"),
        ("e.sense", "sense"),
        ("e.gloss", "gloss"),
        ("e.weight", "weight"),
        ("e.count", "count"),
        ("e.resource_id", "resource_id"),
    ],
}
TABLE = {"morph": "morph", "bible": "verses", "lexicon": "lexicon"}
ORDER = {"morph": "e.id", "bible": "e.resource_id, e.sort_key", "lexicon": "e.id"}


def _select(store: Store, kind: str | None, resource: int | None, lang: str | None) -> tuple[str, str, list]:
    if resource is not None:
        res = store.resource(resource)
        if kind and kind != res.kind:
            raise OptionError(f"resource #{resource} is {res.kind}, not {kind}")
        kind = res.kind
    if kind not in KINDS:
        raise OptionError(f"export needs a kind ({', '.join(KINDS)}) or a resource id")
    cols = ", ".join(f"{expr} AS {name}" for expr, name in COLUMNS[kind])
    sql = f"SELECT {cols} FROM {TABLE[kind]} e JOIN resources r ON r.id = e.resource_id WHERE 1=1"
    args: list = []
    if resource is not None:
        sql += " AND e.resource_id = ?"
        args.append(resource)
    if lang is not None:
        family = resolve(lang).family
        where = {"morph": "e.lang", "bible": "r.lang", "lexicon": "e.src_lang"}[kind]
        sql += f" AND {where} IN ({','.join('?' * len(family))})"
        args.extend(family)
    return kind, sql + f" ORDER BY {ORDER[kind]}", args


def iter_rows(
    store: Store, kind: str | None = None, *, resource: int | None = None, lang: str | None = None
) -> Iterator[dict]:
    """Stream entries as dicts (column name -> value)."""
    _, sql, args = _select(store, kind, resource, lang)
    cur = store.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def dataframe(store: Store, kind: str | None = None, *, resource: int | None = None, lang: str | None = None):
    """Entries as a pandas DataFrame; strings stay strings (`NA`, `null` are words, not missing values)."""
    import pandas as pd

    kind, sql, args = _select(store, kind, resource, lang)
    cur = store.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return pd.DataFrame.from_records(cur.fetchall(), columns=names)


def _clean(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # A TAB or newline inside a value would break the row; fold it (verse text may carry either).
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ") if isinstance(value, str) else text


def export_tsv(
    store: Store,
    out: str | Path,
    kind: str | None = None,
    *,
    resource: int | None = None,
    lang: str | None = None,
) -> int:
    """Write entries as TSV with a header row; returns the number of rows."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(
            fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n", quotechar=None
        )
        header_done = False
        for row in iter_rows(store, kind, resource=resource, lang=lang):
            if not header_done:
                w.writerow(row.keys())
                header_done = True
            w.writerow([_clean(v) for v in row.values()])
            n += 1
    if n == 0:
        out.unlink()
        raise NotFoundError("nothing to export for this selection")
    return n


def export_parquet(
    store: Store,
    out_dir: str | Path,
    kind: str | None = None,
    *,
    resource: int | None = None,
    lang: str | None = None,
    batch_rows: int = 200_000,
) -> dict[str, int]:
    """Write entries as Parquet under `out_dir/lang=xxx/part-N.parquet`; returns rows per language."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    kind, sql, args = _select(store, kind, resource, lang)
    out_dir = Path(out_dir)
    cur = store.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    counts: dict[str, int] = {}
    parts: dict[str, int] = {}
    while True:
        rows = cur.fetchmany(batch_rows)
        if not rows:
            break
        by_lang: dict[str, list] = {}
        for row in rows:
            by_lang.setdefault(row[0], []).append(row)
        for code, group in by_lang.items():
            cols = {name: [r[i] for r in group] for i, name in enumerate(names) if name != "lang"}
            table = pa.table(cols)
            target = out_dir / f"lang={code}"
            target.mkdir(parents=True, exist_ok=True)
            part = parts.get(code, 0)
            pq.write_table(table, target / f"part-{part}.parquet")
            parts[code] = part + 1
            counts[code] = counts.get(code, 0) + len(group)
    if not counts:
        raise NotFoundError("nothing to export for this selection")
    (out_dir / "_lexres.json").write_text(
        json.dumps({"kind": kind, "resource": resource, "lang": lang, "rows": counts}, indent=2),
        encoding="utf-8",
    )
    return counts
