"""Morphology reader cases (shared/cases "Morphology readers") and their kinds: every line end gives the same
entries, deep nesting is a located error, non-regular files are refused, every consumer of feature bundles
uses the one parser, and language codes are validated."""

from __future__ import annotations

import io
import os
import threading

import pytest

from lexres.errors import FormatError, LanguageError, OptionError, ParseError
from lexres.features import analyze, parse_tags
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.loaders.morph import common as morphio
from lexres.records import MorphEntry
from lexres.store.morph import feature_stats, paradigm


@pytest.fixture
def cases(fixtures):
    return fixtures / "cases" / "morph"


def test_sigmorphon_cr_only(store, cases):
    res = import_resource(store, "morph", [cases / "sigmorphon_cr_only.tur.dev"], format="sigmorphon",
                          lang="tur")
    assert res.n_read == res.n_stored == 50
    lines = sorted(r[0] for r in store.conn.execute("SELECT line FROM morph"))
    assert lines == list(range(1, 51))


ROWS = ["kitabu\tkitabu\tN;SG", "kitabu\tvitabu\tN;PL", "", "soma\tnilisoma\tV;IND;NOM(1,SG);PST",
        "soma\tanasoma\tV;IND;PRS;NOM(3,SG)"]


@pytest.mark.parametrize("chunk", [3, 1 << 20])
def test_every_line_end_gives_the_same_entries(tmp_path, chunk, monkeypatch):
    monkeypatch.setattr(morphio, "CHUNK", chunk)  # chunk borders inside CRLF and multi-byte characters
    got = []
    for end, bom in (("\n", ""), ("\r\n", ""), ("\r", ""), ("\u2028", ""), ("\u2029", ""), ("\n", "\ufeff"),
                     ("\r", "\ufeff")):
        path = tmp_path / "t.tsv"
        path.write_bytes((bom + end.join(ROWS) + end).encode("utf-8"))
        got.append([(e.lemma, e.form, e.features, e.line) for e in morphio.read_rows(path)])
    assert all(g == got[0] for g in got) and len(got[0]) == 4


def test_deep_nesting_is_a_located_error(store, cases):
    with pytest.raises(ParseError) as err:
        import_resource(store, "morph", [cases / "deep_features.tsv"], format="unimorph", lang="uzb")
    assert err.value.line == 1 and "deep" in str(err.value)
    with pytest.raises(ParseError):
        parse_tags("N;" + "NOM(" * 5000 + "SG" + ")" * 5000)
    rows = list(morphio.read_rows(cases / "deep_features.tsv", "lemma-form-features"))
    assert rows[0].line == 1 and "deep" in rows[0].reason


def test_devzero_refused(store):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    for fmt in ("unimorph", None):
        with pytest.raises(FormatError, match="not a regular file"):
            import_resource(store, "morph", ["/dev/zero"], format=fmt, lang="uzb")


