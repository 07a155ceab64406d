"""The fast path of pseudo-mono: running text is split on single spaces into chunks ("Abraham:", "God's")
whose translation is cached, so most of a line is translated by C-level dict lookups and one join.
Chunks holding an ambiguous word get their choice drawn per sentence; a line with a phrase start or a
word to drop goes through `Substituter.line()`. Output is identical to `Substituter.line()`."""
from __future__ import annotations

from .rng import M64, A, C, mix, pick_weighted
from .substitute import _KNOWN, _SPECIAL, _UNKNOWN, Substituter
from .tokenize import _SPLIT

_FALLBACK = object()
CACHE_CAP = 1 << 19  # chunks; the cache is dropped when full, so memory stays flat on any input


class FastLines:
    """Chunk-cached substitution of whole lines for one Substituter."""

    def __init__(self, sub: Substituter):
        self.sub = sub
        self.seed_mix = mix(sub.options.seed & M64)
        self._out: dict[str, object] = {}
        self._counts: dict[str, int] = {}  # packed: tokens | words << 32 | replaced << 64 | unknown << 96
        self._special: dict[str, tuple] = {}

    def _learn(self, chunk: str) -> None:
        if len(self._out) >= CACHE_CAP:
            self._out.clear()
            self._counts.clear()
            self._special.clear()
        sub = self.sub
        parts = _SPLIT.split(chunk)
        toks = parts[1::2]
        for tok in toks:
            if tok not in sub._fixed:
                sub._classify(tok)
        codes = [sub._code[t] for t in toks]
        replaced, unknown = codes.count(_KNOWN), codes.count(_UNKNOWN)
        self._counts[chunk] = len(toks) | (replaced + unknown) << 32 | replaced << 64 | unknown << 96
        outs = [sub._fixed[t] for t in toks]
        if _SPECIAL not in outs:
            parts[1::2] = outs
            self._out[chunk] = "".join(parts)
            return
        choices = []
        for k, tok in enumerate(toks):
            if outs[k] is _SPECIAL:
                ent = sub._cache[tok]
                if ent[3] or ent[0] != _KNOWN:  # phrase start or drop: the token path handles the line
                    self._out[chunk] = _FALLBACK
                    return
                choices.append((2 * k + 1, ent[1], ent[2]))
                outs[k] = ""
        parts[1::2] = outs
        if len(choices) == 1:
            pos, targets, cum = choices[0]
            self._special[chunk] = ("".join(parts[:pos]), targets, "".join(parts[pos + 1:]), cum)
        else:
            self._special[chunk] = (parts, choices)
        self._out[chunk] = _SPECIAL

    def line(self, line: str, index: int) -> tuple[str, int, int, int, int]:
        """Same contract as `Substituter.line()`."""
        chunks = line.split(" ")
        get = self._out.get
        outs = list(map(get, chunks))
        if None in outs:
            for chunk in chunks:
                if chunk not in self._out:
                    self._learn(chunk)
            outs = list(map(get, chunks))
        if _FALLBACK in outs:
            return self.sub.line(line, index)
        packed = sum(map(self._counts.__getitem__, chunks))
        if _SPECIAL in outs:
            self._draw(chunks, outs, index)
        return (" ".join(outs), packed & 0xFFFFFFFF, (packed >> 32) & 0xFFFFFFFF, (packed >> 64) & 0xFFFFFFFF,
                packed >> 96)

    def _draw(self, chunks: list[str], outs: list, index: int) -> None:
        special = self._special
        s = mix(self.seed_mix ^ index)  # = rng.Stream(seed, index).state
        k = -1
        while True:
            try:
                k = outs.index(_SPECIAL, k + 1)
            except ValueError:
                return
            spec = special[chunks[k]]
            if len(spec) == 4:
                prefix, targets, suffix, cum = spec
                s = (s * A + C) & M64
                pick = targets[((s >> 32) * len(targets)) >> 32] if cum is None else \
                    targets[pick_weighted(s, cum)]
                outs[k] = prefix + pick + suffix
                continue
            parts, choices = spec
            parts = list(parts)
            for pos, targets, cum in choices:
                s = (s * A + C) & M64
                parts[pos] = targets[((s >> 32) * len(targets)) >> 32] if cum is None else \
                    targets[pick_weighted(s, cum)]
            outs[k] = "".join(parts)
