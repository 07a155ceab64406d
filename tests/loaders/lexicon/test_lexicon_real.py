"""Every lexicon file under ../shared/data/lexicons imports; pair counts are checked against counts taken
independently here (raw lines, ElementTree walks, csv rows), with collapsed duplicates accounted for."""
from __future__ import annotations

import csv
import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from lexres.augment.lexicon.pivot import pivot
from lexres.export.lexicon import export_pairs
from lexres.importer import import_resource
from lexres.store import Store
from lexres.store.lexicon import dictionary, pair_resources, translations

pytestmark = [pytest.mark.shared, pytest.mark.slow]  # one ~15 s session import of every file
TEI = "{http://www.tei-c.org/ns/1.0}"


def norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


@pytest.fixture(scope="session")
def lexdir(shared_data):
    return shared_data / "lexicons"


@pytest.fixture(scope="session")
def real(lexdir, tmp_path_factory):
    """One store with every lexicon file imported once: path -> ImportResult."""
    store = Store.open(tmp_path_factory.mktemp("lexreal") / "lex.db")
    results = {}
    pair_files = sorted((lexdir / "muse-style").rglob("*")) + sorted((lexdir / "panlex-bli").rglob("*"))
    for p in pair_files:
        if p.is_file() and p.name not in ("README.md", "LICENSE"):
            results[p] = import_resource(store, "lexicon", [p], name=str(p.relative_to(lexdir)))
    for p in sorted(lexdir.rglob("*.tei")) + sorted(lexdir.rglob("*.lift")):
        results[p] = import_resource(store, "lexicon", [p], name=str(p.relative_to(lexdir)))
    for p in sorted(lexdir.glob("cldf/*/cldf/cldf-metadata.json")):
        results[p] = import_resource(store, "lexicon", [p], name=p.parts[-3])
    yield store, results
    store.close()


def _stored(store, rid):
    return store.query("SELECT src_word, tgt_word, count FROM lexicon WHERE resource_id = ?", (rid,))


def test_every_lexicon_file_was_imported(real, lexdir):
    _, results = real
    data_files = [p for p in lexdir.rglob("*") if p.is_file() and p.suffix not in (".md", ".bib")
                  and p.name not in ("LICENSE", "COPYING", "README", "ChangeLog")]
    cldf_tables = [p for p in data_files if "cldf" in p.parts and p.name != "cldf-metadata.json"]
    for p in data_files:
        if p in cldf_tables:  # read through their dataset's metadata
            continue
        assert p in results, p
    assert all(r.n_rejected == 0 for r in results.values())


def test_pair_lists_match_raw_lines(real):
    store, results = real
    checked = 0
    for path, res in results.items():
        if res.format not in ("muse", "panlex", "hunalign"):
            continue
        lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
        if res.format == "hunalign":
            pairs = [tuple(reversed(ln.split(" @ "))) for ln in lines]
        else:
            pairs = [tuple(ln.split("\t")) for ln in lines]
        assert all(len(p) == 2 for p in pairs)
        full = [(norm(a), norm(b)) for a, b in pairs if b.strip()]
        assert res.n_read == len(full), path
        rows = _stored(store, res.resource_id)
        assert {(r["src_word"], r["tgt_word"]) for r in rows} == set(full)
        assert res.entries == len(set(full)) and sum(r["count"] for r in rows) == len(full)
        checked += 1
    assert checked == 29


def test_sw_en_headwords_without_translation_are_noted(real, lexdir):
    _, results = real
    path = lexdir / "muse-style/wiktionary_bli/final/sw-en.all"
    empty = [n for n, ln in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
             if ln.strip() and ln.endswith("\t")]
    notes = results[path].notes
    assert empty and any(f"{len(empty)} headwords with an empty translation" in n for n in notes)


def test_file_name_languages(real, lexdir):
    _, results = real
    by_name = {p.name: r for p, r in results.items()}
    assert (by_name["sw-en.all"].lang, by_name["sw-en.all"].target_lang) == ("swa", "eng")
    assert (by_name["en-tl.dict"].lang, by_name["en-tl.dict"].target_lang) == ("eng", "tgl")
    assert (by_name["eu-ka.train.500.cc.trans"].lang, by_name["eu-ka.train.500.cc.trans"].target_lang) == \
        ("eus", "kat")
    assert by_name["ka-he.test.2000.cc.trans"].format == "panlex"
    assert (by_name["wol-fra.tei"].lang, by_name["wol-fra.tei"].target_lang) == ("wol", "fra")


def _tei_pairs(path):
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", text.split("?>", 1)[1]))
    out = []
    for entry in root.iter(f"{TEI}entry"):
        head = entry.find(f"{TEI}form/{TEI}orth")
        for sense in entry.findall(f"{TEI}sense"):
            quotes = sense.findall(f"{TEI}cit[@type='trans']/{TEI}quote")
            cits = sense.findall(f"{TEI}cit[@type='trans']")
            targets = quotes if cits else sense.findall(f"{TEI}def")
            for q in targets:  # packed alternatives (`avec, et`) are one pair each
                text = norm("".join(q.itertext()))
                alts = [a for a in re.split(r"\s*;\s*|,\s+", text) if a] if cits else [text]
                out += [(norm("".join(head.itertext())), a) for a in alts]
    return out


