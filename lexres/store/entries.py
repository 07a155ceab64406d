"""Cursors over the stored entries of one kind, for exports (TSV, Parquet, DataFrame) and for lookups that
stream whole resources: one SELECT per kind with the kind's export columns and order, filtered by resource
and by language (its macrolanguage included)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from lexres.errors import OptionError
from lexres.kinds import entry_kinds, kind_info
from lexres.langs import resolve
from lexres.store.core import IMPORTED_SQL, Store


def select(store: Store, kind: str | None, resource: int | None = None, lang: str | None = None
           ) -> tuple[str, sqlite3.Cursor]:
    """(kind, cursor) over the entries of `resource`, or of every resource of `kind` (for `lang`), with the
    kind's export column names as the cursor's description.

    Raises NotFoundError for an unknown resource, OptionError for a kind that does not match it or that
    has no entries."""
    if resource is not None:
        res = store.resource(resource)
        if kind and kind != res.kind:
            raise OptionError(f"resource #{resource} is {res.kind}, not {kind}")
        kind = res.kind
    kinds = entry_kinds()
    if kind not in kinds:
        raise OptionError(f"export needs a kind ({', '.join(kinds)}) or a resource id")
    info = kind_info(kind)
    cols = ", ".join(f"{expr} AS {name}" for expr, name in info.export_columns)
    sql = f"SELECT {cols} FROM {info.table} e JOIN resources r ON r.id = e.resource_id WHERE 1=1"
    args: list = []
    if resource is not None:
        sql += " AND e.resource_id = ?"
        args.append(resource)
    if lang is not None:
        family = resolve(lang).family
        sql += f" AND {info.lang_column} IN ({','.join('?' * len(family))})"
        args.extend(family)
    return kind, store.conn.execute(sql + f" ORDER BY {info.export_order}", args)


def _more_than(store: Store, langs: Sequence[str], n: int) -> bool:
    """Whether more than `n` resources are filed under the codes `langs` (reads at most n + 1 index
    entries)."""
    sql = f"SELECT 1 FROM resource_langs WHERE lang IN ({','.join('?' * len(langs))}) LIMIT 1 OFFSET {n}"
    return store.conn.execute(sql, list(langs)).fetchone() is not None


def lexicon_ids(store: Store, langs: Sequence[str], partners: Sequence[str] | None = None, *,
                imported_only: bool = False) -> list[int]:
    """Ids (ascending) of the lexicon resources with entries in one of the language codes `langs` and, given
    `partners`, also in one of those (either side, from `resource_langs`); `imported_only` leaves out
    derived lexicons (pivot, induced). Word lookups pass these to the lexicon indexes, which are keyed
    (language, resource, word) so that a new lexicon's keys are written together (schema 004).

    The resources of one side are listed and the other side checked on each by its key, from the side with
    fewer resources: with 1,000 lexicons into English, eng -> L lists L's few resources, not English's
    1,000 (bench/bench_scale.py)."""
    if partners is not None and _more_than(store, langs, 32) and not _more_than(store, partners, 32):
        langs, partners = partners, langs
    qa = ",".join("?" * len(langs))
    sql = (f"SELECT DISTINCT rl.resource_id FROM resource_langs rl JOIN resources r ON r.id = rl.resource_id "
           f"WHERE r.kind = 'lexicon' AND rl.lang IN ({qa})")
    args = list(langs)
    if imported_only:
        sql += f" AND {IMPORTED_SQL}"  # its columns are the resources row's
    if partners is not None:  # `+` keeps SQLite from walking every partner resource by the language index
        sql += (" AND EXISTS (SELECT 1 FROM resource_langs p WHERE p.resource_id = rl.resource_id "
                f"AND +p.lang IN ({','.join('?' * len(partners))}))")
        args.extend(partners)
    return [r[0] for r in store.conn.execute(sql + " ORDER BY rl.resource_id", args)]


def has_pairs(store: Store, rid: int, src_langs: Sequence[str], tgt_langs: Sequence[str]) -> bool:
    """Whether lexicon resource `rid` holds a pair from one of `src_langs` to one of `tgt_langs`."""
    sql = (f"SELECT 1 FROM lexicon WHERE resource_id = ? AND src_lang IN ({','.join('?' * len(src_langs))}) "
           f"AND tgt_lang IN ({','.join('?' * len(tgt_langs))}) LIMIT 1")
    return store.conn.execute(sql, (rid, *src_langs, *tgt_langs)).fetchone() is not None


def lexicon_rows(store: Store, rids: Sequence[int], src_langs: Sequence[str], tgt_langs: Sequence[str]
                 ) -> sqlite3.Cursor:
    """(src_word, tgt_word, count, weight) of the resources `rids` from `src_langs` to `tgt_langs`, in
    first-seen order (resource, line)."""
    q = ",".join("?" * len(rids))
    qs, qt = ",".join("?" * len(src_langs)), ",".join("?" * len(tgt_langs))
    sql = (f"SELECT src_word, tgt_word, count, weight FROM lexicon WHERE resource_id IN ({q}) "
           f"AND src_lang IN ({qs}) AND tgt_lang IN ({qt}) ORDER BY resource_id, line, id")
    return store.conn.execute(sql, (*rids, *src_langs, *tgt_langs))
