"""Tagging scores: parity with seqeval's default mode on hand-made and random cases, dropped types, BIO
repair, UPOS accuracy, and gold/prediction files that do not line up."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from lexres.cli.tagging import app
from lexres.errors import OptionError, ParseError
from lexres.tasks.tagging.data import label_spec, repair_bio, well_formed
from lexres.tasks.tagging.scoring import drop_types, entity_scores, evaluate_files, pos_accuracy

seqeval = pytest.importorskip("seqeval.metrics")

CASES = [
    # I- without B- opens an entity (conlleval), in gold and prediction
    ([["I-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "I-LOC"]]),
    # adjacent entities of one type; a type change inside a chunk
    ([["B-PER", "B-PER", "I-PER", "O"]], [["B-PER", "I-PER", "I-PER", "O"]]),
    ([["B-ORG", "I-ORG", "I-LOC", "O"]], [["B-ORG", "I-ORG", "B-LOC", "O"]]),
    # entities at sentence ends, across two sentences; a type only predicted, one only in gold
    ([["O", "B-LOC"], ["B-LOC", "O"]], [["B-LOC", "I-LOC"], ["B-LOC", "B-MISC"]]),
    ([["B-DATE", "I-DATE"], ["O"]], [["O", "O"], ["O"]]),
]


def _check_parity(gold, pred):
    ours = entity_scores(gold, pred)
    p, r, f, support = seqeval.sequence_labeling.precision_recall_fscore_support(gold, pred, zero_division=0)
    assert [t.type for t in ours.per_type] == sorted(t.type for t in ours.per_type)
    assert [t.precision for t in ours.per_type] == pytest.approx(list(p))
    assert [t.recall for t in ours.per_type] == pytest.approx(list(r))
    assert [t.f1 for t in ours.per_type] == pytest.approx(list(f))
    assert [t.gold for t in ours.per_type] == list(support)
    assert ours.micro.precision == pytest.approx(seqeval.precision_score(gold, pred, zero_division=0))
    assert ours.micro.recall == pytest.approx(seqeval.recall_score(gold, pred, zero_division=0))
    assert ours.micro.f1 == pytest.approx(seqeval.f1_score(gold, pred, zero_division=0))
    return ours


@pytest.mark.parametrize(("gold", "pred"), CASES)
def test_entity_scores_equal_seqeval_on_hand_made_cases(gold, pred):
    _check_parity(gold, pred)


def test_entity_scores_hand_counted():
    s = entity_scores(*CASES[0])
    per = {t.type: t for t in s.per_type}
    assert (per["PER"].gold, per["PER"].predicted, per["PER"].correct) == (
        1,
        1,
        1,
    )  # I-PER I-PER == B-PER I-PER
    assert (per["LOC"].gold, per["LOC"].predicted, per["LOC"].correct) == (1, 1, 1)
    s = entity_scores(*CASES[1])
    assert (s.micro.gold, s.micro.predicted, s.micro.correct) == (2, 1, 0)
    assert s.micro.f1 == 0.0
    s = entity_scores(*CASES[4])
    assert s.micro.precision == 0.0 and s.micro.recall == 0.0  # zero division -> 0, as seqeval


def test_entity_scores_equal_seqeval_on_random_sequences():
    rng = random.Random(7)
    labels = ["O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-ORG"]
    gold = [[rng.choice(labels) for _ in range(rng.randint(1, 12))] for _ in range(60)]
    pred = [[lab if rng.random() < 0.7 else rng.choice(labels) for lab in g] for g in gold]
    s = _check_parity(gold, pred)
    assert 0 < s.micro.f1 < 1


def test_dropped_types_become_o_everywhere(tmp_path):
    gold = [["B-PER", "O", "B-DATE", "I-DATE"], ["B-DATE", "B-LOC"]]
    pred = [["B-PER", "O", "B-DATE", "O"], ["O", "B-LOC"]]
    assert drop_types(gold, ["DATE"]) == [["B-PER", "O", "O", "O"], ["O", "B-LOC"]]
    g, p = drop_types(gold, ["DATE"]), drop_types(pred, ["DATE"])
    assert entity_scores(g, p).micro.f1 == 1.0
    _check_parity(g, p)
    words = [["juma", "in", "may", "2020"], ["today", "arusha"]]
    gf, pf = tmp_path / "gold.conll", tmp_path / "pred.conll"
    for f, seqs in ((gf, gold), (pf, pred)):
        f.write_text(
            "".join(
                "".join(f"{w}\t{lab}\n" for w, lab in zip(ws, ls, strict=True)) + "\n"
                for ws, ls in zip(words, seqs, strict=True)
            ),
            encoding="utf-8",
        )
    rep = evaluate_files(gf, pf, label_spec("conll"), ["DATE"])
    assert rep.entities.micro.f1 == 1.0
    assert (rep.dropped_types, rep.dropped_gold, rep.dropped_pred) == (("DATE",), 2, 1)
    assert "drop:DATE" in rep.signature
    out = CliRunner().invoke(app, ["eval", "--gold", str(gf), "--pred", str(pf), "--drop-types", "DATE"])
    assert out.exit_code == 0, out.output
    assert "note: types DATE mapped to O in gold (2 entities) and prediction (1)" in out.output
    assert "micro         100.00  100.00  100.00" in out.output
    kept = CliRunner().invoke(app, ["eval", "--gold", str(gf), "--pred", str(pf), "--json"])
    data = json.loads(kept.output)
    per = {t["type"]: t for t in data["entities"]["per_type"]}
    assert (per["DATE"]["gold"], per["DATE"]["predicted"], per["DATE"]["correct"]) == (
        2,
        1,
        0,
    )  # span differs
    assert per["PER"]["f1"] == 1.0 and data["entities"]["micro"]["precision"] == 2 / 3
    assert data["signature"].startswith("lexres:") and "gold:" in data["signature"]


def test_bio_repair():
    labels = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-PER", "B-ORG", "I-ORG"]
    before = [list(labels)]
    assert not well_formed(labels)
    assert repair_bio(labels) == 3
    assert labels == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-PER", "B-ORG", "I-ORG"]
    assert well_formed(labels)
    # repair never changes what seqeval counts as entities
    assert entity_scores(before, [labels]).micro.f1 == 1.0


def test_pos_accuracy_on_conllu(tmp_path):
    row = "{i}\t{w}\t_\t{t}\t_\t_\t0\troot\t_\t_\n"
    gold = (
        "".join(
            row.format(i=i, w=w, t=t)
            for i, (w, t) in enumerate([("a", "DET"), ("cat", "NOUN"), ("ran", "VERB")], 1)
        )
        + "\n"
    )
    pred = gold.replace("NOUN", "PROPN")
    (tmp_path / "g.conllu").write_text(gold, encoding="utf-8")
    (tmp_path / "p.conllu").write_text(pred, encoding="utf-8")
    rep = evaluate_files(tmp_path / "g.conllu", tmp_path / "p.conllu", label_spec("conllu"))
    assert rep.entities is None
    assert (rep.pos.correct, rep.pos.tokens) == (2, 3)
    assert rep.pos.accuracy == pytest.approx(2 / 3)
    assert pos_accuracy([["X"]], [["X"]]).accuracy == 1.0
    out = CliRunner().invoke(
        app,
        [
            "eval",
            "--gold",
            str(tmp_path / "g.conllu"),
            "--pred",
            str(tmp_path / "p.conllu"),
            "--format",
            "conllu",
        ],
    )
    assert "UPOS accuracy 66.67 (2/3 words, 1 sentence)" in out.output
    assert "signature: lexres:" in out.output
    with pytest.raises(OptionError, match=r"\(IOB2\) labels only"):
        evaluate_files(tmp_path / "g.conllu", tmp_path / "p.conllu", label_spec("conllu"), ["DATE"])


def test_gold_and_prediction_that_do_not_line_up_name_file_and_line(tmp_path):
    gold = tmp_path / "gold.conll"
    gold.write_text("juma\tB-PER\nlives\tO\n\nin\tO\nnairobi\tB-LOC\n", encoding="utf-8")
    cases = {
        "token.conll": ("juma\tB-PER\nlives\tO\n\nin\tO\nmombasa\tB-LOC\n", 5, "token `mombasa` differs"),
        "count.conll": ("juma\tB-PER\nlives\tO\n\nin\tO\n", 4, "sentence 2 has 1 tokens"),
        "short.conll": ("juma\tB-PER\nlives\tO\n", 4, "sentence 2 has no counterpart"),
    }
    for name, (text, line, message) in cases.items():
        pred = tmp_path / name
        pred.write_text(text, encoding="utf-8")
        res = CliRunner().invoke(app, ["eval", "--gold", str(gold), "--pred", str(pred)])
        assert isinstance(res.exception, ParseError), res.output
        where = gold if name == "short.conll" else pred
        assert str(res.exception).startswith(f"{where}:{line}: {message}")
