"""Shared CLI helpers: the global state, consoles, store opening, progress bars."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from lexres import defaults
from lexres.errors import OptionError
from lexres.progress import Progress, progress_bar
from lexres.store import Store

STATE: dict = {"store": None, "quiet": False}

# Shared options, defined once and used as parameter defaults by every command that takes them.
JSON = typer.Option(False, "--json", help="Print the result as JSON (for scripts) instead of a table.")
FORCE = typer.Option(False, "--force", help="Replace an existing output file that lexres did not write.")
READER_OPTION = typer.Option(
    None, "--option", "-o", metavar="KEY=VALUE",
    help="Reader option (repeatable); see `lexres formats --verbose`."
)
# Word-by-word substitution, shared by `augment` and `batch` (defaults from lexres.defaults).
CHOICE_HELP = (
    "How to pick among several translations: uniform, weighted (by how many sources give the pair), first."
)
UNKNOWN_HELP = "Words not in the lexicon: keep, drop, or mark (see --mark)."
CHOICE = typer.Option(defaults.CHOICE, "--choice", help=CHOICE_HELP)
UNKNOWN = typer.Option(defaults.UNKNOWN, "--unknown", help=UNKNOWN_HELP)
MIN_REPLACED = typer.Option(
    defaults.MIN_REPLACED,
    "--min-replaced",
    help="Keep a sentence only when at least this many words were replaced.",
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def store_path():
    """The store named by --store, $LEXRES_STORE, or the default location."""
    from lexres.store.core import default_path

    return STATE.get("store") or default_path()


def open_store(readonly: bool = False) -> Store:
    """Open the store of `store_path()`. `readonly` (every command that only reads): SQLite `mode=ro`, never
    creates a store, works on a read-only file or folder; a missing store is an error with a hint."""
    return Store.open(store_path(), readonly=readonly)


def store_problem(exc: Exception) -> Exception:
    """A LexresError for an sqlite3 error raised while a command ran: a write to a read-only store, a lock
    held too long, or damage (then with the result of `PRAGMA integrity_check`)."""
    from lexres.errors import StoreError
    from lexres.store.core import damaged

    path, text = store_path(), str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the store is read-only and this command changes it ({text})",
                          hint="make the store file and its folder writable")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the store is locked by another lexres process ({text})",
                          hint="wait for it to finish, or raise $LEXRES_BUSY_TIMEOUT_MS")
    return damaged(path, exc)


@contextmanager
def bar() -> Iterator[Progress]:
    """The progress of a long command, on stderr (see lexres.progress): on a terminal a bar with its unit and
    rate; in a pipe nothing per item and one summary line for a task of 2 s or more; --quiet: neither.
    Lines the work logs (one per training epoch) are printed in every case."""
    with progress_bar(False if STATE.get("quiet") else None) as p:
        yield p


def parse_options(pairs: list[str] | None, *, typed: bool = False) -> dict:
    """`-o KEY=VALUE` pairs as a dict (dashes in keys become underscores). With `typed`, values that read as
    an int, a float or true/false become one (model hyper-parameters); readers get the text as given."""
    out = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise OptionError(f"--option needs KEY=VALUE, got `{pair}`")
        key, value = pair.split("=", 1)
        out[key.strip().replace("-", "_")] = _typed(value.strip()) if typed else value
    return out


def _typed(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def resource_id(value) -> int:
    """A resource id as typed: `3` or `#3`, the way the CLI prints ids (the `parser` of every argument and
    option that takes one). Raises NotFoundError (one line, exit 2) for anything else: no resource has it."""
    from lexres.errors import NotFoundError

    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    digits = text[1:] if text.startswith("#") else text
    if not (digits.isascii() and digits.isdigit()):
        raise NotFoundError(f"no resource `{value}`: a resource id is a number, such as 3 or #3")
    if len(digits.lstrip("0")) > 18:  # beyond an SQLite integer (2**63 - 1), and int() stops at 4,300 digits
        shown = digits if len(digits) <= 20 else digits[:19] + "…"
        raise NotFoundError(f"no resource #{shown}: no store holds an id that large")
    return int(digits)


def resource_ids(values) -> list[int] | None:
    """Resource ids from repeated and comma-separated values (`--lexicon 3,#4 --lexicon 7`), each read by
    `resource_id`; None when none is given."""
    out = [resource_id(part) for v in values or [] for part in str(v).replace(",", " ").split()]
    return out or None


def not_blank(value: str | None, option: str, example: str) -> str | None:
    """`value` unless it is empty or blank, which is refused (OptionError) rather than read as no filter:
    `--has ''` is a mistake, not a request for everything. `example` shows a good value in the hint."""
    if value is not None and not value.strip(" ,"):
        raise OptionError(f"{option} needs a value, got `{value}`", hint=f"e.g. `{option} {example}`")
    return value


def emit_json(data) -> None:
    """Print `data` to stdout as indented JSON (non-ASCII text kept as is); values JSON cannot hold (paths,
    dates) are printed as their str()."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# -- tables and words ----------------------------------------------------------------------------------------
