"""Zefania XML: `XMLBIBLE/BIBLEBOOK bnumber="40"/CHAPTER cnumber/VERS vnumber`, books by number (1-66 in
the Protestant order, mapped through loaders/data/bible_books.tsv). NOTE, CAPTION, REMARK and XREF are
not verse text; STYLE and gr (Strong's) markup keep their text.

A book number no table knows is a Reject, and so is each of its verses (with its text); a bad chapter
number rejects itself and its verses; a bad verse number rejects that verse and its text."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext
from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import Languages, chapter_number, reject, set_scheme, usfm_code, verse_number
from lexres.loaders.bible.lines import utf8_head
from lexres.loaders.bible.xml import local, stream

SKIP = {"NOTE", "CAPTION", "REMARK", "XREF", "PROLOG", "INFORMATION"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per VERS of each Zefania XML file, and Rejects (file, line) holding the text of verses
    under a bad book, chapter or verse number.
    Raises ParseError (not well-formed, declared entities, bad encoding), FormatError (another root),
    LanguageError (files or --lang disagree on the language), OptionError (unknown versification)."""
    set_scheme(ctx)
    langs = Languages(ctx)
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx, langs)


def _read_one(fh, path: Path, ctx: ReadContext, langs: Languages) -> Iterator:
    col = Collector(path)
    last_text = ""
    for ev, item in stream(fh, path, root=("XMLBIBLE",), note=ctx.note):
        if ev == "text":
            last_text = item
            col.text(item)
            continue
        el, name = item, local(item.tag)
        line = el.sourceline or 0
        if name == "language" and ev == "end" and col.skip:  # INFORMATION/language: ENG, GER ...
            langs.declare(last_text.strip().lower(), f"the INFORMATION of {path.name}", path, line)
        if name in SKIP:
            col.skip += 1 if ev == "start" else -1
        elif name == "BR" and ev == "start":
            col.space()
        elif ev != "start":
            if name == "VERS":
                done = col.close()
                if done is not None:
                    yield done
        elif name == "BIBLEBOOK":
            number = (el.get("bnumber") or "").strip()
            book = usfm_code("zefania", number)
            col.set_book(book, None if book else (line, number))
            if book is None:
                yield reject(line, f"unknown Zefania book number `{number}` ({el.get('bname')}); its verses "
                             "are rejected with it", f'<BIBLEBOOK bnumber="{number}">', path)
        elif name == "CHAPTER" and col.bad_book is None:
            number = el.get("cnumber") or ""
            try:
                col.set_chapter(chapter_number(number))
            except ValueError as exc:
                col.set_chapter(None, line)
                yield reject(line, f"{exc}; its verses are rejected with it", f'<CHAPTER cnumber="{number}">',
                             path)
        elif name == "VERS":
            given = el.get("vnumber") or ""
            raw = f'<VERS vnumber="{given}">'
            try:
                number, end = verse_number(given)
            except ValueError as exc:
                out = col.start_bad(line, str(exc), raw)
            else:
                out = col.start(number, end, line, raw)
            if out is not None:
                yield out


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is Zefania XML: 0.95 with `<XMLBIBLE` in it."""
    head = utf8_head(head)
    return 0.95 if b"<XMLBIBLE" in head else 0.0
