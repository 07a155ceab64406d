"""Symbol table of the neural inflection transducer: one shared vocabulary of characters and feature tags,
so the copy mechanism can point from a lemma character straight to the same output symbol."""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lexres.errors import ParseError

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")
_LAYER = re.compile(r"[()]|[^;(),]+")


def feature_tokens(features: Sequence[str] | str) -> list[str]:
    """Feature bundle -> input tokens. A layered UniMorph 4 tag such as `NOM(PL;PSS(1,PL))` is split into its
    tags and brackets, so `PL` inside a layer shares its embedding with a top-level `PL`."""
    if isinstance(features, str):
        features = features.split(";")
    out: list[str] = []
    for tag in features:
        tag = tag.strip()
        if not tag:
            continue
        if "(" in tag:
            out.extend(f"[{t.strip()}]" for t in _LAYER.findall(tag) if t.strip())
        else:
            out.append(f"[{tag}]")
    return out


def chars(text: str) -> list[str]:
    """The characters of a lemma or form after NFC (how the official evaluation compares them)."""
    return list(unicodedata.normalize("NFC", text))


@dataclass(frozen=True, slots=True)
class Vocab:
    """Symbols in id order; ids 0-3 are the specials. `n_chars` marks where feature tags start."""

    symbols: tuple[str, ...]
    _index: dict = field(init=False, repr=False, compare=False)

    @classmethod
    def build(cls, examples: Iterable) -> Vocab:
        """From training examples (objects with `.lemma`, `.features`, `.form`); sorted for stable ids."""
        char_set: set[str] = set()
        feat_set: set[str] = set()
        for ex in examples:
            char_set.update(chars(ex.lemma))
            char_set.update(chars(ex.form))
            feat_set.update(feature_tokens(ex.features))
        return cls(SPECIALS + tuple(sorted(char_set)) + tuple(sorted(feat_set)))

    def __post_init__(self):
        object.__setattr__(self, "_index", {s: i for i, s in enumerate(self.symbols)})

    def __len__(self) -> int:
        return len(self.symbols)

    def id(self, symbol: str) -> int:
        """The id of a symbol; UNK for one not in the vocabulary."""
        return self._index.get(symbol, UNK)

    def encode_source(self, lemma: str, features) -> tuple[list[int], list[int]]:
        """Ids of feature tokens then lemma characters, and a parallel 0/1 list (1 = lemma character)."""
        feats = [self.id(t) for t in feature_tokens(features)]
        lem = [self.id(c) for c in chars(lemma)]
        return feats + lem, [0] * len(feats) + [1] * len(lem)

    def encode_target(self, form: str) -> list[int]:
        """BOS, the ids of the form's characters (code points after NFC, see `chars`), EOS."""
        return [BOS] + [self.id(c) for c in chars(form)] + [EOS]

    def decode(self, ids: Iterable[int]) -> str:
        """Output ids -> string; stops at EOS, drops specials and feature tags (never valid output)."""
        out = []
        for i in ids:
            if i == EOS:
                break
            sym = self.symbols[i]
            if i >= len(SPECIALS) and not (sym.startswith("[") and sym.endswith("]") and len(sym) > 2):
                out.append(sym)
        return "".join(out)

    def save(self, path: Path) -> None:
        """Write the symbol list as JSON (`{"symbols": [...]}`)."""
        path.write_text(json.dumps({"symbols": list(self.symbols)}, ensure_ascii=False, indent=0) + "\n",
                        encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Vocab:
        """Read a vocabulary written by `save`. Raises ParseError for another file or a wrong special-symbol
        prefix."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            symbols = tuple(data["symbols"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ParseError(path, None, "not a neural vocabulary file (no symbol list)") from exc
        if symbols[: len(SPECIALS)] != SPECIALS:
            raise ParseError(path, None, "vocabulary does not start with the special symbols")
        return cls(symbols)
