"""The store: schema versioning, provenance, all-or-nothing imports, no-op re-imports, replace, rejects,
macrolanguage fallback and export."""

import hashlib
import json
import sqlite3

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lexres.errors import LexresError, NotFoundError, OptionError, ParseError, StoreError
from lexres.export import dataframe, export_parquet, export_tsv
from lexres.importer import import_resource
from lexres.records import MorphEntry
from lexres.store import SCHEMA_VERSION, Store
from tests.helpers import dump, lexicon_records, morph_records, write_lines


def test_new_store_is_wal_with_foreign_keys_and_current_schema(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.integrity_check() == "ok"


def test_store_from_a_newer_lexres_is_refused(store_path):
    Store.open(store_path).close()
    con = sqlite3.connect(store_path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(store_path)


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    bogus = tmp_path / "x.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a lexres store"):
        Store.open(bogus)


def test_import_records_provenance(store, tmp_path):
    src = write_lines(tmp_path / "tab.tsv", 5)
    res = import_resource(
        store, "morph", [src], lang="swh", records=morph_records(5), license="CC0", citation="Us (2026)"
    )
    r = store.resource(res.resource_id)
    assert (res.status, r.n_read, r.n_stored, r.n_rejected, r.entries) == ("imported", 5, 5, 0, 5)
    assert r.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert (r.lang, r.variety, r.license, r.citation) == ("swh", "swh", "CC0", "Us (2026)")
    assert r.importer_version.startswith("lexres ") and r.imported_at.endswith("+00:00")
    assert r.source_path.endswith("tab.tsv")


def test_reimport_of_same_bytes_is_a_noop(store, tmp_path):
    src = write_lines(tmp_path / "tab.tsv", 5)
    first = import_resource(store, "morph", [src], lang="swh", records=morph_records(5))
    before = dump(store)
    again = import_resource(store, "morph", [src], lang="swh", records=morph_records(5))
    assert again.status == "unchanged" and again.resource_id == first.resource_id
    assert "already imported" in again.notes[0]
    assert dump(store) == before


def test_same_name_needs_replace_and_replace_is_atomic(store, tmp_path):
    src = write_lines(tmp_path / "tab.tsv", 5)
    first = import_resource(store, "morph", [src], lang="swh", records=morph_records(5))
    write_lines(src, 7, tag="y")
    with pytest.raises(OptionError, match="exists") as err:
        import_resource(store, "morph", [src], lang="swh", records=morph_records(7, "y"))
    assert "--replace" in err.value.hint
    # a replace that fails midway leaves the old resource in place
    with pytest.raises(ParseError):
        import_resource(
            store, "morph", [src], lang="swh", records=morph_records(7, "y", bad_at={5}), replace=True
        )
    assert store.resource(first.resource_id).entries == 5
    new = import_resource(store, "morph", [src], lang="swh", records=morph_records(7, "y"), replace=True)
    assert new.status == "replaced" and new.replaced_id == first.resource_id
    assert new.resource_id == first.resource_id  # --replace keeps the id scripts use
    assert [r.id for r in store.resources()] == [first.resource_id]
    assert store.resource(first.resource_id).entries == 7
    assert store.query("SELECT COUNT(*) FROM morph")[0][0] == 7


def test_failed_import_leaves_the_store_exactly_as_it_was(store, tmp_path):
    import_resource(
        store, "morph", [write_lines(tmp_path / "a.tsv", 3)], lang="swh", records=morph_records(3)
    )
    before = dump(store)
    src = write_lines(tmp_path / "b.tsv", 30_000)
    with pytest.raises(ParseError) as err:  # the bad row comes after two flushed batches
        import_resource(store, "morph", [src], lang="gle", records=morph_records(30_000, bad_at={25_000}))
    assert str(err.value).startswith(f"{src}:25001: ") and "--on-error skip" in err.value.hint
    assert dump(store) == before


def test_skip_mode_keeps_every_rejected_row(store, tmp_path):
    src = write_lines(tmp_path / "b.tsv", 10)
    rejects = tmp_path / "out" / "rejects.tsv"
    res = import_resource(
        store,
        "morph",
        [src],
        lang="gle",
        on_error="skip",
        rejects_path=rejects,
        records=morph_records(10, bad_at={2, 7}),
    )
    assert (res.n_read, res.n_stored, res.n_rejected) == (10, 8, 2)
    assert res.n_read == res.n_stored + res.n_rejected
    rows = rejects.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "path\tline\treason\traw"
    assert [r.split("\t")[1] for r in rows[1:]] == ["3", "8"]
    stored = store.query("SELECT line, reason FROM rejects WHERE resource_id = ?", (res.resource_id,))
    assert sorted(r[0] for r in stored) == [3, 8]


def test_macrolanguage_resources_serve_individual_languages(store, tmp_path):
    src = tmp_path / "lex.tsv"
    src.write_text("a\tb\n", encoding="utf-8")
    res = import_resource(
        store, "lexicon", [src], lang="sw", target_lang="en", records=lexicon_records([("kitabu", "book")])
    )
    assert res.lang == "swa"
    assert [r.id for r in store.resources(lang="swh")] == [res.resource_id]
    info = store.language("swh")
    assert info["resources"][0]["via"] == "swa"
    assert store.language("swa")["resources"][0]["via"] is None


def test_variety_is_kept_and_scripts_are_reported(store, tmp_path):
    for tag, word in (("ckb-Arab", "کتێب"), ("ckb-Latn", "ktêb")):
        src = tmp_path / f"{tag}.tsv"
        src.write_text(word, encoding="utf-8")
        import_resource(
            store, "morph", [src], lang=tag, records=[MorphEntry(word, word, ("N", "SG"), line=1)]
        )
    info = store.language("ckb")
    assert info["varieties"] == ["ckb-Arab", "ckb-Latn"] and info["scripts"] == ["Arab", "Latn"]
    assert {r["code"] for r in store.languages()} == {"ckb"}


def test_lexicon_duplicates_collapse_with_a_count(store, tmp_path):
    src = tmp_path / "lex.tsv"
    src.write_text("x", encoding="utf-8")
    res = import_resource(
        store,
        "lexicon",
        [src],
        lang="eng",
        target_lang="swh",
        records=lexicon_records([("book", "kitabu"), ("book", "kitabu"), ("tree", "mti")]),
    )
    assert (res.n_read, res.n_stored, res.entries) == (3, 3, 2)
    assert store.query("SELECT count FROM lexicon WHERE src_word = 'book'")[0][0] == 2


def test_remove_deletes_resource_and_entries(store, tmp_path):
    res = import_resource(
        store, "morph", [write_lines(tmp_path / "a.tsv", 4)], lang="swh", records=morph_records(4)
    )
    store.remove(res.resource_id)
    assert store.resources() == [] and store.query("SELECT COUNT(*) FROM morph")[0][0] == 0
    with pytest.raises(NotFoundError):
        store.remove(res.resource_id)


def test_text_that_looks_like_missing_values_survives_export(store, tmp_path):
    words = ["NA", "null", "nan", 'say "hi"', "None", ""]
    src = tmp_path / "a.tsv"
    src.write_text("x", encoding="utf-8")
    import_resource(
        store,
        "morph",
        [src],
        lang="swh",
        records=[MorphEntry(w or "x", w, ("N",), line=i) for i, w in enumerate(words, 1)],
    )
    df = dataframe(store, "morph", lang="swh")
    assert df["form"].tolist() == words
    out = tmp_path / "out.tsv"
    assert export_tsv(store, out, "morph", lang="swh") == len(words)
    back = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False, quoting=3)
    assert back["form"].tolist() == words


