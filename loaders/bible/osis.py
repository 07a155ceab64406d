"""OSIS XML: container verses `<verse osisID="Matt.1.1">…</verse>` and milestone verses
`<verse sID="Ruth.1.1" osisID="Ruth.1.1"/>` … `<verse eID="Ruth.1.1"/>`; OSIS book names map to USFM via
loaders/data/bible_books.tsv. Notes and titles are not verse text; a verse listing several osisIDs
(`Matt.1.2 Matt.1.3`) is kept as the range 2-3.

A verse whose osisID cannot be read (an unknown book, a number that is not ASCII digits) is a Reject that
takes its text with it, never glued onto the verse before; entity references of an external DTD are read as
lexres.loaders.bible.xml.Entities says, with a note."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext
from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import Languages, book_kind, set_scheme, skip_peripheral, usfm_code
from lexres.loaders.bible.lines import utf8_head
from lexres.loaders.bible.xml import local, stream

OSIS_REF = re.compile(r"^(?:[^:]+:)?([1-4]?[A-Za-z]+)\.([0-9]+)\.([0-9]+)(?:![\w.]+)?$")
SKIP = {"note", "title", "header", "rdg", "figure", "speaker"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BLOCK = {"p", "l", "lg", "list", "item", "div", "lb", "table", "row", "cell"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per container or milestone verse of each OSIS XML file, notes and titles left out, and
    Rejects (file, line) holding the text of verses whose osisID cannot be read.
    Raises ParseError (not well-formed, declared entities, bad encoding), FormatError (another root),
    LanguageError (files or --lang disagree on the language), OptionError (unknown versification)."""
    set_scheme(ctx)
    langs = Languages(ctx)
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx, langs)


def parse_osis_id(value: str) -> tuple[str, int, int, int | None]:
    """`Matt.1.1` -> (MAT, 1, 1, None); `Matt.1.2 Matt.1.3` or `Matt.1.2-Matt.1.3` -> (MAT, 1, 2, 3).

    Raises ValueError saying what is wrong."""
    refs = [r for r in re.split(r"[\s\-]+", value.strip()) if r]
    parsed = [OSIS_REF.match(r) for r in refs]
    if not parsed or not all(parsed):
        raise ValueError(f"cannot read osisID `{value}`")
    first, last = parsed[0], parsed[-1]
    book = usfm_code("osis", first.group(1))
    if book is None:
        raise ValueError(f"osisID `{value}`: `{first.group(1)}` is no OSIS book name")
    ch, v = int(first.group(2)), int(first.group(3))
    end = int(last.group(3)) if (last.group(1), int(last.group(2))) == (first.group(1), ch) else None
    return book, ch, v, end if end and end > v else None


def _read_one(fh, path: Path, ctx: ReadContext, langs: Languages) -> Iterator:
    col = Collector(path)
    container = 0  # depth of open container <verse> elements
    for ev, item in stream(fh, path, root=("osis",), note=ctx.note):
        if ev == "text":
            col.text(item)
            continue
        el = item
        name = local(el.tag)
        if name == "osisText" and ev == "start":
            langs.declare(el.get(XML_LANG), f"the osisText of {path.name}", path, el.sourceline)
        if name == "verse":
            out = _verse(col, ev, el, path, ctx)
            if el.get("sID") is None and el.get("eID") is None:
                container += 1 if ev == "start" else -1
            if out is not None:
                yield out
        elif name in SKIP:
            col.skip += 1 if ev == "start" else -1
        elif name in BLOCK:
            col.space()
        if name == "div" and ev == "end" and el.get("type") == "book" and not container:
            done = col.close()  # a milestone verse left open does not run into the next book
            if done is not None:
                yield done


def _verse(col: Collector, ev: str, el, path: Path, ctx: ReadContext):
    line = el.sourceline or 0
    if el.get("eID") is not None:
        return col.close() if ev == "start" else None
    if ev == "end":
        return col.close() if el.get("sID") is None else None
    ident = el.get("osisID") or el.get("sID") or ""
    code = ident.split(":")[-1].split(".")[0].upper()
    if book_kind(code) == "peripheral":  # no Bible text: left out like every reader leaves it out
        skip_peripheral(ctx, path, code)
        return col.close()
    try:
        book, ch, v, end = parse_osis_id(ident)
    except ValueError as exc:
        return col.start_bad(line, str(exc), f'<verse osisID="{ident}">')
    return col.start_at(book, ch, v, end, line)


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is OSIS: 0.95 for `<osis` with the bibletechnologies.net namespace, 0.6 for
    `<osis` alone."""
    head = utf8_head(head)
    if b"<osis" in head and b"bibletechnologies.net" in head:
        return 0.95
    return 0.6 if b"<osis" in head else 0.0
