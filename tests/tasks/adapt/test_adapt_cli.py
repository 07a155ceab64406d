"""`lexres adapt` commands through typer: tokenizer -> init-embeddings -> mlm on the fixtures, JSON output,
and bad input as one error line with exit code 2 (through the real entry point)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lexres.cli.adapt import app
from lexres.errors import LexresError
from tests.tasks.adapt.conftest import ENG, SWH

pytestmark = pytest.mark.model
LEXICON = Path(__file__).resolve().parents[3] / "examples" / "sample" / "eng-swh.tsv"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_pipeline(xlmr_base, tmp_path):
    tok, emb, out = tmp_path / "tok", tmp_path / "emb", tmp_path / "mlm"
    r = run(
        "tokenizer",
        "--text",
        SWH,
        "--base",
        xlmr_base,
        "--out",
        tok,
        "--vocab-size",
        300,
        "--source-text",
        ENG,
        "--seed",
        1,
    )
    assert r.exit_code == 0, r.output
    assert "pieces added" in r.output and "target: fertility" in r.output and "source: fertility" in r.output
    r = run(
        "init-embeddings",
        "--base",
        xlmr_base,
        "--tokenizer",
        tok,
        "--out",
        emb,
        "--init",
        "lexicon",
        "--lexicon",
        LEXICON,
        "--json",
    )
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["lexicon"] > 0 and rep["copied"] + rep["lexicon"] + rep["fallback"] == rep["size"]
    r = run(
        "mlm",
        "--model",
        emb,
        "--text",
        SWH,
        "--out",
        out,
        "--max-steps",
        4,
        "--batch-size",
        4,
        "--seq-len",
        32,
        "--log-every",
        2,
        "--threads",
        1,
    )
    assert r.exit_code == 0, r.output
    assert "step 2: loss" in r.output and "tokens/s" in r.output and "4 steps" in r.output
    man = json.loads((out / "manifest.json").read_text())
    assert man["command"] == "adapt mlm" and man["params"]["threads"] == 1
    # running again over a lexres output replaces it; over another directory it refuses
    r = run("tokenizer", "--text", SWH, "--from-scratch", "--out", tok, "--vocab-size", 100)
    assert r.exit_code == 0, r.output
    assert json.loads((tok / "tokenizer_report.json").read_text())["mode"] == "scratch"


def test_errors_are_lexres_errors(xlmr_base, tmp_path):
    r = run("tokenizer", "--text", SWH, "--base", "xlm-roberta-base", "--out", tmp_path / "t")
    assert r.exit_code != 0 and isinstance(r.exception, LexresError)
    r = run(
        "init-embeddings",
        "--base",
        xlmr_base,
        "--tokenizer",
        xlmr_base,
        "--out",
        tmp_path / "e",
        "--init",
        "focus",
    )
    assert r.exit_code != 0 and isinstance(r.exception, LexresError)  # no text (or no deepfocus installed)


@pytest.fixture
def lexres_cli(cli):
    """The real `lexres` entry point with this group mounted as `adapt` (unless the root mounts it)."""
    from lexres.cli import build

    root = build()
    if not any(g.name == "adapt" for g in root.registered_groups):
        root.add_typer(app, name="adapt")
    return cli


@pytest.mark.parametrize(
    "args",
    [
        ["tokenizer", "--text", str(SWH), "--base", "xlm-roberta-base", "--out", "{tmp}/t"],
        ["tokenizer", "--text", "{tmp}/missing.txt", "--from-scratch", "--out", "{tmp}/t"],
        ["mlm", "--model", "{tmp}", "--text", str(SWH), "--out", "{tmp}/m"],
    ],
)
def test_one_error_line(lexres_cli, tmp_path, args):
    result = lexres_cli("adapt", *[a.replace("{tmp}", str(tmp_path)) for a in args], store=False)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("lexres: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
