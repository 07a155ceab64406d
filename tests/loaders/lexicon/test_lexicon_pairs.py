"""Word-pair list readers (MUSE, hunalign, TSV/CSV) on the project's own fixtures, and the lookup API."""
from __future__ import annotations

import unicodedata

import pytest

from lexres.errors import OptionError, ParseError
from lexres.importer import import_resource
from lexres.store.lexicon import Translation, dictionary, translations


def _rows(store, rid):
    return store.query("SELECT src_lang, src_word, tgt_lang, tgt_word, count FROM lexicon "
                       "WHERE resource_id = ? ORDER BY id", (rid,))


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


def test_synonym_split_option(store, fixtures, tmp_path):
    path = fixtures / "lexicon" / "am-en.gloss"
    copy = tmp_path / "am-en.split"  # same bytes would count as already imported
    copy.write_bytes(path.read_bytes() + b"\n")
    plain = import_resource(store, "lexicon", [path], name="plain")
    split = import_resource(store, "lexicon", [copy], name="split", options={"synonyms": ","})
    expected = sum(len(ln.split("\t")[1].split(",")) for ln in path.read_text(encoding="utf-8").splitlines())
    assert plain.entries == 2 and split.entries == expected == 3
    assert [t.word for t in translations(store, "amh", "eng", "ሀብታም", resources=[split.resource_id])] == \
        ["rich", "wealthy"]


def test_table_with_language_columns(store, fixtures):
    res = import_resource(store, "lexicon", [fixtures / "lexicon" / "multi-lang.tsv"], format="table",
                          options={"columns": "src=word,src_lang=lang,tgt=translation,tgt_lang=tlang"})
    assert (res.lang, res.target_lang) == ("swh", "eng")  # the first row names the resource's languages
    assert [t.word for t in translations(store, "wol", "fra", "ndox")] == ["eau"]
    assert [t.word for t in translations(store, "fra", "swh", "eau")] == ["maji"]


def test_sniffers_leave_other_data_alone(tmp_path):
    from lexres import formats as registry

    ner = tmp_path / "train.txt"
    ner.write_text("Rais B-PER\nKikwete I-PER\nalisema O\n", encoding="utf-8")
    vref = tmp_path / "vref.txt"
    vref.write_text("GEN 1:1\nGEN 1:2\nGEN 1:3\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("LIFT files look like `<lift version>` with `<entry>` elements.\n", encoding="utf-8")
    covered = tmp_path / "x.covered.dev"
    covered.write_text("kitabu\tN;PL\nsoma\tV;PST;3;SG\n", encoding="utf-8")
    for p in (ner, vref, readme):
        assert registry.scores("lexicon", registry.read_head(p), p) == [], p
    assert all(s < 0.5 for s, _ in registry.scores("lexicon", registry.read_head(covered), covered))


def test_wiktionary_jsonl(store, fixtures, tmp_path):
    import json

    path = fixtures / "lexicon" / "wiktextract.jsonl"
    res = import_resource(store, "lexicon", [path])
    assert res.format == "wiktionary" and res.lang == "eng"
    entries = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines()]
    trs = [t for e in entries for t in e.get("translations", []) + [x for s in e["senses"]
                                                                     for x in s.get("translations", [])]]
    non_iso = [t for t in trs if "-" in t["code"]]
    assert res.n_read == len(trs) - len(non_iso) and any("non-ISO" in n for n in res.notes)
    assert [t.word for t in translations(store, "eng", "wol", "house")] == ["kër"]
    assert [t.word for t in translations(store, "swh", "eng", "maji")] == ["water"]
    only = tmp_path / "only.jsonl"
    only.write_bytes(path.read_bytes())
    res = import_resource(store, "lexicon", [only], options={"only": "sw"})
    assert res.target_lang == "swa" and res.entries == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text(path.read_text(encoding="utf-8") + '{"word": "cut off\n', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [bad])
    assert f"{bad}:{len(entries) + 1}:" in str(err.value)


def test_columns_option_overrides_sniffed_pair_list(store, fixtures, tmp_path):
    # swap the columns of a sniffed MUSE list: the mapping must be honoured, not ignored
    res = import_resource(store, "lexicon", [fixtures / "lexicon" / "bad-columns.tsv"], lang="eng",
                          target_lang="swa", options={"columns": "src=1,tgt=0"}, on_error="skip",
                          rejects_path=tmp_path / "rj.tsv")
    assert res.n_rejected == 1
    assert [t.word for t in translations(store, "eng", "swa", "water")] == ["maji"]


def test_bom_crlf_and_bad_bytes(store, tmp_path):
    path = tmp_path / "sw-en.crlf"
    path.write_bytes(b"\xef\xbb\xbfmaji\twater\r\nmoto\tfire\r\nmti\t\xe9tree\r\nwatu\tpeople\r\n")
    with pytest.raises(ParseError) as err:
        import_resource(store, "lexicon", [path])
    assert f"{path}:3:" in str(err.value) and "UTF-8" in str(err.value)
    res = import_resource(store, "lexicon", [path], on_error="skip", rejects_path=tmp_path / "rj.tsv")
    rows = store.query("SELECT src_word, tgt_word FROM lexicon ORDER BY id")
    assert [tuple(r) for r in rows] == [("maji", "water"), ("moto", "fire"), ("watu", "people")]
    assert res.n_rejected == 1 and res.n_read == 4
