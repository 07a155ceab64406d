"""Progress: a bar when asked (a terminal), nothing at all otherwise (pipes and CI logs stay clean)."""

import io

from rich.console import Console

from lexres import progress as progress_mod
from lexres.progress import progress_bar


def test_silent_when_not_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(progress_mod, "interactive", lambda: False)
    with progress_bar() as p:
        p.start(100, "work")
        p.advance(50)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_draws_a_bar_when_forced(monkeypatch):
    sink = io.StringIO()
    real = Console

    def fake_console(*args, **kwargs):
        kwargs.pop("stderr", None)
        return real(file=sink, force_terminal=True, width=80)

    monkeypatch.setattr("rich.console.Console", fake_console)
    with progress_bar(True) as p:
        p.start(10, "importing demo")
        p.advance(10)
    assert "importing demo" in sink.getvalue()


def test_cli_import_prints_no_bar_into_a_pipe(cli, tmp_path):
    src = tmp_path / "t.tsv"
    src.write_text("soma\tanasoma\tV;IND;PRS;3;SG\n", encoding="utf-8")
    r = cli("import", "morph", src, "--lang", "swh")
    assert r.exit_code == 0 and "━" not in r.stdout + r.stderr and r.stderr == ""