def test_tei_counts(real, lexdir):
    store, results = real
    for path in sorted(lexdir.rglob("*.tei")):
        res = results[path]
        expected = _tei_pairs(path)
        assert res.n_read == len(expected), path
        rows = _stored(store, res.resource_id)
        assert sum(r["count"] for r in rows) == len(expected)
        assert {(r["src_word"], r["tgt_word"]) for r in rows} == set(expected)
    raw = (lexdir / "freedict/gla-deu/gla-deu.tei").read_text(encoding="utf-8")
    assert results[lexdir / "freedict/gla-deu/gla-deu.tei"].n_read == raw.count('<cit type="trans">')


def test_lift_counts(real, lexdir):
    store, results = real
    for path in sorted(lexdir.rglob("*.lift")):
        root = ET.fromstring(path.read_bytes())
        expected = 0
        for entry in root.iter("entry"):
            heads = [f for f in entry.findall("lexical-unit/form") if (f.findtext("text") or "").strip()]
            for sense in list(entry.findall("sense")) + list(entry.iter("subsense")):
                gl = {g.get("lang") for g in sense.findall("gloss") if (g.findtext("text") or "").strip()}
                n_gloss = sum(1 for g in sense.findall("gloss") if (g.findtext("text") or "").strip())
                defs = {f.get("lang") for f in sense.findall("definition/form")
                        if (f.findtext("text") or "").strip()}
                expected += len(heads) * (n_gloss + len(defs - gl))
        res = results[path]
        assert res.n_read == expected > 0, path


def test_cldf_counts_and_private_use(real, lexdir):
    store, results = real
    for meta in sorted(lexdir.glob("cldf/*/cldf/cldf-metadata.json")):
        with open(meta.parent / "forms.csv", encoding="utf-8", newline="") as fh:
            forms = [r for r in csv.DictReader(fh) if r["Form"].strip()]
        with open(meta.parent / "languages.csv", encoding="utf-8", newline="") as fh:
            langs = list(csv.DictReader(fh))
        res = results[meta]
        assert res.n_read == len(forms), meta
        rows = _stored(store, res.resource_id)
        assert sum(r["count"] for r in rows) == len(forms)
        varieties = {r[0] for r in store.query("SELECT variety FROM resource_langs WHERE resource_id = ?",
                                               (res.resource_id,))}
        no_iso = {f"qaa-x-{r['Glottocode']}" for r in langs if not r.get("ISO639P3code")}
        assert no_iso <= varieties
    bai = results[lexdir / "cldf/allenbai/cldf/cldf-metadata.json"]
    assert any("9 varieties without an ISO 639-3 code" in n for n in bai.notes)


def test_lookup_macrolanguage_and_both_directions(real, lexdir):
    store, _ = real
    raw = (lexdir / "muse-style/wiktionary_bli/final/sw-en.all").read_text(encoding="utf-8").split("\n")
    expected = {ln.split("\t")[1] for ln in raw if ln.startswith("kazi\t")}
    got = {t.word for t in translations(store, "swh", "eng", "kazi")}
    assert expected <= got
    # English -> Swahili from the eng-swh TEI and, reversed, from the sw-en lists
    back = translations(store, "eng", "swh", "work")
    assert "kazi" in {t.word for t in back}
    d = dictionary(store, "tgl", "eng")
    assert "ang" in d


def test_pivot_real(real):
    store, _ = real
    res = pivot(store, "eus", "kat", "heb")
    assert res.status == "imported" and res.pairs > 0
    parent_ids = set(pair_resources(store, "eus", "kat")) | set(pair_resources(store, "kat", "heb"))
    stored = store.resource(res.resource_id)
    assert set(stored.derived_from) == parent_ids and stored.format == "pivot"
    rows = store.query("SELECT MIN(weight), MAX(weight) FROM lexicon WHERE resource_id = ?",
                       (res.resource_id,))
    assert 0 < rows[0][0] <= rows[0][1] <= 1
    assert pivot(store, "eus", "kat", "heb").status == "unchanged"
    store.remove(res.resource_id)


def test_muse_export_round_trip_real(real, tmp_path):
    store, _ = real
    out = tmp_path / "gd-en.export"
    n = export_pairs(store, "gla", "eng", out)
    again = Store.open(tmp_path / "again.db")
    res = import_resource(again, "lexicon", [out], lang="gla", target_lang="eng")
    assert res.entries == n
    before = {(s, t) for s, ts in dictionary(store, "gla", "eng").items() for t, _ in ts}
    after = {(r["src_word"], r["tgt_word"]) for r in _stored(again, res.resource_id)}
    assert before == after
    again.close()
