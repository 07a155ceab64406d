"""Lexicon reader cases (shared/cases "Lexicon readers") and the other instances of their kinds: nested TEI
senses and definitions, packed alternatives, CLDF dialects/urls/metadata, ASCII-only column splitting, bad
bytes under skip, wrong JSON types, and --lang contradicting a file's own language."""

from __future__ import annotations

import json
import shutil

import pytest

from lexres.errors import LanguageError, LexresError, ParseError
from lexres.importer import import_resource
from lexres.store.writers import DEFINITION_MARK, is_definition


def _pairs(store, rid=None):
    sql = "SELECT src_variety, src_word, tgt_variety, tgt_word, sense, gloss FROM lexicon"
    rows = store.conn.execute(sql + (" WHERE resource_id = ?" if rid else "") + " ORDER BY id",
                              (rid,) if rid else ()).fetchall()
    return [tuple(r) for r in rows]


@pytest.fixture
def cases(fixtures):
    return fixtures / "cases" / "lexicon"


def test_tei_nested_sense(store, cases):
    res = import_resource(store, "lexicon", [cases / "tei_nested_sense.tei"], lang="wol", target_lang="fra")
    got = {(s, t): g for _, s, _, t, _, g in _pairs(store)}
    assert sorted(got) == sorted([("dem", "aller"), ("dem", "partir"), ("jang", "lire"), ("jang", "étudier"),
                                  ("xale", "enfant"), ("xaale", "enfant"), ("lekk", "manger")])
    assert res.n_stored == 7 and res.n_rejected == 0
    definitions = {k for k, g in got.items() if is_definition(g)}
    assert definitions == {("jang", "lire"), ("jang", "étudier")}  # from <def>, marked as such


