"""USFM book codes in canonical order, the peripheral (non-Bible) book codes, and the sortable verse key the
store indexes."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from lexres.errors import LexresError


@lru_cache(maxsize=1)
def books() -> dict[str, tuple[int, str, str]]:
    """USFM code -> (1-based canonical position, English name, testament OT/NT/DC)."""
    out: dict[str, tuple[int, str, str]] = {}
    text = files("lexres").joinpath("data/usfm_books.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row and not row.startswith("#"):
            code, name, testament = row.split("\t")
            out[code] = (len(out) + 1, name, testament)
    return out


# USFM 3 identifiers of books that hold no Bible text (front/back matter, introductions, concordance,
# glossary, indexes, other matter, the extra-matter books XXA-XXG): every Bible reader skips them with a note.
PERIPHERAL = frozenset({"FRT", "BAK", "OTH", "INT", "CNC", "GLO", "TDX", "NDX",
                        "XXA", "XXB", "XXC", "XXD", "XXE", "XXF", "XXG"})
# sort_key has three decimal places for the chapter and three for the verse
KEY_LIMIT = 1_000


def is_book(code: str) -> bool:
    """Whether `code` is a USFM book code of the catalogue (e.g. `GEN`, `JHN`, `1MA`)."""
    return code in books()


def is_peripheral(code: str) -> bool:
    """True for a USFM peripheral book identifier (GLO, FRT, XXA ...); Tobit (TOB) is a Bible book."""
    return code in PERIPHERAL


def sort_key(book: str, chapter: int, verse: int) -> int:
    """Integer that sorts verses canonically: BBCCCVVV (book position, chapter, verse).

    Raises LexresError for an unknown book, or a chapter or verse outside 0..999, which would collide with
    the key of another verse (MRK 1:1001 would sort as MRK 2:1)."""
    try:
        pos = books()[book][0]
    except KeyError:
        raise LexresError(f"`{book}` is not a USFM book code") from None
    if not (0 <= chapter < KEY_LIMIT and 0 <= verse < KEY_LIMIT):
        raise LexresError(f"{book} {chapter}:{verse}: chapter and verse must be 0-999 to have a sort key")
    return pos * 1_000_000 + chapter * 1_000 + verse
