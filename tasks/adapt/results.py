"""Records and reports of model adaptation: lexicon entries for embedding initialisation, tokenizer statistics
(fertility, unknown rate), and what `adapt tokenizer`, `adapt init-embeddings` and `adapt mlm` did."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass


def as_dict(report) -> dict:
    """A report as plain JSON-ready data (nested dataclasses become dicts, tuples lists)."""
    return dataclasses.asdict(report)


@dataclass(frozen=True)
class LexiconEntry:
    """One translation pair used to initialise embeddings: a target-language word, its source-language
    translation, and a non-negative weight (a probability or a count; only ratios matter)."""

    target: str
    source: str
    weight: float = 1.0

    def __post_init__(self):
        from lexres.errors import OptionError

        if not self.target.strip() or not self.source.strip():
            raise OptionError(f"lexicon entry with an empty side: {self.target!r} -> {self.source!r}")
        if not math.isfinite(self.weight) or self.weight < 0:
            raise OptionError(f"lexicon entry {self.target!r} -> {self.source!r} has weight {self.weight}; "
                              "weights must be finite and >= 0")


@dataclass(frozen=True)
class TokenStats:
    """How a tokenizer segments a text. `fertility` is pieces per whitespace-separated word; `unk_rate` is
    the fraction (0-1) of pieces that are the unknown token. Special tokens are not counted."""

    lines: int
    words: int
    pieces: int
    unknown: int

    @property
    def fertility(self) -> float:
        """Subword pieces per whitespace-separated word; 0.0 for a text without words."""
        return self.pieces / self.words if self.words else 0.0

    @property
    def unk_rate(self) -> float:
        """Fraction (0-1) of the pieces that are the unknown token; 0.0 without pieces."""
        return self.unknown / self.pieces if self.pieces else 0.0

    def to_dict(self) -> dict:
        """The fields plus fertility and unk_rate, as a JSON-ready dict."""
        return {**dataclasses.asdict(self), "fertility": self.fertility, "unk_rate": self.unk_rate}


@dataclass(frozen=True)
class TokenizerReport:
    """What `adapt tokenizer` built. `mode` is `merge` (SentencePiece pieces appended to a SentencePiece
    base), `extend` (wordpieces appended to a WordPiece base) or `scratch` (a new SentencePiece tokenizer).
    Stats `*_before` are of the base tokenizer (None from scratch or without that text)."""

    out: str
    mode: str
    family: str
    base_size: int | None
    size: int
    added: int
    target_before: TokenStats | None
    target_after: TokenStats
    source_before: TokenStats | None
    source_after: TokenStats | None
    seconds: float

    def to_dict(self) -> dict:
        """The report as a JSON-ready dict, each TokenStats with its fertility and unk_rate (None where
        absent)."""
        out = dataclasses.asdict(self)
        for name in ("target_before", "target_after", "source_before", "source_after"):
            stats = getattr(self, name)
            out[name] = stats.to_dict() if stats is not None else None
        return out


@dataclass(frozen=True)
class EmbeddingReport:
    """What `adapt init-embeddings` did: rows of the new embedding matrix by origin. `copied` rows are the
    base's rows, bit-identical; `lexicon` rows are weighted means of translations' pieces; `fallback` rows had
    no evidence (mean of the base rows plus seeded noise; for focus/wechsel: rows the method drew at random);
    `random` rows come from the random control; `transferred` rows were computed by FOCUS or WECHSEL."""

    out: str
    init: str
    base_size: int
    size: int
    copied: int
    lexicon: int
    fallback: int
    random: int
    transferred: int
    pairs_used: int
    pairs_skipped: int
    tied: bool
    seconds: float

    def to_dict(self) -> dict:
        """The report as a JSON-ready dict."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class StepLog:
    """One optimisation step of masked-LM training: loss is the mean cross-entropy (nats) over masked
    positions; tokens counts non-padding tokens seen so far; tokens_per_s and seconds are over this
    invocation; epoch is the 1-based pass over the text the step belongs to."""

    step: int
    tokens: int
    loss: float
    lr: float
    tokens_per_s: float
    epoch: int = 1
    seconds: float = 0.0


@dataclass(frozen=True)
class MlmReport:
    """What `adapt mlm` did. `resumed_step` is the step the run resumed from (0 for a fresh run); `losses`
    holds (step, loss) every `log_every` steps and at the end; seconds and tokens_per_s are of this run."""

    out: str
    from_scratch: bool
    steps: int
    tokens: int
    seconds: float
    tokens_per_s: float
    first_loss: float
    final_loss: float
    resumed_step: int
    stopped_by: str
    losses: tuple[tuple[int, float], ...]

    def to_dict(self) -> dict:
        """The report as a JSON-ready dict (`losses` as (step, loss) pairs)."""
        return dataclasses.asdict(self)
