"""Reading morphology rows (UniMorph tables and SIGMORPHON shared-task files): column-layout detection,
feature parsing, line-accurate rejects. Stable API for other modules:

- `parse_features(text)` -> top-level tags as strings; a layered tag stays one string (`NOM(1,SG)`);
  `lexres.loaders.features.parse_tags` gives the structured form.
- `canonical(features)` -> the same tags in canonical order (schema dimension order, POS first).
- `detect_layout(rows)` -> `lemma-form-features`, `lemma-features-form` or `lemma-features` (covered).
- `read_rows(path, layout=None)` -> MorphEntry / Reject for one file; `read_lines(fh, path, layout)`
  the same from an open binary file. `LAYOUTS` names the layouts, `check_layout` validates one."""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from lexres.errors import FormatError, OptionError, ParseError
from lexres.features import Bundle, analyze, canonical_of, looks_like_bundle
from lexres.formats import check_regular
from lexres.loaders.fastrec import fast_constructor
from lexres.records import MorphEntry, Reject

LEMMA_FORM_FEATURES = "lemma-form-features"
LEMMA_FEATURES_FORM = "lemma-features-form"
LEMMA_FEATURES = "lemma-features"
LAYOUTS = (LEMMA_FORM_FEATURES, LEMMA_FEATURES_FORM, LEMMA_FEATURES)
SAMPLE_ROWS = 300
CHUNK = 1 << 20
_BAD_BYTES = re.compile("[\udc80-\udcff]")
BAD_BYTES = _BAD_BYTES  # bytes that were not UTF-8, as `surrogateescape` decoding leaves them


def parse_features(text: str) -> tuple[str, ...]:
    """Top-level tags of a bundle (`N;GEN(SG;DEF)` -> ('N', 'GEN(SG;DEF)')); ParseError if malformed."""
    return analyze(text).given


def canonical(features: Iterable[str] | str) -> tuple[str, ...]:
    """The tags in canonical order; accepts a tuple of tags or a bundle string."""
    if isinstance(features, str):
        return analyze(features).canonical
    return canonical_of(tuple(features))


