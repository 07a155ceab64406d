"""Word-pair list readers: MUSE-style (`src<TAB>tgt` or `src tgt`), PanLex-BLI `.trans` lists, hunalign
dictionaries (`tgt @ src`) and generic TSV/CSV with a column mapping.

Lines starting with `#` are data in these lists (MUSE has `#ffffff`), so there are no comments. The languages
come from --lang (the pair's source) and --target-lang, else from a file name such as `sw-en.train`."""
from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.langs import resolve
from lexres.loaders.lexicon.common import fill_langs, head_lines, need_langs
from lexres.records import LexiconPair, Reject

_NER_TAG = re.compile(r"^(O|[BIES]-[A-Z]+)$")
_VERSE_REF = re.compile(r"^\d+:\d+")
_UNIMORPH_FEATS = re.compile(r"^[A-Z0-9+./]+(;[A-Za-z0-9+./(),]+)+$")


_ASCII_SPACES = re.compile(r"[ \t]+")


def _split_pair(text: str, tab: bool) -> list[str]:
    """Columns of a pair line: at TABs, or at runs of ASCII spaces/TABs in a space-separated list. Never at a
    no-break or other Unicode space (`str.split()` would cut `numéro\u00a01` in two)."""
    if tab:
        return text.split("\t")
    text = text.strip(" \t")
    return _ASCII_SPACES.split(text) if text else []


def _uses_tab(path: Path, ctx) -> bool:
    """A list is TAB-separated if its first non-blank line has a TAB (then words may hold spaces)."""
    forced = ctx.option("separator")
    if forced:
        return forced in ("tab", "\t", "\\t")
    with open(path, "rb") as fh:
        for raw in fh:
            if raw.strip():
                return b"\t" in raw
    return True


