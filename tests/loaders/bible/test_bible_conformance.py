"""USFM 3 / USX 3 structure that a conformance corpus exercises, read the same way by every reader it can
occur in: standalone milestones and `vid`, verse sids, verse parts split across units, optional line
breaks, unknown character styles with attributes, verses starting in heading paragraphs."""
from __future__ import annotations

import pytest

from lexres import formats as registry
from lexres.errors import ParseError
from lexres.formats import ReadContext
from lexres.importer import import_resource
from lexres.records import Reject, Verse


def read(path, fmt):
    ctx = ReadContext(lang=None)
    items = list(registry.get("bible", fmt).read([path], ctx))
    return ctx, [i for i in items if isinstance(i, Verse)], [i for i in items if isinstance(i, Reject)]


def texts(verses):
    return {v.ref: v.text for v in verses}


def usx(body, book="LUK"):
    return f'<usx version="3.0"><book code="{book}" style="id"/>{body}</usx>'


def test_standalone_milestones_leave_no_attribute_text(tmp_path):
    path = tmp_path / "ms.usfm"
    path.write_text("\\id ACT\n\\c 2\n\\p \\v 1 When the day came \\ts\\* they met\\zmark|kind=\"x\"\\*.\n"
                    "\\ts\\*\n\\v 2 A sound \\qt-s |who=\"crowd\"\\*came\\qt-e\\*.\n", encoding="utf-8")
    _, verses, rejects = read(path, "usfm")
    assert not rejects
    assert texts(verses) == {"ACT 2:1": "When the day came they met.", "ACT 2:2": "A sound came."}


def test_vid_milestone_sets_the_reference_in_usfm(tmp_path):
    path = tmp_path / "frag.usfm"
    path.write_text("\\id LUK excerpt\n\\vid|h=\"Luke\" ref=\"LUK 8:4\"\\*\n\\s1 A sower\n\\p \\v 4 A crowd "
                    "gathered.\n\\v 5 A man sowed.\n\\vid|LUK 9:1\\*\n\\p \\v 1 He called the twelve.\n",
                    encoding="utf-8")
    _, verses, rejects = read(path, "usfm")
    assert not rejects
    assert texts(verses) == {"LUK 8:4": "A crowd gathered.", "LUK 8:5": "A man sowed.",
                             "LUK 9:1": "He called the twelve."}


def test_vid_of_another_book_is_a_located_reject_with_its_verses(tmp_path):
    path = tmp_path / "frag.usfm"
    path.write_text("\\id LUK\n\\c 8\n\\p \\v 4 Kept.\n\\vid|JHN 3:16\\*\n\\v 16 Not Luke.\n\\c 9\n"
                    "\\v 1 Kept too.\n", encoding="utf-8")
    _, verses, rejects = read(path, "usfm")
    assert texts(verses) == {"LUK 8:4": "Kept.", "LUK 9:1": "Kept too."}
    assert [r.line for r in rejects] == [4, 5] and "names JHN" in rejects[0].reason


def test_vid_milestone_and_verse_sids_set_the_reference_in_usx(tmp_path):
    path = tmp_path / "frag.usx"
    path.write_text(usx('<ms style="vid" ref="LUK 8:4"/><para style="p">A crowd gathered. '
                        '<verse number="5" style="v" sid="LUK 8:5"/>A man sowed.<verse eid="LUK 8:5"/></para>'
                        '<para style="p"><verse number="1" style="v" sid="LUK 9:1"/>He called the twelve.'
                        '<verse eid="LUK 9:1"/><verse number="2" style="v" sid="JHN 9:2"/>Not Luke.</para>'),
                    encoding="utf-8")
    ctx, verses, rejects = read(path, "usx")
    assert texts(verses) == {"LUK 8:4": "A crowd gathered.", "LUK 8:5": "A man sowed.",
                             "LUK 9:1": "He called the twelve."}
    assert len(rejects) == 1 and "names JHN" in rejects[0].reason
    assert any("frag.usx:1: the verse's sid LUK 9:1 is not in chapter 8" in n for n in ctx.notes)


PARTS_USFM = ("\\id MAT\n\\c 1\n\\p\n\\v 1 Roll of names.\n\\p\n\\v 2-6a From the first father\n"
              "\\s Kings\n\\p to the king.\n\\v 6b-11 From the king to the exile.\n\\v 12a First half,\n"
              "\\v 12b second half.\n")
PARTS_EXPECTED = {"MAT 1:1": "Roll of names.", "MAT 1:2-11": "From the first father to the king. From the "
                  "king to the exile.", "MAT 1:12": "First half, second half."}


def _parts_usx(version):
    def v(n):
        return f'<verse number="{n}" style="v" sid="MAT 1:{n}"/>'

    def end(n):
        return f'<verse eid="MAT 1:{n}"/>' if version == "3.0" else ""

    return (f'<usx version="{version}"><book code="MAT" style="id"/><chapter number="1" style="c"/>'
            f'<para style="p">{v(1)}Roll of names.{end(1)}</para><para style="p">{v("2-6a")}From the first '
            f'father</para><para style="s">Kings</para><para style="p">to the king.{end("2-6a")}'
            f'{v("6b-11")}From the king to the exile.{end("6b-11")}{v("12a")}First half,{end("12a")}'
            f'{v("12b")}second half.{end("12b")}</para></usx>')


