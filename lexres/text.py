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


def fold(text: str) -> str:
    """Loose match key: `text` decomposed (NFD), case-folded, with every combining mark dropped and every
    whitespace character made a plain space, so that `Kitábu`, `KITABU` and `kitabu` share one key
    (`--fold` lookups, did-you-mean suggestions). Never stored and never shown: compare keys, print the
    stored words. A query should be `normalize`d first (fold itself keeps runs of spaces and the ends).

    "Combining mark" means a code point with a non-zero canonical combining class (Unicode UAX #15):
    accents and other diacritics (U+0300-036F), Arabic harakat, Hebrew points, Thai tone marks, and also
    the Indic virama and nukta; Indic vowel signs (class 0) stay. The key is left decomposed (no NFC at the
    end), so folding works character by character: the key of a prefix is a prefix of the key of the word,
    which is what lets the store search by index ranges (lexres.store.nearby)."""
    text = unicodedata.normalize("NFD", text).casefold()
    text = unicodedata.normalize("NFD", text)  # casefold can map to precomposed letters (rare)
    return "".join(" " if ch.isspace() else ch for ch in text if not unicodedata.combining(ch))
