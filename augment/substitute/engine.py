"""Word-by-word substitution with a translation table: longest multi-word match first, case carried over,
seeded choice among translations, optional morphology. Shared by pseudo-mono and pseudo-label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from lexres import defaults
from lexres.augment.substitute.morph import Inflector
from lexres.augment.substitute.rng import Stream
from lexres.augment.substitute.table import Entry, Table
from lexres.augment.substitute.tokenize import SPLIT, is_word, split_line
from lexres.errors import OptionError

CHOICES = ("uniform", "weighted", "first")
UNKNOWN = ("keep", "drop", "mark")
#: Token kinds: not a word (punctuation, digits), a word the table lacks, a word the table translates.
OTHER, UNKNOWN_WORD, KNOWN = 0, 1, 2
_OTHER, _UNKNOWN, _KNOWN = OTHER, UNKNOWN_WORD, KNOWN  # short local names for the hot loops below
#: The `Decision.fixed` of a token that needs more than a fixed output: a choice, a phrase start, a drop.
SPECIAL = object()
_SPECIAL = SPECIAL


class Prepared(NamedTuple):
    """What the table says about one token: its kind (OTHER / UNKNOWN_WORD / KNOWN), its translations
    (case carried over, cut to one under choice="first"), cumulative weights for choice="weighted" with
    several targets (else None), and the length in tokens of the longest phrase entry starting with it
    (0 = none)."""

    kind: int
    targets: tuple[str, ...]
    cumulative: tuple[float, ...] | None
    phrase_len: int


class Decision(NamedTuple):
    """A token's cached decision: `fixed` is its output when it is always the same, else SPECIAL; `kind`
    is OTHER / UNKNOWN_WORD / KNOWN; `prepared` is the table's answer (see Prepared)."""

    fixed: object
    kind: int
    prepared: Prepared


@dataclass(frozen=True)
class Options:
    """How to substitute: `choice` among several translations (uniform, weighted by pair weight, first),
    what to do with `unknown` words (keep, drop, mark with the `mark` template holding `{word}`), the fewest
    replaced words a kept sentence needs (`min_replaced`), the seed of the per-sentence random streams, and
    whether to inflect target lemmas (`morph`). Raises OptionError for a value outside these."""

    choice: str = defaults.CHOICE
    unknown: str = defaults.UNKNOWN
    mark: str = defaults.MARK
    min_replaced: int = defaults.MIN_REPLACED
    seed: int = defaults.SEED
    morph: bool = False

    def __post_init__(self):
        if self.choice not in CHOICES:
            raise OptionError(f"--choice must be one of {', '.join(CHOICES)}, not `{self.choice}`")
        if self.unknown not in UNKNOWN:
            raise OptionError(f"--unknown must be one of {', '.join(UNKNOWN)}, not `{self.unknown}`")
        if self.min_replaced < 0:
            raise OptionError("--min-replaced must be >= 0")
        if "\n" in self.mark or "\r" in self.mark:
            raise OptionError("--mark must not contain a line break")
        try:
            ok = "{word}" in self.mark and self.mark.format(word="") is not None
        except (KeyError, IndexError, ValueError):
            ok = False
        if not ok:
            raise OptionError("--mark must contain `{word}` and no other braces, e.g. `<unk:{word}>`")

    def params(self) -> dict[str, object]:
        """The options that shape the output, by name, for manifests and signatures (the seed is
        recorded separately)."""
        return {
            "choice": self.choice,
            "unknown": self.unknown,
            "mark": self.mark,
            "min_replaced": self.min_replaced,
            "morph": self.morph,
        }


def case_like(source: str, target: str) -> str:
    """Carry the case pattern of `source` (UPPER or Title) over to `target`."""
    if len(source) > 1 and source.isupper():
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def _cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    out, total = [], 0.0
    for w in weights:
        total += max(w, 0.0) or 1e-12
        out.append(total)
    return tuple(out)


