"""The typed records readers yield. All are frozen; features are tuples; `line` is the 1-based source line
(0 when a format has no meaningful line, e.g. a record built from several XML elements)."""

from __future__ import annotations

from dataclasses import dataclass


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
        tail = f"-{self.verse_end}" if self.verse_end and self.verse_end != self.verse else ""
        return f"{self.book} {self.chapter}:{self.verse}{tail}"


@dataclass(frozen=True, slots=True)
class LexiconPair:
    """A translation pair. Languages left as None are filled from the import's --lang / --target-lang."""

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


@dataclass(frozen=True, slots=True)
class Reject:
    """A source row that could not be read. Readers yield these instead of raising so that
    `--on-error skip` can keep going; in the default mode the first one aborts the import."""

    line: int
    reason: str
    raw: str = ""
    path: str | None = None


Record = MorphEntry | Verse | LexiconPair
KIND_OF = {MorphEntry: "morph", Verse: "bible", LexiconPair: "lexicon"}
KINDS = ("morph", "bible", "lexicon")
