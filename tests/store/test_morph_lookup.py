"""Lookups on stored morphology (paradigm, analyses, stats, export) and the unimorph-package source."""
from __future__ import annotations

import json

import pytest

from lexres.errors import NotFoundError
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.loaders.morph import common as morphio
from lexres.loaders.sources import unimorph_pkg
from lexres.records import MorphEntry
from lexres.store import morph as lookup


@pytest.fixture
def swa_store(store, fixtures):
    """The Swahili fixture filed under the macrolanguage `swa`, as many published tables are."""
    import_resource(store, "morph", [fixtures / "morph" / "swh_quirks.tsv"], lang="swa")
    return store


def _file_entries(fixtures) -> list[MorphEntry]:
    return [e for e in morphio.read_rows(fixtures / "morph" / "swh_quirks.tsv") if isinstance(e, MorphEntry)]


def test_paradigm_finds_every_form_of_a_lemma(swa_store, fixtures):
    want = sorted((e.form, e.features) for e in _file_entries(fixtures) if e.lemma == "kupiga picha")
    res = lookup.paradigm(swa_store, "swa", "kupiga picha")
    assert sorted((c.form, c.features) for c in res.cells) == want
    assert res.notes == ()


def test_macrolanguage_fallback_is_said(swa_store):
    assert resolve("swh").macrolanguage == "swa"
    res = lookup.paradigm(swa_store, "swh", "kitabu")
    assert {c.form for c in res.cells} == {"kitabu", "vitabu"}
    assert res.searched == ("swh", "swa")
    assert res.notes[0] == "swh: found under swa (the macrolanguage of swh): 2 entries"
    assert [(f.filed, f.relation) for f in res.found_under] == [("swa", "macrolanguage")]


def test_a_macrolanguage_query_finds_its_members(store, fixtures):
    """The other way (issue 16): `swa` and `sw` search the individual languages too; a sibling does not."""
    import_resource(store, "morph", [fixtures / "morph" / "swh_quirks.tsv"], lang="swh")
    for query in ("swa", "sw"):
        res = lookup.paradigm(store, query, "kitabu")
        assert {c.form for c in res.cells} == {"kitabu", "vitabu"}
        assert {c.variety for c in res.cells} == {"swh"}
        assert "swh" in res.searched and res.found_under[0].relation == "member"
        assert res.notes[0] == f"{query}: found under swh (a member of the macrolanguage swa): 2 entries"
    assert lookup.paradigm(store, "swc", "kitabu").cells == ()
    assert lookup.feature_stats(store, "swa").found_under[0].filed == "swh"


def test_analyze_and_words_that_look_like_missing_values(swa_store):
    for word in ("NA", "null", "nan", '"quoted"s'):
        res = lookup.analyze(swa_store, "swa", word)
        assert len(res.cells) == 1 and res.cells[0].form == word
    with pytest.raises(NotFoundError):
        lookup.require_found(lookup.analyze(swa_store, "swa", "nothere"), "form")


def test_lookups_use_the_indexes(swa_store):
    for col, idx in (("lemma", "morph_lang_lemma"), ("form", "morph_lang_form")):
        plan = " ".join(str(tuple(r)) for r in swa_store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM morph m JOIN resources r ON r.id = m.resource_id "
            f"WHERE m.lang IN (?, ?) AND m.{col} = ?", ("swh", "swa", "x")))
        assert idx in plan


def test_feature_stats_count_from_the_file(swa_store, fixtures):
    ents = _file_entries(fixtures)
    stats = lookup.feature_stats(swa_store, "swh")
    assert stats.entries == len(ents)
    assert stats.lemmas == len({e.lemma for e in ents})
    assert stats.bundles == len({e.canonical for e in ents})
    assert stats.tags["N"] == sum(1 for e in ents if "N" in e.features)
    assert stats.unknown_tags == {"BANTU1": 1}
    assert stats.dimensions["Part of Speech"] == len(ents)
    assert stats.notes and sum(r.entries for r in stats.resources) == stats.entries
    assert stats.to_dict()["resources"][0].keys() == {"resource_id", "lang", "entries"}


