"""Optional scale-out of pseudo-mono over processes with dask (extra `scale`). The input is cut at line
ends into one contiguous range per worker; each worker streams its range with its own caches and writes a
part file; the parts are joined in order. Choices depend only on (seed, line number), so the output is
byte-identical to a single-process run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lexres.errors import require
from lexres.augment.substitute.fast import FastLines
from lexres.augment.text.pseudo_mono import BLOCK_BYTES, MonoCounts, _decode
from lexres.augment.substitute.engine import Substituter

CHUNK = BLOCK_BYTES


def split_ranges(path: str | Path, parts: int) -> list[tuple[int, int, int]]:
    """[(start byte, end byte, number of the first line)] cutting the file into about `parts` ranges
    of whole lines."""
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


def _blocks(path: Path, a: int, b: int, first_line: int):
    with open(path, "rb") as fh:
        fh.seek(a)
        rest, line, left = b"", first_line, b - a
        while left > 0 or rest:
            buf = fh.read(min(CHUNK, left)) if left > 0 else b""
            left -= len(buf)
            buf = rest + buf
            cut = buf.rfind(b"\n") + 1 if left > 0 else len(buf)
            if cut == 0:
                rest = buf
                continue
            rest = buf[cut:]
            yield _decode(buf[:cut], path, line)
            line += buf.count(b"\n", 0, cut)


def _run_range(sub: Substituter, path: str, part: str, a: int, b: int, first_line: int) -> MonoCounts:
    counts = MonoCounts()
    with open(part, "w", encoding="utf-8", newline="") as dst:
        blocks = _blocks(Path(path), a, b, first_line)
        for out in FastLines(sub).run_text(blocks, counts, sub.options.min_replaced, start=first_line):
            dst.write(out)
    return counts


def run_file_parallel(sub: Substituter, input: str | Path, output: str | Path, workers: int) -> MonoCounts:
    """`pseudo_mono.run_file` over `workers` processes (the fast path only)."""
    dask = require("dask", "scale")
    input, output = Path(input), Path(output)
    ranges = split_ranges(input, workers)
    parts = [output.with_name(f"{output.name}.part{k}") for k in range(len(ranges))]
    tmp = output.with_name(output.name + ".part")
    try:
        tasks = [
            dask.delayed(_run_range)(sub, str(input), str(p), a, b, line)
            for p, (a, b, line) in zip(parts, ranges, strict=True)
        ]
        results = dask.compute(*tasks, scheduler="processes", num_workers=workers)
        with open(tmp, "wb") as dst:
            for p in parts:
                with open(p, "rb") as src:
                    shutil.copyfileobj(src, dst)
        os.replace(tmp, output)
    finally:
        for p in [*parts, tmp]:
            if p.exists():
                p.unlink()
    total = MonoCounts()
    for c in results:
        for key, value in c.__dict__.items():
            setattr(total, key, getattr(total, key) + value)
    return total
