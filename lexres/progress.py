"""Progress reporting: a rich bar on a terminal, nothing otherwise (CI logs and pipes stay clean)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


class Progress:
    """What library code calls; the silent default does nothing."""

    def start(self, total: float | None, description: str = "") -> None:
        """Begin (or restart) a task of `total` units (None = unknown) under `description`."""

    def advance(self, amount: float = 1) -> None:
        """Report `amount` more units done."""


class _RichProgress(Progress):
    def __init__(self, bar):
        self.bar = bar
        self.task = None

    def start(self, total, description=""):
        if self.task is None:
            self.task = self.bar.add_task(description, total=total)
        else:
            self.bar.update(self.task, total=total, description=description)

    def advance(self, amount=1):
        if self.task is not None:
            self.bar.advance(self.task, amount)


def interactive() -> bool:
    """Whether to draw bars: stderr is a terminal and $LEXRES_PROGRESS is not `0`."""
    return sys.stderr.isatty() and os.environ.get("LEXRES_PROGRESS", "1") != "0"


@contextmanager
def progress_bar(enabled: bool | None = None) -> Iterator[Progress]:
    """A Progress that draws a bar on stderr when it is a terminal (or when forced)."""
    if not (interactive() if enabled is None else enabled):
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import (
        Progress as RichBar,
    )

    bar = RichBar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield _RichProgress(bar)
