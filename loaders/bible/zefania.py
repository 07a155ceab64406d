"""Zefania XML: `XMLBIBLE/BIBLEBOOK bnumber="40"/CHAPTER cnumber/VERS vnumber`, books by number (1-66 in
the Protestant order, mapped through loaders/data/bible_books.tsv). NOTE, CAPTION, REMARK and XREF are
not verse text; STYLE and gr (Strong's) markup keep their text."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext

from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import reject, set_lang, set_scheme, usfm_code, verse_number
from lexres.loaders.bible.xml import local, stream

SKIP = {"NOTE", "CAPTION", "REMARK", "XREF", "PROLOG", "INFORMATION"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    set_scheme(ctx)
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx)


def _read_one(fh, path: Path, ctx: ReadContext) -> Iterator:
    col = Collector(path)
    skip_book = False
    last_text = ""
    for ev, item in stream(fh, path, root=("XMLBIBLE",)):
        if ev == "text":
            last_text = item
            if not skip_book:
                col.text(item)
            continue
        el, name = item, local(item.tag)
        line = el.sourceline or 0
        if name == "language" and ev == "end" and col.skip:  # INFORMATION/language: ENG, GER ...
            set_lang(ctx, last_text.strip().lower(), f"the INFORMATION of {path.name}")
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
            number = el.get("bnumber") or ""
            col.book = usfm_code("zefania", number.strip())
            col.chapter = None
            skip_book = col.book is None
            if skip_book:
                yield reject(line, f"unknown Zefania book number `{number}` ({el.get('bname')}); its verses "
                             "are not read", number, path)
        elif name == "CHAPTER" and not skip_book:
            number = (el.get("cnumber") or "").strip()
            if not number.isdigit():
                yield reject(line, f"chapter number `{number}` is not a number", number, path)
                col.chapter = None
            else:
                col.chapter = int(number)
        elif name == "VERS" and not skip_book and col.chapter is not None:
            try:
                number, end = verse_number(el.get("vnumber") or "")
            except ValueError:
                yield reject(line, f"verse number `{el.get('vnumber')}` is not a number", "", path)
                continue
            out = col.start(number, end, line)
            if out is not None:
                yield out


def sniff(head: bytes, path: Path) -> float:
    return 0.95 if b"<XMLBIBLE" in head else 0.0