_PLURALS = {"analysis": "analyses", "entry": "entries", "child": "children", "index": "indexes",
            "matrix": "matrices", "datum": "data", "thesis": "theses", "basis": "bases"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """`n` and the noun in the right number: `1 analysis`, `2 analyses`, `1 entry`, `3 verses` (English rules,
    irregular nouns from a small table; `many` overrides)."""
    if n == 1:
        return f"{n} {word}"
    if many is None:
        many = _PLURALS.get(word)
    if many is None:
        if word.endswith("is"):
            many = word[:-2] + "es"
        elif word.endswith("y") and word[-2:-1] not in "aeiou":
            many = word[:-1] + "ies"
        elif word.endswith(("s", "x", "z", "ch", "sh")):
            many = word + "es"
        else:
            many = word + "s"
    return f"{n} {many}"


def stdout_is_terminal() -> bool:
    """Whether standard output is an interactive terminal (a pipe, a file or a test runner is not)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stdout
        return False


def _tsv_cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def print_table(columns, rows, *, empty: str | None = None, terminal: bool | None = None) -> None:
    """Print rows under column names. On a terminal: a compact table (a rule under the header, no borders,
    numbers right-aligned) fitted to the terminal's width, its cells wrapped at spaces and after inner
    hyphens and slashes only, never inside a word and never cut (see `terminal_table`). Otherwise (a pipe,
    a file): TSV with a header line, every cell whole, with TAB, newline and backslash escaped as `\\t`,
    `\\n`, `\\\\`. `empty`: printed instead when there are no rows (on a terminal; a pipe gets the header
    alone)."""
    from rich.text import Text

    rows = [list(r) for r in rows]
    if terminal is None:
        terminal = stdout_is_terminal()
    if not terminal:
        out = ["\t".join(_tsv_cell(c) for c in columns)]
        out.extend("\t".join(_tsv_cell(c) for c in row) for row in rows)
        sys.stdout.write("\n".join(out) + "\n")
        return
    if not rows and empty is not None:
        console.print(empty, markup=False)
        return
    for line, header in terminal_table(columns, rows, console.width):
        console.print(Text(line, style="bold" if header else ""), soft_wrap=True)


# Line-break opportunities inside a word: after a hyphen or a slash that stands between letters or digits
# (`swh-bible-union.txt` breaks as `swh-`, `bible-`, `union.txt`); `-o`, `->` and `--force` stay whole.
_BREAK_AFTER = re.compile(r"(?<=\w[-/])(?=\w)")


def _pieces(word: str) -> list[str]:
    return [p for p in _BREAK_AFTER.split(word) if p]


def wrap_cell(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` terminal cells, broken at spaces and after inner hyphens and slashes
    only (runs of spaces become one; a line's leading spaces indent its continuations). A piece wider than
    `width` alone is folded, the one case where a word cannot stay whole."""
    from rich.cells import cell_len, chop_cells

    out: list[str] = []
    for line in text.replace("\t", " ").split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        room = max(width - cell_len(indent), 1)
        cur: list[str] = []  # pieces of the line being filled, each with its leading glue
        for word in line.split():
            for k, piece in enumerate(_pieces(word)):
                glue = " " if cur and k == 0 else ""
                if cur and cell_len("".join(cur) + glue + piece) > room:
                    out.append(indent + "".join(cur))
                    cur, glue = [], ""
                if not cur and cell_len(piece) > room:
                    *whole, piece = chop_cells(piece, room)
                    out.extend(indent + part for part in whole)
                cur.append(glue + piece)
        out.append(indent + "".join(cur))
    return out


def _narrowest(text: str) -> int:
    """The least width `text` wraps into without cutting a word: its widest indent plus piece."""
    from rich.cells import cell_len

    best = 0
    for line in text.replace("\t", " ").split("\n"):
        indent = cell_len(line) - cell_len(line.lstrip(" "))
        best = max([best] + [indent + cell_len(p) for w in line.split() for p in _pieces(w)])
    return best


def _fit(columns: list[str], rows: list[list[str]], width: int) -> tuple[list[int], int] | None:
    """Column widths and the gap between columns that fit `width` with no word cut, or None when even the
    narrowest layout is too wide. Spare room goes one cell at a time to the column that wants the most."""
    from rich.cells import cell_len

    cells = [[name] + [row[j] for row in rows] for j, name in enumerate(columns)]
    least = [max(_narrowest(c) for c in col) or 1 for col in cells]
    most = [max(cell_len(line.rstrip()) for c in col for line in c.split("\n")) or 1 for col in cells]
    for gap in (2, 1):
        room = width - gap * (len(columns) - 1)
        if sum(least) <= room:
            break
    else:
        return None
    widths = list(least)
    for _ in range(max(0, min(room, sum(most)) - sum(widths))):
        j = max(range(len(widths)), key=lambda i: most[i] - widths[i])
        widths[j] += 1
    return widths, gap


def terminal_table(columns, rows, width: int) -> list[tuple[str, bool]]:
    """The lines of a table for a terminal `width` cells wide, each with whether it belongs to the header:
    the column names, a rule, then the rows; cells wrap at word boundaries (`wrap_cell`), columns of numbers
    align right. When the columns cannot fit side by side without cutting a word, each row is printed as a
    record instead (`name  value` lines, a blank line between rows)."""
    from rich.cells import cell_len

    names = [str(c) for c in columns]
    rows = [list(row) + [None] * (len(names) - len(row)) for row in rows]
    text = [["" if c is None else str(c) for c in row] for row in rows]
    numeric = [bool(rows) and all(isinstance(row[j], (int, float)) and not isinstance(row[j], bool)
                                  for row in rows) for j in range(len(names))]
    fitted = _fit(names, text, width)
    if fitted is None:
        return _records(names, text, width)
    widths, gap = fitted

    def lines(cells: list[str]) -> list[str]:
        wrapped = [wrap_cell(c, w) for c, w in zip(cells, widths, strict=True)]
        out = []
        for k in range(max(len(w) for w in wrapped)):
            parts = []
            for j, w in enumerate(wrapped):
                part = w[k] if k < len(w) else ""
                pad = " " * (widths[j] - cell_len(part))
                parts.append(pad + part if numeric[j] else part + pad)
            out.append((" " * gap).join(parts).rstrip())
        return out

    head = [(line, True) for line in lines(names)]
    rule = [((" " * gap).join("─" * w for w in widths), True)]
    return head + rule + [(line, False) for row in text for line in lines(row)]


def _records(names: list[str], rows: list[list[str]], width: int) -> list[tuple[str, bool]]:
    from rich.cells import cell_len

    labels = [" ".join(n.split()) for n in names]
    side = max(cell_len(x) for x in labels)
    room = max(width - side - 2, 1)
    out: list[tuple[str, bool]] = []
    for i, row in enumerate(rows):
        if i:
            out.append(("", False))
        for label, value in zip(labels, row, strict=True):
            first, *more = wrap_cell(value, room)
            out.append((" " * (side - cell_len(label)) + label + "  " + first, False))
            out.extend((" " * (side + 2) + line, False) for line in more)
    return [(line.rstrip(), header) for line, header in out]
