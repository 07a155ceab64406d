"""TEI and LIFT readers on the project's own fixtures: structure, languages, entities, truncated files."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from lexres.errors import ParseError
from lexres.importer import import_resource

TEI = "{http://www.tei-c.org/ns/1.0}"


def _pairs(store, rid):
    return store.query("SELECT src_lang, src_word, tgt_lang, tgt_word, pos, sense, gloss FROM lexicon "
                       "WHERE resource_id = ? ORDER BY id", (rid,))


def test_tei_fixture(store, fixtures):
    path = fixtures / "lexicon" / "wol-fra.mini.tei"
    res = import_resource(store, "lexicon", [path])
    assert res.format == "tei" and (res.lang, res.target_lang) == ("wol", "fra")
    assert any("header says" in n and "br" in n for n in res.notes)  # the header's wrong code is reported
    # independent count: trans quotes directly under senses, plus defs of senses without a trans cit
    body = path.read_text(encoding="utf-8").split("\n", 3)[3]  # drop the declaration, PI and DOCTYPE
    root = ET.fromstring(body)
    expected = 0
    for sense in root.iter(f"{TEI}sense"):
        quotes = sense.findall(f"{TEI}cit[@type='trans']/{TEI}quote")
        expected += len(quotes) or len(sense.findall(f"{TEI}def"))
    rows = _pairs(store, res.resource_id)
    assert len(rows) == expected == res.n_read
    got = {(r["src_word"], r["tgt_word"]): (r["pos"], r["sense"]) for r in rows}
    assert got[("neex", "agréable")] == ("adj.", "1") and got[("neex", "plaire")] == ("v.", "2")
    assert got[("ndox", "eau")] == ("n.", None)
    assert ("jërëjëf", "merci") in got  # <def> fallback
    assert ("bët", "oeil") in got and not any(w == "gët" for w, _ in got)  # inflected form is not a headword
    assert not any("humains" in t for _, t in got)  # examples are not pairs


def test_tei_flags_win_over_name(store, fixtures):
    res = import_resource(store, "lexicon", [fixtures / "lexicon" / "wol-fra.mini.tei"], lang="wol",
                          target_lang="fr")
    assert res.target_lang == "fra"


def test_lift_fixture_crlf_glosses_definitions(store, fixtures):
    path = fixtures / "lexicon" / "mini.lift"
    assert b"\r\n" in path.read_bytes()
    res = import_resource(store, "lexicon", [path])
    assert res.format == "lift" and res.lang == "qaa"
    rows = _pairs(store, res.resource_id)
    got = {(r["src_word"], r["tgt_lang"], r["tgt_word"]): r for r in rows}
    root = ET.fromstring(path.read_bytes())
    glosses = [g for g in root.iter("gloss") if (g.findtext("text") or "").strip()]
    # the fr definition has no fr gloss in its sense, so it becomes a pair; the en one is kept as gloss text
    assert len(rows) == len(glosses) + 1
    assert got[("olo", "eng", "man")]["gloss"] == "an adult male person"
    assert got[("olo", "tpi", "man")]["pos"] == "Noun"
    assert ("olo", "fra", "homme adulte") in got
    assert got[("nefi", "eng", "bite")]["pos"] == "Verb"
    langs = {r[0] for r in store.query("SELECT variety FROM resource_langs WHERE resource_id = ?",
                                       (res.resource_id,))}
    assert langs == {"qaa", "eng", "tpi", "fra"}


@pytest.mark.parametrize("name", ["wol-fra.tei", "xxe.lift"])
def test_external_entities_never_expanded(store, fixtures, name):
    res = import_resource(store, "lexicon", [fixtures / "lexicon" / "xxe" / name])
    words = " ".join(r["src_word"] + " " + r["tgt_word"] for r in _pairs(store, res.resource_id))
    assert "LOCAL-FILE-WAS-READ" not in words and "DTD-WAS-LOADED" not in words
    assert res.entries >= 1
    assert any("unexpanded" in n for n in res.notes)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("name", ["wol-fra.tei", "xxe.lift"])
def test_external_entity_file_is_never_opened(tmp_path, fixtures, name):
    """The entity target and the DTD are named pipes: opening one for reading would block with no writer,
    so the import finishing in time proves neither was opened."""
    shutil.copy(fixtures / "lexicon" / "xxe" / name, tmp_path / name)
    os.mkfifo(tmp_path / "secret.txt")
    os.mkfifo(tmp_path / "evil.dtd")
    code = ("import sys; from lexres.store import Store; from lexres.importer import import_resource; "
            "s = Store.open(sys.argv[2]); r = import_resource(s, 'lexicon', [sys.argv[1]]); print(r.entries)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / name), str(tmp_path / "s.db")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 1


@pytest.mark.parametrize("name", ["wol-fra.mini.tei", "mini.lift"])
@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_truncated_xml_gives_file_line_and_stores_nothing(store, fixtures, tmp_path, name, on_error):
    data = (fixtures / "lexicon" / name).read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: int(len(data) * 0.7)])
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [cut], on_error=on_error)
    assert err.value.path == str(cut) and err.value.line and err.value.line > 1
    assert f"{cut}:{err.value.line}:" in str(err.value)
    assert store.resources() == [] and store.query("SELECT COUNT(*) FROM lexicon")[0][0] == 0


def test_tei_entry_without_translation_is_rejected(store, fixtures, tmp_path):
    text = (fixtures / "lexicon" / "wol-fra.mini.tei").read_text(encoding="utf-8")
    bad_entry = "<entry><form><orth>ñaata</orth></form><sense></sense></entry>\n"
    text = text.replace(" </body>", bad_entry + " </body>")
    path = tmp_path / "wol-fra.bad.tei"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(bad_entry.rstrip("\n")) + 1
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [path])
    assert err.value.line == line
    res = import_resource(store, "lexicon", [path], on_error="skip", rejects_path=tmp_path / "rj.tsv")
    assert res.n_rejected == 1
    assert (tmp_path / "rj.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")[1] == str(line)


def test_lift_deleted_entries(store, fixtures, tmp_path):
    text = (fixtures / "lexicon" / "mini.lift").read_text(encoding="utf-8")
    path = tmp_path / "deleted.lift"
    marked = '<entry dateDeleted="2020-01-01T00:00:00Z" id="nefi_2"'
    path.write_text(text.replace('<entry id="nefi_2"', marked), encoding="utf-8")
    kept = import_resource(store, "lexicon", [path], name="kept")
    assert any("1 entries carry dateDeleted; kept" in n for n in kept.notes)
    copy = tmp_path / "deleted2.lift"
    copy.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    dropped = import_resource(store, "lexicon", [copy], name="dropped", options={"deleted": "skip"})
    words = {r[0] for r in store.query("SELECT src_word FROM lexicon WHERE resource_id = ?",
                                       (dropped.resource_id,))}
    assert "nefi" not in words and "olo" in words and kept.entries - dropped.entries == 2


def test_cli_truncated_tei_exit_2(cli, fixtures, tmp_path):
    data = (fixtures / "lexicon" / "wol-fra.mini.tei").read_bytes()
    cut = tmp_path / "wol-fra.cut.tei"
    cut.write_bytes(data[: len(data) // 2 + 40])
    r = cli("import", "lexicon", cut)
    assert r.exit_code == 2 and f"{cut}:" in r.stderr and "malformed XML" in r.stderr
    assert "Traceback" not in r.stderr
    assert cli("list", "--json").stdout.strip() in ("[]", "")
