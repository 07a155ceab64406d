"""The fast path of pseudo-mono. A block of text is split on single spaces into chunks ("Abraham:", "God's",
"David.\n") that get an id; what a chunk becomes is learnt once, for all new chunks of a block together
(from `Substituter`'s per-token decisions), and the block is then translated with numpy: per-chunk
outputs and counts by id, and the seeded choices for ambiguous words drawn for the whole block at once.
Lines holding a phrase start, a word to drop or a NUL go through `Substituter.line()`. The output is
identical to the token path (`Substituter.sentence()`), draw for draw."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from itertools import compress, islice, repeat
from operator import add, contains, itemgetter, not_

import numpy as np

from lexres import defaults
from lexres.augment.substitute.engine import KNOWN, OTHER, SPECIAL, Substituter
from lexres.augment.substitute.rng import M64, A, C, mix, pick_weighted
from lexres.augment.substitute.tokenize import LETTER, SPLIT, WORD
from lexres.progress import utf8_size

_ONE = re.compile(WORD.pattern + r"|[^\w\s]")
# Chunks joined by NULs: marks, word, marks, space of a chunk of that shape, else four empty groups.
# Giving back characters never helps a match here (marks, word characters and spaces are disjoint
# classes), so Python >= 3.11 gets possessive quantifiers, which run about twice as fast.
_P = "+" if sys.version_info >= (3, 11) else ""
_PLAIN_ALL = re.compile(
    rf"([^\w\s\x00]*{_P})(\w+{_P}(?:['’\-]\w+)*{_P})([^\w\s\x00]*{_P})(\s*{_P})\x00|[^\x00]*\x00"
)
_JOIN = (" ", "")  # the joiner after a chunk, by "ends its line"

BLOCK = defaults.BLOCK_LINES  # lines per block when fed lines
CACHE_CAP = 1 << 19  # chunks; the tables are reset when full, so memory stays flat on any input
MAX_BLOCK = 1 << 21  # characters: per-line counts are packed in 21-bit fields
_FIXED, _UNIFORM, _PYTHON, _FALLBACK = 0, 1, 2, 3  # chunk kinds
_U64 = np.uint64


def mix_np(x: np.ndarray) -> np.ndarray:
    """rng.mix (the SplitMix64 finaliser) over a uint64 array of any shape, wrapping like the scalar
    version; returns a uint64 array of the same shape."""
    x = x + _U64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


class FastLines:
    """Chunk-table substitution of blocks of lines for one Substituter (see the module docstring); the
    output equals `Substituter.sentence()`'s, draw for draw, for untagged input without --morph."""

    def __init__(self, sub: Substituter):
        """Start with empty chunk tables; `sub` supplies the table, the options and per-token decisions."""
        self.sub = sub
        self.seed_mix = mix(sub.options.seed & M64)
        self._jumps = [(1, 0)]  # (A^n, C*(A^n-1)/(A-1)) mod 2^64: the LCG state after n steps from s0
        self._jumps_np = None
        self._reset()

    def _reset(self) -> None:
        self._ids: dict[str, int] = {}
        self._tok: dict[str, tuple] = {}  # token -> (fixed output or None, kind, options, word?, replaced?)
        self._ends_ok: dict[str, bool] = {}
        # The chunk table, one column per list, one entry per chunk id: output + joiner (a space, none
        # for a chunk that ends its line), kind, draws, packed counts (tokens | words << 21 | replaced
        # << 42), options, ends-a-line. Options: _UNIFORM: the possible outputs + joiner; _PYTHON:
        # (parts, choices).
        self._out: list[str] = []
        self._kind: list[int] = []
        self._ndraw: list[int] = []
        self._packed: list[int] = []
        self._opts: list[tuple] = []
        self._eol: list[bool] = []
        self._nopts = 0
        self._arrays = None

    def _jump(self, n: int) -> tuple[int, int]:
        while len(self._jumps) <= n:
            a, c = self._jumps[-1]
            self._jumps.append(((a * A) & M64, (c * A + C) & M64))
        return self._jumps[n]

    # -- learning chunks -------------------------------------------------------------------------
    def _token(self, tok: str) -> tuple:
        """(fixed output or None, kind, options, word?, replaced?) of one token."""
        fixed, code, ent = self.sub.decide(tok)
        kind, opts = _FIXED, ()
        if fixed is SPECIAL:
            fixed = None
            if ent.phrase_len or ent.kind != KNOWN:  # a phrase start or a word to drop
                kind = _FALLBACK
            elif ent.cumulative is None:
                kind, opts = _UNIFORM, ent.targets
            else:
                kind, opts = _PYTHON, (ent.targets, ent.cumulative)
        info = (fixed, kind, opts, int(code != OTHER), int(code == KNOWN))
        self._tok[tok] = info
        return info

    def _word(self, word: str) -> tuple:
        """`_token()` for a word, cheaper for the many that are not in the table (keep or mark)."""
        t, folded = self.sub.table, word.casefold()
        if word in t.exact or folded in t.entries or folded in t.phrase_len:
            return self._token(word)
        is_word = int(word.isalpha() or LETTER.search(word) is not None)
        mark = self.sub.options.mark if self.sub.options.unknown == "mark" else None
        info = (mark.format(word=word) if mark and is_word else word, _FIXED, (), is_word, 0)
        self._tok[word] = info
        return info

    def _learn(self, chunk: str) -> None:
        """Learn what a chunk becomes, from the rows of its tokens."""
        info = self._tok.get(chunk)
        if info is None and _ONE.fullmatch(chunk):
            info = self._token(chunk)
        if info is not None and info[1] in (_FIXED, _UNIFORM):  # a chunk of one token: the usual case
            fixed, kind, opts, w, r = info
            return self._add(chunk, fixed or "", kind, int(kind == _UNIFORM), (1, w, r), opts)
        parts = SPLIT.split(chunk)
        toks = parts[1::2]
        get = self._tok.get
        infos = [get(t) or self._token(t) for t in toks]
        counts = (len(toks), sum(i[3] for i in infos), sum(i[4] for i in infos))
        open_ = [k for k, i in enumerate(infos) if i[0] is None]
        if "\x00" in chunk or any(infos[k][1] == _FALLBACK for k in open_):
            return self._add(chunk, "", _FALLBACK, 0, counts, ())
        for k, i in enumerate(infos):
            if i[0] is not None:
                parts[2 * k + 1] = i[0]
        if not open_:
            return self._add(chunk, "".join(parts), _FIXED, 0, counts, ())
        if len(open_) == 1 and infos[open_[0]][1] == _UNIFORM:
            pos = 2 * open_[0] + 1
            head, tail = "".join(parts[:pos]), "".join(parts[pos + 1 :])
            return self._add(
                chunk, "", _UNIFORM, 1, counts, tuple(head + t + tail for t in infos[open_[0]][2])
            )
        choices = []
        for k in open_:
            targets, cum = infos[k][2] if infos[k][1] == _PYTHON else (infos[k][2], None)
            choices.append((2 * k + 1, targets, cum))
        return self._add(chunk, "", _PYTHON, len(choices), counts, (parts, choices))

    def _learn_many(self, chunks) -> None:
        """Learn new chunks in bulk. The commonest shape, one word with marks around it ("(Abraham:",
        "God's," is one word), is parsed for all chunks by one regex pass over them joined with NULs;
        the words are looked up once each, and the outputs of the chunks with a fixed one are built by
        C-level maps. Chunks with a choice get their options in a short loop; other shapes go
        through `_learn`."""
        if self.sub.options.unknown == "drop":
            for chunk in chunks:
                self._learn(chunk)
            return
        chunks = list(chunks)
        joined = "\x00".join(chunks)
        if joined.count("\x00") != len(chunks) - 1:  # NUL is the separator here (and such lines fall back)
            for chunk in [c for c in chunks if "\x00" in c]:
                self._learn(chunk)
            chunks = [c for c in chunks if "\x00" not in c]
            joined = "\x00".join(chunks)
        if not chunks:
            return
        heads, words, tails, spaces = zip(*_PLAIN_ALL.findall(joined + "\x00"), strict=True)
        tok, ends_ok = self._tok, self._ends_ok
        for word in set(words).difference(tok):
            if word:  # "": not one word with marks around it
                self._word(word)
        ends = list(map(add, heads, tails))
        for e in set(ends).difference(ends_ok):
            ends_ok[e] = all(map(self._mark, e))
        infos = list(map(tok.get, words))
        fixed = [i[0] if i is not None and i[1] == _FIXED else None for i in infos]
        good = [f is not None and ok for f, ok in zip(fixed, map(ends_ok.__getitem__, ends), strict=True)]
        # chunks with a fixed output, all at once
        g_infos = list(compress(infos, good))
        g_ends = list(compress(ends, good))
        g_eol = list(map(contains, compress(spaces, good), repeat("\n")))
        n, base = len(g_infos), len(self._out)
        outs = map(add, map(add, compress(heads, good), compress(fixed, good)), compress(tails, good))
        outs = map(add, map(add, outs, compress(spaces, good)), map(_JOIN.__getitem__, g_eol))
        packed = (
            np.fromiter(map(len, g_ends), np.int64, n)
            + 1
            + (np.fromiter(map(itemgetter(3), g_infos), np.int64, n) << 21)
            + (np.fromiter(map(itemgetter(4), g_infos), np.int64, n) << 42)
        )
        self._ids.update(zip(compress(chunks, good), range(base, base + n), strict=True))
        self._out.extend(outs)
        self._kind.extend(repeat(_FIXED, n))
        self._ndraw.extend(repeat(0, n))
        self._packed.extend(packed.tolist())
        self._opts.extend(repeat((), n))
        self._eol.extend(g_eol)
        # the others one by one
        for k in compress(range(len(chunks)), map(not_, good)):
            info = infos[k]
            if info is None or info[1] != _UNIFORM or not ends_ok[ends[k]]:
                self._learn(chunks[k])
                continue
            end = "\n" in spaces[k]
            head, after = heads[k], tails[k] + spaces[k] + _JOIN[end]
            self._ids[chunks[k]] = len(self._out)
            self._out.append("")
            self._kind.append(_UNIFORM)
            self._ndraw.append(1)
            self._packed.append((1 + len(ends[k])) | info[3] << 21 | info[4] << 42)
            self._opts.append(tuple(head + t + after for t in info[2]))
            self._eol.append(end)

    def _mark(self, ch: str) -> bool:
        """A punctuation character that is its own output (not a lexicon entry, not NUL)."""
        t = self.sub.table
        return (
            ch != "\x00" and ch not in t.exact and ch.casefold() not in t.entries and ch not in t.phrase_len
        )

    def _add(self, chunk, fixed, kind, ndraw, counts, opts) -> None:
        end = chunk.endswith("\n")
        join = "" if end else " "
        if kind == _FALLBACK and end:
            fixed = "\n"  # a placeholder that keeps the line count; the line is redone by the token path
        self._ids[chunk] = len(self._out)
        self._out.append(fixed + join if kind == _FIXED or kind == _FALLBACK else "")
        self._kind.append(kind)
        self._ndraw.append(ndraw)
        tokens, words, replaced = counts
        self._packed.append(tokens | words << 21 | replaced << 42)
        self._opts.append(tuple(t + join for t in opts) if kind == _UNIFORM else opts)
        self._eol.append(end)

    def _tables(self):
        """numpy copies of the chunk table, extended with the chunks learnt since the last call: kind,
        draws, packed counts, number of options, offset into the flat option array, output + joiner,
        ends-a-line, and the flat option array."""
        have = 0 if self._arrays is None else len(self._arrays[0])
        if have < len(self._out):
            kinds = np.array(self._kind[have:], np.int8)
            uni = (np.flatnonzero(kinds == _UNIFORM) + have).tolist()
            opts = [self._opts[i] for i in uni]
            nopt = np.zeros(len(kinds), np.uint64)
            nopt[np.array(uni, np.int64) - have] = [len(o) for o in opts]
            offs = np.cumsum(nopt, dtype=np.int64) - nopt.astype(np.int64) + self._nopts
            self._nopts += int(nopt.sum())
            rows = (
                kinds,
                np.array(self._ndraw[have:], np.int64),
                np.array(self._packed[have:], np.int64),
                nopt,
                offs,
                _objects(self._out[have:]),
                np.array(self._eol[have:], bool),
                _objects([t for o in opts for t in o]),
            )
            self._arrays = (
                rows
                if self._arrays is None
                else tuple(np.concatenate((old, new)) for old, new in zip(self._arrays, rows, strict=True))
            )
        return self._arrays

    # -- blocks ---------------------------------------------------------------------------------
    def block(self, text: str, start: int, min_replaced: int = 0) -> tuple[str, np.ndarray, np.ndarray]:
        """Translate the lines of `text` (numbered from `start`, which seeds each line's random stream).
        Returns (the kept lines' output, joined; counts, an int64 array of shape (n lines, 4) holding
        tokens, words, replaced, unknown per line; keep, a bool array of shape (n lines,) marking lines with
        at least `min_replaced` replaced words)."""
        if len(self._out) > CACHE_CAP:  # an open-ended vocabulary: start the caches afresh
            self._reset()
            self.sub.clear_cache()
        if len(text) >= MAX_BLOCK:
            return self._by_line(text, start, min_replaced)
        last_nl = text.endswith("\n")
        # A space after each LF makes one split give every line's chunks in order, the LF closing its
        # line's last chunk; chunk outputs carry their joiner (a space, none after a LF), so a plain
        # concatenation rebuilds the text.
        body = text.replace("\n", "\n ")
        flat = (body[:-1] if last_nl else body).split(" ")
        try:
            ids = np.fromiter(map(self._ids.__getitem__, flat), np.int64, len(flat))
        except KeyError:  # new chunks: learn them all at once
            self._learn_many(set(flat).difference(self._ids))
            ids = np.fromiter(map(self._ids.__getitem__, flat), np.int64, len(flat))
        kind_t, ndraw_t, counts_t, nopt_t, offs_t, out_t, eol_t, opt_t = self._tables()
        starts = np.flatnonzero(eol_t[ids])  # the chunks ending a line (every LF ends one)
        n = len(starts) + (0 if last_nl else 1)
        starts = np.concatenate(([0], starts[: n - 1] + 1))
        packed = np.add.reduceat(counts_t[ids], starts)
        words, replaced = (packed >> 21) & 0x1FFFFF, packed >> 42
        counts = np.stack([packed & 0x1FFFFF, words, replaced, words - replaced], axis=1)
        kind = kind_t[ids]
        outs = out_t[ids]
        special = np.flatnonzero(kind)  # chunks with a draw or a fallback: few
        if len(special):
            line = np.searchsorted(starts, special, side="right") - 1
            is_fb = kind[special] == _FALLBACK
            drawn = ~is_fb
            self._choose(ids, kind, special[drawn], line[drawn], start, outs, ndraw_t, nopt_t, offs_t, opt_t)
            if is_fb.any():
                self._fallback(
                    flat, outs, counts, starts, sorted(set(line[is_fb].tolist())), start, n, last_nl
                )
        keep = counts[:, 2] >= min_replaced
        if not keep.all():
            outs = outs[np.repeat(keep, np.diff(starts, append=len(ids)))]
        joined = "".join(outs.tolist())
        if not last_nl and keep[-1]:
            joined = joined[:-1]  # the joiner after the very last chunk
        return joined, counts, keep

    def _fallback(self, flat, outs, counts, starts, lines, start, n, last_nl) -> None:
        """Redo `lines` (a phrase start, a word to drop, a NUL) by the token path, in place: each line's
        output goes into its first chunk's slot and its other slots become empty."""
        for i in lines:
            a = int(starts[i])
            b = int(starts[i + 1]) if i + 1 < n else len(flat)
            out, *c = self.sub.line(" ".join(flat[a:b]), start + i)
            if i == n - 1 and not last_nl:
                out += " "  # stands for the joiner that block() cuts off the very last chunk
            outs[a] = out
            outs[a + 1 : b] = ""
            counts[i] = c

    def _by_line(self, text: str, start: int, min_replaced: int):
        rows = [self.sub.line(line, start + i) for i, line in enumerate(split_lines(text))]
        counts = np.array([r[1:] for r in rows], dtype=np.int64).reshape(-1, 4)
        keep = counts[:, 2] >= min_replaced
        return "".join(r[0] for r, k in zip(rows, keep.tolist(), strict=False) if k), counts, keep

    def _choose(self, ids, kind, pos, line, start, outs, ndraw_t, nopt_t, offs_t, opt_t) -> None:
        """Draw every choice of the block (chunks at `pos`, in lines `line`): draw j of line i uses the
        LCG state j+1 steps after mix(mix(seed) ^ i), exactly as rng.Stream does, computed with
        jump-ahead coefficients."""
        if not len(pos):
            return
        cid = ids[pos]
        nd = ndraw_t[cid]
        before = np.cumsum(nd) - nd  # draws earlier in the block
        first = np.empty(len(pos), bool)  # the first drawing chunk of its line
        first[0] = True
        np.not_equal(line[1:], line[:-1], out=first[1:])
        rank = before - before[first][np.cumsum(first) - 1]  # draws earlier in the same line
        s0 = mix_np(_U64(self.seed_mix) ^ (line.astype(np.uint64) + _U64(start)))
        jumps = self._jump_table(int(rank.max()) + int(nd.max()) + 1)
        uni = np.flatnonzero(kind[pos] == _UNIFORM)
        if len(uni):
            c, step = cid[uni], rank[uni] + 1
            s = jumps[step, 0] * s0[uni] + jumps[step, 1]
            pick = ((s >> _U64(32)) * nopt_t[c]) >> _U64(32)
            outs[pos[uni]] = opt_t[offs_t[c] + pick.astype(np.int64)]
        if len(uni) == len(pos):
            return
        python = np.ones(len(pos), bool)
        python[uni] = False
        for k in np.flatnonzero(python).tolist():
            parts, choices = self._opts[int(cid[k])]
            a, c = self._jump(int(rank[k]))
            s = (a * int(s0[k]) + c) & M64
            parts = list(parts)
            for at, targets, cw in choices:
                s = (s * A + C) & M64
                parts[at] = (
                    targets[pick_weighted(s, cw)]
                    if cw is not None
                    else targets[((s >> 32) * len(targets)) >> 32]
                )
            outs[pos[k]] = "".join(parts) + ("" if self._eol[int(cid[k])] else " ")

    def _jump_table(self, n: int) -> np.ndarray:
        """The jump coefficients for 0..n-1 steps as a uint64 array (kept between blocks)."""
        self._jump(n)
        if self._jumps_np is None or len(self._jumps_np) < len(self._jumps):
            self._jumps_np = np.array(self._jumps, dtype=np.uint64)
        return self._jumps_np

    # -- streams --------------------------------------------------------------------------------
    def run_text(
        self, blocks: Iterable[str], counts, min_replaced: int, progress=None, start: int = 0
    ) -> Iterator[str]:
        """Translate text blocks (each made of whole lines; the first is line `start`), yielding the kept
        output a block at a time and adding to `counts` (a MonoCounts) as it goes."""
        first = start
        for text in blocks:
            if not text:
                continue
            if progress is not None:
                progress.advance(utf8_size(text))
            out, c, keep = self.block(text, start, min_replaced)
            start += len(c)
            counts.words_in += int(c[:, 1].sum())
            counts.replaced_in += int(c[:, 2].sum())
            kept = c[keep]
            counts.sentences_out += int(keep.sum())
            counts.tokens += int(kept[:, 0].sum())
            counts.words += int(kept[:, 1].sum())
            counts.replaced += int(kept[:, 2].sum())
            counts.unknown += int(kept[:, 3].sum())
            if out:
                yield out
        counts.sentences_in += start - first

    def run(self, lines: Iterable[str], counts, min_replaced: int, progress=None) -> Iterator[str]:
        """Same over lines (each ending with a LF, except perhaps the last)."""
        it = iter(lines)
        blocks = iter(lambda: "".join(islice(it, BLOCK)), "")
        return self.run_text(blocks, counts, min_replaced, progress)


def split_lines(text: str, n: int | None = None) -> list[str]:
    """The lines of `text`, each with its LF (a last line without one stays as it is); with `n`, an empty
    unterminated last line is kept while fewer than `n` lines were found."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1] or (n is not None and len(out) < n):
        out.append(parts[-1])
    return out


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out
