"""The fast paths of an import give the same store as the plain ones: indexes deferred to the end of a large
import come back exactly, inside the same transaction; fast-built records equal ordinary ones."""
from __future__ import annotations

import dataclasses

import pytest

from lexres.errors import ParseError
from lexres.formats import ReadContext
from lexres.importer import import_resource
from lexres.records import MorphEntry, Reject, Verse
from lexres.store.writers import BATCH
from tests.helpers import morph_records, write_lines


def _indexes(store, table: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in store.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name", (table,))]


def _traced(store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def test_large_import_into_a_small_table_rebuilds_the_same_indexes(store, tmp_path):
    before = _indexes(store, "morph")
    assert len(before) == 3
    src = write_lines(tmp_path / "big.tsv", 3)
    n = BATCH * 2 + 500
    seen = _traced(store)
    res = import_resource(store, "morph", [src], lang="gle", records=morph_records(n, "big"))
    store.conn.set_trace_callback(None)
    assert res.n_stored == n
    assert sum(s.startswith("DROP INDEX") for s in seen) == 3  # the deferred path was taken...
    assert _indexes(store, "morph") == before  # ...and every index is back, as it was defined
    assert store.integrity_check() == "ok"
    plan = " ".join(r[3] for r in store.query(
        "EXPLAIN QUERY PLAN SELECT form FROM morph WHERE lang = 'gle' AND lemma = 'big123'"))
    assert "morph_lang_lemma" in plan
    assert [r[0] for r in store.query("SELECT form FROM morph WHERE lang = 'gle' AND lemma = 'big123'")] == \
        ["big123s"]
    assert store.query("SELECT COUNT(*) FROM morph WHERE resource_id = ?", (res.resource_id,))[0][0] == n


def test_small_imports_and_imports_into_a_bigger_table_keep_their_indexes(store, tmp_path):
    def src(tag):  # distinct bytes per import: the same source twice would be "unchanged"
        return [write_lines(tmp_path / f"{tag}.tsv", 3, tag)]

    import_resource(store, "morph", src("a"), lang="gle", records=morph_records(BATCH * 3, "a"))
    seen = _traced(store)
    import_resource(store, "morph", src("b"), lang="gle", records=morph_records(50, "b"))
    # the table holds more rows than this import brings in its first batch: indexes are updated in place
    import_resource(store, "morph", src("c"), lang="gle", records=morph_records(BATCH + 10, "c"))
    store.conn.set_trace_callback(None)
    assert not [s for s in seen if "INDEX" in s]
    assert store.query("SELECT COUNT(*) FROM morph")[0][0] == BATCH * 4 + 60


def test_failed_large_import_leaves_table_and_indexes_untouched(store, tmp_path):
    before = _indexes(store, "morph")
    src = write_lines(tmp_path / "bad.tsv", 3)
    with pytest.raises(ParseError):
        import_resource(store, "morph", [src], lang="gle",
                        records=morph_records(BATCH * 2, "bad", bad_at={BATCH + 5}))
    assert _indexes(store, "morph") == before
    assert store.query("SELECT COUNT(*) FROM morph")[0][0] == 0
    assert store.resources() == []


def test_skip_mode_counts_stay_exact_through_the_fast_loop(store, tmp_path):
    src = write_lines(tmp_path / "skip.tsv", 3)
    bad = {0, 7, BATCH, BATCH * 2 - 1}
    res = import_resource(store, "morph", [src], lang="gle", on_error="skip", rejects_path=tmp_path / "r.tsv",
                          records=morph_records(BATCH * 2, "s", bad_at=bad))
    assert (res.n_read, res.n_stored, res.n_rejected) == (BATCH * 2, BATCH * 2 - len(bad), len(bad))
    assert store.query("SELECT COUNT(*) FROM rejects")[0][0] == len(bad)


def test_fast_built_records_equal_ordinary_ones():
    from lexres.loaders.bible.common import make_verse
    from lexres.loaders.morph.common import make_entry

    v = make_verse("MRK", 1, 2, "text", None, 7, "p")
    plain = Verse("MRK", 1, 2, "text", None, 7, "p")
    assert v == plain and hash(v) == hash(plain) and v.__class__ is Verse
    e = make_entry("l", "f", ("N", "PL"), ("N", "PL"), 3, (), "p")
    assert e == MorphEntry("l", "f", ("N", "PL"), ("N", "PL"), 3, (), "p")
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.text = "changed"  # type: ignore[misc]


def test_ces_ids_beyond_the_number_cache_and_bad_numbers(tmp_path):
    from lexres import formats as registry

    src = tmp_path / "odd.xml"
    src.write_text('<cesDoc><text><body><div id="b.PSA" type="book"><div id="b.PSA.119" type="chapter">\n'
                   '<seg id="b.PSA.119.176" type="verse">Last of the long psalm.</seg>\n'
                   '<seg id="b.PSA.1000.1" type="verse">Big chapter number.</seg>\n'
                   '<seg id="b.PSA.x.1" type="verse">Not a number.</seg>\n'
                   '<seg id="b.PSA.\u00b2.1" type="verse">A superscript two.</seg>\n'
                   '<seg id="b.PSA.119" type="verse">Too short.</seg>\n'
                   '</div></div></body></text></cesDoc>', encoding="utf-8")
    out = list(registry.get("bible", "ces").read([src], ReadContext(lang=None)))
    verses = [(o.ref, o.line) for o in out if isinstance(o, Verse)]
    assert verses == [("PSA 119:176", 2), ("PSA 1000:1", 3)]
    assert [o.line for o in out if isinstance(o, Reject)] == [4, 5, 6]


def _largest_ces_tree(tmp_path, monkeypatch, verses: int, per_chapter: int | None) -> int:
    from lexres import formats as registry
    from lexres.loaders.bible import ces as bible_ces

    def seg(c, v):
        return f'<seg id="b.PSA.{c}.{v}" type="verse">Verse <hi>{v}</hi> text.</seg>\n'

    if per_chapter:
        body = "".join(f'<div id="b.PSA.{c}" type="chapter">'
                       + "".join(seg(c, v) for v in range(1, per_chapter + 1)) + "</div>\n"
                       for c in range(1, verses // per_chapter + 1))
    else:  # segs straight under <body>, no chapter divs to clear them with
        body = "".join(seg(1, v) for v in range(1, verses + 1))
    src = tmp_path / f"long{verses}-{per_chapter}.xml"
    src.write_text(f"<cesDoc><text><body>{body}</body></text></cesDoc>", encoding="utf-8")
    trees: list = []
    real = bible_ces.iterparse

    def spy(*args, **kw):
        for ev, el in real(*args, **kw):
            if not trees:
                trees.append(el.getroottree())
            yield ev, el

    monkeypatch.setattr(bible_ces, "iterparse", spy)
    largest = n = 0
    for n, _ in enumerate(registry.get("bible", "ces").read([src], ReadContext(lang=None)), 1):
        if n % 97 == 0:
            largest = max(largest, sum(1 for _ in trees[0].getroot().iter()))
    assert n == verses
    return largest


@pytest.mark.parametrize("per_chapter", [50, None])
def test_ces_reader_keeps_the_tree_small(tmp_path, monkeypatch, per_chapter):
    """Memory stays flat with or without chapter divs: a whole tree here would hold 2 elements a verse."""
    short = _largest_ces_tree(tmp_path, monkeypatch, 2000, per_chapter)
    long = _largest_ces_tree(tmp_path, monkeypatch, 16000, per_chapter)
    assert long < 1.5 * short + 50
    assert long < 16000 * 2 / 10


@pytest.mark.parametrize("max_params", [32766, 999, 9])
@pytest.mark.parametrize("n", [0, 1, 99, 250, 1001])
def test_insert_rows_many_per_statement_keeps_every_row_in_order(monkeypatch, max_params, n):
    import sqlite3

    from lexres.store import writers

    monkeypatch.setattr(writers, "MAX_PARAMS", max_params)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
    rows = [(f"a{i}", i, None if i % 3 else f"c{i}") for i in range(n)]
    writers.insert_rows(conn, "INSERT INTO t(a, b, c) VALUES (?, ?, ?)", rows)
    assert conn.execute("SELECT a, b, c FROM t ORDER BY id").fetchall() == rows
