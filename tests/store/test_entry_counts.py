"""The entry count kept on every resource row (schema v3): equal to COUNT(*) over the entry table after an
import, a --replace, a remove, a derived resource, and after migrating a store made before the column."""

from __future__ import annotations

import sqlite3

import pytest

from lexres.errors import StoreError
from lexres.importer import import_resource
from lexres.kinds import entry_kinds, kind_info
from lexres.langs import resolve
from lexres.store import SCHEMA_VERSION, Store, resources
from tests.helpers import lexicon_records, morph_records, write_lines


def counted(store: Store) -> dict[int, tuple[int, int]]:
    """{resource id: (count kept on the row, COUNT(*) over its kind's entry table)}."""
    out = {}
    for rid, kind, kept in store.query("SELECT id, kind, entries FROM resources"):
        n = 0
        if kind in entry_kinds():
            table = kind_info(kind).table
            n = store.query(f"SELECT COUNT(*) FROM {table} WHERE resource_id = ?", (rid,))[0][0]
        out[rid] = (kept, n)
    return out


def assert_counts_right(store: Store) -> None:
    pairs = counted(store)
    assert all(kept == n for kept, n in pairs.values()), pairs
    for r in store.resources():  # and what the API gives is the kept count
        assert r.entries == pairs[r.id][0] == store.resource(r.id).entries


def _fill(store: Store, tmp_path, fixtures) -> dict[str, int]:
    ids = {}
    ids["morph"] = import_resource(
        store, "morph", [write_lines(tmp_path / "m.tsv", 5)], lang="swh", records=morph_records(5)
    ).resource_id
    src = tmp_path / "lex.tsv"
    src.write_text("x", encoding="utf-8")
    ids["lexicon"] = import_resource(  # a duplicate pair collapses: 3 read, 2 entries
        store, "lexicon", [src], lang="eng", target_lang="swh",
        records=lexicon_records([("book", "kitabu"), ("book", "kitabu"), ("tree", "mti")]),
    ).resource_id
    ids["bible"] = import_resource(
        store, "bible", [fixtures / "bible" / "tiny.ces.xml"], lang="gla", format="ces", on_error="skip"
    ).resource_id
    return ids


def test_kept_count_equals_the_table_after_import_replace_and_remove(store, tmp_path, fixtures):
    ids = _fill(store, tmp_path, fixtures)
    assert_counts_right(store)
    assert store.resource(ids["lexicon"]).entries == 2 and store.resource(ids["morph"]).entries == 5
    assert store.resource(ids["bible"]).entries > 0
    # --replace with more rows keeps the id and the new count
    src = write_lines(tmp_path / "m.tsv", 8, tag="y")
    new = import_resource(store, "morph", [src], lang="swh", records=morph_records(8, "y"), replace=True)
    assert new.resource_id == ids["morph"] and new.entries == 8
    assert_counts_right(store)
    # an unchanged re-import reports the kept count
    again = import_resource(store, "morph", [src], lang="swh", records=morph_records(8, "y"))
    assert again.status == "unchanged" and again.entries == 8
    store.remove(ids["lexicon"])
    assert ids["lexicon"] not in counted(store)
    assert_counts_right(store)


def test_derived_resources_keep_their_counts(store, tmp_path):
    new = resources.NewResource(
        kind="lexicon", format="pivot", name="eng-zul.pivot", lang=resolve("eng"), target_lang=resolve("zul"),
        sha256="d" * 64,
    )
    rid, n = resources.store_records(store, new, lexicon_records([("a", "b"), ("c", "d"), ("e", "f")]))
    assert n == 3 and store.resource(rid).entries == 3
    again, n = resources.store_records(store, new, lexicon_records([("a", "b")]), replace_id=rid)
    assert again == rid and store.resource(rid).entries == 1
    from lexres.augment.derived import record_derived

    out = tmp_path / "made.txt"
    out.write_text("x\n", encoding="utf-8")
    text = record_derived(store, kind="text", format="pseudo-mono", output=out, lang="swh", n_read=1,
                          n_stored=1)
    assert store.resource(text).entries == 0  # a file, no entry table
    assert_counts_right(store)


# the lexicon word indexes of schema versions 1-3 (replaced in 004)
V3_LEXICON_INDEXES = """
DROP INDEX lexicon_src; DROP INDEX lexicon_tgt;
CREATE INDEX lexicon_src_fold ON lexicon(src_lang, src_fold);
CREATE INDEX lexicon_tgt_fold ON lexicon(tgt_lang, tgt_fold);
"""


def test_a_store_made_before_the_column_is_migrated_with_its_counts(store_path, tmp_path, fixtures):
    with Store.open(store_path) as store:
        ids = _fill(store, tmp_path, fixtures)
    con = sqlite3.connect(store_path)  # back to schema v2: no entries column, the v1 lexicon word indexes
    con.execute("ALTER TABLE resources DROP COLUMN entries")
    con.executescript(V3_LEXICON_INDEXES)
    con.execute("PRAGMA user_version = 2")
    con.close()
    with pytest.raises(StoreError, match="older"):  # a read-only command cannot migrate it
        Store(store_path, readonly=True)
    with Store.open(store_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert_counts_right(store)
        assert store.resource(ids["lexicon"]).entries == 2 and store.resource(ids["morph"]).entries == 5
        assert store.integrity_check() == "ok"
