"""Optional scale-out of pseudo-mono over processes with dask (extra `scale`). The input is cut at line
ends into one contiguous range per worker; each worker streams its range with its own caches and writes a
part file; the parts are joined in order. Choices depend only on (seed, line number), so the output is
byte-identical to a single-process run."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from lexres.augment.substitute.engine import Substituter
from lexres.augment.substitute.fast import FastLines
from lexres.augment.text.blocks import BLOCK_BYTES, MonoCounts, read_range
from lexres.errors import require
from lexres.outputs import atomic_output

#: Bytes read at a time when counting lines and streaming a range.
CHUNK = BLOCK_BYTES


def split_ranges(path: str | Path, parts: int) -> list[tuple[int, int, int]]:
    """[(start byte, end byte, number of the first line, 0-based)] cutting the file into about `parts`
    ranges of whole lines (fewer when the file has fewer lines)."""
    size = Path(path).stat().st_size
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, parts):
            target = max(size * k // parts, cuts[-1])
            fh.seek(target)
            fh.readline()  # to the end of the line under the cut
            pos = fh.tell()
            if cuts[-1] < pos < size:
                cuts.append(pos)
        cuts.append(size)
        ranges, line, fh_pos = [], 0, 0
        fh.seek(0)
        for a, b in zip(cuts, cuts[1:], strict=False):
            while fh_pos < a:  # count the lines before this range
                data = fh.read(min(CHUNK, a - fh_pos))
                line += data.count(b"\n")
                fh_pos += len(data)
            ranges.append((a, b, line))
    return ranges


def _run_range(sub: Substituter, path: str, part: str, a: int, b: int, first_line: int) -> MonoCounts:
    """One worker's share: translate bytes [a, b) of `path` into the part file `part`."""
    counts = MonoCounts()
    with open(part, "w", encoding="utf-8", newline="") as dst:
        blocks = read_range(Path(path), a, b, first_line, CHUNK)
        for out in FastLines(sub).run_text(blocks, counts, sub.options.min_replaced, start=first_line):
            dst.write(out)
    return counts


def run_file_parallel(sub: Substituter, input: str | Path, output: str | Path, workers: int) -> MonoCounts:
    """`pseudo_mono.run_file` over `workers` processes (the fast path only); returns the summed counts.
    Raises MissingExtraError without dask (extra `scale`)."""
    dask = require("dask", "scale")
    input, output = Path(input), Path(output)
    ranges = split_ranges(input, workers)
    parts = []  # made here (O_EXCL, so never a link someone left), hidden, removed in any case
    for k in range(len(ranges)):
        fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=f".part{k}", dir=output.parent)
        os.close(fd)
        parts.append(Path(name))
    try:
        tasks = [
            dask.delayed(_run_range)(sub, str(input), str(p), a, b, line)
            for p, (a, b, line) in zip(parts, ranges, strict=True)
        ]
        results = dask.compute(*tasks, scheduler="processes", num_workers=workers)
        # lexres.outputs: temp file + fsync + rename; the caller checked the destination (--force)
        with atomic_output(output, force=True, binary=True) as dst:
            for p in parts:
                with open(p, "rb") as src:
                    shutil.copyfileobj(src, dst)
    finally:
        for p in parts:
            if p.exists():
                p.unlink()
    total = MonoCounts()
    for c in results:
        total.add(c)
    return total
