"""OSIS XML: container verses `<verse osisID="Matt.1.1">…</verse>` and milestone verses
`<verse sID="Ruth.1.1" osisID="Ruth.1.1"/>` … `<verse eID="Ruth.1.1"/>`; OSIS book names map to USFM via
loaders/data/bible_books.tsv. Notes and titles are not verse text; a verse listing several osisIDs
(`Matt.1.2 Matt.1.3`) is kept as the range 2-3."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext

from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import reject, set_lang, set_scheme, usfm_code
from lexres.loaders.bible.xml import local, stream

OSIS_REF = re.compile(r"^(?:[^:]+:)?([1-4]?[A-Za-z]+)\.(\d+)\.(\d+)(?:![\w.]+)?$")
SKIP = {"note", "title", "header", "rdg", "figure", "speaker"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BLOCK = {"p", "l", "lg", "list", "item", "div", "lb", "table", "row", "cell"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    set_scheme(ctx)
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx)


def parse_osis_id(value: str) -> tuple[str, int, int, int | None] | None:
    """`Matt.1.1` -> (MAT, 1, 1, None); `Matt.1.2 Matt.1.3` or `Matt.1.2-Matt.1.3` -> (MAT, 1, 2, 3)."""
    refs = [r for r in re.split(r"[\s\-]+", value.strip()) if r]
    parsed = [OSIS_REF.match(r) for r in refs]
    if not parsed or not all(parsed):
        return None
    first, last = parsed[0], parsed[-1]
    book = usfm_code("osis", first.group(1))
    if book is None:
        return None
    ch, v = int(first.group(2)), int(first.group(3))
    end = int(last.group(3)) if (last.group(1), int(last.group(2))) == (first.group(1), ch) else None
    return book, ch, v, end if end and end > v else None


def _read_one(fh, path: Path, ctx: ReadContext) -> Iterator:
    col = Collector(path)
    container = 0  # depth of open container <verse> elements
    for ev, item in stream(fh, path, root=("osis",)):
        if ev == "text":
            col.text(item)
            continue
        el = item
        name = local(el.tag)
        if name == "osisText" and ev == "start":
            set_lang(ctx, el.get(XML_LANG), f"the osisText of {path.name}")
        if name == "verse":
            out = _verse(col, ev, el, path)
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


def _verse(col: Collector, ev: str, el, path: Path):
    line = el.sourceline or 0
    if el.get("eID") is not None:
        return col.close() if ev == "start" else None
    if ev == "end":
        return col.close() if el.get("sID") is None else None
    ident = el.get("osisID") or el.get("sID") or ""
    ref = parse_osis_id(ident)
    if ref is None:
        return reject(line, f"cannot read osisID `{ident}`", ident, path)
    book, ch, v, end = ref
    return col.start_at(book, ch, v, end, line)


def sniff(head: bytes, path: Path) -> float:
    if b"<osis" in head and b"bibletechnologies.net" in head:
        return 0.95
    return 0.6 if b"<osis" in head else 0.0
