"""Each kind of fault behind the Bible cases, in every reader it can occur in: non-verse text, one reference
twice, line ends and encodings, skip mode that loses nothing, numbers, languages and XML entities."""
from __future__ import annotations

import pytest

from lexres import formats as registry
from lexres.errors import LanguageError, ParseError
from lexres.formats import ReadContext
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.records import Reject, Verse

USX = ('<usx version="{v}"><book code="{book}" style="id"/><chapter number="{ch}" style="c"/>{body}</usx>')


def read(path, fmt, lang=None, force=False, **options):
    ctx = ReadContext(lang=resolve(lang) if lang else None, options=options, force_lang=force)
    items = list(registry.get("bible", fmt).read(path if isinstance(path, list) else [path], ctx))
    return ctx, [i for i in items if isinstance(i, Verse)], [i for i in items if isinstance(i, Reject)]


def texts(verses):
    return {v.ref: v.text for v in verses}


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


HEADINGS_USFM = ("\\id PSA\n\\c 3\n\\d A Psalm by David.\n\\q1\n"
                 "\\v 1 Yahweh, how my adversaries have increased!\n"
                 "\\s1 Section\n\\ms1 Book Two\n\\mr (Psalms 42-72)\n\\r (Matthew 1:1)\n\\sp Speaker\n"
                 "\\qa Aleph\n\\cl Psalm\n\\q1\n\\v 2 Many there are who say.\n\\c 4\n"
                 "\\d \\v 1 For the chief musician.\n\\q1 \\v 2 Answer me when I call.\n")
HEADINGS_EXPECTED = {"PSA 3:1": "Yahweh, how my adversaries have increased!",
                     "PSA 3:2": "Many there are who say.", "PSA 4:1": "For the chief musician.",
                     "PSA 4:2": "Answer me when I call."}


def test_headings_titles_and_labels_are_never_verse_text_in_usfm(tmp_path):
    _, verses, rejects = read(write(tmp_path / "psa.usfm", HEADINGS_USFM), "usfm")
    assert not rejects and texts(verses) == HEADINGS_EXPECTED


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_headings_titles_and_labels_are_never_verse_text_in_usx(tmp_path, version):
    def v(n):
        return f'<verse number="{n}" style="v"/>'

    def end(n, ch):
        return f'<verse eid="PSA {ch}:{n}"/>' if version == "3.0" else ""

    body = (f'<para style="d">A Psalm by David.</para><para style="q1">{v(1)}Yahweh, how my adversaries have '
            f'increased!{end(1, 3)}</para><para style="s1">Section</para><para style="ms1">Book Two</para>'
            '<para style="mr">(Psalms 42-72)</para><para style="r">(Matthew 1:1)</para>'
            '<para style="sp">Speaker</para><para style="qa">Aleph</para><para style="cl">Psalm</para>'
            f'<para style="q1">{v(2)}Many there are who say.{end(2, 3)}</para>'
            f'<chapter number="4" style="c"/><para style="d">{v(1)}For the chief musician.{end(1, 4)}</para>'
            f'<para style="q1">{v(2)}Answer me when I call.{end(2, 4)}</para>')
    src = write(tmp_path / "psa.usx", USX.format(v=version, book="PSA", ch=3, body=body))
    _, verses, rejects = read(src, "usx")
    assert not rejects and texts(verses) == HEADINGS_EXPECTED


def test_usfx_psalm_titles_follow_the_same_rule(tmp_path):
    src = write(tmp_path / "psa.usfx.xml", '<usfx><book id="PSA"><c id="3"/><d>A Psalm by David.</d><q>'
                '<v id="1"/>Yahweh, how my adversaries have increased!<ve/></q><s>Section</s><q><v id="2"/>'
                'Many there are who say.<ve/></q><c id="4"/><d><v id="1"/>For the chief musician.<ve/></d><q>'
                '<v id="2"/>Answer me when I call.<ve/></q></book></usfx>')
    _, verses, rejects = read(src, "usfx")
    assert not rejects and texts(verses) == HEADINGS_EXPECTED


