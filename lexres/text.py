"""Text normalization shared by readers and lookups."""
from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Unicode NFC with runs of whitespace folded to one space and the ends trimmed. Letters such as
    U+02BC stay as they are: no quote "fixing"."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def key(text: str, *, fold_case: bool = False) -> str:
    """Lookup key of a word or phrase; case folding is optional and never touches the stored text."""
    k = normalize(text)
    return k.casefold() if fold_case else k