def test_parquet_export_is_partitioned_by_language(store, tmp_path):
    for lang, n in (("swh", 3), ("gle", 5)):
        src = write_lines(tmp_path / f"{lang}.tsv", n, tag=lang)
        import_resource(store, "morph", [src], lang=lang, records=morph_records(n, lang))
    out = tmp_path / "pq"
    counts = export_parquet(store, out, "morph")
    assert counts == {"swh": 3, "gle": 5}
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["lang=gle", "lang=swh"]
    table = pq.read_table(out / "lang=gle")
    assert table.num_rows == 5 and "lemma" in table.column_names
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["tool"] == "lexres" and manifest["counts"]["rows_per_lang"] == counts
    whole = pq.read_table(out).to_pandas()  # pyarrow reads the hive partitions back as a column
    assert sorted(whole["lang"].astype(str).unique()) == ["gle", "swh"]


def test_errors_share_one_base_and_their_builtins():
    assert issubclass(NotFoundError, KeyError) and issubclass(NotFoundError, LexresError)
    assert str(NotFoundError("no resource #3")) == "no resource #3"


def test_same_bytes_with_other_reader_options_is_a_new_import(store, tmp_path):
    src = write_lines(tmp_path / "tab.tsv", 3)
    import_resource(store, "morph", [src], lang="swh", records=morph_records(3), options={"layout": "a"})
    same = import_resource(
        store, "morph", [src], lang="swh", records=morph_records(3), options={"layout": "a"}
    )
    assert same.status == "unchanged"
    with pytest.raises(OptionError, match="exists"):  # new options, same name: not silently "unchanged"
        import_resource(store, "morph", [src], lang="swh", records=morph_records(3), options={"layout": "b"})
    other = import_resource(
        store, "morph", [src], lang="swh", records=morph_records(3), options={"layout": "b"}, name="tab-b"
    )
    assert other.status == "imported"
    assert store.resource(other.resource_id).options == {"layout": "b"}


def test_reader_may_suggest_the_resource_name(store, tmp_path, monkeypatch):
    from lexres import formats as registry

    def read(paths, ctx):
        ctx.name = "dataset-id"
        yield from morph_records(2)

    registry.register("test-named", "morph", read)
    try:
        src = write_lines(tmp_path / "metadata.json", 2)
        assert import_resource(store, "morph", [src], lang="swh", format="test-named").name == "dataset-id"
        explicit = import_resource(store, "morph", [src], lang="gle", format="test-named", name="mine")
        assert explicit.name == "mine"
    finally:
        registry.unregister("morph", "test-named")
