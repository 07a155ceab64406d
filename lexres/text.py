"""Text normalization shared by readers and lookups."""
from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Unicode NFC with runs of whitespace folded to one space and the ends trimmed. Letters such as
    U+02BC stay as they are: no quote "fixing"."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # str.split() folds every Unicode whitespace run, ends included


def key(text: str, *, fold_case: bool = False) -> str:
    """Lookup key of a word or phrase; case folding is optional and never touches the stored text."""
    k = normalize(text)
    return k.casefold() if fold_case else k
