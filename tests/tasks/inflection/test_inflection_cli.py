"""train / predict / eval through the CLI and the model directory contract."""

from __future__ import annotations

import json

from lexres.tasks.inflection.files import read_task_file


def _split_toy(fixtures, tmp_path):
    rows = [
        line
        for line in (fixtures / "inflection" / "toy.unimorph.tsv")
        .read_text(encoding="utf-8")
        .splitlines(True)
        if line.strip()
    ]
    train = [r for r in rows if not r.startswith(("kusoma", "kupika"))]
    held = [r for r in rows if r.startswith(("kusoma", "kupika"))]
    (tmp_path / "train.tsv").write_text("".join(train), encoding="utf-8")
    (tmp_path / "gold.tsv").write_text("".join(held), encoding="utf-8")
    cov = ["\t".join((r.split("\t")[0], r.split("\t")[2])) for r in held]
    (tmp_path / "covered.tsv").write_text("".join(cov), encoding="utf-8")
    return len(held)


def test_train_predict_eval_round_trip(cli, fixtures, tmp_path):
    n = _split_toy(fixtures, tmp_path)
    r = cli(
        "task",
        "inflection",
        "train",
        "--model",
        "nonneural",
        "--train",
        tmp_path / "train.tsv",
        "--dev",
        tmp_path / "gold.tsv",
        "--out",
        tmp_path / "m",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["metrics"]["dev_accuracy"] == 1.0 and rep["metrics"]["prefixing"] is True
    assert rep["signature"].startswith("lexres:") and "|task inflection train|" in rep["signature"]
    info = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert info["kind"] == "nonneural" and info["n_train"] == rep["train"]
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs"]) == {"train", "dev"}
    r = cli(
        "task",
        "inflection",
        "predict",
        "--model-dir",
        tmp_path / "m",
        "--input",
        tmp_path / "covered.tsv",
        "--output",
        tmp_path / "pred.tsv",
    )
    assert r.exit_code == 0, r.stderr
    pred = read_task_file(tmp_path / "pred.tsv")
    gold = read_task_file(tmp_path / "gold.tsv")
    assert pred.layout == "lemma-form-features" and len(pred.rows) == n
    assert [(p.lemma, p.features, p.form) for p in pred.rows] == [
        (g.lemma, g.features, g.form) for g in gold.rows
    ]
    assert (tmp_path / "pred.tsv.manifest.json").exists()
    r = cli("task", "inflection", "eval", "--gold", tmp_path / "gold.tsv", "--pred", tmp_path / "pred.tsv")
    assert r.exit_code == 0 and "100.00% exact" in r.stdout


def test_predict_keeps_a_full_input_layout(cli, fixtures, tmp_path):
    _split_toy(fixtures, tmp_path)
    assert (
        cli(
            "task", "inflection", "train", "--train", tmp_path / "train.tsv", "--out", tmp_path / "m"
        ).exit_code
        == 0
    )
    assert (
        cli(
            "task", "inflection", "convert", tmp_path / "gold.tsv", tmp_path / "gold23.tsv", "--to", "2023"
        ).exit_code
        == 0
    )
    r = cli(
        "task",
        "inflection",
        "predict",
        "--model-dir",
        tmp_path / "m",
        "--input",
        tmp_path / "gold23.tsv",
        "--output",
        tmp_path / "pred23.tsv",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["layout"] == "lemma-features-form"
    assert (tmp_path / "pred23.tsv").read_text(encoding="utf-8") == (tmp_path / "gold23.tsv").read_text(
        encoding="utf-8"
    )


def test_cli_errors_are_one_line(cli, fixtures, tmp_path):
    _split_toy(fixtures, tmp_path)
    r = cli(
        "task",
        "inflection",
        "predict",
        "--model-dir",
        tmp_path,
        "--input",
        tmp_path / "covered.tsv",
        "--output",
        tmp_path / "p.tsv",
    )
    assert r.exit_code == 2 and "model.json" in r.stderr
    r = cli(
        "task",
        "inflection",
        "train",
        "--model",
        "bogus",
        "--train",
        tmp_path / "train.tsv",
        "--out",
        tmp_path / "m",
    )
    assert r.exit_code == 2 and "unknown model" in r.stderr
    r = cli("task", "inflection", "train", "--train", tmp_path / "covered.tsv", "--out", tmp_path / "m")
    assert r.exit_code == 2 and "no inflected form" in r.stderr
    r = cli(
        "task",
        "inflection",
        "train",
        "--train",
        tmp_path / "train.tsv",
        "--out",
        tmp_path / "m",
        "-o",
        "depth=2",
    )
    assert r.exit_code == 2 and "no options" in r.stderr
    assert "Traceback" not in r.stderr


def test_covered_input_gets_the_training_files_layout(cli, fixtures, tmp_path):
    _split_toy(fixtures, tmp_path)
    assert (
        cli(
            "task", "inflection", "convert", tmp_path / "train.tsv", tmp_path / "train23.tsv", "--to", "2023"
        ).exit_code
        == 0
    )
    assert (
        cli(
            "task", "inflection", "train", "--train", tmp_path / "train23.tsv", "--out", tmp_path / "m"
        ).exit_code
        == 0
    )
    r = cli(
        "task",
        "inflection",
        "predict",
        "--model-dir",
        tmp_path / "m",
        "--input",
        tmp_path / "covered.tsv",
        "--output",
        tmp_path / "p.tsv",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["layout"] == "lemma-features-form"
    assert read_task_file(tmp_path / "p.tsv").layout == "lemma-features-form"
    r = cli(
        "task",
        "inflection",
        "predict",
        "--model-dir",
        tmp_path / "m",
        "--input",
        tmp_path / "covered.tsv",
        "--output",
        tmp_path / "p22.tsv",
        "--to",
        "2022",
    )
    assert r.exit_code == 0 and read_task_file(tmp_path / "p22.tsv").layout == "lemma-form-features"
