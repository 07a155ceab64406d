"""Progress of long work, on stderr: what library code reports and how the command line shows it.

On a terminal: a bar with the count in its unit, the rate (`12.3k lines/s`, `1.4 MB/s`), the time spent and
the time left; it disappears when the work ends. In a pipe or a log file (stderr not a terminal): nothing per
item, and one summary line when a task took at least `SUMMARY_AFTER` seconds (`importing nt.xml: 4.2 MB in
3.1 s, 1.4 MB/s`), so a CI log says where the time went while quick commands stay silent. `--quiet` or
$LEXRES_PROGRESS=0: no bar and no summary. Lines given to `Progress.log` (one per training epoch: loss, dev
score, time) are printed on stderr in every case, terminal or not. Library code gets the silent `Progress()`
by default and never prints."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

SUMMARY_AFTER = 2.0  # seconds a task must take before a pipe gets its summary line


class Progress:
    """What library code calls; the silent default does nothing."""

    def start(self, total: float | None, description: str = "", unit: str = "") -> None:
        """Begin a task of `total` units (None = unknown) under `description`, counting from zero. `unit`
        names what is counted, in the plural (`bytes`, `lines`, `sentences`, `tokens`, `steps`, `epochs`,
        `languages`); the display gives the count in it and the rate (bytes as kB/MB/GB). Called without a
        unit while a task runs, it only renames that task and changes its total, the count going on (training
        shows its running loss so)."""

    def advance(self, amount: float = 1) -> None:
        """Report `amount` more units done."""

    def log(self, line: str) -> None:
        """A line the user should see even in a log file (one per training epoch: epoch, loss, dev score,
        time). The silent default drops it."""


def utf8_size(text: str) -> int:
    """The length in UTF-8 bytes of `text` (for progress counted in bytes over decoded text); O(1) for
    ASCII text."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def number_text(n: float) -> str:
    """A count or rate for people: `950`, `2.5`, `12.3k`, `4.1M`, `1.2G`."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= limit:
            return f"{n / limit:.1f}{suffix}"
    return f"{n:.0f}" if float(n).is_integer() or abs(n) >= 100 else f"{n:.1f}"


def size_text(n: float) -> str:
    """A number of bytes in decimal units: `512 B`, `12.3 kB`, `4.1 MB`, `1.2 GB`."""
    for limit, suffix in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if abs(n) >= limit:
            return f"{n / limit:.1f} {suffix}"
    return f"{n:.0f} B"


def amount_text(n: float, unit: str) -> str:
    """`n` things of `unit` (a plural): `4.1 MB` for bytes, `12.3k lines`, `1 epoch`, or the bare number."""
    if unit == "bytes":
        return size_text(n)
    if not unit:
        return number_text(n)
    return f"{number_text(n)} {unit[:-1] if n == 1 and unit.endswith('s') else unit}"


def rate_text(per_second: float, unit: str) -> str:
    """A rate: `1.4 MB/s` for bytes, `12.3k lines/s`, or `2.5/s` without a unit."""
    if unit == "bytes":
        return f"{size_text(per_second)}/s"
    return f"{number_text(per_second)} {unit}/s" if unit else f"{number_text(per_second)}/s"


def duration_text(seconds: float) -> str:
    """A duration: `3.1 s`, `2m 05s`, `1h 02m`."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = int(seconds)
    if whole < 3600:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole // 3600}h {whole % 3600 // 60:02d}m"


def summary_text(description: str, done: float, unit: str, seconds: float) -> str:
    """The one line a finished task leaves in a log: `importing nt.xml: 4.2 MB in 3.1 s, 1.4 MB/s`
    (without a count when nothing was counted)."""
    head = f"{description or 'done'}: "
    if not done:
        return head + f"finished in {duration_text(seconds)}"
    rate = rate_text(done / seconds, unit) if seconds > 0 else ""
    return head + f"{amount_text(done, unit)} in {duration_text(seconds)}" + (f", {rate}" if rate else "")


class _Lines(Progress):
    """No bar and no summary (--quiet); `log` lines still go to stderr."""

    def log(self, line):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


class _Summary(_Lines):
    """stderr is not a terminal: count silently; when a task ends (the next one begins, or the work ends
    without an error) and took `after` seconds or more, print its summary line under the name it began with
    (a rename only changes what a bar shows)."""

    def __init__(self, after: float):
        self.after, self.t0, self.description, self.unit, self.done = after, None, "", "", 0.0

    def start(self, total, description="", unit=""):
        if self.t0 is not None and not unit:
            return
        self.finish()
        self.t0, self.description, self.unit, self.done = time.monotonic(), description, unit, 0.0

    def advance(self, amount=1):
        self.done += amount

    def finish(self) -> None:
        """Print the running task's summary line when it took long enough; no task runs afterwards."""
        if self.t0 is None:
            return
        seconds = time.monotonic() - self.t0
        if seconds >= self.after:
            self.log(summary_text(self.description, self.done, self.unit, seconds))
        self.t0 = None


class _RichProgress(Progress):
    def __init__(self, bar):
        self.bar = bar
        self.task = None

    def start(self, total, description="", unit=""):
        if self.task is not None and not unit:  # a rename: the count goes on
            self.bar.update(self.task, total=total, description=description)
            return
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(description, total=total, unit=unit)

    def advance(self, amount=1):
        if self.task is not None:
            self.bar.advance(self.task, amount)

    def log(self, line):
        self.bar.console.print(line, markup=False, highlight=False)


def interactive() -> bool:
    """Whether to draw bars: stderr is a terminal and $LEXRES_PROGRESS is not `0`."""
    return sys.stderr.isatty() and os.environ.get("LEXRES_PROGRESS", "1") != "0"


@contextmanager
def progress_bar(enabled: bool | None = None, *, summary_after: float = SUMMARY_AFTER) -> Iterator[Progress]:
    """The Progress of a command (see the module docstring). `enabled`: None = a bar when stderr is a
    terminal, else a summary line for a task of at least `summary_after` seconds (printed only when the work
    ends without an error); True = always a bar; False = neither. $LEXRES_PROGRESS=0 acts as False."""
    if enabled is False or (enabled is None and os.environ.get("LEXRES_PROGRESS", "1") == "0"):
        yield _Lines()
        return
    if enabled is None and not interactive():
        summary = _Summary(summary_after)
        yield summary
        summary.finish()
        return
    bar = _rich_bar()
    with bar:
        yield _RichProgress(bar)


def _rich_bar():
    from rich.console import Console
    from rich.progress import BarColumn, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.progress import Progress as RichBar
    from rich.text import Text

    class Count(ProgressColumn):
        """Done (of total) in the task's unit: `1.2/4.1 MB`, `310/1.2k lines`."""

        def render(self, task):
            unit, done = task.fields.get("unit", ""), task.completed
            if task.total is None:
                return Text(amount_text(done, unit))
            if unit == "bytes":
                return Text(f"{size_text(done)} / {size_text(task.total)}")
            return Text(f"{number_text(done)}/{amount_text(task.total, unit)}")

    class Rate(ProgressColumn):
        """The recent rate in the task's unit: `12.3k lines/s`."""

        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text(rate_text(speed, task.fields.get("unit", "")) if speed else "")

    return RichBar(
        TextColumn("{task.description}"),
        BarColumn(),
        Count(),
        Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