def test_fifo_refused_at_once(store, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "fifo.tsv"
    os.mkfifo(fifo)
    outcome = []

    def run():
        try:
            import_resource(store, "morph", [fifo], lang="uzb")
        except FormatError as exc:
            outcome.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # unblock the reader so the test process can end, then fail
        with open(fifo, "w"):
            pass
        pytest.fail("importing a FIFO blocked")
    assert outcome and "not a regular file" in str(outcome[0])


def _import_rows(store, tmp_path, name, rows, lang="gle"):
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return import_resource(store, "morph", [path], format="unimorph", lang=lang)


def test_stats_count_layered_tags_whole(store, tmp_path):
    _import_rows(store, tmp_path, "gle.args",
                 ["bean\tmo bhean\tN;NOM(SG;PSS(1,SG))", "bean\tbean\tN;NOM(SG)"])
    stats = feature_stats(store, "gle")
    layered = analyze("N;NOM(SG;PSS(1,SG))").canonical[1]  # arguments in canonical order too
    assert set(stats.tags) == {"N", layered, "NOM(SG)"}
    assert not any(t.endswith(")") and "(" not in t for t in stats.tags)  # no `1,SG))` fragments
    assert stats.dimensions.get("(unknown)", 0) == 0
    cells = paradigm(store, "gle", "bean").cells
    assert {c.features for c in cells} == {("N", "NOM(SG;PSS(1,SG))"), ("N", "NOM(SG)")}
    assert {c.canonical for c in cells} == {("N", layered), ("N", "NOM(SG)")}


def test_substitution_uses_the_bundle_parser():
    from lexres.augment.substitute.morph import parse_features

    assert parse_features("N;NOM(SG;PSS(1,SG))") == frozenset(analyze("N;NOM(SG;PSS(1,SG))").canonical)
    assert len(parse_features("N;NOM(SG;PSS(1,SG))")) == 2
    assert parse_features("V;PST;3;SG") == frozenset({"V", "PST", "3", "SG"})
    assert parse_features("V;PST") == parse_features("PST;V")


def test_inflection_build_refuses_mixed_notations(store, tmp_path):
    from lexres.tasks.inflection.build import load_items

    flat = _import_rows(store, tmp_path, "gle", ["bean\tmná\tN;NOM;PL", "cat\tcait\tN;NOM;PL"])
    layered = _import_rows(store, tmp_path, "gle.args", ["bean\tmná\tN;NOM(PL)"])
    with pytest.raises(OptionError) as err:
        load_items(store, "gle")
    assert f"#{flat.resource_id}" in str(err.value) and f"#{layered.resource_id}" in str(err.value)
    items, _, _ = load_items(store, resource=layered.resource_id)
    assert [(i.lemma, i.features) for i in items] == [("bean", ("N", "NOM(PL)"))]


def test_inflection_build_same_cell_once(store, tmp_path):
    from lexres.tasks.inflection.build import load_items

    _import_rows(store, tmp_path, "a.tsv", ["bean\tmná\tN;NOM;PL", "cat\tcait\tN;NOM;PL"])
    _import_rows(store, tmp_path, "b.tsv", ["bean\tmná\tN;PL;NOM"])
    items, res, info = load_items(store, "gle")
    assert len(res) == 2 and len(items) == 2 and info["duplicates_dropped"] == 1


@pytest.mark.parametrize("code, new", [("iw", "he"), ("in", "id"), ("ji", "yi"), ("jw", "jv"), ("mo", "ro")])
def test_withdrawn_codes_refused_with_replacement(code, new):
    with pytest.raises(LanguageError) as err:
        resolve(code)
    assert f"`{new}`" in str(err.value)


@pytest.mark.parametrize("tag", ["uz-Latn-!!", "sw--KE", "en-", "x", "eng-Latn-Cyrl-!"])
def test_malformed_tags_refused(tag):
    with pytest.raises(LanguageError):
        resolve(tag)


def test_good_tags_still_resolve():
    assert resolve("uz-Latn").tag == "uzb-Latn" and resolve("sw_KE").tag == "swa-KE"
    assert resolve("qaa-x-dial1234").private_use


def test_morph_bad_bytes_never_reach_the_store(store, tmp_path):
    path = tmp_path / "ckb.csv"
    row = 'گوڵ,گوڵەکان,gwł,gwłekan,N;PL,N;PL,a,b,1,گوڵ@گوڵەکان@N;PL,gwł@gwłekan@N;PL'
    path.write_bytes(row.encode() + b"\n" + row.replace("gwł", "gw").encode()[:-3] + b"\xff\xfe;PL\n")
    res = import_resource(store, "morph", [path], format="unimorph-context", lang="ckb", on_error="skip",
                          rejects_path=tmp_path / "r.tsv")
    assert (res.n_stored, res.n_rejected) == (1, 1)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_features_stay_one_parser():
    b = analyze("V;IND;NOM(1,SG);PST")
    assert b.given == ("V", "IND", "NOM(1,SG)", "PST")
    assert isinstance(morphio.parse_features("N;GEN(SG;DEF)"), tuple)
    assert MorphEntry("a", "b", b.given).features_text == "V;IND;NOM(1,SG);PST"
    assert io.BytesIO  # the module-level imports are used
