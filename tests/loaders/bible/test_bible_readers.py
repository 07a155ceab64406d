"""Bible readers on the project's own fixtures (tests/fixtures/bible): every format, the markup that is not
verse text, ranges, missing verses, sniffing, errors, and XML that tries entity tricks."""
from __future__ import annotations

import pytest

from lexres import formats as registry
from lexres.errors import FormatError, OptionError, ParseError
from lexres.formats import ReadContext
from lexres.importer import import_resource
from lexres.records import Reject, Verse


def read(path, fmt=None, **options):
    reader = registry.get("bible", fmt) if fmt else registry.sniff("bible", path)
    ctx = ReadContext(lang=None, options=options)
    items = list(reader.read([path], ctx))
    verses = [i for i in items if isinstance(i, Verse)]
    return reader.name, ctx, verses, [i for i in items if isinstance(i, Reject)]


def texts(verses):
    return {v.ref: v.text for v in verses}


@pytest.fixture
def bible(fixtures):
    return fixtures / "bible"


def test_usfm_markup_is_not_verse_text(bible):
    fmt, ctx, verses, rejects = read(bible / "features.usfm")
    assert fmt == "usfm" and not rejects and ctx.scheme == "eng"
    got = texts(verses)
    assert got == {
        "MRK 1:1": "The beginning of the gospel.",
        "MRK 1:2-3": "A merged verse covering two numbers.",
        "MRK 1:4": "Words of Jesus here end. continued on a poetry line.",
        "MRK 1:5": "A verse with a quotation milestone.",
        "MRK 2:1": "Chapter two, verse one.",
        "MRK 2:2": "Last verse here.",
    }
    merged = next(v for v in verses if v.verse == 2)
    assert (merged.verse, merged.verse_end) == (2, 3)
    assert [v.line for v in verses] == [9, 10, 11, 13, 16, 18]  # the line of each \v, BOM and CRLF read


def test_usfm_verse_before_chapter_is_rejected_with_its_line(tmp_path):
    src = tmp_path / "bad.usfm"
    src.write_text("\\id JHN\n\\v 1 no chapter yet\n\\c 1\n\\v x bad number\n\\v 2 fine\n", encoding="utf-8")
    _, _, verses, rejects = read(src)
    assert [v.ref for v in verses] == ["JHN 1:2"]
    assert [(r.line, "number" in r.reason or "before" in r.reason) for r in rejects] == [(2, True), (4, True)]


def test_usfm_unclosed_footnote_does_not_swallow_the_next_verse(tmp_path):
    src = tmp_path / "open.usfm"
    src.write_text("\\id JHN\n\\c 1\n\\p \\v 1 Text\\f + \\ft never closed\n\\v 2 Second verse.\n",
                   encoding="utf-8")
    _, ctx, verses, _ = read(src)
    assert texts(verses) == {"JHN 1:1": "Text", "JHN 1:2": "Second verse."}
    assert any("not closed" in n and ":4:" in n for n in ctx.notes)


def test_osis_container_verses_and_merged_ids(bible):
    fmt, ctx, verses, _ = read(bible / "container.osis.xml")
    assert fmt == "osis" and ctx.lang.code == "swa"  # xml:lang='sw' names the macrolanguage
    assert texts(verses) == {"MAT 1:1": "Kwanza mstari.", "MAT 1:2-3": "Mistari miwili iliyounganishwa.",
                             "MAT 1:5": "Wa tano."}  # the empty 1:4 is a missing verse, not an empty one


def test_osis_milestone_verses_span_paragraphs_and_drop_notes(bible):
    _, ctx, verses, _ = read(bible / "milestone.osis.xml")
    assert ctx.lang is None  # xml:lang="und" says nothing
    assert texts(verses) == {"RUT 1:1": "In the time of the judges, a famine.",
                             "RUT 1:2": "A verse that runs across a paragraph Lord and ends here.",
                             "MAL 4:1": "English Malachi four one."}


def test_zefania_numbers_notes_and_unknown_book(bible):
    fmt, ctx, verses, rejects = read(bible / "tiny.zefania.xml")
    assert fmt == "zefania" and ctx.lang.code == "eng"
    assert texts(verses) == {"JHN 3:16": "For God so loved the world.", "JHN 3:18": "Whoever believes."}
    # the unknown book and the verse it governs (with its text): skip mode loses nothing
    assert [(r.line, "99" in r.reason) for r in rejects] == [(11, True), (12, True)]
    assert rejects[1].raw.endswith("Not read.")


def test_usfx_milestones(bible):
    fmt, ctx, verses, _ = read(bible / "tiny.usfx.xml")
    assert fmt == "usfx" and ctx.lang.code == "chr"
    assert texts(verses) == {"JHN 3:16": "First verse.", "JHN 3:17": "Second verse spanning paragraphs.",
                             "JHN 3:19-20": "Merged."}


