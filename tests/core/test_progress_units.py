"""Progress speaks in units: a bar shows the count in its unit and the rate; in a pipe a long task leaves one
summary line (count, unit, time, rate) on stderr, a short one nothing; `log` lines (training epochs) always
reach stderr."""

from __future__ import annotations

import io
import time
import types

import pytest
from rich.console import Console

from lexres import progress as progress_mod
from lexres.progress import (
    amount_text,
    duration_text,
    number_text,
    progress_bar,
    rate_text,
    size_text,
    summary_text,
    utf8_size,
)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pipe(monkeypatch):
    """stderr is not a terminal, progress is on, and time is the test's clock."""
    clock = Clock()
    monkeypatch.setattr(progress_mod, "interactive", lambda: False)
    monkeypatch.delenv("LEXRES_PROGRESS", raising=False)
    monkeypatch.setattr(progress_mod, "time", types.SimpleNamespace(monotonic=clock))
    return clock


def test_numbers_sizes_rates_and_durations_read_well():
    assert [number_text(n) for n in (0, 7, 2.5, 950, 999.4, 12_345, 4_100_000, 1.2e9)] == [
        "0", "7", "2.5", "950", "999", "12.3k", "4.1M", "1.2G"]
    assert [size_text(n) for n in (512, 12_300, 4_200_000, 1.5e9)] == ["512 B", "12.3 kB", "4.2 MB", "1.5 GB"]
    assert amount_text(1, "epochs") == "1 epoch" and amount_text(3, "epochs") == "3 epochs"
    assert amount_text(4_200_000, "bytes") == "4.2 MB" and amount_text(12, "") == "12"
    assert rate_text(12_345, "lines") == "12.3k lines/s" and rate_text(1_400_000, "bytes") == "1.4 MB/s"
    assert rate_text(0.5, "") == "0.5/s"
    assert [duration_text(s) for s in (3.14, 125, 3725)] == ["3.1 s", "2m 05s", "1h 02m"]
    assert summary_text("aligning", 0, "", 2.5) == "aligning: finished in 2.5 s"


def test_utf8_size_counts_bytes_not_characters():
    assert utf8_size("kitabu\n") == 7
    assert utf8_size("ምስር") == 9 and utf8_size("greadóg") == 8


def test_a_long_task_in_a_pipe_leaves_one_summary_line_with_unit_and_rate(pipe, capsys):
    with progress_bar() as p:
        p.start(12_000, "pseudo-mono en.txt", "lines")
        for _ in range(12):
            p.advance(1000)
        pipe.now += 4.0
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == "pseudo-mono en.txt: 12.0k lines in 4.0 s, 3.0k lines/s\n"


def test_bytes_are_summarised_in_decimal_units(pipe, capsys):
    with progress_bar() as p:
        p.start(4_200_000, "importing nt.xml", "bytes")
        p.advance(4_200_000)
        pipe.now += 3.0
    assert capsys.readouterr().err == "importing nt.xml: 4.2 MB in 3.0 s, 1.4 MB/s\n"


def test_a_rename_keeps_the_count_and_a_new_unit_begins_a_new_task(pipe, capsys):
    with progress_bar() as p:
        p.start(10, "training", "steps")
        p.advance(4)
        p.start(10, "epoch 2 loss 0.512")  # training shows its loss so: the same task goes on
        p.advance(6)
        pipe.now += 5.0
        p.start(None, "distill sw.txt", "sentences")
        p.advance(300)
        pipe.now += 2.0
    assert capsys.readouterr().err == (
        "training: 10 steps in 5.0 s, 2 steps/s\ndistill sw.txt: 300 sentences in 2.0 s, 150 sentences/s\n")


def test_short_tasks_failed_tasks_and_quiet_runs_print_no_summary(pipe, capsys, monkeypatch):
    with progress_bar() as p:
        p.start(100, "quick", "lines")
        p.advance(100)
        pipe.now += progress_mod.SUMMARY_AFTER - 0.5
    with pytest.raises(ValueError), progress_bar() as p:
        p.start(100, "failing", "lines")
        pipe.now += 60
        raise ValueError("bad line")
    with progress_bar(False) as p:
        p.start(100, "quiet", "lines")
        pipe.now += 60
    monkeypatch.setenv("LEXRES_PROGRESS", "0")
    with progress_bar() as p:
        p.start(100, "off", "lines")
        pipe.now += 60
    assert capsys.readouterr().err == ""


def test_log_lines_reach_stderr_in_a_pipe_and_when_quiet(pipe, capsys):
    with progress_bar() as p:
        p.log("epoch 1: loss 0.6931, 0.2 s")
    with progress_bar(False) as p:
        p.log("epoch 2: loss 0.4055, 0.2 s")
    assert capsys.readouterr().err == "epoch 1: loss 0.6931, 0.2 s\nepoch 2: loss 0.4055, 0.2 s\n"


def test_the_silent_default_drops_everything(capsys):
    p = progress_mod.Progress()
    p.start(10, "library", "lines")
    p.advance(10)
    p.log("never shown")
    assert capsys.readouterr() == ("", "")


def test_a_bar_on_a_terminal_shows_the_unit_and_the_rate(monkeypatch):
    sink = io.StringIO()
    real = Console

    def fake_console(*args, **kwargs):
        kwargs.pop("stderr", None)
        return real(file=sink, force_terminal=True, width=160)

    monkeypatch.setattr("rich.console.Console", fake_console)
    with progress_bar(True) as p:
        p.start(20, "pseudo-label en.conll", "sentences")
        p.advance(10)
        time.sleep(0.05)
        p.advance(10)
        p.log("epoch 1: loss 0.6931")
    text = sink.getvalue()
    assert "pseudo-label en.conll" in text and "20/20 sentences" in text
    assert "sentences/s" in text and "epoch 1: loss 0.6931" in text
