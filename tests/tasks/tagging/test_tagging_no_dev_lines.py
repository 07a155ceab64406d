"""Training without dev data: no epoch is called "best" (there is no dev score to be best on), the last
epoch is the one kept and saved once (the demo's 150 one-step epochs printed 150 lines of "(best, saved)"
and saved the model 150 times); every epoch still prints its line."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

pytest.importorskip("torch")
pytestmark = pytest.mark.model


def _train(tiny_body, ner_train, out, *extra):
    import torch

    from lexres.cli.tagging import app

    torch.set_num_threads(1)
    args = ["train", "--model", tiny_body, "--train", ner_train, "--out", out, "--batch-size", 8,
            "--threads", 1, *extra]
    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res


def test_without_dev_no_epoch_is_best_and_the_last_is_kept(tiny_body, ner_train, tmp_path):
    res = _train(tiny_body, ner_train, tmp_path / "m", "--epochs", 3, "--json")
    rep = json.loads(res.stdout)
    assert rep["best_epoch"] == 3 and rep["best_dev_score"] is None and rep["stopped"] == "epochs"
    assert [e["best"] for e in rep["epochs"]] == [False, False, False]
    assert (tmp_path / "m" / "model.safetensors").is_file()
    lines = [ln for ln in res.stderr.splitlines() if re.match(r"epoch \d+:", ln)]
    assert len(lines) == 3 and not any("best" in ln or "dev F1" in ln for ln in lines), lines


def test_every_epoch_prints_its_line_even_in_a_long_run(tiny_body, ner_train, tmp_path):
    res = _train(tiny_body, ner_train, tmp_path / "m", "--epochs", 25, "--lr", "1e-4")
    numbers = [int(m.group(1)) for m in re.finditer(r"^epoch (\d+):", res.stderr, re.M)]
    assert numbers == list(range(1, 26)), numbers
    assert "saved epoch 25 of 25" in res.stdout
