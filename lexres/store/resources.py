"""Resource rows: the one place that inserts, updates and deletes them, for imported and derived resources
alike, so every resource carries the same provenance (kind, format, languages, source, SHA-256, licence,
citation, importer version, time, counts, notes, options, parents).

Every function here runs inside the caller's transaction (`with store.transaction():`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from lexres import __version__
from lexres.errors import OptionError
from lexres.kinds import kind_table
from lexres.langs import Lang
from lexres.records import Record, Reject
from lexres.store.core import Store
from lexres.store.writers import WRITERS

ENTRY_TABLES = tuple(k.table for k in kind_table()) + ("rejects", "resource_langs")


@dataclass(frozen=True)
class NewResource:
    """What a new resource row holds before its entries are written. `sources` are file paths (kept
    absolute); `parents` are the ids of the resources a derived resource was made from."""

    kind: str
    format: str
    name: str
    lang: Lang
    sha256: str
    target_lang: Lang | None = None
    scheme: str | None = None
    sources: tuple[str, ...] = ()
    license: str | None = None
    citation: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    parents: tuple[int, ...] = ()


def options_json(options: dict[str, Any]) -> str:
    """Options as stored: part of a resource's identity (same bytes + other options = a new import)."""
    return json.dumps(
        {k: v for k, v in options.items() if v is not None}, ensure_ascii=False, default=str, sort_keys=True
    )


def insert(store: Store, res: NewResource) -> int:
    """Insert the resource row and file its languages; returns the new id."""
    store.ensure_language(res.lang)
    if res.target_lang is not None:
        store.ensure_language(res.target_lang)
    tgt = res.target_lang
    cur = store.conn.execute(
        "INSERT INTO resources(kind, format, name, lang, variety, target_lang, target_variety, scheme, "
        "source_path, sha256, license, citation, importer_version, imported_at, options, notes, "
        "derived_from) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            res.kind,
            res.format,
            res.name,
            res.lang.code,
            res.lang.tag,
            tgt.code if tgt else None,
            tgt.tag if tgt else None,
            res.scheme,
            ";".join(os.path.abspath(p) for p in res.sources) or None,
            res.sha256,
            res.license,
            res.citation,
            f"lexres {__version__}",
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            options_json(res.options),
            json.dumps(list(res.notes), ensure_ascii=False),
            json.dumps([int(i) for i in res.parents]),
        ),
    )
    rid = int(cur.lastrowid)
    if res.kind not in WRITERS:  # files such as generated text or models: filed under their language
        record_langs(store, rid, [res.lang])
    return rid


def reuse_id(store: Store, old_id: int, new_id: int) -> None:
    """Give the resource `new_id` the id `old_id` (of a resource just deleted), so `--replace` keeps ids."""
    store.conn.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT, when both sides agree again
    for table in ENTRY_TABLES:
        store.conn.execute(f"UPDATE {table} SET resource_id = ? WHERE resource_id = ?", (old_id, new_id))
    store.conn.execute("UPDATE resources SET id = ? WHERE id = ?", (old_id, new_id))


def finish(
    store: Store,
    rid: int,
    *,
    n_read: int,
    n_stored: int,
    n_rejected: int,
    notes: Sequence[str],
    scheme: str | None = None,
) -> None:
    """Write an import's counts, notes and detected scheme on its row, with the number of entries it holds
    (counted once here, after its writer closed, so listing resources never has to count them). Every
    import and derived resource ends here; its entries do not change after (`--replace` makes a new row)."""
    (kind,) = store.conn.execute("SELECT kind FROM resources WHERE id = ?", (rid,)).fetchone()
    store.conn.execute(
        "UPDATE resources SET n_read = ?, n_stored = ?, n_rejected = ?, notes = ?, "
        "scheme = COALESCE(?, scheme), entries = ? WHERE id = ?",
        (n_read, n_stored, n_rejected, json.dumps(list(notes), ensure_ascii=False), scheme,
         store.entry_count(rid, kind), rid),
    )


def record_langs(store: Store, rid: int, langs: Iterable[Lang]) -> None:
    """File the resource under every language (and variety) its entries use."""
    langs = list(langs)
    for lang in langs:
        store.ensure_language(lang)
    store.conn.executemany(
        "INSERT OR IGNORE INTO resource_langs(resource_id, lang, variety) VALUES (?, ?, ?)",
        [(rid, lg.code, lg.tag) for lg in langs],
    )


def add_rejects(store: Store, rid: int, rejected: Sequence[Reject], default_path: str) -> None:
    """Keep the rejected rows of an import in the store, each with its file, line and reason."""
    store.conn.executemany(
        "INSERT INTO rejects(resource_id, path, line, reason, raw) VALUES (?, ?, ?, ?, ?)",
        [(rid, r.path or default_path, r.line, r.reason, r.raw) for r in rejected],
    )


def set_parents(store: Store, rid: int, parents: Sequence[int]) -> None:
    """Mark a resource as derived from `parents`."""
    store.conn.execute(
        "UPDATE resources SET derived_from = ? WHERE id = ?", (json.dumps([int(i) for i in parents]), rid)
    )


def dependents(store: Store, rid: int) -> list[int]:
    """Ids of the resources derived from `rid`."""
    rows = store.conn.execute(
        "SELECT r.id FROM resources r, json_each(r.derived_from) p WHERE p.value = ? ORDER BY r.id", (rid,)
    ).fetchall()
    return [int(r[0]) for r in rows]


def delete(store: Store, rid: int) -> None:
    """Delete a resource row and every entry and reject it owns."""
    # Explicit deletes per table are faster than relying on ON DELETE CASCADE row by row.
    for table in ENTRY_TABLES:
        store.conn.execute(f"DELETE FROM {table} WHERE resource_id = ?", (rid,))
    store.conn.execute("DELETE FROM resources WHERE id = ?", (rid,))


def find_by_sha(store: Store, kind: str, sha256: str) -> int | None:
    """The id of a resource of `kind` with these bytes (or this derivation digest), if any."""
    row = store.conn.execute(
        "SELECT id FROM resources WHERE kind = ? AND sha256 = ? ORDER BY id LIMIT 1", (kind, sha256)
    ).fetchone()
    return int(row[0]) if row else None


def store_records(
    store: Store, res: NewResource, records: Iterable[Record], *, replace_id: int | None = None
) -> tuple[int, int]:
    """Store a derived resource and its entries in one transaction; with `replace_id`, the resource of that id
    is replaced and its id kept. Returns (resource id, entries written).

    Raises OptionError when the kind has no entry table."""
    if res.kind not in WRITERS:
        raise OptionError(f"cannot store entries of kind `{res.kind}`")
    with store.transaction():
        if replace_id is not None:
            delete(store, replace_id)
        rid = insert(store, res)
        writer = WRITERS[res.kind](store, rid, res.lang, res.target_lang)
        n = 0
        for rec in records:
            writer.add(rec)
            n += 1
        writer.close()
        finish(store, rid, n_read=n, n_stored=n, n_rejected=0, notes=list(res.notes) + list(writer.notes))
        record_langs(store, rid, writer.langs)
        if replace_id is not None:
            reuse_id(store, replace_id, rid)
            rid = replace_id
    return rid, n
