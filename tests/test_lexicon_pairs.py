"""Word-pair list readers (MUSE, hunalign, TSV/CSV) on the project's own fixtures, and the lookup API."""
from __future__ import annotations

import unicodedata

import pytest

from lexres.errors import OptionError, ParseError
from lexres.importer import import_resource
from lexres.loaders.lexicon_query import Translation, dictionary, translations


def _rows(store, rid):
    return store.query("SELECT src_lang, src_word, tgt_lang, tgt_word, count FROM lexicon WHERE resource_id = ? "
                       "ORDER BY id", (rid,))


def test_muse_languages_from_name_duplicates_hash_nfc(store, fixtures):
    path = fixtures / "lexicon" / "sw-en.sample"
    res = import_resource(store, "lexicon", [path])
    assert res.format == "muse"
    assert (res.lang, res.target_lang) == ("swa", "eng")  # ISO 639-1 `sw` is the macrolanguage
    raw = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()]
    pairs = [(a, b) for a, b in raw if b.strip()]
    distinct = {(unicodedata.normalize("NFC", " ".join(a.split())), b) for a, b in pairs}
    assert res.n_read == len(pairs) and res.n_rejected == 0
    assert res.entries == len(distinct)
    rows = _rows(store, res.resource_id)
    counts = {(r["src_word"], r["tgt_word"]): r["count"] for r in rows}
    assert counts[("kazi", "work")] == 2
    assert ("#ffffff", "#ffffff") in counts
    assert ("café", "kahawa") in counts and unicodedata.is_normalized("NFC", "café")
    assert ("aʼáád", "one") in counts  # U+02BC kept, not turned into a quote
    assert ("asante sana", "thank you very much") in counts
    assert any("empty translation" in n for n in res.notes)


def test_lookup_both_ways_weights_and_case(store, fixtures):
    import_resource(store, "lexicon", [fixtures / "lexicon" / "sw-en.sample"], name="a")
    import_resource(store, "lexicon", [fixtures / "lexicon" / "en-sw.dict"], format="hunalign")
    got = translations(store, "swa", "eng", "kazi")
    assert [t.word for t in got] == ["job", "work"]
    assert all(isinstance(t, Translation) and t.weight == 1.0 for t in got)
    folded = translations(store, "swa", "eng", "KAZI", fold_case=True)
    assert {t.word.casefold() for t in folded} == {"job", "work"}
    assert translations(store, "swa", "eng", "KAZI") == []
    # reverse direction of a stored swa->eng pair, macrolanguage fallback for swh
    back = translations(store, "eng", "swh", "house")
    assert [t.word for t in back] == ["nyumba"]
    water = translations(store, "eng", "swa", "water")
    assert [t.word for t in water] == ["maji"] and len(water[0].sources) == 1
    d = dictionary(store, "swa", "eng")
    assert dict(d["nyumba"]) == {"house": 1.0, "home": 1.0}
    assert d["maji"] == [("water", 1.0)]
    assert "asante sana" in d


def test_same_pair_two_resources(store, fixtures, tmp_path):
    other = tmp_path / "sw-en.other"
    other.write_text("nyumba\thouse\n", encoding="utf-8")
    a = import_resource(store, "lexicon", [fixtures / "lexicon" / "sw-en.sample"])
    b = import_resource(store, "lexicon", [other])
    got = translations(store, "swa", "eng", "nyumba")
    assert got[0] == Translation("house", 2.0, (a.resource_id, b.resource_id), None)
    only_b = translations(store, "swa", "eng", "nyumba", resources=[b.resource_id])
    assert [t.word for t in only_b] == ["house"]


def test_wrong_column_count_fails_with_line_and_store_unchanged(store, fixtures):
    path = fixtures / "lexicon" / "bad-columns.tsv"
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [path], lang="swa", target_lang="eng")
    assert f"{path}:2:" in str(err.value)
    assert store.query("SELECT COUNT(*) FROM lexicon")[0][0] == 0
    assert store.resources() == []


def test_wrong_column_count_skip_writes_rejects(store, fixtures, tmp_path):
    path = fixtures / "lexicon" / "bad-columns.tsv"
    rj = tmp_path / "rejects.tsv"
    res = import_resource(store, "lexicon", [path], lang="swa", target_lang="eng", on_error="skip",
                          rejects_path=rj)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert res.n_read == len(lines) and res.n_rejected == 1 and res.n_stored == len(lines) - 1
    body = rj.read_text(encoding="utf-8").splitlines()
    assert body[1].split("\t")[1] == "2" and "columns" in body[1]


def test_hunalign_is_target_at_source(store, fixtures):
    res = import_resource(store, "lexicon", [fixtures / "lexicon" / "en-sw.dict"])
    assert res.format == "hunalign" and (res.lang, res.target_lang) == ("eng", "swa")
    rows = _rows(store, res.resource_id)
    assert (rows[0]["src_word"], rows[0]["tgt_word"]) == ("water", "maji")


def test_space_separated_needs_langs(store, fixtures):
    path = fixtures / "lexicon" / "pairs-space.txt"
    with pytest.raises(Exception) as err:
        import_resource(store, "lexicon", [path])
    assert "--lang" in (getattr(err.value, "hint", "") or "")
    res = import_resource(store, "lexicon", [path], lang="swh", target_lang="en")
    assert res.entries == 2 and res.target_lang == "eng"


def test_csv_with_header_names(store, fixtures):
    path = fixtures / "lexicon" / "glossary.csv"
    with pytest.raises(OptionError):
        import_resource(store, "lexicon", [path], lang="swa", target_lang="eng", format="table")
    res = import_resource(store, "lexicon", [path], lang="swa", target_lang="eng", format="table",
                          options={"columns": "src=headword,tgt=translation,pos=part,gloss=note"})
    rows = store.query("SELECT src_word, tgt_word, pos, gloss FROM lexicon WHERE resource_id = ? ORDER BY id",
                       (res.resource_id,))
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    assert len(rows) == len(expected)
    assert rows[0]["gloss"] == "liquid, drinkable" and rows[2]["src_word"] == "asante sana"


def test_tsv_with_indices(store, fixtures, tmp_path):
    res = import_resource(store, "lexicon", [fixtures / "lexicon" / "bad-columns.tsv"], lang="swa",
                          target_lang="eng", format="table", options={"columns": "src=0,tgt=1"},
                          on_error="skip", rejects_path=tmp_path / "rj.tsv")
    assert res.n_rejected == 1 and res.entries == 7
