"""USFX XML (eBible.org): `<book id="MAT">`, empty milestones `<c id="1"/>`, `<v id="1"/>` … `<ve/>`.
Footnotes `<f>`, cross-references `<x>`, headings (`<s>`, `<h>`, `<toc>`, `<p sfm="mt">` …) are left out;
a verse without `<ve/>` ends at the next verse, chapter or book."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.books import is_book
from lexres.formats import ReadContext

from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import reject, set_lang, set_scheme, verse_number
from lexres.loaders.bible.usfm import SKIP_CHAR, SKIP_PARA, _base
from lexres.loaders.bible.xml import local, stream

SKIP = {"f", "fe", "x", "ef", "ex", "h", "toc", "s", "d", "rem", "ide", "cl", "cp", "va", "vp", "fig",
        "generated", "languageCode", "id"} | SKIP_CHAR
BLOCK = {"p", "q", "b", "li", "table", "tr", "tc", "th", "lg", "l"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    set_scheme(ctx)
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx)


def _skipped(name: str, el) -> bool:
    return name in SKIP or (name in ("p", "q") and _base(el.get("sfm") or el.get("style") or "") in SKIP_PARA)


def _read_one(fh, path: Path, ctx: ReadContext) -> Iterator:
    col = Collector(path)
    skip_book = False
    last_text = ""
    for ev, item in stream(fh, path, root=("usfx",)):
        if ev == "text":
            last_text = item
            if not skip_book:
                col.text(item)
            continue
        el, name = item, local(item.tag)
        if name == "languageCode" and ev == "end":
            set_lang(ctx, last_text.strip(), f"the languageCode of {path.name}")
        if _skipped(name, el):
            col.skip += 1 if ev == "start" else -1
            continue
        if name in BLOCK:
            col.space()
            continue
        if ev != "start":
            if name == "book":
                done = col.close()  # a verse without <ve/> ends with its book
                if done is not None:
                    yield done
            continue
        line = el.sourceline or 0
        ident = (el.get("id") or "").strip()
        if name in ("book", "c", "ve"):
            done = col.close()
            if done is not None:
                yield done
        if name == "book":
            code = ident.upper()
            skip_book = not is_book(code)
            col.book, col.chapter = (None if skip_book else code), None
        elif name == "c" and not skip_book:
            if not ident.isdigit():
                yield reject(line, f"chapter id `{ident}` is not a number", ident, path)
                col.chapter = None
            else:
                col.chapter = int(ident)
        elif name == "v" and not skip_book:
            try:
                number, end = verse_number(ident)
            except ValueError:
                yield reject(line, f"verse id `{ident}` is not a number", ident, path)
                continue
            out = col.start(number, end, line)
            if out is not None:
                yield out
    done = col.close()
    if done is not None:
        yield done


def sniff(head: bytes, path: Path) -> float:
    return 0.95 if b"<usfx" in head else 0.0
