"""USX (Paratext / Digital Bible Library XML, 2.x and 3.x): `<book code>`, `<chapter number>`, milestone
`<verse number sid/>` … `<verse eid/>` (USX 3) or up to the next verse (USX 2). Notes, headings and
figures are left out; `<char style="w" strong=…>` keeps its text, never its attributes."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.books import is_book
from lexres.formats import ReadContext

from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import reject, set_lang, set_scheme, verse_number
from lexres.loaders.bible.usfm import SKIP_CHAR, SKIP_PARA, _base
from lexres.loaders.bible.xml import local, project_settings, stream

SKIP = {"note", "figure", "sidebar", "periph", "book"}
BLOCK = {"para", "row", "cell", "table"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    project = project_settings(paths[0].parent)
    set_lang(ctx, project.get("lang"), f"the bundle metadata of {paths[0].name}")
    set_scheme(ctx, project.get("versification"))
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path)


def _skipped(name: str, el) -> bool:
    if name in SKIP:
        return True
    style = _base(el.get("style") or "")
    return (name == "para" and style in SKIP_PARA) or (name == "char" and style in SKIP_CHAR)


def _read_one(fh, path: Path) -> Iterator:
    col = Collector(path)
    skip_book = False
    for ev, item in stream(fh, path, root=("usx",)):
        if ev == "text":
            if not skip_book:
                col.text(item)
            continue
        el = item
        name = local(el.tag)
        if name in ("verse", "chapter"):
            if ev == "end":
                continue
            out = _milestone(col, name, el, path)
            if out is not None:
                yield out
            continue
        if name == "book" and ev == "start":
            done = col.close()
            if done is not None:
                yield done
            code = (el.get("code") or "").upper()
            skip_book = not is_book(code)
            col.book, col.chapter = (None if skip_book else code), None
        if _skipped(name, el):
            col.skip += 1 if ev == "start" else -1
        elif name in BLOCK:
            col.space()
    done = col.close()
    if done is not None:
        yield done


def _milestone(col: Collector, name: str, el, path: Path):
    line = el.sourceline or 0
    if el.get("eid") is not None:
        return col.close()
    if name == "chapter":
        done = col.close()
        number = el.get("number") or ""
        if not number.isdigit():
            return reject(line, f"chapter number `{number}` is not a number", number, path)
        col.chapter = int(number)
        return done
    given = el.get("number") or ""
    try:
        number, end = verse_number(given)
    except ValueError:
        return reject(line, f"verse number `{given}` is not a number", given, path)
    return col.start(number, end, line)


def sniff(head: bytes, path: Path) -> float:
    return 0.95 if b"<usx" in head else 0.0
