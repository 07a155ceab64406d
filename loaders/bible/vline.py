"""One verse per line ("vline", eBible style), line N holding the verse named on line N of a vref list.

The vref list is `-o vref=PATH` if given, else a `vref.txt` beside the text, else the standard eBible/org
list (whole, OT-only or NT-only, chosen by the file's line count; its numbering is org). A blank line is a
verse the translation does not have; a line `<range>` means the verse was merged into the one before,
which is then stored as a range (e.g. `ROM 16:25-27`); `<range>` lines after a blank line continue a missing
verse (nothing is stored for them). Lines may end in LF, CRLF, CR or U+2028, and the text and the vref list
may be UTF-8 or UTF-16/32 (lexres.loaders.bible.lines). A line that is not UTF-8 rejects that verse, and the
`<range>` lines that continue it; a vref list line that cannot be read is an error naming the list's file
and line. Verses of peripheral books in a vref list are skipped with a note."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.books import books, is_peripheral
from lexres.errors import LexresError, OptionError, ParseError
from lexres.formats import ReadContext
from lexres.loaders.bible.common import REF, SCHEMES, parse_ref, reject, set_scheme, verse
from lexres.loaders.bible.lines import decode_lines, printable, source_lines, utf8_head
from lexres.versification import standard_vref

RANGE = "<range>"
Ref = tuple[str, int, int, int | None] | None  # None: a verse of a peripheral book, skipped


def _standard(lines: int) -> tuple[list[tuple[str, int, int, int | None]], str] | None:
    table = books()
    full = standard_vref()
    for part, label in ((None, "whole"), ("OT", "Old Testament"), ("NT", "New Testament")):
        refs = [k for k in full if part is None or table[k[0]][2] == part]
        if len(refs) == lines:
            return [(b, c, v, None) for b, c, v in refs], label
    return None


def _read_vref(path: Path, ctx: ReadContext) -> list[Ref]:
    """The references of a vref list, one a line (blank lines skipped).

    Raises ParseError naming the list's file and line (not UTF-8, not a reference, an implausible one)."""
    out: list[Ref] = []
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OptionError(f"{path}: cannot read the vref list ({exc.strerror})",
                          hint="check -o vref=PATH") from exc
    for n, line, problem in decode_lines(data, Path(path), ctx.note):
        if problem:
            raise ParseError(path, n, f"vref list: {problem}: `{printable(line)}`",
                             hint="a vref list is UTF-8 text, one reference like `MRK 1:1` a line")
        if not line.strip():
            continue
        code = line.split()[0].upper()
        if is_peripheral(code):
            ctx.note(f"{Path(path).name}: references to the peripheral book `{code}` are skipped")
            out.append(None)
            continue
        try:
            out.append(parse_ref(line))
        except LexresError as exc:
            raise ParseError(path, n, f"vref list: {exc}") from exc
    return out


def vref_for(path: Path, ctx: ReadContext, lines: int) -> list[Ref]:
    """The reference of each line of `path`, and the scheme its numbering follows (set on ctx)."""
    given = ctx.option("vref")
    declared = path.name.split("_", 1)[0].lower() if "_" in path.name else None
    declared = declared if declared in SCHEMES else None
    if given:
        refs = _read_vref(Path(given), ctx)
        ctx.note(f"verse references from {Path(given).name} (-o vref)")
        set_scheme(ctx, declared)
        return refs
    beside = path.parent / "vref.txt"
    if beside.is_file() and beside.resolve() != path.resolve():
        ctx.note(f"verse references from the vref.txt beside {path.name}")
        set_scheme(ctx, declared)
        return _read_vref(beside, ctx)
    found = _standard(lines)
    if found is None:
        raise OptionError(f"{path}: {lines} lines match no standard vref list (whole Bible, OT or NT)",
                          hint="give its verse list with -o vref=PATH (one `MRK 1:1` per line)")
    ctx.note(f"verse references: the standard eBible/org vref list ({found[1]}, {lines} lines)")
    set_scheme(ctx, declared or "org")
    return found[0]


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per line of each one-verse-a-line file, named by the same line of its vref list, and
    Rejects (file, line) for lines that are not UTF-8. Raises OptionError (vref list unreadable, or no
    standard list fits the line count), ParseError (a bad vref line, more lines than references)."""
    for path in paths:
        lines = list(source_lines(ctx, path))
        refs = vref_for(path, ctx, len(lines))
        yield from _read_one(lines, path, refs)


def _read_one(lines, path: Path, refs: list[Ref]) -> Iterator:
    pending = None  # the verse before, held back in case the next line is <range>
    # what a <range> line continues when no verse is pending: (book, chapter, what) of a missing verse
    # (what = None: it is simply continued) or of a rejected one (what = its line: rejected with it)
    held: tuple[str, int, int | None] | None = None
    for n, text, problem in lines:
        if n > len(refs):
            if text.strip():
                raise ParseError(path, n, f"the file has more lines than its vref list ({len(refs)})",
                                 hint="check the vref list given with -o vref=PATH")
            continue
        ref = refs[n - 1]
        if ref is None:  # a peripheral book
            continue
        book, ch, v, end = ref
        if problem:  # not UTF-8 (or a NUL): that verse is rejected, its line named
            if pending is not None:
                yield pending
                pending = None
            held = (book, ch, n)
            yield reject(n, problem, printable(text), path)
            continue
        if text.strip() == RANGE:
            if pending is not None and (pending.book, pending.chapter) == (book, ch):
                pending = verse(pending.book, pending.chapter, pending.verse, pending.text, end=end or v,
                                line=pending.line, path=path)
            elif pending is None and held is not None and held[:2] == (book, ch):
                if held[2] is not None:
                    yield reject(n, f"`{RANGE}` for {book} {ch}:{v} continues the verse rejected at line "
                                 f"{held[2]}", text, path)
            else:
                yield reject(n, f"`{RANGE}` for {book} {ch}:{v} does not follow a verse of the same chapter",
                             text, path)
            continue
        if pending is not None:
            yield pending
            pending = None
        held = None
        if not text.strip():
            held = (book, ch, None)
            continue
        pending = verse(book, ch, v, text, end=end, line=n, path=path)
    if pending is not None:
        yield pending


def sniff(head: bytes, path: Path) -> float:
    """Plain `.txt` prose, one sentence-like line after another; claims nothing else (READMEs, CSV, NER
    token lines and vref lists all score 0), and stays below every format with real markers."""
    head = utf8_head(head)
    if path.suffix.lower() != ".txt" or head.lstrip()[:1] in (b"<", b"\\", b"#") or b"\t" in head:
        return 0.0
    lines = head.decode("utf-8", errors="replace").splitlines()[:200]
    filled = [ln.strip() for ln in lines if ln.strip() and ln.strip() != RANGE]
    if not filled or all(REF.match(ln) for ln in filled):
        return 0.0  # empty, or a vref list itself
    prose = sum(1 for ln in filled if len(ln.split()) >= 3)
    return 0.4 if prose >= 0.8 * len(filled) else 0.0
