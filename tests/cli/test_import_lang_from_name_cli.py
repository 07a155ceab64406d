"""Morphology imports take the language from the file name (`kat.trn`, `kat-train-high`, `unimorph/san/san`)
or the folder, by the one name rule lexicon folder scans use (lexres.langs.guess_langs), and say so."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from lexres.langs import guess_langs, lang_from_path

ROWS = "a\taa\tN;SG\na\taas\tN;PL\n"


@pytest.mark.parametrize("path, code", [
    ("kat.trn", "kat"), ("kat.dev", "kat"), ("kat.tst", "kat"), ("kat.covered.tst", "kat"),
    ("kat-train-high", "kat"), ("evn_large.train", "evn"), ("unimorph/san/san", "san"), ("gle.args", "gle"),
    ("unimorph/san/forms.tsv", "san"), ("data/nav/dev.tsv", "nav"),
    ("forms.tsv", None), ("dev.tsv", None), ("src/forms.tsv", None), ("quechua-train-high", None),
    ("Swahili-NT.xml", None), ("stuff/README", None),
])
def test_language_from_a_path(path, code):
    got = lang_from_path(Path(path))
    assert (got[0].code if got else None) == code


def test_split_words_are_not_languages_for_folder_scans_either():
    assert guess_langs(Path("dev")) == (None, None)  # `dev` is an ISO 639-3 code, but here a split
    assert guess_langs(Path("sw-en.train")) == ("swa", "eng")


def _write(tmp_path: Path, rel: str) -> Path:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ROWS, encoding="utf-8")
    return path


def test_sigmorphon_style_name(cli, tmp_path):
    r = cli("import", "morph", _write(tmp_path, "kat.trn"), "--json")
    assert r.exit_code == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["lang"] == "kat" and "language `kat` (Georgian) from the file name `kat.trn`" in res["notes"]
    r = cli("import", "morph", _write(tmp_path, "kat-train-high"))  # same rows: unchanged, still said
    assert r.exit_code == 0
    assert "note: language `kat` (Georgian) from the file name `kat-train-high`" in r.stdout
    (tmp_path / "kat-train-low").write_text("b\tbb\tN;SG\n", encoding="utf-8")
    r = cli("import", "morph", tmp_path / "kat-train-low")
    assert r.exit_code == 0 and r.stdout.startswith("imported:")
    assert "from the file name `kat-train-low`" in r.stdout


def test_unimorph_style_names(cli, tmp_path):
    r = cli("import", "morph", _write(tmp_path, "unimorph/san/san"), "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["lang"] == "san"
    r = cli("import", "morph", _write(tmp_path, "unimorph/nav/forms.tsv"), "--json")
    res = json.loads(r.stdout)
    assert res["lang"] == "nav" and any("from the folder name `nav`" in n for n in res["notes"])


def test_lang_flag_wins_and_no_note(cli, tmp_path):
    r = cli("import", "morph", _write(tmp_path, "kat.trn"), "--lang", "hye", "--json")
    res = json.loads(r.stdout)
    assert res["lang"] == "hye" and not any("file name" in n for n in res["notes"])


@pytest.mark.parametrize("name", ["forms.tsv", "dev.tsv", "table_of_forms", "Georgian.trn"])
def test_a_name_that_is_not_a_language_is_the_usual_error(cli, tmp_path, name):
    r = cli("import", "morph", _write(tmp_path, name))
    assert r.exit_code == 2 and r.stdout == ""
    assert "does not say which language" in r.stderr and "pass --lang" in r.stderr and "kat.trn" in r.stderr


def test_files_naming_two_languages_are_refused(cli, tmp_path):
    r = cli("import", "morph", _write(tmp_path, "kat.trn"), _write(tmp_path, "hye.trn"))
    assert r.exit_code == 2 and "kat (kat.trn), hye (hye.trn)" in r.stderr


def test_real_sigmorphon_file(cli, shared_data):
    path = shared_data / "sigmorphon" / "2023" / "part1" / "data" / "kat.covered.tst"
    r = cli("import", "morph", path, "--json")
    assert r.exit_code == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["lang"] == "kat" and res["n_stored"] == 1000
