"""USFM and Paratext SFM: `\\id`, `\\c`, `\\v` (ranges `\\v 2-3`), paragraphs, headings, notes, char styles.

Only what a reader would read as the verse goes into it; what is verse text and what is not (headings,
`\\qa`, `\\d`, sidebars, tables, unknown markers) is the rule of lexres.loaders.bible.markers. Footnotes and
cross-references (`\\f…\\f*`, `\\x…\\x*`), alternate/published numbers, figures and word attributes (`\\w
word|lemma="…"\\w*`) are left out. `~` is the USFM no-break space and is stored as U+00A0; `//` (an optional
line break) adds nothing. Milestones (`\\qt-s |…\\*`, `\\ts\\*`) carry no text; `\\vid|MRK 5:1\\*` sets the
current reference; verse parts continuing each other (`\\v 2-6a … \\v 6b-11`) are one unit (see markers).

Errors are located and cost only what they govern (each is a Reject: the import fails on it, or stores the
rest under `--on-error skip`): a verse holding a byte that is not UTF-8, or an unclosed milestone (`\\qt-s
|who="…"` without its `\\*`), is rejected with its text; a bad `\\v` number rejects that verse and its text; a
bad `\\c` rejects itself and every verse up to the next good `\\c`; an `\\id` that is no book code rejects
itself and every verse of that book. A reference given twice (a missing `\\c`) is refused by the store's
writer, which sees every verse of the resource. An unclosed note or alternate number (`\\f` without `\\f*`)
ends at the next verse or paragraph marker with a located note (its text is not verse text anyway); an
unclosed word style (`\\w`, `\\wj`) keeps its text. Peripheral books (GLO, FRT, XXA …) are skipped with a
note, and an unknown marker is noted with its line (its text is kept, see markers). The file
is read line by line (any line end; UTF-8, or UTF-16/32 with a note), so memory stays flat."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.formats import ReadContext
from lexres.loaders.bible.common import (
    Languages,
    book_kind,
    chapter_number,
    continues,
    reject,
    set_scheme,
    skip_peripheral,
    verse,
    verse_number,
    verse_parts,
)
from lexres.loaders.bible.lines import BAD, printable, source_lines, utf8_head
from lexres.loaders.bible.markers import (
    CELLS,
    KNOWN,
    NOTES,
    SIDEBAR,
    SIDEBAR_END,
    SKIP_CHAR,
    SKIP_PARA,
    STRUCTURE,
    TEXT_PARA,
    base,
)
from lexres.loaders.bible.xml import project_settings

TOKEN = re.compile(r"(\\\+?[A-Za-z][A-Za-z0-9]*(?:-[0-9]+|-[se])?\*?|\\\*)")
# Markers that no note or character span can run past (an unclosed \f must not swallow the next verses).
BOUNDARY = STRUCTURE | TEXT_PARA
NBSP = "\u00a0"


class _State:
    """Where the reader is: book, chapter, the verse being collected and what is being skipped."""

    def __init__(self, path: Path, ctx: ReadContext):
        self.path, self.ctx = path, ctx
        self.book: str | None = None
        self.book_kind = "none"  # none (no \id yet) | book | peripheral | unknown
        self.bad_book: tuple[int, str] | None = None  # (line, code) of an \id that is no book code
        self.chapter: int | None = None
        self.bad_chapter: int | None = None  # line of a bad \c: its verses are rejected
        self.verse: tuple[int, int | None, int] | None = None  # (number, end, line)
        self.part = ""  # the part letter the open verse ends in (`\v 2-6a`: "a")
        self.bad: tuple[int, str] | None = None  # (line, reason): the open verse is rejected
        self.head = ""  # the open verse's marker, for a reject's raw text
        self.parts: list[str] = []
        self.note: str | None = None  # open note marker: everything up to its closing marker is dropped
        self.skip_para = False
        self.skip_char: str | None = None
        self.milestone: tuple[str, int] | None = None  # a milestone whose attributes run to `\*`
        self.sidebar: int | None = None  # line of an open \esb
        self.chars: list[str] = []  # open character styles, for cutting `|attributes`
        self.expect: str | None = None  # marker whose argument (id code, chapter or verse number) comes next
        self.eat_space = False  # the one space after an opening marker is part of the marker
        self.problem: str | None = None  # why the current line is not clean UTF-8
        self.unknown: set[str] = set()
        self.out: list = []  # records and rejects ready to be yielded

    def emit(self, item) -> None:
        if item is not None:
            self.out.append(item)

    def where(self, line: int) -> str:
        return f"{self.path.name}:{line}"

    def flush(self):
        if self.verse is None:
            self.parts = []
            return None
        number, end, line = self.verse
        text = "".join(self.parts)
        self.verse, self.parts, self.part = None, [], ""
        if self.bad is not None:
            at, reason = self.bad
            self.bad = None
            return reject(at, reason, printable(self.head + " ".join(text.split())), self.path)
        return verse(self.book, self.chapter, number, text, end=end, line=line, path=self.path)

    def spoil(self, line: int, reason: str) -> None:
        """Reject the open verse (the first reason found is kept)."""
        if self.bad is None:
            self.bad = (line, reason)


def read(paths: Sequence[Path], ctx: ReadContext) -> Iterator:
    """Yield a Verse per verse of each USFM 3 / Paratext SFM file and Rejects (file, line), the language
    and versification from a Paratext Settings.xml (or DBL metadata.xml) nearby. Raises LanguageError
    (files or --lang disagree), OptionError (unknown versification), ParseError (bad encoding)."""
    langs = Languages(ctx)
    project = project_settings(paths[0].parent)
    for path in paths:  # files from several projects must be in one language
        settings = project if path.parent == paths[0].parent else project_settings(path.parent)
        langs.declare(settings.get("lang"), f"the Paratext Settings.xml beside {path.name}", path)
    set_scheme(ctx, project.get("versification"))
    for path in paths:
        yield from _read_one(source_lines(ctx, path), path, ctx)


def _read_one(lines, path: Path, ctx: ReadContext) -> Iterator:
    st = _State(path, ctx)
    for lineno, text, problem in lines:
        st.problem = problem
        pieces = TOKEN.split(text)
        for i, piece in enumerate(pieces):  # text, marker, text, marker ... text
            if not piece:
                continue
            if i % 2 == 0:
                _text(st, piece, lineno)
            elif i + 2 < len(pieces) and pieces[i + 2] == "\\*" and not piece.endswith("*"):
                _marker(st, piece, lineno, pieces[i + 1])  # a milestone: `\name |attributes\*`
            else:
                _marker(st, piece, lineno)
        if st.milestone is not None:
            _unclosed_milestone(st)
        if st.out:
            yield from st.out
            st.out = []
        if st.verse is not None and not st.note:
            st.parts.append(" ")  # a line break is a space in running text
    if st.sidebar is not None:
        ctx.note(f"{st.where(st.sidebar)}: sidebar `\\esb` is not closed with `\\esbe`; left out to the end")
    st.emit(st.flush())
    yield from st.out


def _unclosed_milestone(st: _State):
    name, line = st.milestone  # type: ignore[misc]
    st.milestone = None
    reason = f"milestone `\\{name}` at line {line} is not closed with `\\*`"
    if st.verse is not None and not st.skip_para:
        st.spoil(line, f"{reason}: its verse is rejected")
    else:
        st.emit(reject(line, reason, f"\\{name}", st.path))


def _marker(st: _State, tok: str, lineno: int, attributes: str | None = None) -> None:
    """Act on one marker; `attributes` is the text up to a closing `\\*` when the marker is a milestone."""
    name = tok[1:]
    if st.milestone is not None and tok != "\\*":
        _unclosed_milestone(st)
    if tok == "\\*":  # end of a milestone's attributes (a stray one means nothing)
        st.milestone = None
        st.eat_space = False
        return
    st.eat_space = not name.endswith("*")
    mark = base(name)
    if st.sidebar is not None:
        if mark == SIDEBAR_END:
            st.sidebar = None
            return
        if mark not in STRUCTURE:
            return
        st.ctx.note(f"{st.where(st.sidebar)}: sidebar `\\esb` is not closed before `\\{name}` (line "
                    f"{lineno}); closed there")
        st.sidebar = None
    open_mark = st.note or st.skip_char
    if open_mark is not None and mark in BOUNDARY and not name.endswith("*"):
        st.ctx.note(f"{st.where(lineno)}: `\\{open_mark}` is not closed before `\\{name}`; closed there")
        st.note = st.skip_char = None
    if st.note is not None:
        if name == st.note + "*":
            st.note = None
        return
    if attributes is not None or name.endswith(("-s", "-e", "-s*", "-e*")):
        st.milestone = None if name.endswith("*") else (name, lineno)
        if name == "vid" and attributes is not None:
            _vid(st, attributes, lineno)
        return
    closing = name.endswith("*")
    if st.skip_char is not None:
        if closing and mark == st.skip_char:
            st.skip_char = None
        return
    if closing:
        if st.chars and base(st.chars[-1]) == mark:
            st.chars.pop()
        return
    if mark in NOTES:
        st.note = name
    elif mark in SKIP_CHAR:
        st.skip_char = mark
    elif mark == SIDEBAR:
        st.sidebar = lineno
    elif mark in STRUCTURE:
        st.expect = mark
        st.skip_para = False
        if mark != "v":  # a verse is closed once its number is known: a verse part may continue it
            st.emit(st.flush())
    elif mark in SKIP_PARA:
        st.skip_para = True
        st.chars = []
    elif mark in TEXT_PARA or mark in CELLS:
        if mark in TEXT_PARA:
            st.skip_para = False
            st.chars = []
        if st.verse is not None:
            st.parts.append(" ")
    elif mark in KNOWN:
        st.chars.append(name)  # a character style (\w, \wj, \nd, \add, \+w ...): its text is verse text
    else:
        st.chars.append(name)  # kept like a character style's text: its `|attributes` are cut
        if mark not in st.unknown:
            st.unknown.add(mark)
            st.ctx.note(f"{st.where(lineno)}: unknown marker `\\{name}`: its text is kept as verse text")


def _text(st: _State, piece: str, lineno: int) -> None:
    if st.note is not None or st.milestone is not None or st.skip_char is not None or st.sidebar is not None:
        if st.problem and BAD.search(piece):
            st.ctx.note(f"{st.where(lineno)}: {st.problem} in text that is not verse text (left out)")
        return
    if st.expect is not None:
        what, st.expect = st.expect, None
        m = re.match(r"^\s*(\S+)\s?", piece)
        arg = m.group(1) if m else ""
        rest = piece[m.end():] if m else piece
        st.emit(_argument(st, what, arg, lineno))
        if what != "v":
            if rest.strip() and what == "c":
                st.ctx.note(f"{st.where(lineno)}: text after `\\c {printable(arg)}` is not verse text: "
                            "left out")
            rest = ""
        piece = rest
    elif st.eat_space and piece[:1] == " ":
        piece = piece[1:]
    st.eat_space = False
    stored = not (st.skip_para or st.book_kind == "peripheral" or st.verse is None)
    if st.problem and BAD.search(piece):
        if stored:
            st.spoil(lineno, f"{st.problem}: the verse holding it is rejected")
        else:
            st.ctx.note(f"{st.where(lineno)}: {st.problem} in text that is not verse text (left out)")
    if not stored:
        return
    if st.chars and "|" in piece:
        piece = piece.split("|", 1)[0]  # \w word|lemma="..."\w*: attributes are not text
    st.parts.append(piece.replace("~", NBSP).replace("//", ""))


def _argument(st: _State, what: str, arg: str, lineno: int):
    shown = printable(arg)
    if what == "v":
        if _continues(st, arg):
            return None
        st.emit(st.flush())
    if what == "id":
        code = arg.upper()
        st.chapter, st.bad_chapter, st.book, st.bad_book = None, None, None, None
        st.book_kind = book_kind(code)
        if st.book_kind == "book":
            st.book = code
        elif st.book_kind == "peripheral":
            skip_peripheral(st.ctx, st.path, code)
        else:
            st.bad_book = (lineno, shown)
            return reject(lineno, f"`\\id {shown}`: not a USFM book code; the verses of this book are "
                          "rejected with it", f"\\id {shown}", st.path)
        return None
    if st.book_kind == "peripheral":
        return None
    if what == "c":
        if st.book_kind == "unknown":
            return None  # its verses are rejected with the \id
        try:
            st.chapter, st.bad_chapter = chapter_number(arg), None
        except ValueError as exc:
            st.chapter, st.bad_chapter = None, lineno
            return reject(lineno, f"{printable(str(exc))}; the verses up to the next `\\c` are rejected "
                          "with it",
                          f"\\c {shown}", st.path)
        return None
    st.head = f"\\v {shown} "
    st.verse, st.parts = (0, None, lineno), []
    try:
        number, end = verse_number(arg)
    except ValueError as exc:
        st.spoil(lineno, printable(str(exc)))
        return None
    st.verse, st.part = (number, end, lineno), verse_parts(arg)[1]
    if st.book_kind == "unknown":
        line, code = st.bad_book  # type: ignore[misc]
        st.spoil(lineno, f"verse of the book `{code}` (line {line}), which is no USFM book code")
    elif st.book is None:
        st.spoil(lineno, "verse before any \\id marker")
    elif st.chapter is None:
        if st.bad_chapter is not None:
            st.spoil(lineno, f"verse under the bad chapter marker at line {st.bad_chapter}")
        else:
            st.spoil(lineno, "verse before any \\c marker")
    return None


def _continues(st: _State, arg: str) -> bool:
    """Whether verse number `arg` continues the open verse (`\\v 2-6a … \\v 6b-11`); if so, the open verse
    now covers both units (see markers)."""
    if st.verse is None or st.bad is not None or not st.part:
        return False
    try:
        number, end = verse_number(arg)
    except ValueError:
        return False
    first, last = verse_parts(arg)
    start, open_end, line = st.verse
    if not continues(open_end or start, st.part, number, first):
        return False
    st.verse, st.part = (start, end or number, line), last
    st.parts.append(" ")
    return True


VID = re.compile(r"([1-4A-Z][A-Z0-9]{2})(?:\s+([^:\s]+)(?::(\S+))?)?")


def _vid(st: _State, attributes: str, lineno: int) -> None:
    """`\\vid|MRK 5:1\\*` (USFM 3.1 milestone, default attribute `ref`): the current reference is MRK 5:1,
    as if `\\c 5` and `\\v 1` stood here. A reference of another book than `\\id`, or one that cannot be
    read, rejects itself and the verses up to the next chapter (they cannot be filed right)."""
    if st.book_kind != "book":
        return  # no \id yet, or a peripheral or unknown book: their verses are handled already
    text = attributes.strip().lstrip("|").strip()
    m = re.search(r'\bref\s*=\s*"([^"]*)"', text)
    ref = m.group(1).strip() if m else ("" if "=" in text else text)
    if not ref:
        return  # a running header only (`h="…"`)
    found = VID.fullmatch(ref)
    why, chapter = None, None
    if found is None:
        why = f"`\\vid` reference `{printable(ref)}` is not a reference like `MRK 5:1`"
    elif found.group(1) != st.book:
        why = f"`\\vid` names {found.group(1)}, but the book is {st.book}"
    elif found.group(2) is not None:
        try:
            chapter = chapter_number(found.group(2))
        except ValueError as exc:
            why = printable(str(exc))
    if why is None and chapter is None:
        return  # names the book only
    st.emit(st.flush())
    if why is not None:
        st.chapter, st.bad_chapter = None, lineno
        st.emit(reject(lineno, f"{why}; the verses up to the next chapter are rejected with it",
                       f"\\vid|{printable(ref)}\\*", st.path))
        return
    st.chapter, st.bad_chapter = chapter, None
    if found.group(3):
        _argument(st, "v", found.group(3), lineno)


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is USFM: 0.95 when it starts with the `id` marker, 0.8 when chapter and verse
    markers occur."""
    head = utf8_head(head)
    start = head.lstrip()[:4]
    if start == b"\\id ":
        return 0.95
    if b"\\c " in head and b"\\v " in head:
        return 0.8
    return 0.0
