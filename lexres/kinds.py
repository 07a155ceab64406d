"""The kinds of entries the store holds (morph, bible, lexicon) and, for each, the one table of what goes with
it: the record class readers yield, the entry table, the writer that stores it, and the columns an export
gives.
The table itself is data (`lexres/data/kinds.json`); everything that needs per-kind knowledge reads it
here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from lexres.errors import OptionError


@dataclass(frozen=True)
class Kind:
    """One kind of entry: `record` (class name in lexres.records), entry `table`, `writer` (class name in
    lexres.store.writers), the export's (SQL expression, column name) pairs, their order, and the column that
    holds an entry's language."""

    name: str
    record: str
    table: str
    writer: str
    export_columns: tuple[tuple[str, str], ...]
    export_order: str
    lang_column: str


@cache
def kind_table() -> tuple[Kind, ...]:
    """Every entry kind, in the data file's order."""
    data = json.loads(files("lexres").joinpath("data/kinds.json").read_text(encoding="utf-8"))
    return tuple(
        Kind(
            d["kind"],
            d["record"],
            d["table"],
            d["writer"],
            tuple(tuple(c) for c in d["export_columns"]),
            d["export_order"],
            d["lang_column"],
        )
        for d in data
    )


def entry_kinds() -> tuple[str, ...]:
    """The names of the kinds that have entries: ("morph", "bible", "lexicon")."""
    return tuple(k.name for k in kind_table())


def kind_info(name: str) -> Kind:
    """The row of one kind.

    Raises OptionError for an unknown kind."""
    for k in kind_table():
        if k.name == name:
            return k
    raise OptionError(f"unknown kind `{name}`", hint=f"one of: {', '.join(entry_kinds())}")