def read_two_columns(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    """Yield a LexiconPair per `src<TAB>tgt` or `src tgt` line (MUSE, PanLex-BLI) and a Reject per line
    without two columns or a source word; untranslated headwords are noted. `--columns` hands over to
    read_table.
    Raises LanguageError when the languages are neither given nor in the file name."""
    if ctx.option("columns"):  # a column mapping asks for the generic table reader, whatever was sniffed
        ctx.note("-o columns given: read as a generic TSV/CSV table")
        yield from read_table(paths, ctx)
        return
    for path in paths:
        fill_langs(ctx, path)
        need_langs(ctx, path)
        tab = _uses_tab(path, ctx)
        sep = "TAB" if tab else "space"
        untranslated: list[int] = []
        split = ctx.option("synonyms")  # e.g. -o synonyms=, for `word<TAB>rich,wealthy` gloss lists
        if split:
            ctx.note(f"targets split into synonyms at `{split}`")
        for item in ctx.lines(path):
            if isinstance(item, Reject):
                yield item
                continue
            n, text = item
            if not text.strip():
                continue
            cols = _split_pair(text, tab)
            if len(cols) != 2:
                yield Reject(n, f"expected 2 {sep}-separated columns, found {len(cols)}", text, str(path))
                continue
            if not cols[0].strip():
                yield Reject(n, "empty source word", text, str(path))
                continue
            if not cols[1].strip():  # a headword with no translation (sw-en.all has some): not a pair
                untranslated.append(n)
                continue
            targets = cols[1].split(split) if split else [cols[1]]
            for t in targets:
                if t.strip():
                    yield LexiconPair(cols[0], t, line=n, path=str(path))
        _note_untranslated(ctx, path, untranslated)


def _note_untranslated(ctx, path: Path, lines: list[int]) -> None:
    if lines:
        shown = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
        ctx.note(f"{path.name}: {len(lines)} headwords with an empty translation are not pairs and were "
                 f"skipped (lines {shown})")


def _sniff_two_columns(head: bytes, path: Path) -> float:
    lines = head_lines(head)
    if not lines:
        return 0.0
    tags = sum(1 for ln in lines if (cols := _split_pair(ln, False)) and _NER_TAG.match(cols[-1]))
    if tags > len(lines) / 2:
        return 0.0  # `token TAG` lines are NER data (MasakhaNER, WikiANN), not word pairs
    tabbed = [ln.split("\t") for ln in lines if "\t" in ln]
    two = [c for c in tabbed if len(c) == 2]
    if len(two) >= 0.8 * len(lines):  # a few bad rows must not stop it being sniffed (they become rejects)
        # A 2-column file whose right side is a UniMorph bundle is a covered morph file, not a lexicon.
        feats = sum(1 for c in two if _UNIMORPH_FEATS.match(c[1].strip()))
        if feats > len(two) / 2:
            return 0.2
        return 0.8 if len(two) == len(lines) else 0.6
    if lines[0].lstrip().startswith("<") or any(" @ " in ln for ln in lines):
        return 0.0  # XML, or a hunalign dictionary
    if not tabbed and all(len(_split_pair(ln, False)) == 2 for ln in lines):
        # `GEN 1:1` lines are a verse-reference list, not word pairs
        refs = sum(1 for ln in lines if _VERSE_REF.match(_split_pair(ln, False)[1]))
        return 0.0 if refs > len(lines) / 2 else 0.4
    return 0.0


def sniff_muse(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a MUSE two-column word list (a little lower for a `.trans` file)."""
    score = _sniff_two_columns(head, path)
    return score - 0.1 if score and path.name.endswith(".trans") else score


def sniff_panlex(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a PanLex-BLI list: a two-column list in a `.trans` file (at most 0.95)."""
    score = _sniff_two_columns(head, path)
    return min(score + 0.1, 0.95) if score and path.name.endswith(".trans") else 0.0




# -- hunalign -----------------------------------------------------------------------------------------

def read_hunalign(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    """hunalign dictionaries hold `target @ source`; the file name (`en-tl.dict`) names source-target, so the
    pair is stored as source -> target, and --lang names the source (the right-hand side)."""
    for path in paths:
        fill_langs(ctx, path)
        need_langs(ctx, path)
        ctx.note("hunalign `target @ source` lines: the right side is the source (--lang), the left the "
                 "target")
        for item in ctx.lines(path):
            if isinstance(item, Reject):
                yield item
                continue
            n, text = item
            if not text.strip():
                continue
            parts = text.split(" @ ")
            if len(parts) != 2:
                yield Reject(n, f"expected `target @ source`, found {len(parts) - 1} ` @ ` separators",
                             text, str(path))
                continue
            tgt, src = parts
            if not src.strip() or not tgt.strip():
                yield Reject(n, "empty word in a pair", text, str(path))
                continue
            yield LexiconPair(src, tgt, line=n, path=str(path))


def sniff_hunalign(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a hunalign dictionary: 0.95 when 90% of its lines are `tgt @ src` without
    tabs."""
    lines = head_lines(head)
    if not lines:
        return 0.0
    at = sum(1 for ln in lines if ln.count(" @ ") == 1 and "\t" not in ln)
    return 0.95 if at >= 0.9 * len(lines) else 0.0




# -- generic TSV/CSV ------------------------------------------------------------------------------------

ROLES = ("src", "tgt", "pos", "sense", "gloss", "weight", "src_lang", "tgt_lang")


def parse_columns(spec: str | None) -> dict[str, int | str]:
    """`src=0,tgt=2,pos=1` (0-based indices) or `src=word,tgt=translation` (header names) -> role map."""
    if not spec:
        raise OptionError("a TSV/CSV lexicon needs a column mapping",
                          hint="pass --columns src=0,tgt=1 (indices from 0) or --columns src=NAME,tgt=NAME")
    out: dict[str, int | str] = {}
    for part in spec.split(","):
        if "=" not in part:
            raise OptionError(f"--columns: `{part}` is not ROLE=COLUMN", hint=f"roles: {', '.join(ROLES)}")
        role, col = (x.strip() for x in part.split("=", 1))
        if role not in ROLES:
            raise OptionError(f"--columns: unknown role `{role}`", hint=f"roles: {', '.join(ROLES)}")
        out[role] = int(col) if col.isdigit() else col
    if "src" not in out or "tgt" not in out:
        raise OptionError("--columns must map both src and tgt", hint="e.g. --columns src=0,tgt=1")
    return out


def _delimiter(path: Path, ctx) -> str:
    given = ctx.option("delimiter")
    if given:
        return {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(given, given)
    if path.suffix.lower() == ".csv":
        return ","
    with open(path, "rb") as fh:
        first = fh.readline()
    return "," if b"," in first and b"\t" not in first else "\t"


def _yes(value) -> bool:
    return str(value).lower() in ("1", "yes", "true", "y", "on")


def read_table(paths: Sequence[Path], ctx) -> Iterator[LexiconPair | Reject]:
    """Yield pairs from a generic TSV/CSV lexicon by a `--columns ROLE=COLUMN` mapping (indexes, or header
    names), and Rejects (file, line) for bad rows. Raises OptionError (missing or bad mapping or
    column), LanguageError (languages not known), ParseError (a header that is not UTF-8)."""
    mapping = parse_columns(ctx.option("columns"))
    by_name = any(isinstance(v, str) for v in mapping.values())
    header = by_name or _yes(ctx.option("header", "no"))
    for path in paths:
        if "src_lang" not in mapping or "tgt_lang" not in mapping:
            fill_langs(ctx, path)
        no_src = "src_lang" not in mapping and ctx.lang is None
        if no_src or ("tgt_lang" not in mapping and ctx.target_lang is None):
            need_langs(ctx, path)
        delim = _delimiter(path, ctx)
        ctx.note(f"{path.name}: {'comma' if delim == ',' else repr(delim)}-separated, columns {mapping}")
        yield from _table_rows(path, ctx, mapping, delim, header)


_BAD_BYTES = re.compile("[\udc80-\udcff]")


def _csv_rows(rows) -> Iterator[list[str] | csv.Error]:
    """The rows of a csv reader; a row the csv module cannot parse (e.g. a field over its size limit) comes
    out as its error and reading goes on with the next line."""
    while True:
        before = rows.line_num
        try:
            yield next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc
            if rows.line_num == before:  # nothing consumed: the error would repeat for ever
                return


def _table_rows(path: Path, ctx, mapping, delim: str, header: bool) -> Iterator[LexiconPair | Reject]:
    with ctx.open(path) as fh:
        # bytes that are not UTF-8 survive as lone surrogates, so only their row is rejected (a strict
        # decoder fails a whole 8 KiB block at a time and loses the good rows around the bad byte)
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        quoting = csv.QUOTE_MINIMAL if delim == "," else csv.QUOTE_NONE
        rows = csv.reader(text, delimiter=delim, quoting=quoting)
        width = None
        idx: dict[str, int] = {}
        for row in _csv_rows(rows):
            n = rows.line_num
            if isinstance(row, csv.Error):
                yield Reject(n, f"bad CSV: {row}", "", str(path))
                continue
            if any(_BAD_BYTES.search(cell) for cell in row):
                raw = delim.join(row).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                if width is None and header:
                    raise ParseError(path, n, "the header row is not UTF-8", hint="convert the file to UTF-8")
                yield Reject(n, "not UTF-8", raw, str(path))
                continue
            if "\0" in "".join(row):
                yield Reject(n, "NUL byte in the row", delim.join(row).replace("\0", "\\0"), str(path))
                continue
            if width is None:
                width = len(row)
                if header:
                    idx = _resolve_header(row, mapping, path)
                    continue
                idx = {r: c for r, c in mapping.items()}  # type: ignore[misc]
                bad = [r for r, c in idx.items() if c >= width]
                if bad:
                    raise OptionError(f"{path}: --columns {bad[0]}={idx[bad[0]]} but the file has "
                                      f"{width} columns", hint="columns count from 0")
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                yield Reject(n, f"expected {width} columns, found {len(row)}", delim.join(row), str(path))
                continue
            item = _pair(row, idx, n, path)
            if isinstance(item, LexiconPair) and (ctx.lang is None or ctx.target_lang is None):
                _langs_from_row(ctx, item)
            yield item


def _langs_from_row(ctx, pair: LexiconPair) -> None:
    """With per-row language columns, the first row names the resource's languages."""
    if ctx.lang is None and pair.src_lang:
        ctx.lang = resolve(pair.src_lang)
    if ctx.target_lang is None and pair.tgt_lang:
        ctx.target_lang = resolve(pair.tgt_lang)


def _resolve_header(row: list[str], mapping, path: Path) -> dict[str, int]:
    names = [c.strip() for c in row]
    out = {}
    for role, col in mapping.items():
        if isinstance(col, int):
            out[role] = col
        elif col in names:
            out[role] = names.index(col)
        else:
            raise OptionError(f"{path}: no column named `{col}` in the header",
                              hint=f"header columns: {', '.join(names)}")
    return out


def _pair(row: list[str], idx: dict[str, int], n: int, path: Path) -> LexiconPair | Reject:
    get = {role: row[i].strip() for role, i in idx.items()}
    if not get["src"] or not get["tgt"]:
        return Reject(n, "empty word in a pair", "\t".join(row), str(path))
    weight = None
    if get.get("weight"):
        try:
            weight = float(get["weight"])
        except ValueError:
            return Reject(n, f"weight `{get['weight']}` is not a number", "\t".join(row), str(path))
        if not math.isfinite(weight):
            return Reject(n, f"weight `{get['weight']}` is not a finite number", "\t".join(row), str(path))
    return LexiconPair(get["src"], get["tgt"], get.get("src_lang") or None, get.get("tgt_lang") or None,
                       pos=get.get("pos") or None, sense=get.get("sense") or None,
                       gloss=get.get("gloss") or None, weight=weight, line=n, path=str(path))


def sniff_table(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a generic `.csv`/`.tsv` table: a low 0.3 when every line has the same 2 or
    more columns, so that any specific format wins."""
    if path.suffix.lower() not in (".csv", ".tsv"):
        return 0.0
    lines = head_lines(head, 50)
    delim = "," if path.suffix.lower() == ".csv" else "\t"
    widths = {len(ln.split(delim)) for ln in lines}
    return 0.3 if lines and len(widths) == 1 and widths.pop() >= 2 else 0.0
