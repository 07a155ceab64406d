"""Catalogue import (lexres.catalog): CSV and TOML catalogues, folder scans, idempotent reruns, a failing
row that never blocks the others, parsing in worker processes, the JSON report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lexres.catalog import guess_langs, import_catalog, import_dir, read_catalog
from lexres.errors import ParseError
from lexres.importer import import_resource
from lexres.store import Store


@pytest.fixture
def files(tmp_path, fixtures) -> Path:
    """A folder of small resources: a SIGMORPHON table, two lexicons, a CES Bible, a broken lexicon."""
    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(fixtures / "morph" / "toy.trn", d / "tur.trn")
    shutil.copy(fixtures / "lexicon" / "sw-en.sample", d / "sw-en.train")
    shutil.copy(fixtures / "augment" / "eng-swh.tsv", d / "eng-swh.tsv")
    shutil.copy(fixtures / "bible" / "tiny.ces.xml", d / "Gaelic-PART.xml")
    shutil.copy(fixtures / "lexicon" / "bad-columns.tsv", d / "bad.tsv")
    return d


CSV = """path,kind,lang,target_lang,format,name,license,citation
data/tur.trn,morph,tur,,,toy-tur,CC-BY-SA-3.0,
data/sw-en.train,lexicon,swh,eng,muse,,,
data/missing.tsv,lexicon,eng,swh,,,,
data/bad.tsv,lexicon,eng,swh,muse,,,
data/eng-swh.tsv,lexicon,eng,swh,muse,mine,,"Me, 2026"
"""


def _status(report) -> list[str]:
    return [r.status for r in report.rows]


def test_catalogue_rows_are_isolated_and_reruns_change_nothing(tmp_path, files):
    cat = tmp_path / "catalog.csv"
    cat.write_text(CSV, encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        first = import_catalog(store, cat, workers=2)
        assert _status(first) == ["imported", "imported", "failed", "failed", "imported"]
        assert "missing.tsv" in first.rows[2].error and first.rows[2].row == 4  # the CSV line of the row
        assert "bad.tsv" in first.rows[3].error
        assert first.summary == {"imported": 3, "replaced": 0, "unchanged": 0, "failed": 2, "skipped": 0}
        tur, swh, mine = first.rows[0], first.rows[1], first.rows[4]
        assert (tur.name, tur.lang, tur.format) == ("toy-tur", "tur", "sigmorphon")
        assert (swh.lang, swh.target_lang) == ("swh", "eng")
        res = store.resource(mine.resource_id)
        assert (res.name, res.citation, res.license) == ("mine", "Me, 2026", None)
        assert store.resource(tur.resource_id).license == "CC-BY-SA-3.0"
        counts = {r.id: r.entries for r in store.resources()}
        # the same catalogue again: nothing parsed or stored anew
        again = import_catalog(store, cat, workers=1)
        assert _status(again) == ["unchanged", "unchanged", "failed", "failed", "unchanged"]
        assert [r.resource_id for r in again.rows] == [r.resource_id for r in first.rows]
        assert {r.id: r.entries for r in store.resources()} == counts
        # one file changed: only that row is imported again (replacing its resource, same id)
        (files / "eng-swh.tsv").write_text("house\tnyumba\ndog\tmbwa\n", encoding="utf-8")
        third = import_catalog(store, cat, replace_existing=True)
        assert _status(third) == ["unchanged", "unchanged", "failed", "failed", "replaced"]
        assert third.rows[4].resource_id == mine.resource_id and third.rows[4].n_stored == 2
    json.dumps(third.to_dict())


def test_same_result_with_one_and_two_parsing_processes(tmp_path, files):
    cat = tmp_path / "catalog.csv"
    cat.write_text(CSV, encoding="utf-8")
    dumps = []
    for n in (1, 2):
        with Store(tmp_path / f"s{n}.db") as store:
            import_catalog(store, cat, workers=n)
            dumps.append(
                [(r.kind, r.format, r.name, r.variety, r.n_stored, r.sha256) for r in store.resources()]
            )
    assert dumps[0] == dumps[1] and len(dumps[0]) == 3


def test_toml_catalogue(tmp_path, files):
    cat = tmp_path / "catalog.toml"
    cat.write_text(
        '[[resource]]\npath = ["data/tur.trn"]\nkind = "morph"\nlang = "tur"\n\n'
        '[[resource]]\npath = "data/eng-swh.tsv"\nlanguages = ["eng", "swh"]\nformat = "muse"\n'
        'licence = "CC0-1.0"\n',
        encoding="utf-8",
    )
    rows = read_catalog(cat)
    assert [(r.kind, r.lang, r.target_lang, r.license) for r in rows] == [
        ("morph", "tur", None, None),
        (None, "eng", "swh", "CC0-1.0"),
    ]
    with Store(tmp_path / "s.db") as store:
        report = import_catalog(store, cat)
    assert _status(report) == ["imported", "imported"]
    assert report.rows[1].kind == "lexicon"


def test_bad_catalogues_name_file_and_line(tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_text("path,kind,colour\nx,morph,red\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"c\.csv:2: unknown column\(s\) colour"):
        read_catalog(bad)
    bad.write_text("path,kind\nx,morph,extra\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"c\.csv:2: 3 fields"):
        read_catalog(bad)
    toml = tmp_path / "c.toml"
    toml.write_text("[[resource]]\npath = \n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"c\.toml"):
        read_catalog(toml)


def test_guess_langs_from_file_names():
    assert guess_langs(Path("sw-en.train")) == ("swa", "eng")
    assert guess_langs(Path("gle")) == ("gle", None)
    assert guess_langs(Path("Swahili-NT.xml")) == (None, None)


def test_folder_scan_takes_languages_from_names_or_the_file(tmp_path, files):
    (files / "README.md").write_text("# about\n", encoding="utf-8")
    (files / "index.html").write_text(
        "<html><body><p>About these files.</p></body></html>\n", encoding="utf-8"
    )
    with Store(tmp_path / "s.db") as store:
        import_resource(
            store, "lexicon", [files / "eng-swh.tsv"], lang="eng", target_lang="swh", format="muse"
        )
        report = import_dir(store, files, workers=2, on_error="skip")
        by_name = {Path(r.paths[0]).name: r for r in report.rows}
        assert "README.md" not in by_name
        assert by_name["index.html"].status == "skipped" and "format" in by_name["index.html"].error
        assert by_name["eng-swh.tsv"].status == "unchanged"
        assert (by_name["tur.trn"].status, by_name["tur.trn"].lang) == ("imported", "tur")
        assert (by_name["sw-en.train"].lang, by_name["sw-en.train"].target_lang) == ("swa", "eng")
        gd = by_name["Gaelic-PART.xml"]
        assert gd.kind == "bible" and gd.lang == "gla", gd  # declared in the file's header
        assert gd.status == "imported" and store.resource(gd.resource_id).n_rejected == 1  # book XYZ
        bad = by_name["bad.tsv"]  # neither its name nor its content names a language
        assert bad.status == "failed" and "language" in bad.error
        again = import_dir(store, files, on_error="skip")
        assert [r.status for r in again.rows] == [
            {"failed": "failed", "skipped": "skipped"}.get(r.status, "unchanged") for r in report.rows
        ]
        replacing = import_dir(store, files, replace_existing=True, on_error="skip")
        assert [r.status for r in replacing.rows] == [r.status for r in again.rows]  # nothing changed


def test_cli_import_catalog_prints_rows_and_writes_the_report(tmp_path, files, cli):
    cat = tmp_path / "catalog.csv"
    cat.write_text(CSV, encoding="utf-8")
    r = cli("import", "--catalog", cat, "--workers", "1", "--report", tmp_path / "report.json")
    assert r.exit_code == 1, r.output  # two rows failed; the others are in
    assert "3 imported, 0 replaced, 0 unchanged, 2 failed, 0 skipped" in r.stdout
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [x["status"] for x in report["rows"]] == ["imported", "imported", "failed", "failed", "imported"]
    assert report["summary"]["failed"] == 2
    r = cli("import", "--catalog", cat, "--json", "--report", tmp_path / "report.json")
    assert json.loads(r.stdout)["summary"] == {
        "imported": 0,
        "replaced": 0,
        "unchanged": 3,
        "failed": 2,
        "skipped": 0,
    }
    assert cli("import", "morph", "--catalog", cat).exit_code == 2  # a KIND makes no sense with --catalog
    assert cli("import").exit_code == 2
    r = cli("import", "--catalog", cat, "--lang", "swh")
    assert r.exit_code == 2 and "--lang apply to one file" in r.stderr


def test_folder_scan_imports_a_cldf_dataset_once_from_its_metadata(tmp_path, fixtures):
    # the dataset's tables are read through its metadata: they are not word lists of their own
    d = tmp_path / "data"
    shutil.copytree(fixtures / "lexicon" / "cldf-mini", d / "mini" / "cldf")
    shutil.copy(fixtures / "lexicon" / "sw-en.sample", d / "sw-en.train")
    with Store(tmp_path / "s.db") as store:
        report = import_dir(store, d, on_error="skip")
        names = sorted(Path(r.paths[0]).name for r in report.rows)
        assert names == ["cldf-metadata.json", "sw-en.train"], names
        meta = next(r for r in report.rows if r.paths[0].endswith("cldf-metadata.json"))
        assert (meta.status, meta.kind) == ("imported", "lexicon"), meta
        assert all(r.status == "imported" for r in report.rows)
