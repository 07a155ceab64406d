"""What every Bible reader shares: book-code tables per format, reference parsing, verse building."""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

from lexres.books import is_book
from lexres.errors import LexresError, OptionError
from lexres.formats import ReadContext
from lexres.langs import resolve
from lexres.records import Reject, Verse
from lexres.text import normalize

from lexres.loaders.fastrec import fast_constructor

COLUMNS = {"osis": 1, "ces": 2, "zefania": 3}
REF = re.compile(r"^\s*([1-4A-Z][A-Z0-9]{2})\s+(\d+):(\d+)(?:-(\d+))?\s*$")
SCHEMES = ("eng", "org", "lxx", "vul", "rsc", "rso")


@cache
def book_table(fmt: str) -> dict[str, str]:
    """A format's own book code (OSIS name, CES code, Zefania number as text) -> USFM code."""
    col = COLUMNS[fmt]
    out: dict[str, str] = {}
    text = files("lexres.loaders").joinpath("data/bible_books.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            cells = row.split("\t")
            if cells[col]:
                out[cells[col]] = cells[0]
    return out


def usfm_code(fmt: str, code: str) -> str | None:
    """USFM code for a format's book code; a code that already is USFM is accepted as such."""
    found = book_table(fmt).get(code)
    if found is None and is_book(code.upper()):
        return code.upper()
    return found


def parse_ref(text: str) -> tuple[str, int, int, int | None]:
    """`MRK 1:2` or `MRK 1:2-3` -> (book, chapter, verse, verse_end or None)."""
    m = REF.match(text)
    if not m or not is_book(m.group(1)):
        raise OptionError(f"`{text.strip()}` is not a verse reference like `MRK 1:1`")
    end = int(m.group(4)) if m.group(4) else None
    return m.group(1), int(m.group(2)), int(m.group(3)), end if end != int(m.group(3)) else None


def clean_text(text: str) -> str:
    """Same result as lexres.text.normalize (NFC, whitespace folded, trimmed), faster on the common case
    of NFC text whose only stray whitespace is at its ends: a whole Bible goes through here."""
    folded = text.strip()
    if not (folded.isascii() and folded.isprintable()) or "  " in folded:
        folded = " ".join(folded.split())
        if not unicodedata.is_normalized("NFC", folded):
            folded = normalize(folded)
    return folded


# Verse(book, chapter, verse, text, verse_end, line, path), built cheaply: a whole Bible goes through it
make_verse = fast_constructor(Verse)


def verse(book: str, chapter: int, number: int, text: str, *, end: int | None = None, line: int = 0,
          path: Path | None = None) -> Verse | None:
    """A Verse with normalized text, or None when the text is empty (a missing verse is not stored)."""
    clean = clean_text(text)
    if not clean:
        return None
    return make_verse(book, chapter, number, clean, end if end and end != number else None, line,
                      str(path) if path else None)


def verse_number(text: str) -> tuple[int, int | None]:
    """`3` -> (3, None); `2-3` -> (2, 3); `4a` -> (4, None) (a verse part stays under its verse)."""
    m = re.match(r"^\s*(\d+)[a-z]?(?:\s*[-\u2013,]\s*(\d+)[a-z]?)?", text)
    if not m:
        raise ValueError(f"`{text}` is not a verse number")
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else None
    return start, end if end and end > start else None


def set_scheme(ctx: ReadContext, declared: str | None = None) -> None:
    """Record the translation's versification: --versification wins, then what the file says, then eng."""
    given = ctx.option("versification")
    scheme = (given or declared or "eng").lower()
    if scheme not in SCHEMES:
        raise OptionError(f"unknown versification `{scheme}`", hint=f"one of: {', '.join(SCHEMES)}")
    ctx.scheme = scheme
    if not given and not declared:
        ctx.note("versification not stated: assumed eng (pass --versification to change)")


def set_lang(ctx: ReadContext, code: str | None, where: str) -> None:
    """Take the language a file (or its corpus metadata, `where`) states when --lang was not given."""
    if ctx.lang is not None or not code:
        return
    try:
        lang = resolve(code)
    except LexresError:
        return
    if lang.scope == "special":  # und, mul, zxx say nothing about the language
        return
    ctx.lang = lang
    ctx.note(f"language {ctx.lang.code} taken from {where}")


def reject(line: int, reason: str, raw: str, path: Path) -> Reject:
    return Reject(line, reason, raw[:200], str(path))
