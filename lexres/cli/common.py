"""Shared CLI helpers: the global state, consoles, store opening, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

from lexres.errors import OptionError
from lexres.progress import Progress, progress_bar
from lexres.store import Store

STATE: dict = {"store": None, "quiet": False}
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def open_store(readonly: bool = False) -> Store:
    """The store named by --store, $LEXRES_STORE, or the default location."""
    return Store.open(STATE.get("store"), readonly=readonly)


@contextmanager
def bar() -> Iterator[Progress]:
    """A progress bar on a terminal unless --quiet; silent otherwise."""
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
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
