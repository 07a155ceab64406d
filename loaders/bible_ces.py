"""CES XML of the christos-c 100-language Bible corpus: `<seg type="verse" id="b.MAR.1.1">`, its own book
codes (MAR, JOH, PHI, JAM, 1JO ...) mapped to USFM through loaders/data/bible_books.tsv."""
from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.importer import ReadContext
from lexres.records import Verse
from lexres.registry import Reader, register

from .bible_common import clean_text, reject, set_lang, set_scheme, usfm_code
from .bible_xml import element_text, iterparse


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    set_scheme(ctx)
    for path in paths:
        set_lang(ctx, _corpus_lang(path), f"the corpus metadata.csv row of {path.name}")
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx)


def _read_one(fh, path: Path, ctx: ReadContext) -> Iterator:
    codes: dict[str, str | None] = {}
    where = str(path)
    for _, el in iterparse(fh, path, events=("end",), root=("cesDoc",)):
        if el.tag == "seg":
            out = _seg(el, codes, path, where)
            if out is not None:
                yield out
        elif el.tag == "language":
            set_lang(ctx, el.get("iso639"), f"the <language> header of {path.name}")
            continue
        elif el.tag not in ("div", "cesHeader"):
            continue  # markup inside a seg stays until the seg itself is read
        el.clear()
        parent = el.getparent()
        while parent is not None and el.getprevious() is not None:
            del parent[0]  # drop what was read before, so the tree does not grow


def _seg(el, codes: dict, path: Path, where: str):
    ident = el.get("id") or ""
    bits = ident.split(".")
    line = el.sourceline or 0
    if len(bits) != 4 or bits[0] != "b" or not (bits[2].isdigit() and bits[3].isdigit()):
        return reject(line, f"seg id `{ident}` is not b.BOOK.CHAPTER.VERSE", ident, path)
    if bits[1] not in codes:
        codes[bits[1]] = usfm_code("ces", bits[1])
    book = codes[bits[1]]
    if book is None:
        return reject(line, f"unknown CES book code `{bits[1]}`", ident, path)
    text = clean_text(element_text(el) if len(el) else (el.text or ""))
    # an empty seg marks a verse this translation does not have: nothing is stored for it
    return Verse(book, int(bits[2]), int(bits[3]), text, None, line, where) if text else None


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
    if b"<cesDoc" in head and b"<seg" in head:
        return 0.95
    return 0.5 if b"<cesDoc" in head else 0.0


register(Reader("ces", "bible", read, sniff, "CES XML Bible (christos-c corpus): <seg id=\"b.MAR.1.1\">",
                (".xml",)))