def test_usx_tables_sidebars_and_unknown_styles(tmp_path):
    body = ('<para style="p"><verse number="3" style="v"/>The camps were:</para><table><row style="tr">'
            '<cell style="th1" align="start">Tribe</cell><cell style="thr2" align="end">Number</cell></row>'
            '<row style="tr"><cell style="tcr1" align="end" colspan="2">Total: 74,600</cell></row></table>'
            '<sidebar style="esb"><para style="ms">Boats</para><para style="p">Not verse text.</para>'
            '</sidebar>'
            '<para style="zq">Custom <char style="zz">styled</char> words.</para>')
    src = write(tmp_path / "num.usx", USX.format(v="3.0", book="NUM", ch=2, body=body))
    ctx, verses, _ = read(src, "usx")
    assert texts(verses) == {"NUM 2:3": "The camps were: Tribe Number Total: 74,600 Custom styled words."}
    assert any("unknown style `zq`" in n for n in ctx.notes) and any("`zz`" in n for n in ctx.notes)


def test_unclosed_sidebar_is_noted_and_does_not_swallow_the_next_verse(tmp_path):
    src = write(tmp_path / "s.usfm", "\\id MRK\n\\c 1\n\\p\n\\v 1 One.\n\\esb\n\\p Side.\n\\v 2 Two.\n")
    ctx, verses, _ = read(src, "usfm")
    assert texts(verses) == {"MRK 1:1": "One.", "MRK 1:2": "Two."}
    assert any("s.usfm:5: sidebar" in n and "line 7" in n for n in ctx.notes)


PERIPHERAL = {
    "usfm": ("g.usfm", "\\id GLO\n\\c 1\n\\p \\v 1 keyword definition\n\\id MRK\n\\c 1\n\\p \\v 1 Mark.\n"),
    "usx": ("g.usx", '<usx version="3.0"><book code="GLO" style="id"/><chapter number="1" style="c"/><para '
            'style="p"><verse number="1" style="v"/>keyword</para><book code="MRK" style="id"/><chapter '
            'number="1" style="c"/><para style="p"><verse number="1" style="v"/>Mark.</para></usx>'),
    "usfx": ("g.usfx.xml", '<usfx><book id="GLO"><c id="1"/><p><v id="1"/>keyword<ve/></p></book><book '
             'id="MRK"><c id="1"/><p><v id="1"/>Mark.<ve/></p></book></usfx>'),
    "ces": ("g.xml", '<cesDoc><text><body><seg id="b.GLO.1.1" type="verse">keyword</seg><seg id="b.MAR.1.1" '
            'type="verse">Mark.</seg></body></text></cesDoc>'),
    "osis": ("g.osis.xml", '<osis><osisText><div type="book"><verse osisID="GLO.1.1">keyword</verse></div>'
             '<div type="book"><verse osisID="Mark.1.1">Mark.</verse></div></osisText></osis>'),
}


@pytest.mark.parametrize("fmt", list(PERIPHERAL))
def test_peripheral_books_are_skipped_with_the_same_note_by_every_reader(tmp_path, fmt):
    name, text = PERIPHERAL[fmt]
    ctx, verses, rejects = read(write(tmp_path / name, text), fmt)
    assert not rejects and texts(verses) == {"MRK 1:1": "Mark."}
    assert f"{name}: book `GLO` is peripheral matter, not Bible text: skipped" in ctx.notes


UNKNOWN_BOOK = {
    "usfm": ("u.usfm", "\\id XYZ\n\\c 1\n\\p \\v 1 lost?\n"),
    "usx": ("u.usx", '<usx version="2.0"><book code="XYZ" style="id"/><chapter number="1" style="c"/><para '
            'style="p"><verse number="1" style="v"/>lost?</para></usx>'),
    "usfx": ("u.usfx.xml", '<usfx><book id="XYZ"><c id="1"/><p><v id="1"/>lost?<ve/></p></book></usfx>'),
}


@pytest.mark.parametrize("fmt", list(UNKNOWN_BOOK))
def test_a_book_code_that_is_no_book_rejects_itself_and_its_verses(tmp_path, fmt):
    name, text = UNKNOWN_BOOK[fmt]
    _, verses, rejects = read(write(tmp_path / name, text), fmt)
    assert not verses and len(rejects) == 2 and "XYZ" in rejects[0].reason
    assert rejects[1].raw.endswith("lost?") and rejects[0].line == 1


