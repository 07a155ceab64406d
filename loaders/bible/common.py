"""What every Bible reader shares: book-code tables per format, reference and number parsing (ASCII digits
only), verse building (no-break spaces kept), the peripheral-book rule, and the check of the languages the
files of one import declare (Languages)."""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

from lexres.books import is_book, is_peripheral
from lexres.errors import LanguageError, LexresError, OptionError
from lexres.formats import ReadContext
from lexres.langs import Lang, resolve
from lexres.loaders.fastrec import fast_constructor
from lexres.records import Reject, Verse
from lexres.versification import SCHEMES, implausible

COLUMNS = {"osis": 1, "ces": 2, "zefania": 3}
REF = re.compile(r"^\s*([1-4A-Z][A-Z0-9]{2})\s+([0-9]+):([0-9]+)(?:-([0-9]+))?\s*$")


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
    book, chapter, number = m.group(1), int(m.group(2)), int(m.group(3))
    end = end if end != number else None
    why = implausible(book, chapter, number, end)
    if why:
        raise OptionError(f"`{text.strip()}` is not a verse reference: {why}")
    return book, chapter, number, end


# runs of whitespace other than the no-break spaces (U+00A0, U+2007, U+202F), which a translation sets on
# purpose (USFM `~`, French spacing before `;:!?`) and are kept
FOLD = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def clean_text(text: str) -> str:
    """Verse text as stored: NFC, whitespace runs folded to one space, ends trimmed, like
    lexres.text.normalize except that no-break spaces inside the text are kept. Fast on the common case of
    NFC text whose only stray whitespace is at its ends: a whole Bible goes through here."""
    folded = text.strip()
    if not (folded.isascii() and folded.isprintable()) or "  " in folded:
        folded = FOLD.sub(" ", folded)
        if not unicodedata.is_normalized("NFC", folded):
            folded = unicodedata.normalize("NFC", folded)
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


# direction marks and other invisible format characters an RTL text may set around a number
FORMAT_CHARS = re.compile("[\u200b-\u200f\u061c\u2066-\u2069\ufeff]")
VERSE_NUMBER = re.compile(r"\s*([0-9]+)[a-z]?(?:\s*[-\u2013,]\s*([0-9]+)[a-z]?)?\s*")


def verse_number(text: str) -> tuple[int, int | None]:
    """`3` -> (3, None); `2-3` -> (2, 3); `4a` -> (4, None) (a verse part stays under its verse).

    Only ASCII digits are numbers (`²`, `٣` are not), and nothing but direction marks may follow the number.
    Raises ValueError naming the text."""
    m = VERSE_NUMBER.fullmatch(FORMAT_CHARS.sub("", text))
    if not m:
        raise ValueError(f"verse number `{text}` is not a number")
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else None
    return start, end if end and end > start else None


PARTS = re.compile(r"\s*[0-9]+([a-z]?)(?:\s*[-\u2013,]\s*[0-9]+([a-z]?))?\s*")


def verse_parts(text: str) -> tuple[str, str]:
    """The verse-part letters of a verse number: `2-6a` -> ("", "a"), `6b-11` -> ("b", ""), `4a` -> ("a",
    "a"), `3` -> ("", ""). A unit whose first number has a part letter continues the unit before it when
    that one ended in a part of the same verse (see lexres.loaders.bible.markers); `continues` decides."""
    m = PARTS.fullmatch(FORMAT_CHARS.sub("", text))
    if not m:
        return "", ""
    first = m.group(1)
    return first, (m.group(2) if m.group(2) is not None else first)


def continues(last: int, last_part: str, number: int, first_part: str) -> bool:
    """True when a verse unit starting at `number` (part `first_part`) continues the unit before it, which
    ended at verse `last` in part `last_part`: `\\v 2-6a … \\v 6b-11` or `\\v 4a … \\v 4b` (one verse split
    between two units is filed as one unit covering both)."""
    return bool(last_part and first_part) and last == number and first_part > last_part


def chapter_number(text: str) -> int:
    """A chapter number: ASCII digits only (`\\c ²` is not chapter 2).

    Raises ValueError naming the text."""
    value = FORMAT_CHARS.sub("", text).strip()
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"chapter number `{text}` is not a number")
    return int(value)


def set_scheme(ctx: ReadContext, declared: str | None = None) -> None:
    """Record the translation's versification: --versification wins, then what the file says, then eng."""
    given = ctx.option("versification")
    scheme = (given or declared or "eng").lower()
    if scheme not in SCHEMES:
        raise OptionError(f"unknown versification `{scheme}`", hint=f"one of: {', '.join(SCHEMES)}")
    ctx.scheme = scheme
    if not given and not declared:
        ctx.note("versification not stated: assumed eng (pass -o versification=... to change)")


