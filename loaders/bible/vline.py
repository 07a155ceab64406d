"""One verse per line ("vline", eBible style), line N holding the verse named on line N of a vref list.

The vref list is `-o vref=PATH` if given, else a `vref.txt` beside the text, else the standard eBible/org
list (whole, OT-only or NT-only, chosen by the file's line count; its numbering is org). A blank line is a
verse the translation does not have; a line `<range>` means the verse was merged into the one before,
which is then stored as a range (e.g. `ROM 16:25-27`)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.books import books
from lexres.errors import LexresError, OptionError, ParseError
from lexres.formats import ReadContext
from lexres.records import Reject

from lexres.loaders.bible.common import REF, SCHEMES, parse_ref, reject, set_scheme, verse
from lexres.versification import standard_vref

RANGE = "<range>"


def _count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _standard(lines: int) -> tuple[list[tuple[str, int, int, int | None]], str] | None:
    table = books()
    full = standard_vref()
    for part, label in ((None, "whole"), ("OT", "Old Testament"), ("NT", "New Testament")):
        refs = [k for k in full if part is None or table[k[0]][2] == part]
        if len(refs) == lines:
            return [(b, c, v, None) for b, c, v in refs], label
    return None


def _read_vref(path: Path) -> list[tuple[str, int, int, int | None]]:
    out = []
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(parse_ref(line))
            except LexresError as exc:
                raise ParseError(path, n, str(exc)) from exc
    return out


def vref_for(path: Path, ctx: ReadContext) -> list[tuple[str, int, int, int | None]]:
    """The reference of each line of `path`, and the scheme its numbering follows (set on ctx)."""
    given = ctx.option("vref")
    declared = path.name.split("_", 1)[0].lower() if "_" in path.name else None
    declared = declared if declared in SCHEMES else None
    if given:
        refs = _read_vref(Path(given))
        ctx.note(f"verse references from {Path(given).name} (-o vref)")
        set_scheme(ctx, declared)
        return refs
    beside = path.parent / "vref.txt"
    if beside.is_file() and beside.resolve() != path.resolve():
        ctx.note(f"verse references from the vref.txt beside {path.name}")
        set_scheme(ctx, declared)
        return _read_vref(beside)
    lines = _count_lines(path)
    found = _standard(lines)
    if found is None:
        raise OptionError(f"{path}: {lines} lines match no standard vref list (whole Bible, OT or NT)",
                          hint="give its verse list with -o vref=PATH (one `MRK 1:1` per line)")
    ctx.note(f"verse references: the standard eBible/org vref list ({found[1]}, {lines} lines)")
    set_scheme(ctx, declared or "org")
    return found[0]


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    for path in paths:
        refs = vref_for(path, ctx)
        yield from _read_one(ctx.lines(path), path, refs)


def _read_one(lines, path: Path, refs) -> Iterator:
    pending = None  # the verse before, held back in case the next line is <range>
    for item in lines:
        if isinstance(item, Reject):  # not UTF-8: that verse is rejected, its line named
            yield item
            continue
        n, text = item
        if n > len(refs):
            if text.strip():
                raise ParseError(path, n, f"the file has more lines than its vref list ({len(refs)})",
                                 hint="check the vref list given with -o vref=PATH")
            continue
        book, ch, v, end = refs[n - 1]
        if text.strip() == RANGE:
            if pending is None or (pending.book, pending.chapter) != (book, ch):
                yield reject(n, f"`{RANGE}` for {book} {ch}:{v} does not follow a verse of the same chapter",
                              text, path)
                continue
            pending = verse(pending.book, pending.chapter, pending.verse, pending.text, end=end or v,
                            line=pending.line, path=path)
            continue
        if pending is not None:
            yield pending
            pending = None
        if not text.strip():
            continue
        pending = verse(book, ch, v, text, end=end, line=n, path=path)
    if pending is not None:
        yield pending


def sniff(head: bytes, path: Path) -> float:
    """Plain `.txt` prose, one sentence-like line after another; claims nothing else (READMEs, CSV, NER
    token lines and vref lists all score 0), and stays below every format with real markers."""
    if path.suffix.lower() != ".txt" or head.lstrip()[:1] in (b"<", b"\\", b"#") or b"\t" in head:
        return 0.0
    lines = head.decode("utf-8", errors="replace").splitlines()[:200]
    filled = [ln.strip() for ln in lines if ln.strip() and ln.strip() != RANGE]
    if not filled or all(REF.match(ln) for ln in filled):
        return 0.0  # empty, or a vref list itself
    prose = sum(1 for ln in filled if len(ln.split()) >= 3)
    return 0.4 if prose >= 0.8 * len(filled) else 0.0
