"""Bytes and numbers in every Bible reader: any line end and UTF-8/16/32 give the same records, bad bytes
cost only their verse, chapter and verse numbers are ASCII digits in a plausible range, and XML entity
references of an external DTD never drop the text around them."""
from __future__ import annotations

import codecs

import pytest

from lexres import formats as registry
from lexres.errors import ParseError
from lexres.formats import ReadContext
from lexres.importer import import_resource
from lexres.records import Reject, Verse

USFM = ("\\id MRK\n\\c 1\n\\p\n\\v 1 In the beginning.\n\\v 2 As it is written\ncontinued here.\n"
        "\\c 2\n\\p \\v 1 Two.\n")
VLINE = "In the beginning.\nAs it is written.\n\n<range>\nThe last one.\n"
VREF = "MRK 1:1\nMRK 1:2\nMRK 1:3\nMRK 1:4\nMRK 1:5\n"


def read(paths, fmt, **options):
    ctx = ReadContext(lang=None, options=options)
    items = list(registry.get("bible", fmt).read(paths if isinstance(paths, list) else [paths], ctx))
    return ctx, [i for i in items if isinstance(i, Verse)], [i for i in items if isinstance(i, Reject)]


def plain(verses):
    return [(v.ref, v.text, v.line) for v in verses]


LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r", "u2028": "\u2028"}
ENCODINGS = {"utf-8": b"", "utf-8-sig": b"", "utf-16-le": b"", "utf-16-be": b"", "utf-32-le": b"",
             "utf-32-be": b"", "utf-16-le+bom": codecs.BOM_UTF16_LE, "utf-16-be+bom": codecs.BOM_UTF16_BE,
             "utf-32-le+bom": codecs.BOM_UTF32_LE, "utf-32-be+bom": codecs.BOM_UTF32_BE}


def encode(text: str, how: str) -> bytes:
    codec = how.split("+")[0]
    return ENCODINGS[how] + text.encode(codec)


@pytest.mark.parametrize("end", list(LINE_ENDS))
@pytest.mark.parametrize("how", ["utf-8", "utf-8-sig", "utf-16-le", "utf-32-be+bom"])
def test_usfm_line_ends_and_encodings_give_the_same_records(tmp_path, end, how):
    base = read(_file(tmp_path / "base.usfm", USFM, "utf-8"), "usfm")[1]
    ctx, verses, rejects = read(_file(tmp_path / "x.usfm", USFM.replace("\n", LINE_ENDS[end]), how), "usfm")
    assert not rejects and plain(verses) == plain(base) and len(base) == 3
    assert base[1].text == "As it is written continued here."


@pytest.mark.parametrize("end", list(LINE_ENDS))
@pytest.mark.parametrize("how", list(ENCODINGS))
def test_vline_and_its_vref_list_in_any_line_end_and_encoding(tmp_path, end, how):
    vref = _file(tmp_path / "refs.vref", VREF.replace("\n", LINE_ENDS[end]), how)
    src = _file(tmp_path / "x.txt", VLINE.replace("\n", LINE_ENDS[end]), how)
    ctx, verses, rejects = read(src, "vline", vref=str(vref))
    assert not rejects
    assert plain(verses) == [("MRK 1:1", "In the beginning.", 1), ("MRK 1:2", "As it is written.", 2),
                             ("MRK 1:5", "The last one.", 5)]
    if how.startswith(("utf-16", "utf-32")):
        assert any("x.txt: read as UTF-" in n for n in ctx.notes)


def _file(path, text, how):
    path.write_bytes(encode(text, how))
    return path


def test_bad_utf16_is_refused_naming_the_encoding(tmp_path):
    src = tmp_path / "bad.usfm"
    src.write_bytes(codecs.BOM_UTF16_LE + "\\id MRK\n\\c 1\n".encode("utf-16-le") + b"\x00\xdc\x00\x00")
    with pytest.raises(ParseError) as err:
        read(src, "usfm")
    assert "UTF-16LE" in str(err.value) and err.value.line == 3