def test_usx_drops_notes_headings_and_alternate_numbers(bible):
    fmt, _, verses, _ = read(bible / "tiny.usx")
    assert fmt == "usx"
    assert texts(verses) == {"3JN 1:1": "The elder.", "3JN 1:2-3": "Merged verses.",
                             "3JN 1:4": "Poetry line."}


def test_usx2_verses_without_end_marks_stop_at_the_next_verse(tmp_path):
    src = tmp_path / "usx2.usx"
    src.write_text('<?xml version="1.0" encoding="utf-8"?>\n<usx version="2.5"><book code="JUD" style="id"/>'
                   '<chapter number="1" style="c"/><para style="p"><verse number="1" style="v"/>One.'
                   '<verse number="2" style="v"/>Two</para><para style="s1">Heading</para>'
                   '<para style="p">goes on.<verse number="3" style="v"/>Three.</para></usx>',
                   encoding="utf-8")
    _, _, verses, _ = read(src)
    assert texts(verses) == {"JUD 1:1": "One.", "JUD 1:2": "Two goes on.", "JUD 1:3": "Three."}


def test_ces_seg_with_inline_markup_keeps_its_text(tmp_path):
    src = tmp_path / "inline.xml"
    src.write_text('<cesDoc><text><body><div id="b.JOH" type="book"><div id="b.JOH.1" type="chapter">\n'
                   '<seg id="b.JOH.1.1" type="verse">In the <hi>beginning</hi> was the Word</seg>\n'
                   '</div></div></body></text></cesDoc>', encoding="utf-8")
    _, _, verses, _ = read(src)
    assert texts(verses) == {"JHN 1:1": "In the beginning was the Word"}


def test_ces_book_codes_empty_segs_and_bad_book(bible):
    fmt, ctx, verses, rejects = read(bible / "tiny.ces.xml")
    assert fmt == "ces" and ctx.lang.code == "gla"
    assert texts(verses) == {"MRK 1:1": "First verse & more.", "MRK 1:3": "Third verse.",
                             "JHN 3:16": "John three sixteen."}
    assert [(r.line, "XYZ" in r.reason) for r in rejects] == [(15, True)]


def test_vline_ranges_and_missing_verses(bible):
    fmt, ctx, verses, _ = read(bible / "ranges.vline.txt", vref=str(bible / "ranges.vref.txt"))
    assert fmt == "vline"
    assert [(v.ref, v.line) for v in verses] == [("ROM 16:24", 1), ("ROM 16:25-27", 2), ("REV 1:2", 6)]


def test_vline_bom_crlf_and_vref_beside_the_file(tmp_path):
    (tmp_path / "vref.txt").write_bytes(b"\xef\xbb\xbfJHN 1:1\r\nJHN 1:2\r\nJHN 1:3\r\n")
    src = tmp_path / "x.txt"
    src.write_bytes("\ufeffIn the beginning was the Word\r\n\r\nAll things were made by him\r\n".encode())
    fmt, ctx, verses, _ = read(src)
    assert fmt == "vline" and ctx.scheme == "eng"
    assert [(v.ref, v.text, v.line) for v in verses] == [("JHN 1:1", "In the beginning was the Word", 1),
                                                         ("JHN 1:3", "All things were made by him", 3)]
    assert any("vref.txt beside" in n for n in ctx.notes)


def test_vline_without_a_verse_list_says_how_to_give_one(bible):
    with pytest.raises(OptionError) as err:
        read(bible / "ranges.vline.txt", "vline")
    assert "vref=" in err.value.hint