def test_the_store_refuses_one_reference_twice(tmp_path, store):
    ces = write(tmp_path / "dup.xml", '<cesDoc><text><body>\n<seg id="b.MAR.1.1" type="verse">one</seg>\n'
                '<seg id="b.MAR.1.1" type="verse">again</seg>\n</body></text></cesDoc>')
    with pytest.raises(ParseError) as err:
        import_resource(store, "bible", [ces], lang="eng", format="ces")
    assert err.value.line == 3 and "MRK 1:1 is given twice (first at line 2)" in str(err.value)
    ranges = write(tmp_path / "r.usfm", "\\id MRK\n\\c 1\n\\p \\v 2-3 merged\n\\v 3 three again\n")
    res = import_resource(store, "bible", [ranges], lang="eng", on_error="skip",
                          rejects_path=tmp_path / "a.tsv")
    assert (res.n_stored, res.n_rejected) == (1, 1)


def test_two_files_of_one_import_that_overlap_are_a_located_error(tmp_path, store):
    one = write(tmp_path / "a.usfm", "\\id MRK\n\\c 1\n\\p \\v 1 one\n\\v 2 two\n")
    two = write(tmp_path / "b.usfm", "\\id MRK\n\\c 1\n\\p \\v 2 two again\n\\v 3 three\n")
    with pytest.raises(ParseError) as err:
        import_resource(store, "bible", [one, two], lang="eng")
    assert err.value.path == str(two) and err.value.line == 3 and f"{one}:4" in str(err.value)
    res = import_resource(store, "bible", [one, two], lang="eng", on_error="skip",
                          rejects_path=tmp_path / "r.tsv")
    assert (res.n_read, res.n_stored, res.n_rejected) == (4, 3, 1)


def test_two_ces_files_in_different_languages_are_not_one_resource(tmp_path, store):
    def ces(name, iso, ref):
        return write(tmp_path / name, f'<cesDoc><cesHeader><profileDesc><langUsage><language iso639="{iso}"/>'
                     f'</langUsage></profileDesc></cesHeader><text><body><seg id="b.{ref}" type="verse">text'
                     '</seg></body></text></cesDoc>')
    a, b = ces("Zulu-NT.xml", "zul", "MAR.1.1"), ces("Wolof-NT.xml", "wol", "MAR.1.2")
    with pytest.raises(LanguageError) as err:
        import_resource(store, "bible", [a, b], format="ces")
    assert str(b) in str(err.value) and "zul" in str(err.value) and "wol" in str(err.value)
    res = import_resource(store, "bible", [a, ces("Zulu-2.xml", "zu", "MAR.1.2")], format="ces")
    assert res.lang == "zul" and res.n_stored == 2


@pytest.mark.parametrize("fmt,name,text", [
    ("osis", "de.osis.xml", '<osis><osisText xml:lang="de"><div type="book"><verse osisID="Mark.1.1">Text.'
     '</verse></div></osisText></osis>'),
    ("usfx", "de.usfx.xml", '<usfx><languageCode>deu</languageCode><book id="MRK"><c id="1"/><p><v id="1"/>'
     'Text.<ve/></p></book></usfx>'),
    ("zefania", "de.zef.xml", '<XMLBIBLE><INFORMATION><language>GER</language></INFORMATION><BIBLEBOOK '
     'bnumber="41"><CHAPTER cnumber="1"><VERS vnumber="1">Text.</VERS></CHAPTER></BIBLEBOOK></XMLBIBLE>'),
    ("ces", "de.xml", '<cesDoc><cesHeader><language iso639="de"/></cesHeader><text><body>'
     '<seg id="b.MAR.1.1" type="verse">Text.</seg></body></text></cesDoc>'),
])
def test_lang_that_contradicts_the_file_is_an_error_unless_forced(tmp_path, fmt, name, text):
    src = write(tmp_path / name, text)
    with pytest.raises(LanguageError) as err:
        read(src, fmt, lang="eng")
    assert "--lang eng contradicts" in str(err.value) and "deu" in str(err.value)
    ctx, verses, _ = read(src, fmt, lang="eng", force=True)
    assert ctx.lang.code == "eng" and len(verses) == 1 and any("--force-lang" in n for n in ctx.notes)
    assert read(src, fmt)[0].lang.code == "deu"


def test_force_lang_on_the_command_line(cli, tmp_path):
    src = write(tmp_path / "de.osis.xml", '<osis><osisText xml:lang="de"><div type="book"><verse '
                'osisID="Mark.1.1">Text.</verse></div></osisText></osis>')
    r = cli("import", "bible", src, "--lang", "eng")
    assert r.exit_code == 2 and "contradicts" in r.stderr and "--force-lang" in r.stderr
    assert cli("import", "bible", src, "--lang", "eng", "--force-lang").exit_code == 0
