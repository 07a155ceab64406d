"""USFM book codes in canonical order, and the sortable verse key the store indexes."""

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


def is_book(code: str) -> bool:
    return code in books()


def sort_key(book: str, chapter: int, verse: int) -> int:
    """Integer that sorts verses canonically: BBCCCVVV (book position, chapter, verse)."""
    try:
        pos = books()[book][0]
    except KeyError:
        raise LexresError(f"`{book}` is not a USFM book code") from None
    return pos * 1_000_000 + chapter * 1_000 + verse
