"""Collects verse text from a document-order event stream, for the XML formats whose verses are marked by
milestones (USX, USFX, OSIS sID/eID) or containers (OSIS, Zefania): a verse starts, text accrues while no
skipped element (note, heading ...) is open, and the verse ends at its end mark or at the next verse.

A verse that cannot be filed under a reference (a bad verse number, a verse under a bad chapter number or
of a book that is no book, a verse outside any chapter) still collects its text, and comes out as a Reject
holding that text: it is never glued onto the verse before it. A verse part that continues the verse
before it (`2-6a` then `6b-11`) makes one unit with it (lexres.loaders.bible.markers), even across the
first unit's end mark."""
from __future__ import annotations

from pathlib import Path

from lexres.loaders.bible.common import continues, reject, verse
from lexres.records import Reject, Verse


class Collector:
    """One open verse at a time; `skip` counts open elements whose text is not verse text.

    `bad_book` ((line, code) of a book element whose code is no book) and `bad_chapter` (line of a chapter
    element with a bad number) make the verses they govern Rejects."""

    def __init__(self, path: Path):
        self.path = path
        self.book: str | None = None
        self.chapter: int | None = None
        self.bad_book: tuple[int, str] | None = None
        self.bad_chapter: int | None = None
        self.open: tuple[str | None, int | None, int, int | None, int] | None = None  # book, ch, v, end, line
        self.bad: tuple[int, str] | None = None  # (line, reason) when the open verse is rejected
        self.head = ""  # the open verse's marker, for a reject's raw text
        self.parts: list[str] = []
        self.skip = 0
        self.heading = None  # the open heading-like paragraph (its text is skipped until a verse starts)
        self.part = ""  # the part letter the open verse ends in (`2-6a`: "a")
        self.paused = False  # the open verse's end mark was read; only a verse part may continue it

    def enter_heading(self, el) -> None:
        """A heading, title or label paragraph starts (USFM `\\s`, `\\d`, `\\qa` …): its text is not verse
        text, unless a verse starts inside it (`\\d \\v 1 …`, see lexres.loaders.bible.markers)."""
        self.skip += 1
        self.heading = el

    def leave_heading(self, el) -> None:
        """Element `el` ends: if it is the open heading, its text is skipped no longer (already so when a
        verse started inside it)."""
        if self.heading is el:
            self.skip -= 1
            self.heading = None

    def _verse_in_heading(self) -> None:
        if self.heading is not None:
            self.skip -= 1
            self.heading = None

    def set_book(self, book: str | None, bad: tuple[int, str] | None = None) -> None:
        """A new book (None with `bad` for a book element that names no book); its chapter is not known
        yet."""
        self.book, self.bad_book, self.chapter, self.bad_chapter = book, bad, None, None

    def set_chapter(self, chapter: int | None, bad_line: int | None = None) -> None:
        """A new chapter; `bad_line` is the line of a chapter element whose number could not be read
        (`chapter` None), which makes the verses under it Rejects."""
        self.chapter, self.bad_chapter = chapter, bad_line

    def start(self, number: int, end: int | None, line: int, raw: str = "",
              parts: tuple[str, str] = ("", "")) -> Verse | Reject | None:
        """Open a verse of the current book and chapter; closes the one before (returned), unless this one,
        a verse part (`parts`: common.verse_parts of its number), continues it: then the open verse covers
        both."""
        held = self.open
        if (held is not None and self.bad is None and held[:2] == (self.book, self.chapter)
                and continues(held[3] or held[2], self.part, number, parts[0])):
            self.open = (*held[:3], end or number, held[4])
            self.part, self.paused = parts[1], False
            self.parts.append(" ")
            self._verse_in_heading()
            return None
        done = self.close()
        self._verse_in_heading()
        self.open, self.head = (self.book, self.chapter, number, end, line), raw
        self.part = parts[1]
        if self.bad_book is not None:
            code, at = self.bad_book[1], self.bad_book[0]
            self.bad = (line, f"verse of the book `{code}` (line {at}), which is no Bible book code")
        elif self.book is None or self.chapter is None:
            self.bad = (line, f"verse under the bad chapter number at line {self.bad_chapter}"
                        if self.bad_chapter is not None else "verse outside any book or chapter")
        return done

    def start_bad(self, line: int, reason: str, raw: str = "") -> Verse | Reject | None:
        """Open a verse that is rejected with its text (e.g. its number is not a number); closes the one
        before (returned)."""
        done = self.close()
        self._verse_in_heading()
        self.open, self.head, self.bad = (self.book, self.chapter, 0, None, line), raw, (line, reason)
        return done

    def start_at(self, book: str, chapter: int, number: int, end: int | None,
                 line: int) -> Verse | Reject | None:
        """Open a verse whose reference is given in full (OSIS osisID)."""
        done = self.close()
        self._verse_in_heading()
        self.book, self.chapter = book, chapter
        self.open, self.head = (book, chapter, number, end, line), ""
        return done

    def text(self, piece: str) -> None:
        """Add a piece of text to the open verse, unless no verse is open or a skipped element is."""
        if self.open is not None and self.skip == 0 and not self.paused:
            self.parts.append(piece)

    def space(self) -> None:
        """Add a space to the open verse (a break in its text); unlike `text`, also while a skipped element
        is open."""
        if self.open is not None and not self.paused:
            self.parts.append(" ")

    def end_verse(self) -> Verse | Reject | None:
        """A verse's end mark (USX `<verse eid>`, USFX `<ve/>`): the open verse is closed (returned), unless
        it ends in a verse part (`2-6a`), which the next verse may continue: then its text stops here and
        it is closed by whatever comes next."""
        if self.open is not None and self.part and self.bad is None:
            self.paused = True
            return None
        return self.close()

    def close(self) -> Verse | Reject | None:
        """End the open verse: its Verse, a Reject holding its text when it cannot be filed under a
        reference, or None when no verse is open."""
        if self.open is None:
            return None
        book, chapter, number, end, line = self.open
        text = "".join(self.parts)
        self.open, self.parts, self.part, self.paused = None, [], "", False
        if self.bad is not None:
            at, reason = self.bad
            self.bad = None
            return reject(at, reason, f"{self.head} {' '.join(text.split())}".strip(), self.path)
        return verse(book, chapter, number, text, end=end, line=line, path=self.path)  # type: ignore[arg-type]
