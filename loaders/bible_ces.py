"""CES XML of the christos-c 100-language Bible corpus: `<seg type="verse" id="b.MAR.1.1">`, its own book
codes (MAR, JOH, PHI, JAM, 1JO ...) mapped to USFM through loaders/data/bible_books.tsv."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.importer import ReadContext
from lexres.registry import Reader, register

from .bible_common import reject, set_lang, set_scheme, usfm_code, verse
from .bible_xml import element_text, iterparse

SEG_ID = re.compile(r"^b\.([A-Z0-9]{3})\.(\d+)\.(\d+)$")


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    set_scheme(ctx)
    for path in paths:
        set_lang(ctx, _corpus_lang(path), f"the corpus metadata.csv row of {path.name}")
        with ctx.open(path) as fh:
            yield from _read_one(fh, path, ctx)


def _read_one(fh, path: Path, ctx: ReadContext) -> Iterator:
    for _, el in iterparse(fh, path, events=("end",), tag=("seg", "language")):
        if el.tag == "language":
            set_lang(ctx, el.get("iso639"), f"the <language> header of {path.name}")
            continue
        ident = el.get("id") or ""
        m = SEG_ID.match(ident)
        line = el.sourceline or 0
        if m is None:
            yield reject(line, f"seg id `{ident}` is not b.BOOK.CHAPTER.VERSE", ident, path)
        else:
            book = usfm_code("ces", m.group(1))
            if book is None:
                yield reject(line, f"unknown CES book code `{m.group(1)}`", ident, path)
            else:
                rec = verse(book, int(m.group(2)), int(m.group(3)), element_text(el), line=line, path=path)
                if rec is not None:  # an empty seg marks a verse this translation does not have
                    yield rec
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
    if b"<cesDoc" in head and b"<seg" in head:
        return 0.95
    return 0.5 if b"<cesDoc" in head else 0.0


register(Reader("ces", "bible", read, sniff, "CES XML Bible (christos-c corpus): <seg id=\"b.MAR.1.1\">",
                (".xml",)))
