"""Tagging with a tiny BERT: train -> predict -> eval through the CLI (the model overfits 20 sentences),
the saved directory, output that keeps the input's layout, BIO repair of model output, label distillation,
and one-line errors for bad input."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from lexres.cli.tagging import app, distill
from lexres.errors import NotFoundError, OptionError, ParseError
from lexres.tasks.tagging.data import label_spec, read, read_labeled, well_formed

pytest.importorskip("torch")
pytestmark = pytest.mark.model


@pytest.fixture(autouse=True)
def _one_thread():
    import torch

    torch.set_num_threads(1)


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_train_saves_the_best_checkpoint_with_labels_and_manifest(trained):
    out, printed = trained
    assert "epoch 1: loss " in printed and ", dev F1 " in printed and "tok/s" in printed
    assert "stopped: patience" in printed  # dev F1 reaches 100 and stops improving
    assert "signature: lexres:" in printed and "task tagging train|seed:3|" in printed
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert list(config["id2label"].values()) == ["O", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER"]
    assert json.loads((out / "tagging.json").read_text(encoding="utf-8"))["scheme"] == "iob2"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "task tagging train" and manifest["seed"] == 3
    assert set(manifest["inputs"]) >= {"train", "dev"}
    assert (out / "tokenizer.json").is_file()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]


def test_round_trip_train_predict_eval(trained, ner_train, tmp_path):
    model, _ = trained
    pred = tmp_path / "pred.conll"
    res = _run("predict", "--model", model, "--input", ner_train, "--output", pred)
    assert res.exit_code == 0, res.output
    assert "tagged 20 sentences" in res.output and "signature:" in res.output
    assert (tmp_path / "pred.conll.manifest.json").is_file()
    res = _run("eval", "--gold", ner_train, "--pred", pred, "--json")
    assert res.exit_code == 0, res.output
    micro = json.loads(res.output)["entities"]["micro"]
    assert micro["f1"] >= 0.9, micro
    res = _run("eval", "--gold", ner_train, "--pred", pred)
    assert "micro " in res.output and "signature: lexres:" in res.output


def test_predict_keeps_the_layout_of_the_input(trained, tmp_path):
    model, _ = trained
    src = tmp_path / "in.txt"  # MasakhaNER style: space-separated, with a document marker
    src.write_text(
        "-DOCSTART- -X- O O\n\njuma O\nlives O\nin O\nnairobi O\n\n\nsafaricom O\n.\tO\n", encoding="utf-8"
    )
    out = tmp_path / "out.txt"
    assert _run("predict", "--model", model, "--input", src, "--output", out).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- -X- O O"
    assert lines[2:6] == ["juma B-PER", "lives O", "in O", "nairobi B-LOC"]
    assert [len(ex.words) for ex in read_labeled(out, label_spec("conll"))[1]] == [0, 4, 2]
    # the WikiANN `en:` prefix comes back too
    src.write_text("en:juma\tO\nen:lives\tO\nen:in\tO\nen:arusha\tO\n", encoding="utf-8")
    assert _run("predict", "--model", model, "--input", src, "--output", out).exit_code == 0
    assert out.read_text(encoding="utf-8").split("\n")[:4] == [
        "en:juma\tB-PER",
        "en:lives\tO",
        "en:in\tO",
        "en:arusha\tB-LOC",
    ]


def test_model_output_is_repaired_to_well_formed_iob2(trained):
    import torch

    from lexres.tasks.tagging.predict import Tagger

    tagger = Tagger.load(trained[0])
    i_per = tagger.model.config.label2id["I-PER"]
    with torch.no_grad():  # make the head answer I-PER for everything
        tagger.model.classifier.bias[i_per] += 1000.0
    [t] = tagger.tag([["juma", "lives", "in", "nairobi"]])
    assert t.labels == ("B-PER", "I-PER", "I-PER", "I-PER")
    assert t.repaired == 1 and well_formed(list(t.labels))
    assert t.mean_confidence == pytest.approx(1.0)


def test_distill_writes_valid_conll_and_drops_unsure_sentences(trained, tmp_path):
    from lexres.tasks.tagging.predict import Tagger

    model, _ = trained
    text = tmp_path / "raw.txt"
    lines = [
        "juma lives in nairobi .",
        "",
        "kcb and tanesco visited arusha .",
        "qqq zzz xxx",
        "yesterday neema called amina .",
        "a -DOCSTART- b",
    ]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conf = {
        n: t.mean_confidence
        for n, t in zip(
            (1, 3, 4, 5), Tagger.load(model).tag([lines[i - 1].split() for i in (1, 3, 4, 5)]), strict=True
        )
    }
    threshold = round(sorted(conf.values())[1] - 1e-6, 8)  # drop exactly the least confident one
    app2 = typer.Typer()
    app2.command("distill")(distill)
    app2.command("other")(lambda: None)
    out = tmp_path / "silver.conll"
    res = CliRunner().invoke(
        app2,
        [
            "distill",
            "--teacher",
            str(model),
            "--text",
            str(text),
            "--out",
            str(out),
            "--threshold",
            str(threshold),
        ],
    )
    assert res.exit_code == 0, res.output
    least = min(conf, key=conf.get)
    sentences = list(read(out, "conll"))
    assert len(sentences) == 3
    assert [" ".join(r[0] for r in s.rows) for s in sentences] == [
        lines[n - 1] for n in (1, 3, 4, 5) if n != least
    ]
    _, examples = read_labeled(out, label_spec("conll"))  # valid IOB2, as `train` reads it
    assert all(well_formed(list(ex.labels)) for ex in examples)
    manifest = json.loads((tmp_path / "silver.conll.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["dropped_lines"] == [least]
    assert manifest["counts"]["empty_lines"] == [2]
    assert manifest["counts"]["unwritable_lines"] == [6]
    assert "kept 3 sentences" in res.output and "signature: lexres:" in res.output
    # threshold 1: nothing is that sure
    res = CliRunner().invoke(
        app2,
        [
            "distill",
            "--teacher",
            str(model),
            "--text",
            str(text),
            "--out",
            str(out),
            "--threshold",
            "1",
            "--json",
        ],
    )
    assert json.loads(res.output)["dropped_lines"] == [1, 3, 4, 5]
    res = CliRunner().invoke(
        app2,
        ["distill", "--teacher", str(model), "--text", str(text), "--out", str(out), "--threshold", "1.5"],
    )
    assert isinstance(res.exception, OptionError)


def test_bad_inputs_give_one_line_errors(tiny_body, ner_train, tmp_path):
    bad = tmp_path / "bad.conll"
    bad.write_text("juma\tB-PER\nlives\tO\n\nin\tO\nnairobi\tB_LOC\n", encoding="utf-8")
    res = _run("train", "--model", tiny_body, "--train", bad, "--out", tmp_path / "m")
    assert isinstance(res.exception, ParseError)
    assert str(res.exception).startswith(f"{bad}:5: label `B_LOC` is not an IOB2 tag")
    assert not (tmp_path / "m").exists()
    res = _run("train", "--model", tmp_path / "nowhere", "--train", ner_train, "--out", tmp_path / "m")
    assert isinstance(res.exception, NotFoundError)
    assert "nowhere: no such directory" in str(res.exception) and res.exception.hint
    res = _run("predict", "--model", tmp_path, "--input", ner_train, "--output", tmp_path / "p.conll")
    assert isinstance(res.exception, NotFoundError) and "no config.json" in str(res.exception)
    res = _run("train", "--model", tiny_body, "--train", ner_train, "--out", tmp_path / "m", "--epochs", "0")
    assert isinstance(res.exception, OptionError)
    res = _run(
        "train", "--model", tiny_body, "--train", ner_train, "--format", "conllu", "--out", tmp_path / "m"
    )
    assert isinstance(res.exception, ParseError)  # a CoNLL file is not CoNLL-U: located, not a traceback
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("x", encoding="utf-8")
    res = _run("train", "--model", tiny_body, "--train", ner_train, "--out", tmp_path / "taken")
    assert isinstance(res.exception, OptionError) and "not written by lexres" in str(res.exception)


def test_step_budget_without_dev_keeps_the_last_epoch(tiny_body, ner_train, tmp_path):
    out = tmp_path / "m"
    res = _run(
        "train",
        "--model",
        tiny_body,
        "--train",
        ner_train,
        "--out",
        out,
        "--epochs",
        "5",
        "--max-steps",
        "2",
        "--batch-size",
        "4",
        "--json",
        "--threads",
        "1",
    )
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert (rep["stopped"], rep["steps"], rep["best_epoch"], rep["best_dev_score"]) == (
        "max-steps",
        2,
        1,
        None,
    )
    assert [e["steps"] for e in rep["epochs"]] == [2]
    assert (out / "model.safetensors").is_file()
    # the same seed gives the same weights; a run over a lexres-made directory replaces it
    first = (out / "model.safetensors").read_bytes()
    again = _run(
        "train",
        "--model",
        tiny_body,
        "--train",
        ner_train,
        "--out",
        out,
        "--epochs",
        "5",
        "--max-steps",
        "2",
        "--batch-size",
        "4",
        "--threads",
        "1",
    )
    assert again.exit_code == 0, again.output
    assert (out / "model.safetensors").read_bytes() == first


UD = """# sent_id = a
# text = juma lives in nairobi
1\tjuma\t_\tPROPN\t_\t_\t2\tnsubj\t_\t_
2\tlives\t_\tVERB\t_\t_\t0\troot\t_\t_
3-4\tinnairobi\t_\t_\t_\t_\t_\t_\t_\t_
3\tin\t_\tADP\t_\t_\t4\tcase\t_\t_
4\tnairobi\t_\tPROPN\t_\t_\t2\tobl\t_\t_

