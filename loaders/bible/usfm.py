"""USFM and Paratext SFM: `\\id`, `\\c`, `\\v` (ranges `\\v 2-3`), paragraphs, headings, notes, char styles.

Only what a reader would read as the verse goes into it: footnotes/cross-references (`\\f…\\f*`, `\\x…\\x*`),
headings and titles, alternate/published verse numbers, figures and word attributes (`\\w word|lemma="…"\\w*`)
are left out. The file is read line by line, so memory stays flat."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.books import is_book
from lexres.formats import ReadContext
from lexres.records import Reject

from lexres.loaders.bible.common import reject, set_lang, set_scheme, verse, verse_number
from lexres.loaders.bible.xml import project_settings

TOKEN = re.compile(r"(\\\+?[A-Za-z][A-Za-z0-9]*(?:-[se])?\*?|\\\*)")
NOTES = {"f", "fe", "ef", "x", "ex"}
# Paragraph markers whose whole paragraph is not verse text (headings, titles, intro, book metadata).
SKIP_PARA = {"id", "ide", "h", "toc", "toca", "mt", "mte", "ms", "mr", "s", "sr", "r", "d", "sp", "rem",
             "usfm", "cl", "cd", "sts", "restore", "imt", "is", "ip", "ipi", "im", "imi", "ipq", "imq", "ipr",
             "iq", "ib", "ili", "iot", "io", "iex", "imte", "ie", "periph", "lit", "cp"}
# Paragraph markers that start verse-text paragraphs (they end a skipped heading paragraph).
TEXT_PARA = {"p", "m", "po", "pr", "cls", "pmo", "pm", "pmc", "pmr", "pi", "mi", "nb", "pc", "ph", "b", "q",
             "qr", "qc", "qa", "qm", "qd", "lh", "li", "lf", "lim", "tr", "pb"}
# Character spans whose content is not verse text.
SKIP_CHAR = {"va", "vp", "ca", "fig", "rq"}
# Markers that no note or character span can run past (an unclosed \f must not swallow the next verses).
BOUNDARY = {"v", "c", "id"} | TEXT_PARA


def _base(name: str) -> str:
    return name.lstrip("+").rstrip("*").rstrip("0123456789") or name


class _State:
    """Where the reader is: book, chapter, the verse being collected and what is being skipped."""

    def __init__(self, path: Path, ctx: ReadContext):
        self.path, self.ctx = path, ctx
        self.book: str | None = None
        self.skip_book = False
        self.chapter: int | None = None
        self.verse: tuple[int, int | None, int] | None = None  # (number, end, line)
        self.parts: list[str] = []
        self.note: str | None = None  # open note marker: everything up to its closing marker is dropped
        self.skip_para = False
        self.skip_char: str | None = None
        self.milestone = False
        self.chars: list[str] = []  # open character styles, for cutting `|attributes`
        self.expect: str | None = None  # marker whose argument (id code, chapter or verse number) comes next
        self.eat_space = False  # the one space after an opening marker is part of the marker

    def flush(self):
        if self.verse is not None and self.book and self.chapter is not None:
            number, end, line = self.verse
            rec = verse(self.book, self.chapter, number, "".join(self.parts), end=end, line=line,
                        path=self.path)
            self.verse, self.parts = None, []
            return rec
        self.verse, self.parts = None, []
        return None


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    project = project_settings(paths[0].parent)
    set_lang(ctx, project.get("lang"), f"the Paratext Settings.xml beside {paths[0].name}")
    set_scheme(ctx, project.get("versification"))
    for path in paths:
        yield from _read_one(ctx.lines(path), path, ctx)


def _read_one(lines, path: Path, ctx: ReadContext) -> Iterator:
    st = _State(path, ctx)
    for item in lines:
        if isinstance(item, Reject):  # not UTF-8: the line is rejected with its number
            yield item
            continue
        lineno, text = item
        for piece in TOKEN.split(text):
            if not piece:
                continue
            if piece.startswith("\\"):
                out = _marker(st, piece, lineno)
            else:
                out = _text(st, piece, lineno)
            if out is not None:
                yield out
        if st.verse is not None and not st.note:
            st.parts.append(" ")  # a line break is a space in running text
    rec = st.flush()
    if rec is not None:
        yield rec


def _marker(st: _State, tok: str, lineno: int):
    name = tok[1:]
    st.eat_space = not name.endswith("*")
    open_mark = st.note or st.skip_char
    if open_mark is not None and _base(name) in BOUNDARY and not name.endswith("*"):
        st.ctx.note(f"{st.path.name}:{lineno}: `\\{open_mark}` is not closed before `\\{name}`; closed there")
        st.note = st.skip_char = None
    if st.note is not None:
        if name == st.note + "*":
            st.note = None
        return None
    if tok == "\\*":  # end of a milestone's attributes
        st.milestone = False
        return None
    if st.milestone:
        return None
    if name.endswith(("-s", "-e")) or name.endswith(("-s*", "-e*")):
        st.milestone = not name.endswith("*")
        return None
    closing = name.endswith("*")
    base = _base(name)
    if st.skip_char is not None:
        if closing and base == st.skip_char:
            st.skip_char = None
        return None
    if closing:
        if st.chars and _base(st.chars[-1]) == base:
            st.chars.pop()
        return None
    if base in NOTES:
        st.note = name
        return None
    if base in SKIP_CHAR:
        st.skip_char = base
        return None
    if base in ("v", "c", "id"):
        st.expect = base
        st.skip_para = False
        return st.flush()
    if base in SKIP_PARA:
        st.skip_para = True
        st.chars = []
        return None
    if base in TEXT_PARA:
        st.skip_para = False
        st.chars = []
        if st.verse is not None:
            st.parts.append(" ")
        return None
    st.chars.append(name)  # a character style (\w, \wj, \nd, \add, \+w ...): its text is verse text
    return None


def _text(st: _State, piece: str, lineno: int):
    if st.note is not None or st.milestone or st.skip_char is not None:
        return None
    if st.expect is not None:
        what, st.expect = st.expect, None
        m = re.match(r"^\s*(\S+)\s?", piece)
        arg = m.group(1) if m else ""
        rest = piece[m.end():] if m else piece
        bad = _argument(st, what, arg, lineno, piece)
        if bad is not None:
            return bad
        piece = rest if what == "v" else ""
    elif st.eat_space and piece[:1] == " ":
        piece = piece[1:]
    st.eat_space = False
    if st.skip_para or st.skip_book or st.verse is None:
        return None
    if st.chars and "|" in piece:
        piece = piece.split("|", 1)[0]  # \w word|lemma="..."\w*: attributes are not text
    st.parts.append(piece)
    return None


def _argument(st: _State, what: str, arg: str, lineno: int, raw: str):
    if what == "id":
        code = arg.upper()
        st.chapter = None
        st.skip_book = not is_book(code)
        st.book = None if st.skip_book else code
        if st.skip_book:
            st.ctx.note(f"{st.path.name}: book `{arg}` is not a Bible book; its content is skipped")
        return None
    if st.skip_book:
        return None
    if what == "c":
        if not arg.isdigit():
            return reject(lineno, f"chapter number `{arg}` is not a number", raw, st.path)
        st.chapter = int(arg)
        return None
    if st.book is None or st.chapter is None:
        return reject(lineno, "verse before any \\id / \\c marker", raw, st.path)
    try:
        number, end = verse_number(arg)
    except ValueError:
        return reject(lineno, f"verse number `{arg}` is not a number", raw, st.path)
    st.verse = (number, end, lineno)
    st.parts = []
    return None


def sniff(head: bytes, path: Path) -> float:
    start = head.lstrip()[:4]
    if start == b"\\id ":
        return 0.95
    if b"\\c " in head and b"\\v " in head:
        return 0.8
    return 0.0