class Substituter:
    """Translates token sequences. Per-token decisions are cached by surface form, so the per-token cost
    on running text is one dict lookup plus, for ambiguous words, one random draw."""

    def __init__(self, table: Table, options: Options = Options(), inflector: Inflector | None = None):
        self.table, self.options, self.inflector = table, options, inflector
        self._cache: dict[str, tuple] = {}
        self._fixed: dict[str, object] = {}  # token -> its output when it is always the same, else _SPECIAL
        self._code: dict[str, int] = {}  # token -> _OTHER / _UNKNOWN / _KNOWN
        self.n_inflected = self.n_uninflected = 0

    def clear_cache(self) -> None:
        """Forget cached token decisions (they are rebuilt on demand)."""
        self._cache.clear()
        self._fixed.clear()
        self._code.clear()

    # -- lookups ---------------------------------------------------------------------------------
    def _prepare(self, entry: Entry, like: str | None) -> tuple:
        targets = entry.targets if like is None else tuple(case_like(like, t) for t in entry.targets)
        if self.options.choice == "first":
            targets = targets[:1]
        cum = _cumulative(entry.weights) if self.options.choice == "weighted" and len(targets) > 1 else None
        return targets, cum

    def _entry(self, tok: str) -> Prepared:
        """(kind, targets, cumulative weights or None, longest phrase starting here) for one token."""
        folded = tok.casefold()
        plen = self.table.phrase_len.get(folded, 0)
        exact = self.table.exact.get(tok)
        if exact is not None:
            ent = Prepared(_KNOWN, *self._prepare(exact, None), plen)
        else:
            entry = self.table.entries.get(folded)
            if entry is not None:
                ent = Prepared(_KNOWN, *self._prepare(entry, tok), plen)
            else:
                ent = Prepared(_UNKNOWN if is_word(tok) else _OTHER, (), None, plen)
        self._cache[tok] = ent
        return ent

    def _phrase(self, toks: list, i: int, longest: int) -> tuple[int, tuple] | None:
        """Longest multi-word entry starting at token i: (length, prepared entry)."""
        for n in range(min(longest, len(toks) - i), 1, -1):
            span = [t[0] if isinstance(t, tuple) else t for t in toks[i : i + n]]
            exact = self.table.exact.get(" ".join(span))
            if exact is not None:
                return n, self._prepare(exact, None)
            entry = self.table.entries.get(" ".join(span).casefold())
            if entry is not None:
                return n, self._prepare(entry, span[0])
        return None

    def _pick(self, targets: tuple, cum, rng: Stream) -> str:
        if len(targets) == 1:
            return targets[0]
        if cum is not None:
            return targets[rng.weighted(cum)]
        return targets[rng.below(len(targets))]

    def _inflect(self, tok: str, feats, rng: Stream) -> str | None:
        """Translate `tok` whose features are known, emitting the inflected target form when the target
        lemma has a paradigm in the store. `feats` is (lemma or None, features)."""
        lemma, features = feats
        table = self.table
        entry = table.exact.get(tok) or table.entries.get(tok.casefold())
        if entry is None and lemma:
            entry = table.exact.get(lemma) or table.entries.get(lemma.casefold())
        if entry is None:
            return None
        targets, cum = self._prepare(entry, None)
        target = self._pick(targets, cum, rng)
        form = self.inflector.inflect(target, features) if self.inflector and features else None
        if form is None:
            self.n_uninflected += 1
            return case_like(tok, target)
        self.n_inflected += 1
        return case_like(tok, form)

    def _classify(self, tok: str) -> None:
        ent = self._cache.get(tok) or self._entry(tok)
        kind = ent[0]
        self._code[tok] = kind
        if (
            ent[3]
            or (kind == _KNOWN and len(ent[1]) > 1)
            or (kind == _UNKNOWN and self.options.unknown == "drop")
        ):
            self._fixed[tok] = _SPECIAL
        elif kind == _KNOWN:
            self._fixed[tok] = ent[1][0]
        elif kind == _UNKNOWN and self.options.unknown == "mark":
            self._fixed[tok] = self.options.mark.format(word=tok)
        else:
            self._fixed[tok] = tok

    def decide(self, tok: str) -> Decision:
        """The cached decision for one token (made and cached on first sight). The fast path
        (`lexres.augment.substitute.fast`) builds its chunk table from these."""
        if tok not in self._fixed:
            self._classify(tok)
        return Decision(self._fixed[tok], self._code[tok], self._cache[tok])

    def line(self, text: str, index: int) -> tuple[str, int, int, int, int]:
        """Translate one line of running text (its line ending passes through untouched). Returns (output,
        tokens, word tokens, replaced word tokens, unknown word tokens). Same result as `sentence()`,
        but the per-token work runs in C (split, map over dicts, join); Python only visits the tokens
        that need a choice, a phrase match or a drop."""
        parts = SPLIT.split(text)
        toks = parts[1::2]
        fixed = self._fixed
        outs = list(map(fixed.get, toks))
        if None in outs:
            for tok in toks:
                if tok not in fixed:
                    self._classify(tok)
            outs = list(map(fixed.get, toks))
        codes = list(map(self._code.__getitem__, toks))
        replaced, unknown = codes.count(_KNOWN), codes.count(_UNKNOWN)
        words = replaced + unknown
        if _SPECIAL in outs:
            replaced, unknown = self._specials(parts, toks, outs, codes, index, replaced, unknown)
        parts[1::2] = outs
        return "".join(parts), len(toks), words, replaced, unknown

    def _specials(self, parts, toks, outs, codes, index, replaced, unknown) -> tuple[int, int]:
        rng = Stream(self.options.seed, index)
        cache, k = self._cache, -1
        while True:
            try:
                k = outs.index(_SPECIAL, k + 1)
            except ValueError:
                return replaced, unknown
            ent = cache[toks[k]]
            if ent[3]:
                hit = self._phrase(toks, k, ent[3])
                if hit is not None:
                    span, (targets, cum) = hit
                    covered = codes[k : k + span]
                    replaced += covered.count(_UNKNOWN)
                    unknown -= covered.count(_UNKNOWN)
                    outs[k] = self._pick(targets, cum, rng)
                    for j in range(k + 1, k + span):
                        outs[j] = parts[2 * j] = ""
                    k += span - 1
                    continue
            if ent[0] == _KNOWN:
                outs[k] = self._pick(ent[1], ent[2], rng)
            elif ent[0] == _UNKNOWN and self.options.unknown == "drop":
                # the space after a dropped word goes too, but not the line ending
                last = 2 * k + 2 == len(parts) - 1
                outs[k], parts[2 * k + 2] = "", split_line(parts[2 * k + 2])[1] if last else ""
            elif ent[0] == _UNKNOWN and self.options.unknown == "mark":
                outs[k] = self.options.mark.format(word=toks[k])
            else:
                outs[k] = toks[k]

    # -- sentences --------------------------------------------------------------------------------
    def sentence(
        self, toks: list[tuple[str, str]], index: int, feats: list | None = None
    ) -> tuple[list[str], int, int, int]:
        """Translate one tokenized sentence [(token, space after)]. Returns (output pieces to join, word
        tokens, replaced word tokens, unknown word tokens). `feats[i]` = (lemma, features) or None."""
        cache, opts = self._cache, self.options
        rng = Stream(opts.seed, index)
        out: list[str] = []
        n = len(toks)
        i = words = replaced = unknown = 0
        while i < n:
            tok, ws = toks[i]
            ent = cache.get(tok)
            if ent is None:
                ent = self._entry(tok)
            if ent[3]:
                hit = self._phrase(toks, i, ent[3])
                if hit is not None:
                    span, (targets, cum) = hit
                    covered = sum(1 for t, _ in toks[i : i + span] if is_word(t))
                    words += covered
                    replaced += covered
                    out.append(self._pick(targets, cum, rng))
                    out.append(toks[i + span - 1][1])
                    i += span
                    continue
            kind = ent[0]
            if kind == _OTHER:
                out.append(tok)
                out.append(ws)
                i += 1
                continue
            words += 1
            if feats is not None and feats[i] is not None:
                got = self._inflect(tok, feats[i], rng)
                kind = _KNOWN if got is not None else _UNKNOWN
            elif kind == _KNOWN:
                targets = ent[1]
                got = targets[0] if len(targets) == 1 else self._pick(targets, ent[2], rng)
            if kind == _KNOWN:
                replaced += 1
                out.append(got)
                out.append(ws)
            else:
                unknown += 1
                policy = opts.unknown
                if policy == "keep":
                    out.append(tok)
                    out.append(ws)
                elif policy == "mark":
                    out.append(opts.mark.format(word=tok))
                    out.append(ws)
            i += 1
        return out, words, replaced, unknown

    def words(
        self, tokens: list[str], index: int, keep: list[bool] | None = None
    ) -> list[tuple[int, int, list[str], bool]]:
        """Translate a word list for labeled data: [(first source index, span length, output tokens,
        replaced?)], in order. Output tokens may be empty (dropped) or several (a multi-word
        translation). Tokens with
        keep[i] set are left as they are and never join a multi-word match."""
        toks = [(t, " ") for t in tokens]
        rng = Stream(self.options.seed, index)
        out: list[tuple[int, int, list[str]]] = []
        i, n = 0, len(toks)
        while i < n:
            tok = tokens[i]
            if keep is not None and keep[i]:
                out.append((i, 1, [tok], False))
                i += 1
                continue
            ent = self._cache.get(tok) or self._entry(tok)
            if ent[3]:
                limit = ent[3]
                if keep is not None:  # a phrase must not swallow a kept token
                    limit = next((j - i for j in range(i + 1, min(n, i + limit)) if keep[j]), limit)
                hit = self._phrase(toks, i, limit) if limit > 1 else None
                if hit is not None:
                    span, (targets, cum) = hit
                    out.append((i, span, self._pick(targets, cum, rng).split(), True))
                    i += span
                    continue
            if ent[0] == _KNOWN:
                out.append((i, 1, self._pick(ent[1], ent[2], rng).split(), True))
            elif ent[0] == _UNKNOWN and self.options.unknown == "drop":
                out.append((i, 1, [], False))
            elif ent[0] == _UNKNOWN and self.options.unknown == "mark":
                out.append((i, 1, [self.options.mark.format(word=tok)], False))
            else:
                out.append((i, 1, [tok], False))
            i += 1
        return out
