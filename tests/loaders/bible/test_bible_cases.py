"""The Bible cases of the project's cases list (inputs copied to tests/fixtures/cases/bible): each gives its
right value, through the reader and through the real `lexres import` command."""
from __future__ import annotations

import csv

import pytest

from lexres import formats as registry
from lexres.books import sort_key
from lexres.errors import LexresError, ParseError
from lexres.formats import ReadContext
from lexres.importer import import_resource
from lexres.records import Reject, Verse


def read(path, fmt, **options):
    ctx = ReadContext(lang=None, options=options)
    items = list(registry.get("bible", fmt).read([path], ctx))
    return ctx, [i for i in items if isinstance(i, Verse)], [i for i in items if isinstance(i, Reject)]


def texts(verses):
    return {v.ref: v.text for v in verses}


def stored(store, res):
    return store.query("SELECT ref, text FROM verses WHERE resource_id = ? ORDER BY sort_key",
                       (res.resource_id,))


def rejects_file(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture
def cases(fixtures):
    return fixtures / "cases" / "bible"


def test_psa119_acrostic_heading_is_not_verse_text(cases):
    _, verses, rejects = read(cases / "psa119_qa_heading.usfm", "usfm")
    assert not rejects
    assert texts(verses) == {
        "PSA 119:1": "Blessed are those whose way is blameless. who walk in the law.",
        "PSA 119:2": "Blessed are those who keep his testimonies.",
        "PSA 119:3": "How can a young man keep his way pure?",
        "PSA 119:4": "By guarding it according to your word.",
    }


def test_rut_missing_chapter_second_verse_one_is_a_located_error(cli, cases):
    src = cases / "rut_missing_chapter.usfm"
    r = cli("import", "bible", src, "--lang", "eng", "--format", "usfm")
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert f"{src}:7: RUT 1:1 is given twice (first at line 4)" in r.stderr
    assert cli("list", "--json").stdout.strip() == "[]"


def test_rut_missing_chapter_in_skip_mode_holds_each_reference_once(store, cases, tmp_path):
    res = import_resource(store, "bible", [cases / "rut_missing_chapter.usfm"], lang="eng", format="usfm",
                          on_error="skip", rejects_path=tmp_path / "rej.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (4, 2, 2)
    rows = stored(store, res)
    assert [tuple(r) for r in rows] == [("RUT 1:1", "In the days when judges ruled."),
                                        ("RUT 1:2", "The man was named Elimelech.")]
    rejected = rejects_file(tmp_path / "rej.tsv")
    assert [(r["line"], r["raw"]) for r in rejected] == [("7", "Now Naomi had a relative."),
                                                          ("8", "And Ruth said to Naomi.")]


def test_vline_blank_verse_followed_by_ranges(cases):
    ctx, verses, rejects = read(cases / "vline_empty_range" / "eng-test.txt", "vline")
    assert not rejects
    assert texts(verses) == {"GEN 36:7": "Their possessions were too great for them to dwell together.",
                             "GEN 36:11": "The sons of Eliphaz were Teman and Omar."}


def test_vline_cr_only_gives_fifty_verses(cases):
    src = cases / "vline_cr_only" / "eng.txt"
    _, verses, rejects = read(src, "vline", vref=str(cases / "vline_cr_only" / "refs.vref"))
    assert not rejects and len(verses) == 50
    assert verses[0].ref == "MAT 1:1" and verses[-1].ref == "MAT 3:2"
    assert verses[0].text.startswith("This is the record") and verses[0].text.endswith("Abraham:")


def test_usx_bad_verse_takes_its_text_with_it(store, cases, tmp_path):
    res = import_resource(store, "bible", [cases / "usx_bad_verse" / "x.usx"], lang="eng", format="usx",
                          on_error="skip", rejects_path=tmp_path / "rej.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (3, 2, 1)
    rows = stored(store, res)
    assert [tuple(r) for r in rows] == [("MRK 1:1", "verse one text"), ("MRK 1:3", "verse three")]
    (rejected,) = rejects_file(tmp_path / "rej.tsv")
    assert rejected["line"] == "1" and "BAD VERSE TEXT" in rejected["raw"] and "`x`" in rejected["reason"]


def test_usfm_bad_chapter_rejects_itself_and_its_verses(store, cases, tmp_path):
    res = import_resource(store, "bible", [cases / "usfm_bad_chapter" / "x.usfm"], lang="eng", format="usfm",
                          on_error="skip", rejects_path=tmp_path / "rej.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (5, 2, 3)
    rows = store.query("SELECT ref, text FROM verses WHERE resource_id = ?", (res.resource_id,))
    assert sorted(tuple(r) for r in rows) == [("MRK 1:1", "one one"), ("MRK 1:2", "one two")]
    rejected = rejects_file(tmp_path / "rej.tsv")
    assert [r["line"] for r in rejected] == ["6", "7", "8"]
    assert "SHOULD-NOT-BE-1:1" in rejected[1]["raw"] and "line 6" in rejected[1]["reason"]


def test_usfm_bad_byte_rejects_only_its_verse(store, cases, tmp_path):
    res = import_resource(store, "bible", [cases / "usfm_bad_byte_line" / "x.usfm"], lang="eng",
                          format="usfm", on_error="skip", rejects_path=tmp_path / "rej.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (5, 4, 1)
    rows = stored(store, res)
    assert [tuple(r) for r in rows] == [("MRK 1:1", "one"), ("MRK 1:3", "three"), ("MRK 1:4", "four"),
                                        ("MRK 1:5", "five")]
    (rejected,) = rejects_file(tmp_path / "rej.tsv")
    assert rejected["line"] == "3" and rejected["reason"].startswith("not UTF-8")
    assert rejected["raw"] == "\\v 2 two\ufffd"


def test_usfm_utf16le_without_bom_reads_like_utf8(cases, tmp_path):
    src = cases / "usfm_utf16le" / "JON.usfm"
    ctx, verses, rejects = read(src, "usfm")
    utf8 = tmp_path / "JON.usfm"
    utf8.write_bytes(src.read_bytes().decode("utf-16-le").encode("utf-8"))
    _, same, _ = read(utf8, "usfm")
    assert not rejects and len(verses) == 48 and verses == [
        Verse(v.book, v.chapter, v.verse, v.text, v.verse_end, v.line, str(src)) for v in same]
    assert any("UTF-16LE (without a byte-order mark)" in n for n in ctx.notes)


def test_verse_over_999_is_a_located_error_and_keys_never_collide(cli, cases):
    src = cases / "verse_over_999" / "swh.usfm"
    r = cli("import", "bible", src, "--lang", "swh", "--format", "usfm")
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert f"{src}:4: MRK 1:1001" in r.stderr and "implausible" in r.stderr
    with pytest.raises(LexresError):
        sort_key("MRK", 1, 1001)
    assert sort_key("MRK", 1, 999) < sort_key("MRK", 2, 0)


def test_ces_huge_verse_is_a_located_error(cli, cases):
    src = cases / "ces_huge_verse" / "x.xml"
    r = cli("import", "bible", src, "--lang", "eng", "--format", "ces")
    assert r.exit_code == 2 and "Traceback" not in r.stderr and f"{src}:2: " in r.stderr


def test_usfm_superscript_chapter_is_a_located_error(cli, cases):
    src = cases / "usfm_superscript_chapter" / "x.usfm"
    r = cli("import", "bible", src, "--lang", "eng", "--format", "usfm")
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert f"{src}:2: chapter number `²` is not a number" in r.stderr


def test_vref_file_not_utf8_names_the_vref_file_and_line(cli, cases):
    folder = cases / "vline_vref_not_utf8"
    r = cli("import", "bible", folder / "text.txt", "--format", "vline", "--lang", "eng", "-o",
            f"vref={folder / 'refs.vref'}")
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert f"{folder / 'refs.vref'}:1: vref list: not UTF-8" in r.stderr


def test_sidebar_is_never_verse_text(cases):
    _, verses, rejects = read(cases / "usfm_structure" / "sidebar.usfm", "usfm")
    assert not rejects and texts(verses) == {"MRK 1:1": "Verse one text.", "MRK 1:2": "Verse two text."}


def test_tilde_is_a_no_break_space(cases):
    _, verses, _ = read(cases / "usfm_structure" / "tilde_nbsp.usfm", "usfm")
    assert texts(verses) == {"GEN 1:1": "In the beginning\u00a0God created."}


def test_table_cells_leave_no_marker_residue(cases):
    _, verses, _ = read(cases / "usfm_structure" / "table_colspan.usfm", "usfm")
    assert texts(verses) == {"NUM 2:3": "The camps were: Tribe Number Judah 74,600 Total: 74,600"}


def test_unclosed_milestone_is_a_located_error(cases, store, tmp_path):
    src = cases / "usfm_structure" / "unclosed_milestone.usfm"
    with pytest.raises(ParseError) as err:
        import_resource(store, "bible", [src], lang="eng", format="usfm")
    assert err.value.line == 4 and "`\\zaln-s`" in str(err.value)
    res = import_resource(store, "bible", [src], lang="eng", format="usfm", on_error="skip",
                          rejects_path=tmp_path / "rej.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (4, 2, 2)
    rows = stored(store, res)
    assert [tuple(r) for r in rows] == [("TIT 1:3", "At the proper time."),
                                        ("TIT 2:1", "But you, speak what fits.")]
    rejected = rejects_file(tmp_path / "rej.tsv")
    assert [(r["line"], r["raw"]) for r in rejected] == [("4", "\\v 1 Paul , a servant of God."),
                                                          ("7", "\\v 2 In hope of eternal life.")]
    assert "`\\qt-s` at line 7 is not closed" in rejected[1]["reason"]


def test_unknown_marker_is_noted_with_its_line_and_its_text_kept(cases):
    ctx, verses, _ = read(cases / "usfm_structure" / "unknown_marker.usfm", "usfm")
    assert texts(verses) == {"GEN 1:1": "Verse text. unknown marker text", "GEN 1:2": "Next."}
    assert "unknown_marker.usfm:4: unknown marker `\\zzz`: its text is kept as verse text" in ctx.notes


def test_glossary_book_is_skipped_with_a_note(cases, tmp_path):
    ctx, verses, rejects = read(cases / "usfm_structure" / "glossary_book.usx", "usx")
    assert not verses and not rejects
    assert "glossary_book.usx: book `GLO` is peripheral matter, not Bible text: skipped" in ctx.notes