@pytest.mark.parametrize("layout", morphio.LAYOUTS)
def test_export_in_every_layout_reads_back(swa_store, fixtures, tmp_path, layout):
    out = tmp_path / f"out.{layout}.tsv"
    n = lookup.export_tsv(swa_store, out, layout, lang="swa")
    ents = _file_entries(fixtures)
    assert n == len(ents)
    back = [e for e in morphio.read_rows(out) if isinstance(e, MorphEntry)]
    assert len(back) == n
    if layout == morphio.LEMMA_FEATURES:
        assert {(e.lemma, e.features) for e in back} == {(e.lemma, e.features) for e in ents}
        assert all(e.form is None for e in back)
    else:
        assert {(e.lemma, e.form, e.features) for e in back} == {(e.lemma, e.form, e.features) for e in ents}
    manifest = json.loads((tmp_path / f"{out.name}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["rows"] == n and manifest["params"]["layout"] == layout


def test_to_frame_keeps_strings(swa_store):
    df = lookup.to_frame(swa_store, "swa")
    assert {"NA", "null", "nan"} <= set(df["lemma"])
    assert df["lemma"].isna().sum() == 0


def test_cli_lookups_json(cli, fixtures, tmp_path):
    assert cli("import", "morph", fixtures / "morph" / "swh_quirks.tsv", "--lang", "swa").exit_code == 0
    r = cli("morph", "show", "swh", "kitabu", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert {e["form"] for e in data["entries"]} == {"kitabu", "vitabu"} and data["notes"]
    r = cli("morph", "analyze", "swa", "vitabu", "--json")
    assert [e["lemma"] for e in json.loads(r.stdout)["entries"]] == ["kitabu"]
    r = cli("morph", "stats", "swa", "--json")
    assert json.loads(r.stdout)["entries"] == len(_file_entries(fixtures))
    r = cli("morph", "show", "swa", "hakuna")
    assert r.exit_code == 2 and "lexres: error:" in r.stderr
    out = tmp_path / "x.tsv"
    r = cli("morph", "export", out, "--lang", "swa", "--layout", "lemma-features-form", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["rows"] == len(_file_entries(fixtures))
    r = cli("morph", "export", out, "--lang", "swa", "--layout", "sideways")
    assert r.exit_code == 2


# --- the unimorph package's data folder -------------------------------------------------------------

def test_locate_finds_a_table_and_split_parts(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    (tmp_path / "gle").mkdir()
    (tmp_path / "gle" / "gle").write_text("a\taa\tN;SG\n", encoding="utf-8")
    assert unimorph_pkg.locate("gle") == [tmp_path / "gle" / "gle"]
    fin = tmp_path / "fin"
    fin.mkdir()
    for i in (1, 2, 10):
        (fin / f"fin.{i}").write_text("a\taa\tN;SG\n", encoding="utf-8")
    (fin / "fin.args").write_text("", encoding="utf-8")
    assert [p.name for p in unimorph_pkg.locate("fin")] == ["fin.1", "fin.2", "fin.10"]


def test_locate_offline_and_missing_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    monkeypatch.setenv("LEXRES_OFFLINE", "1")
    monkeypatch.setattr(unimorph_pkg, "download", lambda *a: pytest.fail("must not download offline"))
    with pytest.raises(NotFoundError, match="not in .* network is not available"):
        unimorph_pkg.locate("gle")


def test_locate_downloads_only_when_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    calls = []

    def fake_download(code, root):
        calls.append(code)
        (root / code).mkdir(parents=True, exist_ok=True)
        (root / code / code).write_text("a\taa\tN;SG\n", encoding="utf-8")

    monkeypatch.setattr(unimorph_pkg, "network_ok", lambda *a: True)
    monkeypatch.setattr(unimorph_pkg, "download", fake_download)
    assert unimorph_pkg.locate("nav") == [tmp_path / "nav" / "nav"]
    assert unimorph_pkg.locate("nav") == [tmp_path / "nav" / "nav"]
    assert calls == ["nav"]


def test_locate_folder_without_a_table_lists_its_files(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    (tmp_path / "ckb" / "arab").mkdir(parents=True)
    (tmp_path / "ckb" / "arab" / "ckb-arab.tsv").write_text("a\taa\tN\n", encoding="utf-8")
    with pytest.raises(NotFoundError) as err:
        unimorph_pkg.locate("ckb")
    assert "arab/ckb-arab.tsv" in err.value.hint


def test_cli_import_from_the_package_folder(cli, fixtures, tmp_path, monkeypatch):
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    monkeypatch.setenv("LEXRES_OFFLINE", "1")
    (tmp_path / "swh").mkdir()
    (tmp_path / "swh" / "swh").write_bytes((fixtures / "morph" / "swh_quirks.tsv").read_bytes())
    r = cli("import", "morph", "--unimorph", "swh", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["n_stored"] == len(_file_entries(fixtures))
    r = cli("import", "morph", "--unimorph", "gle")
    assert r.exit_code == 2 and "network" in r.stderr
