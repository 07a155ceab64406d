"""Training a tagger prints one line per epoch (epoch, loss, dev score, time) on stderr, also when stderr is
a pipe; stdout keeps only the result."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

pytest.importorskip("torch")
pytestmark = pytest.mark.model


def test_each_epoch_prints_a_line_on_stderr_in_a_pipe(tiny_body, ner_train, tmp_path):
    import torch

    from lexres.cli.tagging import app

    torch.set_num_threads(1)
    args = ["train", "--model", tiny_body, "--train", ner_train, "--dev", ner_train, "--out", tmp_path / "m",
            "--epochs", 2, "--patience", 5, "--batch-size", 8, "--threads", 1]
    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stderr.splitlines() if re.match(r"epoch \d+:", ln)]
    assert len(lines) == 2, res.stderr
    for n, line in enumerate(lines, 1):
        shape = rf"epoch {n}: loss \d+\.\d{{4}}, dev F1 \d+\.\d\d, \d+\.\d s, [\d,]+ tok/s( \(best, saved\))?"
        assert re.fullmatch(shape, line), line
    assert "epoch 1:" not in res.stdout and "saved epoch" in res.stdout