def test_an_import_that_reads_nothing_is_an_error(tmp_path, store):
    src = tmp_path / "headings.usfm"
    src.write_text("\\id MRK\n\\h Mark\n\\mt1 The Gospel\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        import_resource(store, "bible", [src], lang="eng", format="usfm")
    assert "no bible records" in str(err.value)


def test_skip_mode_loses_nothing(tmp_path, store):
    src = tmp_path / "messy.usfm"
    src.write_bytes(b"\\id MRK\n\\c 1\n\\p \\v 1 one \\v x bad number\nstill bad\n\\v 2 caf\xe9\n"
                    b"\\v 3 three\n\\c 1b\n\\v 1 lost under a bad chapter\n\\c 2\n"
                    b"\\v 1 \\qt-s |who=\"x\"\n\\v 2 two two\n")
    rejects = tmp_path / "rej.tsv"
    res = import_resource(store, "bible", [src], lang="eng", on_error="skip", rejects_path=rejects)
    assert res.n_read == res.n_stored + res.n_rejected == 8 and res.n_stored == 3
    rows = [line.split("\t") for line in rejects.read_text(encoding="utf-8").splitlines()[1:]]
    assert [r[1] for r in rows] == ["3", "5", "7", "8", "10"]
    assert rows[0][3] == "\\v x bad number still bad"


DIGITS = ["²", "٣", "-1", "1.5"]


@pytest.mark.parametrize("digit", DIGITS)
@pytest.mark.parametrize("fmt,name,text", [
    ("usfm", "c.usfm", "\\id MRK\n\\c {d}\n\\p \\v 1 text\n"),
    ("usfm", "v.usfm", "\\id MRK\n\\c 1\n\\p \\v {d} text\n"),
    ("usx", "c.usx", '<usx version="2.0"><book code="MRK" style="id"/><chapter number="{d}" style="c"/><para '
     'style="p"><verse number="1" style="v"/>text</para></usx>'),
    ("usx", "v.usx", '<usx version="2.0"><book code="MRK" style="id"/><chapter number="1" style="c"/><para '
     'style="p"><verse number="{d}" style="v"/>text</para></usx>'),
    ("usfx", "c.usfx.xml", '<usfx><book id="MRK"><c id="{d}"/><p><v id="1"/>text<ve/></p></book></usfx>'),
    ("usfx", "v.usfx.xml", '<usfx><book id="MRK"><c id="1"/><p><v id="{d}"/>text<ve/></p></book></usfx>'),
    ("osis", "v.osis.xml", '<osis><osisText><div><verse osisID="Mark.1.{d}">text</verse></div></osisText>'
     '</osis>'),
    ("zefania", "c.zef.xml", '<XMLBIBLE><BIBLEBOOK bnumber="41"><CHAPTER cnumber="{d}"><VERS vnumber="1">text'
     '</VERS></CHAPTER></BIBLEBOOK></XMLBIBLE>'),
    ("zefania", "v.zef.xml", '<XMLBIBLE><BIBLEBOOK bnumber="41"><CHAPTER cnumber="1"><VERS vnumber="{d}">text'
     '</VERS></CHAPTER></BIBLEBOOK></XMLBIBLE>'),
    ("ces", "v.xml", '<cesDoc><text><body><seg id="b.MAR.1.{d}" type="verse">text</seg></body></text>'
     '</cesDoc>'),
])
def test_numbers_are_ascii_digits_in_every_reader(tmp_path, fmt, name, text, digit):
    src = tmp_path / name
    src.write_text(text.format(d=digit), encoding="utf-8")
    _, verses, rejects = read(src, fmt)
    assert not verses and rejects and all(r.line >= 1 for r in rejects)
    assert any("text" in r.raw or digit in r.raw for r in rejects)


@pytest.mark.parametrize("digit", ["²", "٣"])
def test_vref_numbers_are_ascii_digits(tmp_path, digit):
    (tmp_path / "refs.vref").write_text(f"MRK 1:1\nMRK 1:{digit}\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("one verse here\nand another\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        read(tmp_path / "t.txt", "vline", vref=str(tmp_path / "refs.vref"))
    assert err.value.path == str(tmp_path / "refs.vref") and err.value.line == 2


@pytest.mark.parametrize("ref,ok", [("MRK 16:20", True), ("MRK 21:1", True), ("MRK 22:1", False),
                                    ("PSA 119:176", True), ("PSA 151:1", True), ("MRK 1:200", True),
                                    ("MRK 1:201", False), ("MRK 0:1", False), ("MRK 1:0", True)])
def test_implausible_references_are_rejects_naming_their_line(tmp_path, store, ref, ok):
    book, cv = ref.split()
    ch, v = cv.split(":")
    src = tmp_path / "x.usfm"
    src.write_text(f"\\id {book}\n\\c {ch}\n\\p\n\\v {v} text\n\\c 1\n\\v 7 fine\n", encoding="utf-8")
    res = import_resource(store, "bible", [src], lang="eng", on_error="skip", rejects_path=tmp_path / "r.tsv")
    assert (res.n_stored, res.n_rejected) == ((2, 0) if ok else (1, 1))
    if not ok:
        row = (tmp_path / "r.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")
        assert row[1] == "4" and ref in row[2]


DTD = '<?xml version="1.0"?>\n<!DOCTYPE {root} SYSTEM "bible.dtd">\n'
ENTITY_FILES = {
    "ces": ("e.xml", "cesDoc", '<cesDoc><text><body>\n<seg id="b.MAR.1.1" type="verse">caf&eacute; au '
            '&zzfoo; lait</seg></body></text></cesDoc>'),
    "osis": ("e.osis.xml", "osis", '<osis><osisText><div>\n<verse osisID="Mark.1.1">caf&eacute; au &zzfoo; '
             'lait</verse></div></osisText></osis>'),
    "usx": ("e.usx", "usx", '<usx version="3.0"><book code="MRK" style="id"/><chapter number="1" '
            'style="c"/>\n<para style="p"><verse number="1" style="v"/>caf&eacute; au &zzfoo; lait</para>'
            '</usx>'),
    "usfx": ("e.usfx.xml", "usfx", '<usfx><book id="MRK"><c id="1"/>\n<p><v id="1"/>caf&eacute; au '
             '&zzfoo; lait<ve/></p></book></usfx>'),
    "zefania": ("e.zef.xml", "XMLBIBLE", '<XMLBIBLE><BIBLEBOOK bnumber="41"><CHAPTER cnumber="1">\n'
                '<VERS vnumber="1">caf&eacute; au &zzfoo; lait</VERS></CHAPTER></BIBLEBOOK></XMLBIBLE>'),
}


@pytest.mark.parametrize("fmt", list(ENTITY_FILES))
def test_undeclared_entities_never_drop_the_text_around_them(tmp_path, fmt):
    name, root, body = ENTITY_FILES[fmt]
    src = tmp_path / name
    src.write_text(DTD.format(root=root) + body, encoding="utf-8")
    ctx, verses, rejects = read(src, fmt)
    assert not rejects and [v.text for v in verses] == ["café au lait"]
    assert any("`&eacute;`" in n and "standard meaning" in n for n in ctx.notes)
    assert any(f"{name}:4: entity `&zzfoo;`" in n and "left out" in n for n in ctx.notes)


XML_FILES = {
    "usx": ("w.usx", '<usx version="2.0"><book code="MRK" style="id"/><chapter number="1" style="c"/>'
            '<para style="p"><verse number="1" style="v"/>caf\u00e9 \u05d0</para></usx>'),
    "osis": ("w.osis.xml", '<osis xmlns="http://www.bibletechnologies.net/2003/OSIS/namespace"><osisText><div>'
             '<verse osisID="Mark.1.1">caf\u00e9 \u05d0</verse></div></osisText></osis>'),
    "ces": ("w.xml", '<cesDoc><text><body><seg id="b.MAR.1.1" type="verse">caf\u00e9 \u05d0</seg></body>'
            '</text></cesDoc>'),
    "usfx": ("w.usfx.xml", '<usfx><book id="MRK"><c id="1"/><p><v id="1"/>caf\u00e9 \u05d0<ve/></p></book>'
             '</usfx>'),
    "zefania": ("w.zef.xml", '<XMLBIBLE><BIBLEBOOK bnumber="41"><CHAPTER cnumber="1"><VERS vnumber="1">'
                'caf\u00e9 \u05d0</VERS></CHAPTER></BIBLEBOOK></XMLBIBLE>'),
}


@pytest.mark.parametrize("how", ["utf-16-le", "utf-16-be+bom", "utf-32-le", "utf-32-be+bom"])
@pytest.mark.parametrize("declared", [False, True])
@pytest.mark.parametrize("fmt", list(XML_FILES))
def test_xml_readers_read_utf16_and_utf32_and_sniff_them(tmp_path, fmt, how, declared):
    name, body = XML_FILES[fmt]
    codec = how.split("+")[0].upper()[:6]
    head = f'<?xml version="1.0" encoding="{codec}"?>\n' if declared else ""
    src = _file(tmp_path / name, head + body, how)
    assert registry.sniff("bible", src).name == fmt
    ctx, verses, rejects = read(src, fmt)
    assert not rejects and [(v.ref, v.text) for v in verses] == [("MRK 1:1", "caf\u00e9 \u05d0")]
    assert any(f"{name}: read as UTF-" in n for n in ctx.notes)


def test_usfm_in_utf16_is_sniffed(tmp_path):
    src = _file(tmp_path / "x.sfm", USFM, "utf-16-le")
    assert registry.sniff("bible", src).name == "usfm"
