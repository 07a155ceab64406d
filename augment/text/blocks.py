"""Pieces shared by the serial pseudo-mono run and its parts (`pseudo_mono`, `aligned`): reading UTF-8 text
as blocks of whole lines, cutting a file into ranges of whole lines for parallel parts, and the counts a run
keeps. Kept apart so that those modules import none of each other's internals (and form no import cycle)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from lexres import defaults
from lexres.errors import ParseError

#: Bytes read per block (see lexres.defaults.BLOCK_BYTES).
BLOCK_BYTES = defaults.BLOCK_BYTES


@dataclass
class MonoCounts:
    """What a pseudo-mono run did, filled in as it streams (so not frozen). `words`/`replaced` count word
    tokens of the sentences written; `*_in` of all input; `inflected`/`uninflected` count target lemmas
    that found / did not find a paradigm form under --morph."""

    sentences_in: int = 0
    sentences_out: int = 0
    tokens: int = 0
    words: int = 0
    replaced: int = 0
    unknown: int = 0
    words_in: int = 0
    replaced_in: int = 0
    inflected: int = 0
    uninflected: int = 0

    def add(self, other: MonoCounts) -> None:
        """Add another run's counts to these (the parts of a parallel run)."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int | float]:
        """The counts by name plus `replaced_share` (of the written words) and `replaced_share_in` (of all
        input words), fractions 0-1 rounded to 6 places: the `counts` of the command's result."""
        d: dict[str, int | float] = {f.name: getattr(self, f.name) for f in fields(self)}
        d["replaced_share"] = round(self.replaced / self.words, 6) if self.words else 0.0
        d["replaced_share_in"] = round(self.replaced_in / self.words_in, 6) if self.words_in else 0.0
        return d


def decode(data: bytes, path: str | Path, first_line: int) -> str:
    """`data` (whole lines of `path` starting after line `first_line`, 0-based count) as UTF-8 text.
    Raises ParseError naming the file and the 1-based line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            path, line, f"not UTF-8 text ({exc.reason} at byte {exc.start})", hint="convert the file to UTF-8"
        ) from exc


def read_blocks(path: str | Path, size: int = BLOCK_BYTES) -> Iterator[str]:
    """Whole lines of a UTF-8 file, about `size` bytes at a time (lines end at LF only, so a CRLF
    ending stays part of its line and is written back as it was). Raises ParseError for bad UTF-8."""
    size = max(int(size), 1)
    end = Path(path).stat().st_size
    return read_range(path, 0, end, 0, size)


def read_range(
    path: str | Path, start: int, end: int, first_line: int, size: int = BLOCK_BYTES
) -> Iterator[str]:
    """Whole lines of the byte range [start, end) of a UTF-8 file (which must begin at a line start; line
    `first_line` is its first, 0-based, for error messages), about `size` bytes at a time. The last block
    may end without a LF. Raises ParseError for bad UTF-8."""
    with open(path, "rb") as fh:
        fh.seek(start)
        rest, line, left = b"", first_line, end - start
        while left > 0 or rest:
            buf = fh.read(min(size, left)) if left > 0 else b""
            left = left - len(buf) if buf else 0  # no bytes left: the file is shorter than the range
            buf = rest + buf
            cut = buf.rfind(b"\n") + 1 if left > 0 else len(buf)
            if cut == 0:
                rest = buf
                continue
            rest = buf[cut:]
            yield decode(buf[:cut], path, line)
            line += buf.count(b"\n", 0, cut)


def split_ranges(path: str | Path, parts: int, size: int = BLOCK_BYTES) -> list[tuple[int, int, int]]:
    """[(start byte, end byte, number of the range's first line, 0-based)] cutting the file into about
    `parts` ranges of whole lines, in order and covering it (fewer ranges when it has fewer lines); lines are
    counted `size` bytes at a time."""
    total = Path(path).stat().st_size
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, max(int(parts), 1)):
            fh.seek(max(total * k // parts, cuts[-1]))
            fh.readline()  # to the end of the line under the cut
            pos = fh.tell()
            if cuts[-1] < pos < total:
                cuts.append(pos)
        cuts.append(total)
        ranges, line, at = [], 0, 0
        fh.seek(0)
        for a, b in zip(cuts, cuts[1:], strict=False):
            while at < a:  # count the lines before this range
                data = fh.read(min(max(int(size), 1), a - at))
                line += data.count(b"\n")
                at += len(data)
            ranges.append((a, b, line))
    return ranges