FREEDICT = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
<publicationStmt><availability status="free"><p>GNU GPL 3</p>
<licence target="https://www.gnu.org/licenses/gpl-3.0.html"/></availability></publicationStmt>
<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader><text><body>
<entry><form><orth>ak</orth></form><sense><cit type="trans"><quote>avec, et</quote></cit></sense></entry>
<entry><form><orth>def</orth></form><sense><def>only a definition</def></sense></entry>
<entry><form><orth>num</orth></form><sense><cit type="trans"><quote>1,5</quote></cit></sense></entry>
</body></text></TEI>
"""


def test_tei_alternatives_definitions_licence(store, tmp_path):
    path = tmp_path / "wol-fra.tei"
    path.write_text(FREEDICT, encoding="utf-8")
    res = import_resource(store, "lexicon", [path])
    rows = {(s, t): g for _, s, _, t, _, g in _pairs(store)}
    assert rows[("ak", "avec")] == "avec, et" and rows[("ak", "et")] == "avec, et"
    assert rows[("def", "only a definition")] == DEFINITION_MARK
    assert ("num", "1,5") in rows  # a decimal comma is not a separator
    row = store.conn.execute("SELECT license FROM resources WHERE id = ?", (res.resource_id,)).fetchone()
    assert "GNU GPL 3" in row[0] and "gpl-3.0" in row[0]
    other = tmp_path / "other.wol-fra.tei"
    other.write_text(FREEDICT + "<!-- another file -->\n", encoding="utf-8")
    again = import_resource(store, "lexicon", [other], license="CC0")
    row = store.conn.execute("SELECT license FROM resources WHERE id = ?", (again.resource_id,)).fetchone()
    assert row[0] == "CC0"  # the user's --license wins


LIFT = """<?xml version="1.0" encoding="UTF-8"?>
<lift version="0.13">
<entry id="a"><lexical-unit><form lang="swh"><text>tembea</text></form></lexical-unit>
<sense><gloss lang="en"><text>walk; stroll</text></gloss>
<definition><form lang="fr"><text>aller à pied</text></form></definition></sense></entry>
</lift>
"""


def test_lift_glosses_split_and_definitions(store, tmp_path):
    path = tmp_path / "d.lift"
    path.write_text(LIFT, encoding="utf-8")
    import_resource(store, "lexicon", [path])
    rows = {(t, tl): g for _, _, tl, t, _, g in _pairs(store)}
    assert rows[("walk", "eng")] == "walk; stroll" and rows[("stroll", "eng")] == "walk; stroll"
    assert is_definition(rows[("aller à pied", "fra")])
    with pytest.raises(LanguageError, match="lexical units"):
        import_resource(store, "lexicon", [path], lang="zul", name="x")
    res = import_resource(store, "lexicon", [path], lang="zul", name="y", force_lang=True)
    assert res.lang == "zul"


def test_cldf_tab_dialect(store, cases):
    res = import_resource(store, "lexicon", [cases / "cldf_tab_dialect" / "cldf" / "cldf-metadata.json"])
    got = sorted((sv, s, t) for sv, s, _, t, _, _ in _pairs(store))
    assert got == [("swh", "maji", "WATER"), ("swh", "moto", "FIRE"), ("zul", "amanzi", "WATER")]
    assert res.n_stored == 3


def _cldf_copy(cases, tmp_path):
    folder = tmp_path / "ds" / "cldf"
    shutil.copytree(cases / "cldf_tab_dialect" / "cldf", folder)
    return folder / "cldf-metadata.json"


@pytest.mark.parametrize("url", ["../outside.tsv", "/etc/passwd", "https://example.org/forms.tsv",
                                 "file:///etc/passwd"])
def test_cldf_url_outside_refused(store, cases, tmp_path, url):
    meta = _cldf_copy(cases, tmp_path)
    (meta.parent.parent / "outside.tsv").write_text((meta.parent / "forms.tsv").read_text("utf-8"), "utf-8")
    data = json.loads(meta.read_text("utf-8"))
    data["tables"][0]["url"] = url
    meta.write_text(json.dumps(data), "utf-8")
    with pytest.raises(LexresError, match="url"):
        import_resource(store, "lexicon", [meta])
    assert store.conn.execute("SELECT COUNT(*) FROM lexicon").fetchone()[0] == 0


def test_cldf_metadata_licence_and_id(store, cases, tmp_path):
    meta = _cldf_copy(cases, tmp_path)
    data = json.loads(meta.read_text("utf-8"))
    data.update({"dc:license": "https://creativecommons.org/licenses/by/4.0/", "rdf:ID": "../../evil",
                 "dc:bibliographicCitation": "Someone (2020). A wordlist."})
    meta.write_text(json.dumps(data), "utf-8")
    res = import_resource(store, "lexicon", [meta])
    row = store.conn.execute("SELECT license, citation, name FROM resources WHERE id = ?",
                             (res.resource_id,)).fetchone()
    assert row[0].endswith("by/4.0/") and row[1].startswith("Someone") and row[2] == "ds"


HEADER = b"ID\tLanguage_ID\tParameter_ID\tValue\tForm\n"


@pytest.mark.parametrize("forms, line", [
    (HEADER + b"swh-water\tswh\twater\tmaji\tmaji\nx\tswh\tfire\tm\xff\tm\n", 3),  # bad UTF-8
    (HEADER + b"\tswh\twater\tmaji\tmaji\n", 2),  # empty id
    (HEADER + b"swh-water\tswh\twater\t\"maji\tmaji\n", 2),  # unclosed quote
    (HEADER + b"swh-water\tswh\twater\tmaji\t" + b"m" * 200_000 + b"\n", 2),  # over the csv field limit
    (HEADER + b"swh-water\tswh\twater\tmaji\tma\x00ji\n", 2),  # a NUL byte (UTF-16 text?)
])
def test_cldf_bad_rows_are_located_errors(store, cases, tmp_path, forms, line):
    meta = _cldf_copy(cases, tmp_path)
    (meta.parent / "forms.tsv").write_bytes(forms)
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [meta])
    assert err.value.path.endswith("forms.tsv") and err.value.line == line


def test_cldf_lang_contradiction(store, cases):
    meta = cases / "cldf_tab_dialect" / "cldf" / "cldf-metadata.json"
    with pytest.raises(LanguageError):
        import_resource(store, "lexicon", [meta], lang="fra")
    assert import_resource(store, "lexicon", [meta], lang="swh").n_stored == 3


def test_muse_nbsp_is_not_a_separator(store, cases):
    res = import_resource(store, "lexicon", [cases / "muse_nbsp.fr-it.txt"], format="muse")
    assert res.n_stored == 4 and res.n_rejected == 0
    assert {s for _, s, _, _, _, _ in _pairs(store)} == {"chat", "numéro 1", "pour cent", "chien"}


def test_table_bad_byte_loses_only_its_row(store, cases, tmp_path):
    res = import_resource(store, "lexicon", [cases / "table_bad_byte.sw-en.tsv"], lang="swa",
                          target_lang="eng", format="table", options={"columns": "src=0,tgt=1"},
                          on_error="skip", rejects_path=tmp_path / "rej.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (21, 20, 1)
    [(line, reason)] = store.conn.execute("SELECT line, reason FROM rejects").fetchall()
    assert line == 11 and "UTF-8" in reason


@pytest.mark.parametrize("entry", [
    {"word": "water", "lang_code": "en", "translations": ["x"]},
    {"word": "water", "lang_code": "en", "translations": {"code": "sw"}},
    {"word": "water", "lang_code": "en", "translations": [{"code": 5, "word": "maji"}]},
    {"word": "water", "lang_code": "en", "translations": [{"code": "sw", "word": ["maji"]}]},
    {"word": ["water"], "lang_code": "en", "translations": [{"code": "sw", "word": "maji"}]},
    {"word": "water", "lang_code": {"x": 1}},
    {"word": "water", "lang_code": "en", "senses": [{"glosses": 3, "translations": [{"code": "sw"}]}]},
    {"word": "water", "lang_code": "en", "senses": ["x"]},
    {"word": "wa\ud800ter", "lang_code": "en", "translations": [{"code": "sw", "word": "maji"}]},
])
def test_wiktionary_wrong_types(store, tmp_path, entry):
    path = tmp_path / "en.jsonl"
    good = {"word": "fire", "lang_code": "en", "translations": [{"code": "sw", "word": "moto"}]}
    path.write_text(json.dumps(good) + "\n" + json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(LexresError) as err:
        import_resource(store, "lexicon", [path], format="wiktionary")
    assert getattr(err.value, "line", 2) == 2
    res = import_resource(store, "lexicon", [path], format="wiktionary", on_error="skip",
                          rejects_path=tmp_path / "r.tsv")
    assert res.n_stored == 1 and res.n_read == res.n_stored + res.n_rejected


def test_wiktionary_case_file(store, cases):
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [cases / "wiktionary_bad_types.jsonl"], format="wiktionary")
    assert err.value.line == 1


def test_wiktionary_lang_contradiction(store, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"word": "fire", "lang_code": "en",
                                "translations": [{"code": "sw", "word": "moto"}]}) + "\n", "utf-8")
    with pytest.raises(LanguageError, match="--lang"):
        import_resource(store, "lexicon", [path], format="wiktionary", lang="fra")
    res = import_resource(store, "lexicon", [path], format="wiktionary", lang="fra", force_lang=True)
    assert res.lang == "fra" and _pairs(store, res.resource_id)[0][0] == "fra"


def test_wiktionary_mixed_languages_without_lang(store, tmp_path):
    path = tmp_path / "mixed.jsonl"
    rows = [{"word": "fire", "lang_code": "en", "translations": [{"code": "sw", "word": "moto"}]},
            {"word": "feu", "lang_code": "fr", "translations": [{"code": "sw", "word": "moto"}]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    res = import_resource(store, "lexicon", [path], format="wiktionary")
    assert res.lang == "eng" and sorted(p[0] for p in _pairs(store)) == ["eng", "fra"]
