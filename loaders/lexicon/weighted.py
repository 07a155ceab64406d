"""A plain weighted word list, `source<TAB>target[<TAB>weight]` (MUSE style with an optional weight), read as
(source, target, weight) triples for callers that take a lexicon from a file instead of the store (e.g. `adapt
init-embeddings --lexicon FILE`). `#` lines and blank lines are skipped; the weight defaults to 1."""

from __future__ import annotations

import math
from pathlib import Path

from lexres.errors import OptionError, ParseError


def read_weighted_pairs(path: str | Path) -> list[tuple[str, str, float]]:
    """(source, target, weight) for every line of the file, in file order.

    Raises OptionError (no such file) and ParseError (FILE:LINE for bad bytes, a wrong field count, a weight
    that is not a non-negative finite number, or a file with no pairs)."""
    p = Path(path)
    if not p.is_file():
        raise OptionError(f"lexicon file `{p}` not found", hint="check the path")
    out = []
    with open(p, "rb") as fh:
        data = fh.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for no, raw in enumerate(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(p, no, "not UTF-8 text") from exc
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3) or not cols[0].strip() or not cols[1].strip():
            raise ParseError(p, no, f"expected `source<TAB>target[<TAB>weight]`, got {len(cols)} fields")
        weight = 1.0
        if len(cols) == 3:
            try:
                weight = float(cols[2])
            except ValueError as exc:
                raise ParseError(p, no, f"weight `{cols[2]}` is not a number") from exc
            if not math.isfinite(weight) or weight < 0:
                raise ParseError(p, no, f"weight `{cols[2]}` must be a non-negative number")
        out.append((cols[0].strip(), cols[1].strip(), weight))
    if not out:
        raise ParseError(p, None, "no lexicon entries")
    return out
