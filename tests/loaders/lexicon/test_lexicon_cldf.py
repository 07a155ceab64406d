"""CLDF wordlist reader on the project's own small dataset (tests/fixtures/lexicon/cldf-mini)."""
from __future__ import annotations

import pytest

from lexres.errors import OptionError
from lexres.importer import import_resource
from lexres.store.lexicon import translations


@pytest.fixture
def meta(fixtures):
    return fixtures / "lexicon" / "cldf-mini" / "cldf-metadata.json"


def _rows(store, rid):
    return store.query("SELECT src_variety, src_word, tgt_variety, tgt_word, sense, line FROM lexicon "
                       "WHERE resource_id = ? ORDER BY id", (rid,))


def test_gloss_pairs(store, meta):
    res = import_resource(store, "lexicon", [meta], name="mini")
    assert res.format == "cldf" and (res.lang, res.target_lang) == ("mul", "eng")
    rows = [tuple(r) for r in _rows(store, res.resource_id)]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("aey", "ija", "eng", "man", "1_man (MAN)"),
        ("aey", "aman", "eng", "water", "2_water (WATER)"),
        ("bpu", "tamol", "eng", "man", "1_man (MAN)"),
        ("qaa-x-dial1234", "ija", "eng", "man", "1_man (MAN)"),
        ("qaa-x-dial1234", "yagua", "eng", "water", "2_water (WATER)"),
    ]
    assert rows[-1][5] == 7  # the row after a quoted field spanning two lines keeps its real line
    assert any("empty Form" in n for n in res.notes)
    assert any("dialx=qaa-x-dial1234" in n for n in res.notes)
    # a private-use variety is queried by its tag; the ISO ones by their code
    assert [t.word for t in translations(store, "qaa-x-dial1234", "eng", "yagua")] == ["water"]
    assert translations(store, "qaa-x-othr1234", "eng", "yagua") == []
    assert [t.word for t in translations(store, "eng", "aey", "water")] == ["aman"]


def test_variety_pairs(store, meta):
    res = import_resource(store, "lexicon", [meta], name="mini-var", options={"pairs": "varieties"})
    got = {(r[0], r[1], r[2], r[3]) for r in _rows(store, res.resource_id)}
    assert got == {("aey", "ija", "bpu", "tamol"), ("aey", "ija", "qaa-x-dial1234", "ija"),
                   ("bpu", "tamol", "qaa-x-dial1234", "ija"), ("aey", "aman", "qaa-x-dial1234", "yagua")}
    assert [t.word for t in translations(store, "bpu", "aey", "tamol")] == ["ija"]


def test_variety_pairs_size_guard(store, meta):
    with pytest.raises(OptionError):
        import_resource(store, "lexicon", [meta], options={"pairs": "varieties", "max_pairs": "3"})
    with pytest.raises(OptionError):
        import_resource(store, "lexicon", [meta], options={"pairs": "everything"})
    assert store.resources() == []


def test_forms_csv_path_finds_metadata(store, meta):
    res = import_resource(store, "lexicon", [meta.parent / "forms.csv"], format="cldf", name="via-forms")
    assert res.entries == 5


def test_resource_is_named_after_the_dataset_not_its_metadata_file(store, meta):
    res = import_resource(store, "lexicon", [meta])
    assert res.name == "cldf-mini"


def test_an_undeclared_column_is_a_note_not_a_python_warning(store, fixtures, tmp_path, recwarn):
    import shutil

    data = tmp_path / "cldf-mini"
    shutil.copytree(fixtures / "lexicon" / "cldf-mini", data)
    forms = data / "forms.csv"
    lines = forms.read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + ",Extra"] + [ln + ",x" for ln in lines[1:]]) + "\n"
    forms.write_text(text, encoding="utf-8")
    res = import_resource(store, "lexicon", [data / "cldf-metadata.json"], name="mini")
    assert res.n_stored == 5
    assert not [w for w in recwarn.list if "Unspecified column" in str(w.message)]
    extra = [n for n in res.notes if "Extra" in n]
    assert extra == ['Unspecified column "Extra" in table forms.csv (ignored)']
    assert "1 variety without an ISO 639-3 code" in " ".join(res.notes)
