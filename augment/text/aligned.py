"""Line-aligned pseudo-mono output: when the line number of the input matters (a verse-per-line Bible, a
text with a vref sidecar), a filtered line is written as an empty line instead of being left out, so output
line N is always the translation of input line N; the filtered line numbers go to the manifest either way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from lexres.augment.substitute.engine import Substituter
from lexres.augment.substitute.fast import FastLines, split_lines
from lexres.augment.text.blocks import MonoCounts
from lexres.errors import OptionError
from lexres.progress import Progress, utf8_size


def verse_per_line(path: str | Path) -> bool:
    """Whether `path` reads as a line-aligned corpus whose line numbers matter: a `vref.txt` beside it (or a
    `<file>.vref` sidecar), or exactly as many lines as a standard eBible vref list (whole Bible, Old or
    New Testament)."""
    path = Path(path)
    if (path.parent / "vref.txt").is_file() or path.with_name(path.name + ".vref").is_file():
        return True
    from lexres.books import books
    from lexres.versification import standard_vref

    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    n += last != b"\n"
    full, table = standard_vref(), books()
    sizes = {len(full)} | {sum(1 for k in full if table[k[0]][2] == part) for part in ("OT", "NT")}
    return n in sizes


def line_ending(line: str) -> str:
    """The line break a line ends with (CRLF, LF, or none for an unterminated last line)."""
    return "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""


def fast_blocks(sub: Substituter, counts: MonoCounts, blocks: Iterable[str], filtered: list[int],
                progress: Progress | None, blank: bool, start: int = 0) -> Iterator[str]:
    """The fast substitution path over blocks of whole lines, noting the 1-based number of every line with
    fewer than `min_replaced` replacements in `filtered`. Such a line is left out, or with `blank` written
    as an empty line (its line break kept). Adds to `counts` as it goes. `start` is the 0-based number of
    the first line in the whole input (a part of a file): it keys the random choices and the numbers noted.

    Raises OptionError when an output line holds a line break (alignment could not be kept)."""
    fast, min_replaced, first = FastLines(sub), sub.options.min_replaced, start
    for text in blocks:
        if not text:
            continue
        if progress is not None:
            progress.advance(utf8_size(text))
        out, c, keep = fast.block(text, start, 0 if blank else min_replaced)
        keep = c[:, 2] >= min_replaced
        counts.words_in += int(c[:, 1].sum())
        counts.replaced_in += int(c[:, 2].sum())
        kept = c[keep]
        counts.sentences_out += int(keep.sum())
        counts.tokens += int(kept[:, 0].sum())
        counts.words += int(kept[:, 1].sum())
        counts.replaced += int(kept[:, 2].sum())
        counts.unknown += int(kept[:, 3].sum())
        if not keep.all():
            filtered.extend((np.flatnonzero(~keep) + (start + 1)).tolist())
            if blank:
                out = _blank(out, text, keep.tolist())
        start += len(c)
        if out:
            yield out
    counts.sentences_in += start - first


def _blank(out: str, text: str, keep: list[bool]) -> str:
    outs, ins = split_lines(out, len(keep)), split_lines(text, len(keep))
    if len(outs) != len(keep):
        raise OptionError("an output line contains a line break, so lines cannot stay aligned",
                          hint="use a --mark without line breaks, or pass --no-keep-alignment")
    return "".join(o if k else line_ending(i) for o, i, k in zip(outs, ins, keep, strict=True))