def test_vline_longer_than_its_vref_is_an_error(tmp_path):
    (tmp_path / "vref.txt").write_text("JHN 1:1\n", encoding="utf-8")
    src = tmp_path / "t.txt"
    src.write_text("one verse here\nand one too many\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        read(src, "vline")
    assert err.value.line == 2


@pytest.mark.parametrize("name", ["xxe.ces.xml", "bomb.osis.xml"])
def test_entity_declarations_are_refused(bible, name):
    with pytest.raises(ParseError) as err:
        read(bible / name)
    assert "entities" in str(err.value)


def test_external_entity_never_reads_the_local_file(bible, store):
    secret = (bible / "secret.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(ParseError):
        import_resource(store, "bible", [bible / "xxe.ces.xml"], lang="gla", on_error="skip")
    assert store.query("SELECT COUNT(*) FROM verses")[0][0] == 0
    assert not any(secret in (r[0] or "") for r in store.query("SELECT notes FROM resources"))


def test_external_entity_with_absolute_path_is_refused(tmp_path, store):
    secret = tmp_path / "passwd"
    secret.write_text("ROOT-PASSWORD-LINE", encoding="utf-8")
    src = tmp_path / "x.usx"
    src.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE usx [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
                   '<usx version="3.0"><book code="JHN" style="id"/><chapter number="1" style="c"/>'
                   '<para style="p"><verse number="1" style="v"/>x &s; y</para></usx>', encoding="utf-8")
    with pytest.raises(ParseError):
        import_resource(store, "bible", [src], lang="eng")
    assert store.query("SELECT COUNT(*) FROM verses")[0][0] == 0


def test_broken_xml_names_file_and_line(tmp_path):
    src = tmp_path / "broken.osis.xml"
    src.write_text('<?xml version="1.0"?>\n<osis xmlns="http://www.bibletechnologies.net/2003/OSIS/namespace">\n'
                   '<div type="book" osisID="Matt">\n<verse osisID="Matt.1.1">text</div>\n</osis>\n',
                   encoding="utf-8")
    with pytest.raises(ParseError) as err:
        read(src)
    assert err.value.path == str(src) and err.value.line == 4


@pytest.mark.parametrize("name,fmt", [("features.usfm", "usfm"), ("container.osis.xml", "osis"),
                                      ("tiny.zefania.xml", "zefania"), ("tiny.usfx.xml", "usfx"),
                                      ("tiny.usx", "usx"), ("tiny.ces.xml", "ces")])
def test_sniffing_picks_the_format(bible, name, fmt):
    assert registry.sniff("bible", bible / name).name == fmt


def test_a_vref_list_is_not_a_bible(bible):
    with pytest.raises(FormatError):
        registry.sniff("bible", bible / "ranges.vref.txt")


def test_forced_format_wins_and_fails_loudly_on_the_wrong_file(bible, store):
    with pytest.raises(ParseError):
        import_resource(store, "bible", [bible / "features.usfm"], lang="eng", format="osis")
    for fmt in ("ces", "usx", "usfx", "zefania"):
        with pytest.raises(FormatError) as err:
            import_resource(store, "bible", [bible / "container.osis.xml"], lang="swh", format=fmt)
        assert "<osis>" in str(err.value)
    assert store.resources("bible") == []


def test_bad_versification_option(bible, store):
    with pytest.raises(OptionError):
        import_resource(store, "bible", [bible / "features.usfm"], lang="eng",
                        options={"versification": "xyz"})


def test_import_records_scheme_and_skips_rejects(bible, store, tmp_path):
    res = import_resource(store, "bible", [bible / "tiny.zefania.xml"], on_error="skip",
                          rejects_path=tmp_path / "rej.tsv", options={"versification": "vul"})
    assert (res.n_read, res.n_stored, res.n_rejected) == (4, 2, 2)  # book 99 and its one verse
    assert store.resource(res.resource_id).scheme == "vul"
    rows = store.query("SELECT ref, sort_key FROM verses WHERE resource_id = ? ORDER BY sort_key",
                       (res.resource_id,))
    assert [r[0] for r in rows] == ["JHN 3:16", "JHN 3:18"] and rows[0][1] < rows[1][1]
    assert "99" in (tmp_path / "rej.tsv").read_text(encoding="utf-8")


def _largest_live_tree(tmp_path, verses: int) -> int:
    from lexres.loaders.bible.xml import stream

    body = "".join(f'<p><verse sID="Ps.1.{i}" osisID="Ps.1.{i}"/>Verse <hi>{i}</hi> text.'
                   f'<verse eID="Ps.1.{i}"/></p>\n' for i in range(1, verses + 1))
    src = tmp_path / f"long{verses}.osis.xml"
    src.write_text('<osis xmlns="http://www.bibletechnologies.net/2003/OSIS/namespace"><osisText>'
                   f'<div type="book" osisID="Ps">{body}</div></osisText></osis>', encoding="utf-8")
    largest = 0
    with open(src, "rb") as fh:
        for n, (ev, item) in enumerate(stream(fh, src)):
            if ev == "start" and n % 101 == 0:
                largest = max(largest, sum(1 for _ in item.getroottree().getroot().iter()))
    _, _, got, _ = read(src)
    assert len(got) == verses and got[-1].text == f"Verse {verses} text."
    return largest


def test_xml_stream_keeps_the_tree_small(tmp_path):
    """Memory stays flat: what is alive is the parser's look-ahead, not the part already read, so it does
    not grow with the length of the book (a whole tree here would hold 4 elements a verse)."""
    short, long = _largest_live_tree(tmp_path, 2000), _largest_live_tree(tmp_path, 16000)
    assert long < 1.5 * short + 50
    assert long < 16000 * 4 / 10
