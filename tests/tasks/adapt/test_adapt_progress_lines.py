"""Masked-LM training prints a line every --log-every steps (step, loss, epoch, time) on stderr, also when
stderr is a pipe; stdout keeps only the result."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from lexres.cli.adapt import app
from tests.tasks.adapt.conftest import SWH

pytestmark = pytest.mark.model


def test_log_lines_go_to_stderr_with_epoch_and_time(xlmr_base, tmp_path):
    args = ["mlm", "--model", xlmr_base, "--text", SWH, "--out", tmp_path / "mlm", "--max-steps", 4,
            "--batch-size", 4, "--seq-len", 32, "--log-every", 2, "--threads", 1]
    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("step ")]
    assert [ln.split(":")[0] for ln in lines] == ["step 2", "step 4"], r.stderr
    for line in lines:
        assert re.fullmatch(r"step \d: loss \d+\.\d{4}, lr \S+, epoch \d+, \d+ tokens, [\d,]+ tokens/s, "
                            r"\d+\.\d s", line), line
    assert "step 2:" not in r.stdout and "4 steps" in r.stdout
