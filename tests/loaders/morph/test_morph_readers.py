"""Morph readers on the project's own fixtures: quirks, layouts, covered files, bad lines, sniffing."""
from __future__ import annotations

import json

import pytest

from lexres import formats as registry
from lexres.errors import FormatError, OptionError, ParseError
from lexres.importer import import_resource
from lexres.loaders.morph import common as morphio
from lexres.records import MorphEntry, Reject


@pytest.fixture
def m(fixtures):
    return fixtures / "morph"


def _data_lines(path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [ln for ln in text.splitlines() if ln.strip()]


def test_unimorph_quirks_are_read_as_given(m):
    path = m / "swh_quirks.tsv"
    rows = list(morphio.read_rows(path))
    assert all(isinstance(r, MorphEntry) for r in rows)
    assert len(rows) == len(_data_lines(path))
    first = rows[0]
    assert (first.lemma, first.form, first.features, first.line) == ("kitabu", "kitabu", ("N", "SG"), 1)
    words = {r.lemma for r in rows}
    assert {"NA", "null", "nan", '"quoted"'} <= words  # no NA conversion, no quote handling
    assert any(r.form == '"quoted"s' for r in rows)
    multi = next(r for r in rows if r.form == "nilipiga picha")
    assert multi.lemma == "kupiga picha" and multi.notes == ("source=fieldnotes",)
    layered = next(r for r in rows if r.form == "nilisoma")
    assert layered.features == ("V", "IND", "NOM(1,SG)", "PST")
    bantu = next(r for r in rows if r.form == "anasoma")
    assert bantu.features[0] == "BANTU1" and bantu.canonical[0] == "V"
    # line numbers count blank lines, so they point into the file (CRLF stripped, BOM ignored)
    raw = path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert all(raw[r.line - 1].startswith(r.lemma) for r in rows)


def test_layout_detection_from_content(m):
    rows = [ln.split("\t") for ln in _data_lines(m / "toy.trn")]
    assert morphio.detect_layout(rows) == morphio.LEMMA_FEATURES_FORM
    rows = [ln.split("\t") for ln in _data_lines(m / "toy.covered.tst")]
    assert morphio.detect_layout(rows) == morphio.LEMMA_FEATURES
    rows = [ln.split("\t") for ln in _data_lines(m / "toy-covered-test")]
    assert morphio.detect_layout(rows) == morphio.LEMMA_FEATURES
    rows = [ln.split("\t") for ln in _data_lines(m / "tbl.1")]
    assert morphio.detect_layout(rows) == morphio.LEMMA_FORM_FEATURES
    with pytest.raises(FormatError):
        morphio.detect_layout([ln.split("\t") for ln in _data_lines(m / "lexicon.tsv")])


def test_2023_order_and_covered_files(m):
    full = list(morphio.read_rows(m / "toy.trn"))
    assert full[0].lemma == "ev" and full[0].form == "evlerimiz"
    assert full[0].features == ("N", "NOM(PL;PSS(1,PL))")
    covered = list(morphio.read_rows(m / "toy.covered.tst"))
    assert [r.form for r in covered] == [None, None] and covered[1].features[-1] == "NOM(1,SG)"
    old = list(morphio.read_rows(m / "toy-covered-test"))
    assert old[0].lemma == "yiʼáád" and old[0].form is None
    assert old[0].features == ("V", "REAL", "IPFV/PROG", "1", "DU/PL")


def test_forced_layout_wins_over_detection(m):
    forced = list(morphio.read_rows(m / "toy.trn", layout=morphio.LEMMA_FORM_FEATURES))
    # read the wrong way round, the form column is not a bundle: every line is rejected, none misread
    assert forced and all(isinstance(r, Reject) for r in forced)
    with pytest.raises(OptionError):
        list(morphio.read_rows(m / "toy.trn", layout="features-first"))


def test_bad_lines_become_rejects_with_their_line(m):
    out = list(morphio.read_rows(m / "bad.tsv"))
    rejects = {r.line: r.reason for r in out if isinstance(r, Reject)}
    assert sorted(rejects) == [2, 3, 4, 5]
    assert "not a tag" in rejects[2]
    assert "found 2" in rejects[3]
    assert "occur twice" in rejects[4]
    assert "empty tag" in rejects[5]
    assert [r.lemma for r in out if isinstance(r, MorphEntry)] == ["a", "f", "g", "g", "h", "h"]


def test_strict_makes_unknown_tags_rejects(m):
    lax = list(morphio.read_rows(m / "swh_quirks.tsv"))
    strict = list(morphio.read_rows(m / "swh_quirks.tsv", strict=True))
    bad = [r for r in strict if isinstance(r, Reject)]
    assert len(bad) == 1 and "BANTU1" in bad[0].reason and bad[0].line == 12
    assert len(strict) == len(lax)


def test_sniffers_claim_morph_and_refuse_other_kinds(m):
    assert registry.sniff("morph", m / "swh_quirks.tsv").name == "unimorph"
    assert registry.sniff("morph", m / "toy.trn").name == "sigmorphon"
    assert registry.sniff("morph", m / "toy.covered.tst").name == "sigmorphon"
    for other in ("lexicon.tsv", "bible.xml"):
        for name in ("unimorph", "sigmorphon"):
            head = registry.read_head(m / other)
            assert registry.get("morph", name).sniff(head, m / other) == 0.0
        with pytest.raises(FormatError):
            registry.sniff("morph", m / other)


def test_import_fail_mode_stores_nothing_and_names_file_and_line(store, m):
    with pytest.raises(ParseError) as err:
        import_resource(store, "morph", [m / "bad.tsv"], lang="swh")
    assert f"{m / 'bad.tsv'}:2:" in str(err.value)
    assert store.conn.execute("SELECT COUNT(*) FROM morph").fetchone()[0] == 0
    assert store.conn.execute("SELECT COUNT(*) FROM resources").fetchone()[0] == 0


def test_import_skip_mode_keeps_good_rows_and_every_reject(store, m, tmp_path):
    rj = tmp_path / "bad.rejects.tsv"
    r = import_resource(store, "morph", [m / "bad.tsv"], lang="swh", on_error="skip", rejects_path=rj)
    assert (r.n_read, r.n_stored, r.n_rejected) == (10, 6, 4)
    assert r.n_read == len(_data_lines(m / "bad.tsv"))
    lines = rj.read_text(encoding="utf-8").splitlines()[1:]
    assert [int(ln.split("\t")[1]) for ln in lines] == [2, 3, 4, 5]


def test_import_records_layout_notes_and_extra_columns(store, m):
    r = import_resource(store, "morph", [m / "swh_quirks.tsv"], lang="swh")
    res = store.resource(r.resource_id)
    assert res.format == "unimorph" and res.scheme == morphio.LEMMA_FORM_FEATURES
    notes = " | ".join(res.notes)
    assert "detected" in notes and "BANTU1" in notes and "extra columns" in notes
    stored = store.conn.execute("SELECT notes FROM morph WHERE form = 'nilipiga picha'").fetchone()[0]
    assert json.loads(stored) == ["source=fieldnotes"]
    words = {row[0] for row in store.conn.execute("SELECT lemma FROM morph")}
    assert {"NA", "null", "nan", '"quoted"'} <= words


def test_split_table_is_one_resource(store, m):
    r = import_resource(store, "morph", [m / "tbl.1", m / "tbl.2"], lang="swh", name="tbl")
    expected = len(_data_lines(m / "tbl.1")) + len(_data_lines(m / "tbl.2"))
    assert r.n_stored == expected and r.entries == expected
    assert store.conn.execute("SELECT COUNT(DISTINCT resource_id) FROM morph").fetchone()[0] == 1
    row = store.conn.execute("SELECT line FROM morph WHERE form = 'bb'").fetchone()
    assert row[0] == 2  # line within its own part (tbl.2 starts with a blank line)


def test_layout_option_is_recorded(store, m):
    r = import_resource(store, "morph", [m / "toy.trn"], lang="tur",
                        options={"layout": "lemma-features-form"})
    res = store.resource(r.resource_id)
    assert res.scheme == "lemma-features-form" and any("forced" in n for n in res.notes)


def test_cli_import_and_refusal(cli, m):
    ok = cli("import", "morph", m / "toy.covered.tst", "--lang", "tur", "--json")
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["n_stored"] == 2
    bad = cli("import", "morph", m / "bad.tsv", "--lang", "swh")
    assert bad.exit_code == 2 and "bad.tsv:2:" in bad.stderr and "Traceback" not in bad.stderr
    xml = cli("import", "morph", m / "bible.xml", "--lang", "swh")
    assert xml.exit_code == 2 and "lexres: error:" in xml.stderr


def test_chunk_boundaries_keep_lines_whole(monkeypatch):
    """CRLF, multi-byte characters and a combining accent split across read chunks still give whole,
    NFC-normalised lines with the right numbers."""
    import io
    import unicodedata

    lines = [f"l{i}\tcafe\u0301 {i}\tN;SG" for i in range(50)]  # decomposed é, composed by NFC
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    monkeypatch.setattr(morphio, "CHUNK", 7)  # every boundary case lands somewhere
    out = list(morphio.read_lines(io.BytesIO(data), "mem", None))
    assert [e.line for e in out] == list(range(1, 51))
    assert all(e.form == unicodedata.normalize("NFC", f"cafe\u0301 {e.line - 1}") for e in out)
    assert [ln for _, chunk in morphio.iter_chunks(io.BytesIO(data)) for ln in chunk] == \
        [unicodedata.normalize("NFC", ln) for ln in lines]


def test_invalid_utf8_is_a_reject_on_its_line():
    import io

    data = b"a\taa\tN;SG\nb\tb\xff\tN;SG\nc\tcc\tN;PL\n" + b"d\tdd\tN;SG\n" * 3
    out = list(morphio.read_lines(io.BytesIO(data), "mem", None))
    bad = [r for r in out if isinstance(r, Reject)]
    assert [(r.line, r.reason) for r in bad] == [(2, "not valid UTF-8")]
    assert len(out) == 6


def test_cli_strict_turns_unknown_tags_into_errors(cli, m):
    r = cli("import", "morph", m / "swh_quirks.tsv", "--lang", "swh", "--strict")
    assert r.exit_code == 2 and "swh_quirks.tsv:12:" in r.stderr and "BANTU1" in r.stderr
