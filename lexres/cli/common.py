"""Shared CLI helpers: the global state, consoles, store opening, progress bars."""

from __future__ import annotations

import json
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
    """Print rows under column names. On a terminal: a table whose long cells wrap (and long words fold) to
    the terminal's width, never cut. Otherwise (a pipe, a file): TSV with a header line, every cell whole,
    with TAB, newline and backslash escaped as `\\t`, `\\n`, `\\\\`. `empty`: printed instead when there
    are no rows (on a terminal; a pipe gets the header alone)."""
    from rich.table import Table
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
    table = Table(show_lines=False)
    for name in columns:
        table.add_column(Text(str(name)), overflow="fold", no_wrap=False)
    for row in rows:
        table.add_row(*(Text("" if c is None else str(c)) for c in row))
    console.print(table, soft_wrap=False)