PARTS_USFX = ('<usfx><book id="MAT"><c id="1"/><p><v id="1"/>Roll of names.<ve/></p><p><v id="2-6a"/>'
              'From the first father</p><s>Kings</s><p>to the king.<ve/><v id="6b-11"/>From the king to the '
              'exile.<ve/><v id="12a"/>First half,<ve/><v id="12b"/>second half.<ve/></p></book></usfx>')


@pytest.mark.parametrize("fmt, text", [("usfm", PARTS_USFM), ("usx", _parts_usx("2.0")),
                                       ("usx", _parts_usx("3.0")), ("usfx", PARTS_USFX)])
def test_verse_parts_continuing_each_other_are_one_unit(tmp_path, fmt, text):
    path = tmp_path / f"mat.{fmt}"
    path.write_text(text, encoding="utf-8")
    _, verses, rejects = read(path, fmt)
    assert not rejects and texts(verses) == PARTS_EXPECTED


def test_verse_parts_that_do_not_follow_each_other_are_still_one_reference_twice(tmp_path, store):
    path = tmp_path / "mat.usfm"
    path.write_text("\\id MAT\n\\c 1\n\\p \\v 4a One part.\n\\v 5 Between.\n\\v 4b Other part.\n",
                    encoding="utf-8")
    with pytest.raises(ParseError) as err:
        import_resource(store, "bible", [path], lang="eng", format="usfm")
    assert "mat.usfm:5" in str(err.value) and "MAT 1:4 is given twice" in str(err.value)


@pytest.mark.parametrize("fmt, text", [
    ("usfm", "\\id GEN\n\\c 1\n\\q1 \\v 1 In the begin//ning, // God created.\n"),
    ("usx", usx('<chapter number="1" style="c"/><para style="q1"><verse number="1" style="v"/>In the '
                'begin<optbreak/>ning, <optbreak/> God created.</para>', "GEN")),
    ("usfx", '<usfx><book id="GEN"><c id="1"/><q><v id="1"/>In the begin<optionalLineBreak/>ning, '
             '<optionalLineBreak/> God created.<ve/></q></book></usfx>'),
])
def test_an_optional_line_break_adds_nothing_in_every_reader(tmp_path, fmt, text):
    path = tmp_path / f"gen.{fmt}"
    path.write_text(text, encoding="utf-8")
    _, verses, _ = read(path, fmt)
    assert texts(verses) == {"GEN 1:1": "In the beginning, God created."}


def test_unknown_character_style_keeps_its_text_but_not_its_attributes(tmp_path):
    path = tmp_path / "jer.usfm"
    path.write_text("\\id JER\n\\c 13\n\\p \\v 23 Can a leopard change its \\zalt colour|us=\"color\"\\zalt* "
                    "or its \\ta spots|alt=\"marks\"\\ta*?\n", encoding="utf-8")
    ctx, verses, rejects = read(path, "usfm")
    assert not rejects and texts(verses) == {"JER 13:23": "Can a leopard change its colour or its spots?"}
    assert [n for n in ctx.notes if "unknown marker" in n] == [
        "jer.usfm:3: unknown marker `\\zalt`: its text is kept as verse text"]


def test_section_ending_and_introduction_paragraphs_are_not_verse_text(tmp_path):
    path = tmp_path / "mrk.usfm"
    path.write_text("\\id MRK\n\\ipc Centred introduction line.\n\\c 1\n\\s1 Start\n"
                    "\\p \\v 1 The beginning.\n\\s1e End of the section\n\\p \\v 2 As it is written.\n",
                    encoding="utf-8")
    ctx, verses, _ = read(path, "usfm")
    assert texts(verses) == {"MRK 1:1": "The beginning.", "MRK 1:2": "As it is written."}
    assert not [n for n in ctx.notes if "unknown marker" in n]


@pytest.mark.parametrize("fmt, text", [
    ("usfm", "\\id LUK\n\\c 20\n\\p\n\\s5\n\\v 17 He looked at them.\n\\lit Response:\n"
             "\\v 18 Everyone who falls.\n"),
    ("usx", usx('<chapter number="20" style="c"/><para style="p"/><para style="s5"><verse number="17" '
                'style="v" sid="LUK 20:17"/>He looked at them.<verse eid="LUK 20:17"/></para><para '
                'style="lit">Response: <verse number="18" style="v" sid="LUK 20:18"/>Everyone who falls.'
                '<verse eid="LUK 20:18"/></para>')),
])
def test_a_verse_starting_in_a_heading_paragraph_takes_the_rest_of_it(tmp_path, fmt, text):
    path = tmp_path / f"luk.{fmt}"
    path.write_text(text, encoding="utf-8")
    _, verses, rejects = read(path, fmt)
    assert not rejects
    assert texts(verses) == {"LUK 20:17": "He looked at them.", "LUK 20:18": "Everyone who falls."}
