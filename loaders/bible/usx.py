"""USX (Paratext / Digital Bible Library XML, 2.x and 3.x): `<book code>`, `<chapter number>`, milestone
`<verse number sid/>` … `<verse eid/>` (USX 3) or up to the next verse (USX 2). Notes, headings, figures
and sidebars are left out by the same rule as USFM (lexres.loaders.bible.markers: `<para style="qa">`,
`s1`, `ms`, `d` … are not verse text); `<char style="w" strong=…>` keeps its text, never its attributes.

A verse with a bad number, or under a bad chapter number or a book code that is no book, is a Reject holding
its text; peripheral books (GLO, FRT, XXA …) are skipped with a note; an unknown style is noted.

A verse's `sid` (USX 3, `MRK 5:1`) is its reference: when it names another chapter than the last
`<chapter>` (a fragment whose `\\vid` set the reference), the sid wins and a note names the line; a sid of
another book is a Reject. `<ms style="vid" ref="MRK 5:1"/>` (USX 3.1) sets the reference as `\\vid` does
in USFM; verse parts continuing each other (`2-6a`, `6b-11`) are one unit (see markers)."""
from __future__ import annotations

import re
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
from lexres.loaders.bible.markers import CELLS, KNOWN, SKIP_CHAR, SKIP_PARA, base
from lexres.loaders.bible.xml import local, project_settings, stream

