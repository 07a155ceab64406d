"""CES XML of the christos-c 100-language Bible corpus: `<seg type="verse" id="b.MAR.1.1">`, its own book
codes (MAR, JOH, PHI, JAM, 1JO ...) mapped to USFM through loaders/data/bible_books.tsv.

Chapter and verse numbers are ASCII digits (the store refuses implausible ones, and a seg id given twice);
an unknown book code is a Reject per seg, a peripheral one (GLO ...) is skipped with a note. The language
is the corpus metadata.csv row's when there is one (the header is sometimes wrong: Swahili-NT.xml says
`ssw`), else the header's `<language iso639>`; files of one import must agree (see common.Languages).
Entity references of an external DTD are read as lexres.loaders.bible.xml.Entities says, with a note."""
from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext
from lexres.loaders.bible.common import (
    Languages,
    book_kind,
    clean_text,
    make_verse,
    reject,
    set_scheme,
    skip_peripheral,
    usfm_code,
)
from lexres.loaders.bible.lines import utf8_head
from lexres.loaders.bible.xml import Entities, element_text, iterparse


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per `<seg type="verse">` of each CES file of the christos-c Bible corpus, and Rejects
    (file, line); the language is the corpus metadata.csv row's, else the header's.
    Raises ParseError (not well-formed, declared entities, bad encoding), FormatError (another root),
    LanguageError (files or --lang disagree on the language), OptionError (unknown versification)."""
    set_scheme(ctx)
    langs = Languages(ctx)
    for path in paths:
        corpus = _corpus_lang(path)
        langs.declare(corpus, f"the corpus metadata.csv row of {path.name}", path)
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx, langs, corpus)


# chapter and verse numbers as text -> int: a dict hit is cheaper than int() on every verse
NUMBERS = {str(i): i for i in range(1, 200)}


def _number(text: str) -> int | None:
    """Chapter or verse number of an id part (the uncommon ones: not in NUMBERS), or None: ASCII digits
    only (`²` and other scripts' digits are not numbers here)."""
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def _read_one(fh, path: Path, ctx: ReadContext, langs: Languages, corpus: str | None) -> Iterator:
    # One pass over a whole Bible: the per-verse work is kept to attribute reads and string slicing.
    codes: dict[str, str | None] = {}
    where = str(path)
    make = make_verse
    numbers = NUMBERS
    pending = 0
    entities = Entities(path, ctx.note)
    for _, el in iterparse(fh, path, events=("end",), root=("cesDoc",), note=ctx.note):
        tag = el.tag
        if tag == "seg":
            ident = el.get("id") or ""
            bits = ident.split(".")
            if len(bits) == 4 and bits[0] == "b":
                chapter = numbers.get(bits[2]) or _number(bits[2])
                number = numbers.get(bits[3]) or _number(bits[3])
            else:
                chapter = number = None
            if chapter is not None and number is not None:
                book = codes.get(bits[1], False)
                if book is False:
                    book = codes[bits[1]] = usfm_code("ces", bits[1])
                if book is not None:
                    text = (element_text(el, entities=entities) if len(el) else (el.text or "")).strip()
                    if not (text.isascii() and text.isprintable()) or "  " in text:  # clean_text's own test
                        text = clean_text(text)
                    # an empty seg marks a verse this translation does not have: nothing is stored for it
                    if text:
                        yield make(book, chapter, number, text, None, el.sourceline or 0, where)
                elif book_kind(bits[1].upper()) == "peripheral":
                    skip_peripheral(ctx, path, bits[1].upper())
                else:
                    yield reject(el.sourceline or 0, f"unknown CES book code `{bits[1]}`", ident, path)
            else:
                yield reject(el.sourceline or 0, f"seg id `{ident}` is not b.BOOK.CHAPTER.VERSE", ident, path)
            # the seg stays in its chapter until the chapter ends and is cleared as a whole; segs that are
            # not in chapter divs are pruned as they come, every so often
            pending += 1
            if pending >= 256:
                pending = 0
                _prune(el)
        elif tag == "language":
            _header_lang(ctx, langs, el, path, corpus)
        elif tag == "div" or tag == "cesHeader":
            pending = 0
            _prune(el)
        # markup inside a seg stays until the seg itself is read


def _header_lang(ctx: ReadContext, langs: Languages, el, path: Path, corpus: str | None) -> None:
    """The header's `<language iso639>`: checked like any declared language, unless the corpus metadata
    named this file's language (then a disagreeing header is only noted)."""
    code = (el.get("iso639") or "").strip()
    where = f"the <language> header of {path.name}"
    if corpus is None:
        langs.declare(code, where, path, el.sourceline)
    elif code and not langs.agree(code, corpus):
        ctx.note(f"{where} says `{code}`; the corpus metadata.csv says `{corpus}`, which is kept")


def _prune(el) -> None:
    """Empty `el` and drop its earlier siblings (read already), so the tree does not grow."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _corpus_lang(path: Path) -> str | None:
    """The ISO code the corpus' metadata.csv (beside `bibles/`) gives this file; preferred over the header,
    which is sometimes wrong (Swahili-NT.xml says `ssw`)."""
    for folder in (path.parent, path.parent.parent):
        meta = folder / "metadata.csv"
        if meta.is_file():
            with open(meta, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row.get("Filename") == path.name:
                        return row.get("ISO_639-3") or None
    return None


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is CES XML: 0.95 with `<cesDoc` and `<seg` in it, 0.5 for `<cesDoc` alone."""
    head = utf8_head(head)
    if b"<cesDoc" in head and b"<seg" in head:
        return 0.95
    return 0.5 if b"<cesDoc" in head else 0.0
