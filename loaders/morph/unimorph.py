"""Reader `unimorph`: UniMorph tables (`lemma TAB form TAB features`), blank lines between paradigms,
CRLF, BOM, multi-word lemmas and forms, extra columns kept as notes, flat and layered features."""
from __future__ import annotations

from pathlib import Path

from lexres.loaders.morph.common import LEMMA_FORM_FEATURES, sniff_head
from lexres.loaders.morph.sigmorphon import looks_like_split


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a UniMorph table: 0.9 for `lemma form features` rows with paradigm breaks
    or in a file not named like a shared-task split, 0.7 otherwise, 0.5 for another column order."""
    layout, blanks = sniff_head(head)
    if layout is None:
        return 0.0
    if layout != LEMMA_FORM_FEATURES:
        return 0.5
    # a full table with paradigm breaks, or not named like a shared-task split, is a UniMorph table
    return 0.9 if blanks or not looks_like_split(path) else 0.7
