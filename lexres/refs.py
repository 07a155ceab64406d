"""Verse references as a user types them: `JHN 3:16`, `jhn 3:16`, `JHN3:16`, the OSIS `John.3.16`,
English names and abbreviations (`John 3:16`, `1 Cor 13:4`, `I Cor 13:4`, `Song of Songs 1:1`), a verse range
within one chapter (`JHN 3:16-18`, `John.3.16-John.3.18`), and, for a book the versification gives one
chapter (OBA, PHM, 2JN, 3JN, JUD in eng), the verse alone (`Jude 3`, `3 Jn 1`, `OBA 5`: chapter 1), as
usual for these books; each checked against the verse counts of the versification it is numbered in.

For command-line and API input only: Bible readers keep their strict per-format parsing
(lexres.loaders.bible.common.parse_ref), so a file never gets an English book name accepted silently.
The names live in lexres/data/book_names.tsv (USFM 3 book identifiers, OSIS 2.1.1 osisIDs, English names)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from lexres.books import books
from lexres.errors import LexresError, OptionError
from lexres.records import Result
from lexres.versification import SCHEMES, out_of_scheme, verse_counts, widest_counts

# BOOK, then a space, a dot (OSIS) or nothing (after a letter: `JHN3:16`), CHAPTER, `:` or `.`, VERSE, and an
# optional range end after `-` or an en dash. Numbers are ASCII digits only.
REF = re.compile(r"^(?P<book>.+?)(?P<sep>\s+|\s*\.\s*|(?<=[A-Za-z]))(?P<ch>[0-9]+)\s*[:.]\s*(?P<v>[0-9]+)"
                 r"(?:\s*[-\u2013]\s*(?P<end>.+?))?$")
# BOOK and a VERSE without its chapter (`Jude 3`, `3 Jn 1-4`, `Jude.3`): only for a book of one chapter
NO_CHAPTER = re.compile(r"^(?P<book>.+?)(?:\s+|\s*\.\s*)(?P<v>[0-9]+)(?:\s*[-\u2013]\s*(?P<end>.+?))?$")
END_VERSE = re.compile(r"^[0-9]+$")
END_CHAPTER_VERSE = re.compile(r"^(?P<ch>[0-9]+)\s*[:.]\s*(?P<v>[0-9]+)$")
# a numbered book's number written as a Roman numeral or an ordinal (`II Kings`, `First John`)
ORDINAL = re.compile(r"^(iv|i{1,3}|first|second|third|fourth|1st|2nd|3rd|4th)(?:\s+|\.\s*)(?=[a-z])")
ORDINALS = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "first": "1", "second": "2", "third": "3",
            "fourth": "4", "1st": "1", "2nd": "2", "3rd": "3", "4th": "4"}
IGNORED = re.compile(r"[\s.()]+")
# a run of over 100 digits is refused before int() (which refuses over 4,300); a shorter one gets the
# book's own limits in the message (`JHN 99999999999999999999:1`: John has 21 chapters)
LONG_NUMBER = re.compile(r"[0-9]{101,}")
EXAMPLES = "`JHN 3:16`, `John 3:16`, `1 Cor 13:4` or the OSIS `John.3.16`"
SHOWN = 60  # characters of what the user typed that an error message quotes (a longer text is cut with …)


@dataclass(frozen=True, slots=True)
class VerseRef(Result):
    """A verse, or a verse range within one chapter (verse..verse_end), under its USFM book code."""

    book: str
    chapter: int
    verse: int
    verse_end: int | None = None

    @property
    def ref(self) -> str:
        """The reference as lexres prints and stores it: `JHN 3:16`, `JHN 3:16-18` for a range."""
        tail = f"-{self.verse_end}" if self.verse_end is not None else ""
        return f"{self.book} {self.chapter}:{self.verse}{tail}"

    def __str__(self) -> str:
        return self.ref


def name_key(name: str) -> str:
    """The form book names are matched in: case folded, spaces, dots and brackets dropped, and a leading
    I/II/III/IV or First..Fourth before a name read as 1-4 (`I Cor.` -> `1cor`, `Song of Songs` ->
    `songofsongs`)."""
    folded = " ".join(name.casefold().split())
    m = ORDINAL.match(folded)
    if m:
        folded = ORDINALS[m.group(1)] + folded[m.end():]
    return IGNORED.sub("", folded)


@cache
def book_names() -> dict[str, str]:
    """Name key (see `name_key`) -> USFM code, for every USFM code, OSIS id and English name or
    abbreviation of lexres/data/book_names.tsv. Source: USFM 3 book identifiers, OSIS 2.1.1 osisIDs.

    Raises LexresError when the table names a book lexres does not know or gives one name to two books."""
    known = books()
    out: dict[str, str] = {name_key(code): code for code in known}
    table = "lexres/data/book_names.tsv"
    text = files("lexres").joinpath("data/book_names.tsv").read_text(encoding="utf-8")
    for line, row in enumerate(text.splitlines(), 1):
        if not row or row.startswith("#"):
            continue
        code, osis, names = row.split("\t")
        if code not in known:
            raise LexresError(f"{table}:{line}: `{code}` is not a USFM book code")
        for name in filter(None, (osis, *names.split("|"))):
            key = name_key(name)
            if out.setdefault(key, code) != code:
                raise LexresError(f"{table}:{line}: `{name}` names both {out[key]} and {code}")
    return out


def book_code(name: str) -> str:
    """The USFM code of a book named by USFM code (any case), OSIS id or English name/abbreviation
    (`jhn`, `John`, `1 Cor`, `I Corinthians`, `Ps`, `Song of Songs` -> JHN, JHN, 1CO, 1CO, PSA, SNG).

    Raises OptionError for an unknown name, with the closest known names (difflib) as the hint."""
    code = book_names().get(name_key(name))
    if code is None:
        shown = " ".join(name.split())
        shown = shown if len(shown) <= SHOWN else shown[: SHOWN - 1] + "…"
        raise OptionError(f"`{shown}` is not a Bible book lexres knows", hint=_did_you_mean(name))
    return code


def _did_you_mean(name: str) -> str:
    """Up to three books whose names are close to `name` (difflib ratio of the name keys, at least 0.6),
    the closest first; of books equally close, the one with more close names (`Jhon`: John before Jonah)."""
    key, scores = name_key(name), {}
    for other, code in book_names().items():
        match = difflib.SequenceMatcher(None, key, other)
        # the quick upper bounds first (exact: they never reject a ratio >= 0.6), so a long text is cheap
        ratio = match.ratio() if match.real_quick_ratio() >= 0.6 and match.quick_ratio() >= 0.6 else 0.0
        if ratio >= 0.6:
            best, count = scores.get(code, (0.0, 0))
            scores[code] = (max(best, ratio), count + 1)
    seen = sorted(scores, key=lambda code: (-scores[code][0], -scores[code][1], books()[code][0]))[:3]
    if not seen:
        return f"name the book by USFM code, OSIS id or English name: {EXAMPLES}"
    guesses = " or ".join(f"`{books()[code][1]}` ({code})" for code in seen)
    return f"did you mean {guesses}?"


def parse_verse_ref(text: str, scheme: str = "eng") -> VerseRef:
    """A verse reference a user typed, as a VerseRef with its USFM book code (forms: the module docstring),
    checked against the verse counts of `scheme` (lexres.versification.out_of_scheme): `JHN 22:1`,
    `JHN 3:99` and `JUD 2:1` are not verses of eng. A range must end in the chapter it starts in; a range
    ending on its first verse is that verse. A book `scheme` gives one chapter may leave it out (`Jude 3` is
    JUD 1:3); another may not (`John 3` is no verse).

    Raises OptionError (one line, with a hint) for text that is not a reference, an unknown book (with a
    did-you-mean), chapter or verse 0, a number of over 100 digits, a chapter or verse the book does not
    have in `scheme`, and an unknown scheme."""
    typed = " ".join(text.split())
    shown = typed if len(typed) <= SHOWN else typed[: SHOWN - 1] + "…"  # how messages quote it
    scheme = (scheme or "eng").lower()
    if scheme not in SCHEMES:
        raise OptionError(f"unknown versification `{scheme}`", hint=f"one of: {', '.join(SCHEMES)}")
    long = LONG_NUMBER.search(typed)
    if long:
        number = long.group(0)
        number = number if len(number) <= 12 else number[:11] + "…"
        raise OptionError(f"`{shown}` is not a verse: {number} is far larger than any chapter or verse "
                          "number", hint=f"write BOOK CHAPTER:VERSE, e.g. {EXAMPLES}")
    book, chapter, verse, end = _split(typed, shown, scheme)
    if end is not None:
        end = _range_end(shown, end, book, chapter, scheme)
        if end == verse:
            end = None
    first = min(verse, verse if end is None else end)
    zeros = [what for what, n in (("chapter", chapter), ("verse", first)) if n == 0]
    if zeros:  # not "John has 21 chapters": 0 is no chapter (verse) of any book
        raise OptionError(f"`{shown}` is not a verse: there is no {' and no '.join(z + ' 0' for z in zeros)} "
                          f"({' and '.join(z + 's' for z in zeros)} are numbered from 1)",
                          hint=f"write BOOK CHAPTER:VERSE with numbers from 1, e.g. {EXAMPLES}")
    why = out_of_scheme(scheme, book, chapter, verse, end)
    if why:
        others = ", ".join(s for s in SCHEMES if s != scheme)
        raise OptionError(f"`{shown}` is not a verse: {why}",
                          hint=f"check the numbers, or name the versification it is numbered in ({others})")
    return VerseRef(book, chapter, verse, end)


def _split(text: str, shown: str, scheme: str) -> tuple[str, int, int, str | None]:
    """(USFM code, chapter, verse, range end text or None) of one reference `text` (all of `shown`, or the
    end of its range); see parse_verse_ref."""
    m = REF.match(text)
    if not m:
        return _split_no_chapter(text, shown, scheme)
    name, digits, verse = m.group("book"), m.group("ch"), int(m.group("v"))
    code = book_code(name)
    if not m.group("sep"):  # `PS21:1` reads as Psalm 21:1 and as Psalm 151 (PS2) 1:1: refuse to guess
        table = book_names()
        for i in range(1, len(digits)):
            other = table.get(name_key(name + digits[:i]))
            if other and out_of_scheme(scheme, other, int(digits[i:]), verse) is None:
                raise OptionError(f"`{shown}` is ambiguous: {code} {int(digits)}:{verse} or "
                                  f"{other} {int(digits[i:])}:{verse}",
                                  hint="put a space between the book and the chapter")
    return code, int(digits), verse, m.group("end")


def chapters(book: str, scheme: str) -> int:
    """How many chapters `scheme` gives `book` (for a book it does not number, the widest numbering of any
    shipped scheme; 0 for a book none numbers)."""
    counts = verse_counts(scheme).get(book) or widest_counts().get(book) or ()
    return len(counts)


def _split_no_chapter(text: str, shown: str, scheme: str) -> tuple[str, int, int, str | None]:
    """A reference without its chapter (`Jude 3`, `OBA 5`, `3 Jn 1-4`), as `_split` returns it, chapter 1:
    accepted only for a book `scheme` gives one chapter (`John 3` names no verse).

    Raises OptionError for anything else."""
    m = NO_CHAPTER.match(text)
    if not m:
        raise OptionError(f"`{shown}` is not a verse reference",
                          hint=f"write BOOK CHAPTER:VERSE, e.g. {EXAMPLES}")
    code = book_code(m.group("book"))  # an unknown book gets its did-you-mean
    many = chapters(code, scheme)
    if many != 1:
        raise OptionError(f"`{shown}` is not a verse reference: {books()[code][1]} ({code}) has {many} "
                          "chapters, so name the chapter and the verse",
                          hint=f"write BOOK CHAPTER:VERSE, e.g. {EXAMPLES}; only a one-chapter book may "
                          "leave the chapter out (`Jude 3`)")
    return code, 1, int(m.group("v")), m.group("end")


def _range_end(shown: str, end: str, book: str, chapter: int, scheme: str) -> int:
    """The last verse of a range whose end is `18`, `3:18` or a whole reference (`John.3.18`)."""
    if END_VERSE.match(end):
        return int(end)
    m = END_CHAPTER_VERSE.match(end)
    if m:
        end_book, end_chapter, last = book, int(m.group("ch")), int(m.group("v"))
    else:
        end_book, end_chapter, last, more = _split(end, shown, scheme)
        if more is not None:
            raise OptionError(f"`{shown}` is not a verse reference: it has two ranges",
                              hint=f"write one verse or one range, e.g. {EXAMPLES}")
    if (end_book, end_chapter) != (book, chapter):
        raise OptionError(f"`{shown}`: a verse range must end in the chapter it starts in ({book} {chapter})",
                          hint="name one verse or a range inside one chapter, e.g. `JHN 3:16-18`")
    return last
