"""Reversible tokenization: every token keeps the whitespace that followed it, so joining tokens and
whitespace gives back the input byte for byte, and substitutions keep the original spacing."""

from __future__ import annotations

import re

#: A token and the whitespace after it. A word is letters/digits with inner apostrophes or hyphens ("don't",
#: "well-known"); anything else that is not whitespace is a one-character token, so punctuation is kept and
#: never glued to a word.
TOKEN = re.compile(r"(\w+(?:['’\-]\w+)*|[^\w\s])(\s*)")
#: The same tokens as a split pattern: split() gives [space, token, space, token, ..., space].
SPLIT = re.compile(r"(\w+(?:['’\-]\w+)*|[^\w\s])")
#: A word token alone (no punctuation).
WORD = re.compile(r"\w+(?:['’\-]\w+)*")
#: A letter (a word character that is not a digit or underscore): tokens with one are translatable words.
LETTER = re.compile(r"[^\W\d_]")


def split_line(line: str) -> tuple[str, str]:
    """Split off the line ending (`\\n`, `\\r\\n` or none) so it can be written back unchanged."""
    if line.endswith("\r\n"):
        return line[:-2], "\r\n"
    if line.endswith("\n") or line.endswith("\r"):
        return line[:-1], line[-1]
    return line, ""


def tokenize(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(leading whitespace, [(token, whitespace after it), ...])."""
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)], TOKEN.findall(stripped)


def detokenize(lead: str, tokens: list[tuple[str, str]]) -> str:
    """Inverse of `tokenize`: the leading whitespace, then each token with its following whitespace."""
    return lead + "".join(t + w for t, w in tokens)


def words(text: str) -> list[str]:
    """Word tokens only (no punctuation), as the aligner and the evaluation see them."""
    return WORD.findall(text)


def is_word(token: str) -> bool:
    """A token with at least one letter: the tokens that count as translatable words."""
    return LETTER.search(token) is not None


def phrase_key(text: str) -> str:
    """Lookup key of a (multi-word) lexicon entry: its tokens, case-folded, joined by one space."""
    return " ".join(t for t, _ in tokenize(text)[1]).casefold()