def detect_layout(rows: list[list[str]]) -> str:
    """Which column holds the features, judged by which one parses as feature bundles.

    Two columns, or three with an (almost) always empty middle one, are covered inputs."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise FormatError("no data lines to detect the column layout from", hint="check the file")
    width = Counter(min(len(r), 3) for r in rows).most_common(1)[0][0]
    if width < 2:
        raise FormatError("lines have no TAB-separated columns", hint="is this a UniMorph/SIGMORPHON file?")
    score = [0] * 3
    need = len(rows) / 2
    left = len(rows)
    for r in rows:
        left -= 1
        for i in (1, 2):
            if i < len(r) and looks_like_bundle(r[i]):
                score[i] += 1
        # stop as soon as the rows still unseen cannot change the outcome below (parsing is the cost)
        s1, s2 = score[1], score[2]
        if width == 2:
            if s1 >= need or s1 + left < need:
                break
        elif (s2 >= need and s2 >= s1 + left) or (s1 >= need and s1 > s2 + left) or \
                (s1 + left < need and s2 + left < need):
            break
    if width == 2:
        if score[1] >= need:
            return LEMMA_FEATURES
    elif score[2] >= score[1] and score[2] >= need:
        empty_middle = sum(1 for r in rows if len(r) > 2 and not r[1].strip())
        return LEMMA_FEATURES if empty_middle >= need else LEMMA_FORM_FEATURES
    elif score[1] >= need:
        return LEMMA_FEATURES_FORM
    raise FormatError("no column parses as UniMorph feature bundles (e.g. `V;PST;3;SG`)",
                      hint="this does not look like morphology data; force the columns with -o layout=...")


def check_layout(layout: str | None) -> str | None:
    """`layout` itself when it is None or a known layout; OptionError otherwise."""
    if layout is not None and layout not in LAYOUTS:
        raise OptionError(f"unknown morph layout `{layout}`", hint=f"one of: {', '.join(LAYOUTS)}")
    return layout


def iter_chunks(fh: BinaryIO) -> Iterator[tuple[bool, list[str]]]:
    """The lines of a binary file, a 1 MiB chunk at a time: BOM dropped, NFC applied; LF, CRLF, CR alone,
    U+2028 and U+2029 all end a line (the same lines as `lexres.formats.split_lines`).
    Working per chunk keeps the per-line cost low (NFC never composes across a line break, so a chunk
    of whole lines normalises like its lines one by one). Bytes that are not UTF-8 survive as lone
    surrogates, so their row can be rejected with its line number; such chunks come flagged `True`."""
    dec = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    normalize = unicodedata.normalize
    tail = ""
    first = True
    pending_cr = False  # the last chunk ended in CR: a LF starting the next one belongs to it (CRLF)
    while True:
        chunk = fh.read(CHUNK)
        text = dec.decode(chunk, final=not chunk)
        if first and text:
            text = text.removeprefix("\ufeff")
            first = False
        if pending_cr and text:
            text = text.removeprefix("\n")
            pending_cr = False
        text = tail + text
        if chunk:
            cut = _last_break(text)
            if cut < 0:
                tail = text
                continue
            body, tail = text[:cut + 1], text[cut + 1:]
            pending_cr = not tail and body.endswith("\r")
        else:
            if not text:
                return
            body, tail = text + "\n", ""
        if "\r" in body:  # CRLF and CR alone end a line, as in `lexres.formats.split_lines`
            body = body.replace("\r\n", "\n").replace("\r", "\n")
        if not body.isascii() and ("\u2028" in body or "\u2029" in body):
            body = body.replace("\u2028", "\n").replace("\u2029", "\n")
        dirty = False
        if not body.isascii():
            dirty = _BAD_BYTES.search(body) is not None
            body = normalize("NFC", body)
        yield dirty, body[:-1].split("\n")
        if not chunk:
            return


def _last_break(text: str) -> int:
    """Index of the last line end (LF, CR, U+2028, U+2029) in `text`, or -1."""
    cut = text.rfind("\n")
    if "\r" in text:
        cut = max(cut, text.rfind("\r"))
    if not text.isascii():
        cut = max(cut, text.rfind("\u2028"), text.rfind("\u2029"))
    return cut


def iter_lines(fh: BinaryIO) -> Iterator[str]:
    """Decoded lines of a binary file (see `iter_chunks`), one by one."""
    for _, lines in iter_chunks(fh):
        yield from lines


class Report:
    """Collects what a read noticed (unknown tags, extra columns, repairs) and turns it into notes."""

    def __init__(self) -> None:
        self.unknown: dict[str, list[int]] = {}  # tag -> [count, first line]
        self.extra = [0, 0]
        self.tidied = [0, 0]

    def notes(self, path: str) -> list[str]:
        """The import notes for `path`: tags not in the UniMorph schema (with counts and first line), lines
        with extra columns, feature bundles tidied; empty when there is nothing to say."""
        out = []
        if self.unknown:
            parts = [f"{t} x{c} (first line {ln})" for t, (c, ln) in
                     sorted(self.unknown.items(), key=lambda kv: kv[1][1])]
            tags = "1 tag" if len(self.unknown) == 1 else f"{len(self.unknown)} tags"
            out.append(f"{path}: {tags} not in the UniMorph schema: " + ", ".join(parts))
        if self.extra[0]:
            lines = "1 line has" if self.extra[0] == 1 else f"{self.extra[0]} lines have"
            out.append(f"{path}: {lines} extra columns, kept as notes (first line {self.extra[1]})")
        if self.tidied[0]:
            bundles = "1 feature bundle" if self.tidied[0] == 1 else f"{self.tidied[0]} feature bundles"
            out.append(f"{path}: {bundles} tidied (spaces around tags or a trailing `;` removed) "
                       f"(first line {self.tidied[1]})")
        return out


# MorphEntry(lemma, form, features, canonical, line, notes, path), built cheaply: 100k-row tables
make_entry = fast_constructor(MorphEntry)


def entries(lines: Iterable[str], path: str, layout: str, *, strict: bool = False,
            report: Report | None = None) -> Iterator[MorphEntry | Reject]:
    """Turn the lines of one file into entries; blank lines are paradigm separators, never rows."""
    return _entries([(True, lines)], path, layout, strict, report or Report())


def _bundle(feats: str, cache: dict) -> Bundle | str:
    """The parsed bundle, or the reason it is malformed; cached per file (a table has few bundles)."""
    try:
        b: Bundle | str = analyze(feats)
    except ParseError as exc:
        b = exc.reason
    cache[feats] = b
    return b


def _entries(chunks: Iterable[tuple[bool, Iterable[str]]], path: str, layout: str, strict: bool,
             report: Report) -> Iterator[MorphEntry | Reject]:
    fi, formi = {LEMMA_FORM_FEATURES: (2, 1), LEMMA_FEATURES_FORM: (1, 2), LEMMA_FEATURES: (-1, -1)}[layout]
    full = layout != LEMMA_FEATURES
    make = make_entry
    cache: dict[str, Bundle | str] = {}
    unknown_rows: dict[str, list[int]] = {}  # bundle text -> [rows, first line]; tags counted at the end
    tidied = report.tidied
    n = 0
    for dirty, lines in chunks:
        fast = full and not dirty
        for line in lines:
            n += 1
            if fast:  # three clean columns and a known, tidy bundle: nothing to check or report
                parts = line.split("\t")
                if len(parts) == 3:
                    lemma, form, b = parts[0].strip(), parts[formi].strip(), cache.get(parts[fi])
                    if lemma and form and b is not None and b.__class__ is not str and not b.unknown \
                            and not b.tidied:
                        yield make(lemma, form, b.given, b.canonical, n, (), path)
                        continue
            if not line or line.isspace():
                continue
            if dirty and _BAD_BYTES.search(line):
                yield Reject(n, "not valid UTF-8", line.encode("utf-8", "surrogateescape").decode(
                    "utf-8", "replace"), path)
                continue
            parts = line.split("\t")
            if full and len(parts) == 3:  # the common case, kept short
                lemma, form, feats, extra = parts[0], parts[formi], parts[fi], ()
                form = form.strip() or None
            elif full:
                if len(parts) < 3:
                    yield Reject(n, f"expected 3 TAB-separated columns ({layout.replace('-', ', ')}), "
                                    f"found {len(parts)}", line, path)
                    continue
                lemma, form, feats, extra = parts[0], parts[formi], parts[fi], parts[3:]
                form = form.strip() or None
            else:
                # covered inputs: `lemma TAB features`, or 2017's `lemma TAB (empty) TAB features`
                if len(parts) == 2:
                    lemma, feats, extra = parts[0], parts[1], ()
                elif len(parts) >= 3 and not parts[1].strip():
                    lemma, feats, extra = parts[0], parts[2], parts[3:]
                else:
                    yield Reject(n, f"expected 2 TAB-separated columns (lemma, features), found {len(parts)}",
                                 line, path)
                    continue
                form = None
            lemma = lemma.strip()
            if not lemma:
                yield Reject(n, "empty lemma", line, path)
                continue
            b = cache.get(feats)
            if b is None:
                b = _bundle(feats, cache)
            if b.__class__ is str:
                yield Reject(n, b, line, path)  # type: ignore[arg-type]
                continue
            if b.unknown:
                if not b.recognised:
                    yield Reject(n, f"no UniMorph tag in the features column (`{feats}`): wrong column "
                                    f"layout ({layout})?", line, path)
                    continue
                if strict:
                    yield Reject(n, "tag(s) not in the UniMorph schema: " + ", ".join(b.unknown), line, path)
                    continue
                seen = unknown_rows.get(feats)
                if seen is None:
                    unknown_rows[feats] = [1, n]
                else:
                    seen[0] += 1
            if b.tidied:
                tidied[0] += 1
                tidied[1] = tidied[1] or n
            notes = ()
            if extra and any(extra):
                notes = tuple(extra)
                report.extra[0] += 1
                report.extra[1] = report.extra[1] or n
            yield make(lemma, form, b.given, b.canonical, n, notes, path)
    for feats, (count, first) in unknown_rows.items():
        for t in cache[feats].unknown:  # type: ignore[union-attr]
            seen = report.unknown.setdefault(t, [0, first])
            seen[0] += count
            seen[1] = min(seen[1], first)


def read_lines(fh: BinaryIO, path: str, layout: str | None, *, strict: bool = False,
               report: Report | None = None,
               on_layout: Callable[[str, bool], None] | None = None) -> Iterator[MorphEntry | Reject]:
    """Read one open file: detect the layout from its first rows unless given, then stream entries."""
    chunks = iter_chunks(fh)
    buffered: list[tuple[bool, list[str]]] = []
    rows: list[list[str]] = []
    for chunk in chunks:  # read ahead just enough chunks to see SAMPLE_ROWS data lines
        if not buffered:
            _refuse_utf16(chunk[1], path)
        buffered.append(chunk)
        rows += [line.split("\t") for line in chunk[1][:SAMPLE_ROWS * 2] if line.strip()]
        if len(rows) >= SAMPLE_ROWS:
            break
    forced = layout is not None
    if layout is None:
        try:
            layout = detect_layout(rows[:SAMPLE_ROWS])
        except FormatError as exc:
            where = _first_bad_bundle(buffered)
            if where is not None:  # say which line and why, e.g. a bundle nested far too deep
                raise ParseError(path, where[0], f"{exc}; {where[1]}", hint=exc.hint) from exc
            raise FormatError(f"{path}: {exc}", hint=exc.hint) from exc
    if on_layout:
        on_layout(layout, forced)
    yield from _entries(chain(buffered, chunks), path, layout, strict, report or Report())


def _refuse_utf16(lines: list[str], path: str) -> None:
    """UTF-16/32 text (a byte-order mark, or NULs between the characters) is refused with a clear error
    instead of being read as rows of bad bytes."""
    head = "\n".join(lines[:50])[:400]
    if head.startswith(("\udcff\udcfe", "\udcfe\udcff")) or head.count("\0") > max(4, len(head) // 4):
        raise ParseError(path, 1, "the file is UTF-16 or UTF-32, not UTF-8",
                         hint="convert it with `iconv -f UTF-16 -t UTF-8`")


def _first_bad_bundle(chunks: list[tuple[bool, list[str]]]) -> tuple[int, str] | None:
    """(line, why) of the first data line whose last column does not parse as a bundle, if any."""
    n = 0
    for _, lines in chunks:
        for line in lines:
            n += 1
            parts = line.split("\t")
            if len(parts) < 2 or not line.strip():
                continue
            try:
                analyze(parts[-1])
            except ParseError as exc:
                return n, exc.reason
            return None
    return None


def read_rows(path: str | Path, layout: str | None = None, *, strict: bool = False) -> Iterator[
        MorphEntry | Reject]:
    """Entries of one UniMorph / SIGMORPHON file; `layout` forces the column order."""
    check_layout(layout)
    check_regular(Path(path))
    with open(path, "rb") as fh:
        yield from read_lines(fh, str(path), layout, strict=strict)


def sniff_head(head: bytes) -> tuple[str | None, bool]:
    """(layout, has blank lines) of a file head, or (None, False) when it is not morphology rows.

    Two readers (unimorph, sigmorphon) ask about the same head in one registry sniff, so the answer for
    the last head is kept; only the first SAMPLE_ROWS data lines are split and looked at."""
    if head is _last_sniff[0] or head == _last_sniff[0]:
        return _last_sniff[1]
    answer = _sniff_head(head)
    _last_sniff[:] = [head, answer]
    return answer


_last_sniff: list = [None, (None, False)]
SNIFF_STATS = {"rows": 0}  # rows looked at by the last sniff (tests check that it stays bounded)


def _sniff_head(head: bytes) -> tuple[str | None, bool]:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the head
            return None, False
        text = head[:exc.start].decode("utf-8")
    lines = text.splitlines()
    if len(head) >= 65536 and lines:
        lines.pop()  # probably cut short
    rows = []
    for line in lines:
        if line and not line.isspace():
            rows.append(line.split("\t"))
            if len(rows) >= SAMPLE_ROWS:
                break
    SNIFF_STATS["rows"] = len(rows)
    if not rows or sum(1 for r in rows if len(r) >= 2) < 0.9 * len(rows):
        return None, False
    try:
        layout = detect_layout(rows)
    except FormatError:
        return None, False
    # a blank (or whitespace-only) line anywhere in the head: the C-level strip map is cheap
    return layout, "" in map(str.strip, lines)


def read_files(paths, ctx) -> Iterator[MorphEntry | Reject]:
    """The `read` of the morph readers: each path in turn (split tables make one resource), layout
    from `-o layout=...` or detected per file and reported, unknown tags and extra columns reported."""
    forced = check_layout(ctx.option("layout"))
    seen: set[str] = set()
    for path in paths:
        report = Report()
        name = Path(path).name

        def on_layout(layout: str, was_forced: bool, name=name) -> None:
            seen.add(layout)
            ctx.scheme = layout if len(seen) == 1 else "mixed: " + ", ".join(sorted(seen))
            ctx.note(f"{name}: columns {layout} ({'forced' if was_forced else 'detected'})")

        with ctx.open(Path(path)) as fh:
            yield from read_lines(fh, str(path), forced, strict=ctx.strict, report=report,
                                  on_layout=on_layout)
        for note in report.notes(name):
            ctx.note(note)
