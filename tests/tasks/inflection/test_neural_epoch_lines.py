"""`task inflection train --model neural` prints one line per epoch (epoch, loss, dev accuracy, time) on
stderr through the real entry point, where stderr is not a terminal."""

from __future__ import annotations

import re

import pytest

torch = pytest.importorskip("torch", reason="the neural model needs the torch extra (lexres[model])")
pytestmark = pytest.mark.model

TINY = {"d_model": 16, "heads": 2, "enc_layers": 1, "dec_layers": 1, "ff": 32, "batch_size": 8,
        "max_epochs": 3, "patience": 5, "threads": 1}


def write_task(path, stems):
    path.write_text("".join(f"{s}\t{s}ed\tV;PST\n{s}\t{s}s\tV;PRS;3;SG\n" for s in stems), encoding="utf-8")
    return path


def test_each_epoch_prints_a_line_on_stderr(cli, tmp_path):
    torch.set_num_threads(1)
    train = write_task(tmp_path / "toy.trn", ["walk", "talk", "jump", "play", "kick", "pull", "push", "lift"])
    dev = write_task(tmp_path / "toy.dev", ["look", "cook"])
    options = [w for k, v in TINY.items() for w in ("-o", f"{k}={v}")]
    r = cli("task", "inflection", "train", "--model", "neural", "--train", train, "--dev", dev,
            "--out", tmp_path / "m", *options, store=False)
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if re.match(r"epoch \d+:", ln)]
    assert [ln.split(":")[0] for ln in lines] == ["epoch 1", "epoch 2", "epoch 3"], r.stderr
    shape = r"epoch \d: loss \d+\.\d{4}, dev accuracy \d+\.\d\d%, \d+\.\d s( \(best, saved\))?"
    assert all(re.fullmatch(shape, line) for line in lines), lines
    assert "(best, saved)" in lines[0] and "epoch 1:" not in r.stdout
