"""The fast path of pseudo-mono. A block of text is split on single spaces into chunks ("Abraham:", "God's",
"David.\n") that get an id; what a chunk becomes is learnt once (via `Substituter`), and the block is then
translated with numpy: per-chunk outputs and counts by id, and the seeded choices for ambiguous words drawn
for the whole block at once. Lines holding a phrase start, a word to drop or a NUL go through
`Substituter.line()`. The output is identical to the token path (`Substituter.sentence()`), draw for draw."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

import numpy as np

from .rng import M64, A, C, mix, pick_weighted
from .substitute import _KNOWN, _SPECIAL, Substituter
from .tokenize import _SPLIT, _WORD

_ONE = re.compile(_WORD.pattern + r"|[^\w\s]")
_PLAIN = re.compile(r"([^\w\s]*)(" + _WORD.pattern + r")([^\w\s]*)(\s*)")  # marks, word, marks, space
_LETTER = re.compile(r"[^\W\d_]")

BLOCK = 4096  # lines per block when fed lines
CACHE_CAP = 1 << 19  # chunks; the tables are reset when full, so memory stays flat on any input
MAX_BLOCK = 1 << 21  # characters: per-line counts are packed in 21-bit fields
_FIXED, _UNIFORM, _PYTHON, _FALLBACK = 0, 1, 2, 3  # chunk kinds
_U64 = np.uint64


def mix_np(x: np.ndarray) -> np.ndarray:
    """rng.mix over a uint64 array (wrapping arithmetic, as in the scalar version)."""
    x = x + _U64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


class FastLines:
    """Chunk-table substitution of blocks of lines for one Substituter."""

    def __init__(self, sub: Substituter):
        self.sub = sub
        self.seed_mix = mix(sub.options.seed & M64)
        self._jumps = [(1, 0)]  # (A^n, C*(A^n-1)/(A-1)) mod 2^64: the LCG state after n steps from s0
        self._reset()

    def _reset(self) -> None:
        self._ids: dict[str, int] = {}
        self._tok: dict[str, tuple] = {}
        self._marks: dict[str, bool] = {}
        # One row per chunk: (fixed output or "", kind, draws, tokens, words, replaced, options, ends a line).
        # Options: _UNIFORM: the chunk's possible outputs; _PYTHON: (parts, choices). A chunk that ends its
        # line gets no space joined after it.
        self._rows: list[tuple] = []
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
        sub = self.sub
        if tok not in sub._fixed:
            sub._classify(tok)
        fixed, code = sub._fixed[tok], sub._code[tok]
        kind, opts = _FIXED, ()
        if fixed is _SPECIAL:
            ent = sub._cache[tok]
            fixed = None
            if ent[3] or ent[0] != _KNOWN:  # a phrase start or a word to drop
                kind = _FALLBACK
            elif ent[2] is None:
                kind, opts = _UNIFORM, ent[1]
            else:
                kind, opts = _PYTHON, (ent[1], ent[2])
        info = (fixed, kind, opts, int(code != 0), int(code == _KNOWN))
        self._tok[tok] = info
        return info

    def _learn(self, chunk: str) -> int:
        """Learn what a chunk becomes, from the rows of its tokens."""
        info = self._tok.get(chunk)
        if info is None and _ONE.fullmatch(chunk):
            info = self._token(chunk)
        if info is not None and info[1] in (_FIXED, _UNIFORM):  # a chunk of one token: the usual case
            fixed, kind, opts, w, r = info
            return self._add(chunk, fixed or "", kind, int(kind == _UNIFORM), (1, w, r), opts)
        parts = _SPLIT.split(chunk)
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
        """Learn new chunks; the commonest shape, one word with marks around it ("(Abraham:", "God's,"
        is one word), with a few dict lookups, the others through `_learn`."""
        opts = self.sub.options
        if opts.unknown == "drop":
            for chunk in chunks:
                self._learn(chunk)
            return
        table = self.sub.table
        exact, entries, plen, marks = table.exact, table.entries, table.phrase_len, self._marks
        mark = opts.mark if opts.unknown == "mark" else None
        rows, ids = self._rows, self._ids
        tok_get = self._tok.get
        for chunk in chunks:
            if not mark and chunk.isalpha():  # a plain word: most new chunks, and most are unknown
                folded = chunk.casefold()
                if chunk not in exact and folded not in entries and folded not in plen:
                    ids[chunk] = len(rows)
                    rows.append((chunk, _FIXED, 0, 1, 1, 0, (), False))
                    continue
            m = _PLAIN.fullmatch(chunk)
            if m is None:
                self._learn(chunk)
                continue
            head, word, tail, space = m.groups()
            ends = head + tail
            if ends and not all(marks[ch] if ch in marks else self._mark(ch) for ch in ends):
                self._learn(chunk)
                continue
            eol = chunk.endswith("\n")
            folded = word.casefold()
            if word in exact or folded in entries or folded in plen:  # a lexicon word: from its token row
                fixed, kind, choices, w, r = tok_get(word) or self._token(word)
                if kind == _FIXED:
                    row = (head + fixed + tail + space, _FIXED, 0, 1 + len(ends), w, r, (), eol)
                elif kind == _UNIFORM:
                    row = (
                        "",
                        _UNIFORM,
                        1,
                        1 + len(ends),
                        w,
                        r,
                        tuple(head + t + tail + space for t in choices),
                        eol,
                    )
                else:
                    self._learn(chunk)
                    continue
            else:
                is_word = word.isalpha() or _LETTER.search(word) is not None
                out = head + mark.format(word=word) + tail + space if mark and is_word else chunk
                row = (out, _FIXED, 0, 1 + len(ends), int(is_word), 0, (), eol)
            ids[chunk] = len(rows)
            rows.append(row)

    def _mark(self, ch: str) -> bool:
        """A punctuation character that is its own output (not a lexicon entry, not NUL)."""
        t = self.sub.table
        ok = ch != "\x00" and ch not in t.exact and ch.casefold() not in t.entries and ch not in t.phrase_len
        self._marks[ch] = ok
        return ok

    def _add(self, chunk, fixed, kind, ndraw, counts, opts) -> int:
        eol = chunk.endswith("\n")
        if kind == _FALLBACK and eol:
            fixed = "\n"  # a placeholder that keeps the line count; the line is redone by the token path
        cid = len(self._rows)
        self._ids[chunk] = cid
        self._rows.append((fixed, kind, ndraw, *counts, opts, eol))
        return cid

    def _tables(self):
        """numpy copies of the chunk table, extended with the rows learnt since the last call: kind,
        draws, packed counts, number of options, offset into the flat option array, fixed output + joiner,
        ends-a-line, and the flat option array (each option + joiner)."""
        have = 0 if self._arrays is None else len(self._arrays[0])
        if have < len(self._rows):
            fixed, kinds, ndraw, tokens, words, replaced, opts, eol = zip(*self._rows[have:], strict=False)
            nopt = [len(o) if k == _UNIFORM else 0 for k, o in zip(kinds, opts, strict=False)]
            offs = np.cumsum((0, *nopt[:-1]), dtype=np.int64) + self._nopts
            self._nopts += sum(nopt)
            flat = [
                t if e else t + " "
                for k, o, e in zip(kinds, opts, eol, strict=True)
                if k == _UNIFORM
                for t in o
            ]
            out = [o if e else o + " " for o, e in zip(fixed, eol, strict=False)]
            packed = (
                np.array(tokens, np.int64)
                | np.array(words, np.int64) << 21
                | np.array(replaced, np.int64) << 42
            )
            rows = (
                np.array(kinds, np.int8),
                np.array(ndraw, np.int64),
                packed,
                np.array(nopt, np.uint64),
                offs,
                _objects(out),
                np.array(eol, bool),
                _objects(flat),
            )
            self._arrays = (
                rows
                if self._arrays is None
                else tuple(np.concatenate((old, add)) for old, add in zip(self._arrays, rows, strict=False))
            )
        return self._arrays

    # -- blocks ---------------------------------------------------------------------------------
    def block(self, text: str, start: int, min_replaced: int = 0) -> tuple[str, np.ndarray, np.ndarray]:
        """Translate the lines of `text` (numbered from `start`). Returns (the kept lines' output, joined;
        counts[n, 4] = tokens, words, replaced, unknown per line; kept mask)."""
        if len(self._rows) > CACHE_CAP:  # an open-ended vocabulary: start the caches afresh
            self._reset()
            self.sub.clear_cache()
        last_nl = text.endswith("\n")
        n = text.count("\n") + (0 if last_nl else 1)
        if len(text) >= MAX_BLOCK:
            return self._by_line(text, start, min_replaced)
        # A space after each LF makes one split give every line's chunks in order, the LF closing its
        # line's last chunk; chunk outputs carry their joiner (a space, none after a LF), so a plain
        # concatenation rebuilds the text.
        body = text.replace("\n", "\n ")
        flat = (body[:-1] if last_nl else body).split(" ")
        get = self._ids.get
        ids_list = list(map(get, flat))
        if None in ids_list:
            self._learn_many(set(flat).difference(self._ids))
            ids_list = list(map(get, flat))
        kind_t, ndraw_t, counts_t, nopt_t, offs_t, out_t, eol_t, opt_t = self._tables()
        ids = np.array(ids_list, dtype=np.int64)
        starts = np.concatenate(([0], np.flatnonzero(eol_t[ids])[: n - 1] + 1))
        ends = np.append(starts[1:], len(ids))
        packed = np.add.reduceat(counts_t[ids], starts)
        words, replaced = (packed >> 21) & 0x1FFFFF, packed >> 42
        counts = np.stack([packed & 0x1FFFFF, words, replaced, words - replaced], axis=1)
        kind = kind_t[ids]
        outs = out_t[ids]
        line_of = None
        if kind.any():
            line_of = np.repeat(np.arange(n), ends - starts)
            self._choose(ids, kind, line_of, ends, start, outs, ndraw_t, nopt_t, offs_t, opt_t, eol_t)
        keep = counts[:, 2] >= min_replaced
        fallback = np.flatnonzero(np.add.reduceat((kind == _FALLBACK).astype(np.int64), starts)).tolist()
        if fallback:
            texts = _lines("".join(outs.tolist())[: None if last_nl else -1], n)
            originals = _lines(text)
            for i in fallback:
                texts[i], *c = self.sub.line(originals[i], start + i)
                counts[i] = c
            keep = counts[:, 2] >= min_replaced
            return "".join([t for t, k in zip(texts, keep.tolist(), strict=False) if k]), counts, keep
        if not keep.all():
            if line_of is None:
                line_of = np.repeat(np.arange(n), ends - starts)
            outs = outs[keep[line_of]]
        joined = "".join(outs.tolist())
        if not last_nl and keep[-1]:
            joined = joined[:-1]  # the joiner after the very last chunk
        return joined, counts, keep

    def _by_line(self, text: str, start: int, min_replaced: int):
        rows = [self.sub.line(line, start + i) for i, line in enumerate(_lines(text))]
        counts = np.array([r[1:] for r in rows], dtype=np.int64).reshape(-1, 4)
        keep = counts[:, 2] >= min_replaced
        return "".join(r[0] for r, k in zip(rows, keep.tolist(), strict=False) if k), counts, keep

    def _choose(self, ids, kind, line_of, ends, start, outs, ndraw_t, nopt_t, offs_t, opt_t, eol_t) -> None:
        """Draw every choice of the block: draw j of line i uses the LCG state j+1 steps after
        mix(mix(seed) ^ i), exactly as rng.Stream does, computed with jump-ahead coefficients."""
        ndraw = ndraw_t[ids]
        cum = np.cumsum(ndraw)
        before_line = np.concatenate(([0], cum[ends - 1]))[:-1]  # draws in earlier lines
        rank = cum - ndraw - before_line[line_of]  # draws earlier in the same line
        s0 = mix_np(_U64(self.seed_mix) ^ (np.arange(len(ends), dtype=np.uint64) + _U64(start)))
        self._jump(int(rank.max()) + int(ndraw.max()) + 1)
        jumps = np.array(self._jumps, dtype=np.uint64)
        uni = np.flatnonzero(kind == _UNIFORM)
        if len(uni):
            cid, step = ids[uni], rank[uni] + 1
            s = jumps[step, 0] * s0[line_of[uni]] + jumps[step, 1]
            pick = ((s >> _U64(32)) * nopt_t[cid]) >> _U64(32)
            outs[uni] = opt_t[offs_t[cid] + pick.astype(np.int64)]
        for p in np.flatnonzero(kind == _PYTHON).tolist():
            cid = int(ids[p])
            row = self._rows[cid]
            parts, choices = row[6]
            a, c = self._jump(int(rank[p]))
            s = (a * int(s0[line_of[p]]) + c) & M64
            parts = list(parts)
            for pos, targets, cw in choices:
                s = (s * A + C) & M64
                parts[pos] = (
                    targets[pick_weighted(s, cw)]
                    if cw is not None
                    else targets[((s >> 32) * len(targets)) >> 32]
                )
            outs[p] = "".join(parts) + ("" if row[7] else " ")

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
                progress.advance(len(text))
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


def _lines(text: str, n: int | None = None) -> list[str]:
    """The lines of `text`, each with its LF; `n` keeps an empty unterminated last line."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1] or (n is not None and len(out) < n):
        out.append(parts[-1])
    return out


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out