def same_language(a: Lang, b: Lang) -> bool:
    """True when `a` and `b` name one language: the same code, or a macrolanguage and one of its members."""
    return a.code == b.code or a.code in b.family or b.code in a.family


class Languages:
    """The languages the files of one import declare (a file's header, its project or corpus metadata).

    Several files form one resource only when they are parts of one text: a file declaring another
    language than an earlier one, or than --lang, is a LanguageError unless `ctx.force_lang` (--force-lang)
    says the user's --lang wins. Without --lang the first declared language is taken. `und`, `mul`, `zxx`
    declare nothing; a code that is not ISO 639 is noted and ignored."""

    def __init__(self, ctx: ReadContext):
        self.ctx = ctx
        self.given = ctx.lang  # --lang, or None
        self.first: tuple[Lang, str] | None = None

    @staticmethod
    def agree(a: str, b: str) -> bool:
        """True when codes `a` and `b` name one language (`baq` and `eus`, `sw` and `swh`); codes that do not
        resolve agree only when equal."""
        try:
            return same_language(resolve(a.strip()), resolve(b.strip()))
        except LexresError:
            return a.strip().lower() == b.strip().lower()

    def declare(self, code: str | None, where: str, path: Path, line: int | None = None) -> None:
        """Check the language `code` that `where` (e.g. "the osisText of x.xml") declares, and take it when
        no language is set yet. Raises LanguageError (see the class)."""
        if not code or not code.strip():
            return
        ctx = self.ctx
        try:
            lang = resolve(code.strip())
        except LexresError:
            ctx.note(f"{where} names the language `{code.strip()}`, which is not an ISO 639 code: ignored")
            return
        if lang.scope == "special":  # und, mul, zxx say nothing about the language
            return
        at = f"{path}:{line}" if line else str(path)
        if self.first is not None and not same_language(self.first[0], lang):
            if not ctx.force_lang:
                raise LanguageError(
                    f"{at}: {where} declares {lang.code}, but {self.first[1]} declares {self.first[0].code}; "
                    "files of one import must be parts of one text",
                    hint="import each language separately (--force-lang with --lang keeps them together)")
            ctx.note(f"{where} declares {lang.code}, {self.first[1]} {self.first[0].code}: kept together "
                     "(--force-lang)")
        if self.given is not None:
            if not same_language(self.given, lang):
                if not ctx.force_lang:
                    raise LanguageError(f"{at}: --lang {self.given.tag} contradicts {where}, which declares "
                                        f"{lang.code} ({lang.name})",
                                        hint="check --lang, or pass --force-lang to keep it")
                ctx.note(f"{where} declares {lang.code}; --lang {self.given.tag} kept (--force-lang)")
        elif ctx.lang is None:
            ctx.lang = lang
            ctx.note(f"language {lang.code} taken from {where}")
        if self.first is None:
            self.first = (lang, where)


def book_kind(code: str) -> str:
    """`book` for a USFM Bible book code, `peripheral` for front/back matter and other non-Bible books (GLO,
    FRT, XXA ...: every reader skips them with a note), else `unknown` (a located error)."""
    if is_book(code):
        return "book"
    return "peripheral" if is_peripheral(code) else "unknown"


def skip_peripheral(ctx: ReadContext, path: Path, code: str) -> None:
    """Note that a peripheral book is skipped: the same words from every reader."""
    ctx.note(f"{path.name}: book `{code}` is peripheral matter, not Bible text: skipped")


def enter_book(col, ctx: ReadContext, path: Path, code: str, line: int,
               raw: str) -> tuple[bool, Reject | None]:
    """Start book `code` in a verse collector (USX, USFX): a Bible book is collected; a peripheral one is
    skipped with the shared note; an unknown code is a reject, and so are the verses under it. Returns
    (skip the book's content, the reject to yield or None)."""
    kind = book_kind(code)
    if kind == "book":
        col.set_book(code)
        return False, None
    if kind == "peripheral":
        col.set_book(None)
        skip_peripheral(ctx, path, code)
        return True, None
    col.set_book(None, (line, code))
    return False, reject(line, f"book code `{code}` is no USFM book code; the verses of this book are "
                         "rejected with it", raw, path)


def reject(line: int, reason: str, raw: str, path: Path) -> Reject:
    """A Reject of `path` at 1-based `line`, its raw text cut to 200 characters."""
    return Reject(line, reason, raw[:200], str(path))
