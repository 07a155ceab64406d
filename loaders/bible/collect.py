"""Collects verse text from a document-order event stream, for the XML formats whose verses are marked by
milestones (USX, USFX, OSIS sID/eID) or containers (OSIS, Zefania): a verse starts, text accrues while no
skipped element (note, heading ...) is open, and the verse ends at its end mark or at the next verse."""
from __future__ import annotations

from pathlib import Path

from lexres.records import Reject, Verse

from lexres.loaders.bible.common import reject, verse


class Collector:
    """One open verse at a time; `skip` counts open elements whose text is not verse text."""

    def __init__(self, path: Path):
        self.path = path
        self.book: str | None = None
        self.chapter: int | None = None
        self.open: tuple[str, int, int, int | None, int] | None = None  # book, chapter, verse, end, line
        self.parts: list[str] = []
        self.skip = 0

    def start(self, number: int, end: int | None, line: int, raw: str = "") -> Verse | Reject | None:
        """Open a verse of the current book and chapter; closes the one before (returned)."""
        done = self.close()
        if self.book is None or self.chapter is None:
            return reject(line, "verse outside any book or chapter", raw, self.path)
        self.open = (self.book, self.chapter, number, end, line)
        return done

    def start_at(self, book: str, chapter: int, number: int, end: int | None, line: int) -> Verse | None:
        """Open a verse whose reference is given in full (OSIS osisID)."""
        done = self.close()
        self.book, self.chapter = book, chapter
        self.open = (book, chapter, number, end, line)
        return done

    def text(self, piece: str) -> None:
        if self.open is not None and self.skip == 0:
            self.parts.append(piece)

    def space(self) -> None:
        if self.open is not None:
            self.parts.append(" ")

    def close(self) -> Verse | None:
        if self.open is None:
            return None
        book, chapter, number, end, line = self.open
        rec = verse(book, chapter, number, "".join(self.parts), end=end, line=line, path=self.path)
        self.open, self.parts = None, []
        return rec