SKIP = {"note", "figure", "sidebar", "periph", "book", "optbreak"}
BLOCK = {"para", "row", "cell", "table", "list", "item"}
REF = re.compile(r"([1-4A-Z][A-Z0-9]{2})(?:\s*([^:\s]+)(?::(\S+))?)?")


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per verse milestone of each USX 2/3 file, notes and headings left out, and Rejects
    (file, line); language and versification from a Paratext Settings.xml or DBL metadata.xml nearby.
    Raises ParseError (not well-formed, declared entities, bad encoding), FormatError (another root),
    LanguageError (files or --lang disagree on the language), OptionError (unknown versification)."""
    langs = Languages(ctx)
    project = project_settings(paths[0].parent)
    for path in paths:  # files from several projects must be in one language
        settings = project if path.parent == paths[0].parent else project_settings(path.parent)
        langs.declare(settings.get("lang"), f"the bundle metadata of {path.name}", path)
    set_scheme(ctx, project.get("versification"))
    for path in paths:
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx)


def _skipped(name: str, el) -> bool:
    return name in SKIP or (name == "char" and base(el.get("style") or "") in SKIP_CHAR)


def _heading(name: str, el) -> bool:
    return name == "para" and base(el.get("style") or "") in SKIP_PARA


def _check_style(name: str, el, path: Path, ctx: ReadContext, seen: set[str]) -> None:
    style = el.get("style")
    if name in ("para", "char", "cell") and style and base(style) not in KNOWN | CELLS and style not in seen:
        seen.add(style)
        ctx.note(f"{path.name}:{el.sourceline}: unknown style `{style}`: its text is kept as verse text")


def _read_one(fh, path: Path, ctx: ReadContext) -> Iterator:
    col = Collector(path)
    skip_book = False
    unknown: set[str] = set()
    for ev, item in stream(fh, path, root=("usx",), note=ctx.note):
        if ev == "text":
            if not skip_book:
                col.text(item)
            continue
        el = item
        name = local(el.tag)
        if name in ("verse", "chapter"):
            if ev == "start" and not skip_book:
                yield from _milestone(col, name, el, path, ctx)
            continue
        if name == "ms" and ev == "start" and el.get("style") == "vid" and not skip_book:
            yield from _vid(col, el.get("ref") or "", el.sourceline or 0, path)
            continue
        if name == "book" and ev == "start":
            done = col.close()
            if done is not None:
                yield done
            code = (el.get("code") or "").strip().upper()
            line = el.sourceline or 0
            skip_book, bad = enter_book(col, ctx, path, code, line, f'<book code="{code}">')
            if bad is not None:
                yield bad
        if ev == "start":
            _check_style(name, el, path, ctx, unknown)
        if _heading(name, el):
            col.enter_heading(el) if ev == "start" else col.leave_heading(el)
        elif _skipped(name, el):
            col.skip += 1 if ev == "start" else -1
        elif name in BLOCK:
            col.space()
    done = col.close()
    if done is not None:
        yield done


def _milestone(col: Collector, name: str, el, path: Path, ctx: ReadContext) -> Iterator:
    line = el.sourceline or 0
    if el.get("eid") is not None:
        done = col.end_verse() if name == "verse" else col.close()
    else:
        done = col.close() if name == "chapter" else None
    if done is not None:
        yield done
    if el.get("eid") is not None:
        return
    given = el.get("number") or ""
    if name == "chapter":
        if col.bad_book is not None:
            return  # its verses are rejected with the book
        try:
            col.set_chapter(chapter_number(given))
        except ValueError as exc:
            col.set_chapter(None, line)
            yield reject(line, f"{exc}; the verses up to the next chapter are rejected with it",
                         f'<chapter number="{given}">', path)
        return
    raw = f'<verse number="{given}">'
    why = _sid(col, el.get("sid") or "", line, path, ctx)
    try:
        number, end = verse_number(given)
    except ValueError as exc:
        why = why or str(exc)
    if why is not None:
        done = col.start_bad(line, why, raw)
    else:
        done = col.start(number, end, line, raw, verse_parts(given))
    if done is not None:
        yield done


def _sid(col: Collector, sid: str, line: int, path: Path, ctx: ReadContext) -> str | None:
    """Check a verse's sid against where it stands: another chapter is followed (noted), another book is
    the reason the verse is rejected (returned). A sid that is no reference is left alone."""
    found = REF.fullmatch(sid.strip())
    if not found or found.group(2) is None or col.book is None or col.bad_book is not None:
        return None
    if found.group(1) != col.book:
        return f'sid="{sid}" names {found.group(1)}, but the verse stands in {col.book}'
    try:
        chapter = chapter_number(found.group(2))
    except ValueError:
        return None
    if chapter != col.chapter and col.bad_chapter is None:
        where = f"chapter {col.chapter}" if col.chapter is not None else "no chapter"
        ctx.note(f"{path.name}:{line}: the verse's sid {sid} is not in {where}: filed under its sid")
        col.set_chapter(chapter)
    return None


def _vid(col: Collector, ref: str, line: int, path: Path) -> Iterator:
    """`<ms style="vid" ref="MRK 5:1"/>` (USX 3.1): the current reference is MRK 5:1, as if a chapter and a
    verse milestone stood here; a reference of another book, or one that cannot be read, is a Reject and so
    are the verses up to the next chapter."""
    if col.book is None or col.bad_book is not None:
        return
    found = REF.fullmatch(ref.strip())
    why, chapter = None, None
    if found is None:
        why = f'`<ms style="vid" ref="{ref}">` is not a reference like `MRK 5:1`'
    elif found.group(1) != col.book:
        why = f"the vid milestone names {found.group(1)}, but the book is {col.book}"
    elif found.group(2) is not None:
        try:
            chapter = chapter_number(found.group(2))
        except ValueError as exc:
            why = str(exc)
    if why is None and chapter is None:
        return  # names the book only
    done = col.close()
    if done is not None:
        yield done
    if why is not None:
        col.set_chapter(None, line)
        yield reject(line, f"{why}; the verses up to the next chapter are rejected with it",
                     f'<ms style="vid" ref="{ref}"/>', path)
        return
    col.set_chapter(chapter)
    if found.group(3):  # type: ignore[union-attr]
        try:
            number, end = verse_number(found.group(3))  # type: ignore[union-attr]
        except ValueError as exc:
            done = col.start_bad(line, str(exc), f'<ms style="vid" ref="{ref}"/>')
        else:
            done = col.start(number, end, line, f'<ms style="vid" ref="{ref}"/>', verse_parts(found.group(3)))
        if done is not None:
            yield done


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is USX: 0.95 with `<usx` in it."""
    head = utf8_head(head)
    return 0.95 if b"<usx" in head else 0.0
