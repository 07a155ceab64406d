"""The typed records readers yield. All are frozen; features are tuples; `line` is the 1-based source line
(0 when a format has no meaningful line, e.g. a record built from several XML elements)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from pathlib import PurePath
from typing import Any


@dataclass(frozen=True, slots=True)
class MorphEntry:
    """One inflected form: lemma + feature bundle -> form. `form` is None for covered (inputs-only) lines."""

    lemma: str
    form: str | None
    features: tuple[str, ...]
    canonical: tuple[str, ...] = ()
    line: int = 0
    notes: tuple[str, ...] = ()
    path: str | None = None

    @property
    def features_text(self) -> str:
        """The feature bundle as UniMorph text, tags joined by `;`."""
        return ";".join(self.features)


@dataclass(frozen=True, slots=True)
class Verse:
    """One verse (or an honest verse range, verse..verse_end) under its USFM book code."""

    book: str
    chapter: int
    verse: int
    text: str
    verse_end: int | None = None
    line: int = 0
    path: str | None = None

    @property
    def ref(self) -> str:
        """The reference as `BOOK chapter:verse` (`-verse_end` appended for a range), e.g. `JHN 3:16`."""
        tail = f"-{self.verse_end}" if self.verse_end and self.verse_end != self.verse else ""
        return f"{self.book} {self.chapter}:{self.verse}{tail}"


@dataclass(frozen=True, slots=True)
class LexiconPair:
    """A translation pair. Languages left as None are filled from the import's --lang / --target-lang.
    `definition` marks a target that is a definition (TEI `<def>`, LIFT `definition`), not a translation
    equivalent; the store keeps the mark in the gloss column (`lexres.store.writers.DEFINITION_MARK`)."""

    src_word: str
    tgt_word: str
    src_lang: str | None = None
    tgt_lang: str | None = None
    pos: str | None = None
    sense: str | None = None
    gloss: str | None = None
    weight: float | None = None
    line: int = 0
    path: str | None = None
    definition: bool = False


@dataclass(frozen=True, slots=True)
class Reject:
    """A source row that could not be read. Readers yield these instead of raising so that
    `--on-error skip` can keep going; in the default mode the first one aborts the import."""

    line: int
    reason: str
    raw: str = ""
    path: str | None = None


Record = MorphEntry | Verse | LexiconPair
# must agree with lexres/data/kinds.json
KIND_OF = {MorphEntry: "morph", Verse: "bible", LexiconPair: "lexicon"}


def plain(value: Any) -> Any:
    """`value` as JSON-able data: results via their `to_dict()`, other dataclasses field by field, tuples
    and lists as lists, mappings with their values converted, paths as strings; anything else unchanged."""
    if isinstance(value, Result):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    return value


class Result:
    """Base of the frozen result dataclasses that API functions return instead of bare dicts.

    `to_dict()` gives the JSON-able mapping printed by `--json` (field name -> plain value, nested results
    converted too); a subclass overrides it where a JSON key is not a valid field name (e.g. `from`).
    Scores in results are fractions 0-1 unless a field's docstring says otherwise."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-able data (see `plain`)."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]
