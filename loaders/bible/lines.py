"""Lines of a line-based Bible file (USFM, vline, vref lists) in any of the encodings such files come in.

UTF-8 (with or without a BOM) is read line by line, every line end alike (LF, CRLF, CR alone, U+2028,
U+2029, as lexres.formats.split_lines). UTF-16 and UTF-32, little or big endian, with a BOM or without one
(recognised by their NUL bytes), are decoded whole and then split the same way, with a note naming the
encoding, so they give the same records as UTF-8. A UTF-8 line holding bytes that are not UTF-8 is decoded
with `surrogateescape`: the reader can reject just the verse that holds the bad byte (U+DC80-U+DCFF stand
for it) and keep the rest of the line."""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from lexres.errors import ParseError
from lexres.formats import ReadContext, split_lines

WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
BAD = re.compile("[\udc80-\udcff\x00]")  # an undecodable byte (surrogateescape) or a NUL
LINE_END = re.compile("\r\n|\r|\n|\u2028|\u2029")
HEAD = 4096


def label(codec: str) -> str:
    """`utf-16-le` -> `UTF-16LE`, as iconv names it."""
    return codec.upper().replace("-LE", "LE").replace("-BE", "BE")


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when `data` is UTF-16 or UTF-32, else None (UTF-8 or something else).

    Without a BOM, a head of which an eighth or more are NUL bytes is taken as the wide encoding that
    decodes it cleanly into the most ASCII characters (markup such as `\\v` and digits is ASCII)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    head = data[:HEAD]
    if not head or head.count(0) * 8 < len(head):
        return None
    best, score = None, -1
    for codec in WIDE:
        try:
            text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if "\0" in text:
            continue
        ascii_chars = sum(1 for c in text if c < "\x80")
        if ascii_chars > score:
            best, score = codec, ascii_chars
    return (best, 0) if best else None


def utf8_head(head: bytes) -> bytes:
    """The first bytes of a file as UTF-8, for sniffing: a UTF-16/32 head is decoded (a character cut at
    its end is dropped), anything else is returned as it is."""
    wide = wide_encoding(head)
    if wide is None:
        return head
    codec, skip = wide
    return codecs.getincrementaldecoder(codec)(errors="replace").decode(head[skip:]).encode("utf-8")


def decode_lines(data: bytes, path: Path, note=None) -> Iterator[tuple[int, str, str | None]]:
    """(1-based line, text, problem) for every line of `data`; `problem` says why the line is not clean
    UTF-8 (its bad bytes are U+DC80-U+DCFF in `text`, a NUL stays a NUL), else None. `note(message)` is told
    when the file is read as UTF-16/32.

    Raises ParseError when a UTF-16/32 file does not decode (naming the encoding and the line)."""
    wide = wide_encoding(data)
    if wide is not None:
        codec, skip = wide
        try:
            text = data[skip:].decode(codec)
        except UnicodeDecodeError as exc:
            line = data[skip: skip + exc.start].decode(codec, "replace").count("\n") + 1
            raise ParseError(path, line, f"the file looks like {label(codec)} but is not valid "
                             f"{label(codec)} ({exc.reason})",
                             hint=f"convert it to UTF-8 (e.g. `iconv -f {label(codec)} -t UTF-8`)") from exc
        if note is not None:
            bom = "with" if skip else "without"
            note(f"{path.name}: read as {label(codec)} ({bom} a byte-order mark), not UTF-8")
        pieces = LINE_END.split(text)
        if pieces and pieces[-1] == "":
            pieces.pop()
        for n, line in enumerate(pieces, 1):
            yield n, line, ("NUL byte in the line" if "\0" in line else None)
        return
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    for n, raw in enumerate(split_lines(data), 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield n, raw.decode("utf-8", "surrogateescape"), f"not UTF-8 ({exc.reason} at byte {exc.start})"
            continue
        yield n, text, ("NUL byte in the line" if "\0" in text else None)


def source_lines(ctx: ReadContext, path: Path) -> Iterator[tuple[int, str, str | None]]:
    """decode_lines of a source file, read through the context (progress bar, regular files only)."""
    with ctx.open(path) as fh:
        data = fh.read()
    yield from decode_lines(data, path, ctx.note)


def printable(text: str) -> str:
    """`text` with undecodable bytes shown as U+FFFD and NULs as `\\0`: for a reject's raw column."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\0", "\\0")
