"""USFX XML (eBible.org): `<book id="MAT">`, empty milestones `<c id="1"/>`, `<v id="1"/>` … `<ve/>`.
Footnotes `<f>`, cross-references `<x>`, headings (`<s>`, `<h>`, `<toc>`, `<p sfm="mt">` …) are left out;
a verse without `<ve/>` ends at the next verse, chapter or book. What is verse text follows the USFM rule
(lexres.loaders.bible.markers), sidebars, optional line breaks and verse parts (`2-6a`, `6b-11`) included.

A verse with a bad number, or under a bad chapter number or a book id that is no book, is a Reject holding
its text; peripheral books (GLO, FRT, XXA …) are skipped with a note."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext
from lexres.loaders.bible.collect import Collector
from lexres.loaders.bible.common import (
    Languages,
    chapter_number,
    enter_book,
    reject,
    set_scheme,
    verse_number,
    verse_parts,
)
from lexres.loaders.bible.lines import utf8_head
from lexres.loaders.bible.markers import SKIP_CHAR, SKIP_PARA, base
from lexres.loaders.bible.xml import local, stream

SKIP = {"f", "fe", "x", "ef", "ex", "h", "toc", "s", "d", "rem", "ide", "cl", "cp", "va", "vp", "fig",
        "generated", "languageCode", "id", "esb", "sidebar"} | SKIP_CHAR
BLOCK = {"p", "q", "b", "li", "table", "tr", "tc", "th", "lg", "l"}


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per verse of each USFX file (eBible.org), notes and headings left out, and Rejects
    (file, line) holding the text of verses with a bad number, chapter or book.
    Raises ParseError (not well-formed, declared entities, bad encoding), FormatError (another root),
    LanguageError (files or --lang disagree on the language), OptionError (unknown versification)."""
    set_scheme(ctx)
    langs = Languages(ctx)
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx, langs)


def _skipped(name: str, el) -> bool:
    return name in SKIP and name != "d"


def _heading(name: str, el) -> bool:
    return name == "d" or (name in ("p", "q") and base(el.get("sfm") or el.get("style") or "") in SKIP_PARA)


def _read_one(fh, path: Path, ctx: ReadContext, langs: Languages) -> Iterator:
    col = Collector(path)
    skip_book = False
    last_text = ""
    for ev, item in stream(fh, path, root=("usfx",), note=ctx.note):
        if ev == "text":
            last_text = item
            if not skip_book:
                col.text(item)
            continue
        el, name = item, local(item.tag)
        if name == "languageCode" and ev == "end":
            langs.declare(last_text.strip(), f"the languageCode of {path.name}", path, el.sourceline)
        if _heading(name, el):
            col.enter_heading(el) if ev == "start" else col.leave_heading(el)
            if ev == "start" or name == "d":
                continue
        elif _skipped(name, el):
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
            done = col.end_verse() if name == "ve" else col.close()
            if done is not None:
                yield done
        if name == "book":
            code = ident.upper()
            skip_book, bad = enter_book(col, ctx, path, code, line, f'<book id="{code}">')
            if bad is not None:
                yield bad
        elif name == "c" and not skip_book and col.bad_book is None:
            try:
                col.set_chapter(chapter_number(ident))
            except ValueError as exc:
                col.set_chapter(None, line)
                yield reject(line, f"{exc}; the verses up to the next chapter are rejected with it",
                             f'<c id="{ident}">', path)
        elif name == "v" and not skip_book:
            raw = f'<v id="{ident}">'
            try:
                number, end = verse_number(ident)
            except ValueError as exc:
                out = col.start_bad(line, str(exc), raw)
            else:
                out = col.start(number, end, line, raw, verse_parts(ident))
            if out is not None:
                yield out
    done = col.close()
    if done is not None:
        yield done


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is USFX XML: 0.95 with `<usfx` in it."""
    head = utf8_head(head)
    return 0.95 if b"<usfx" in head else 0.0