# sent_id = b
1\tthe\t_\tDET\t_\t_\t2\tdet\t_\t_
2\tcity\t_\tNOUN\t_\t_\t0\troot\t_\t_
3\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_

"""


def test_upos_tagging_on_conllu_round_trip(tiny_body, trained, tmp_path):
    data = tmp_path / "ud.conllu"
    data.write_text(UD * 4, encoding="utf-8")
    model, pred = tmp_path / "pos", tmp_path / "pred.conllu"
    res = _run(
        "train",
        "--model",
        tiny_body,
        "--train",
        data,
        "--dev",
        data,
        "--format",
        "conllu",
        "--out",
        model,
        "--epochs",
        "25",
        "--lr",
        "5e-3",
        "--batch-size",
        "2",
        "--patience",
        "5",
        "--threads",
        "1",
    )
    assert res.exit_code == 0, res.output
    assert "dev accuracy" in res.output
    assert json.loads((model / "tagging.json").read_text(encoding="utf-8"))["scheme"] == "upos"
    res = _run("predict", "--model", model, "--input", data, "--format", "conllu", "--output", pred)
    assert res.exit_code == 0, res.output
    gold_lines, pred_lines = data.read_text().splitlines(), pred.read_text().splitlines()
    assert len(gold_lines) == len(pred_lines)
    for g, p in zip(gold_lines, pred_lines, strict=True):  # only the UPOS column may differ
        gf, pf = g.split("\t"), p.split("\t")
        assert gf[:3] + gf[4:] == pf[:3] + pf[4:]
    res = _run("eval", "--gold", data, "--pred", pred, "--format", "conllu", "--json")
    assert json.loads(res.output)["pos"]["accuracy"] >= 0.9
    # an IOB2 tagger may not write into the UPOS column
    res = _run("predict", "--model", trained[0], "--input", data, "--format", "conllu", "--output", pred)
    assert isinstance(res.exception, OptionError) and "UPOS column" in str(res.exception)
    res = _run(
        "predict",
        "--model",
        trained[0],
        "--input",
        data,
        "--format",
        "conllu",
        "--label-column",
        "10",
        "--output",
        tmp_path / "ner.conllu",
    )
    assert res.exit_code == 0, res.output
