"""Pseudo-labeled data: labels follow their words through substitution in CoNLL, XTREME and CoNLL-U."""

from __future__ import annotations

import json

import pytest

from lexres.augment.substitute.engine import Options, Substituter
from lexres.augment.substitute.table import build_table
from lexres.augment.text.pseudo_label import Labeler, run_file, token_prefix
from lexres.errors import ParseError
from lexres.loaders.labeled import conll as labeled
from lexres.loaders.labeled.conll import repair_bio, well_formed

TABLE = build_table(
    [
        ("house", "nyumba", 1),
        ("big", "kubwa", 1),
        ("good morning", "habari za asubuhi", 1),
        ("New York", "Nyu Yoki", 1),
        ("dog", "mbwa", 1),
        ("friend", "rafiki wa karibu", 1),
        ("runs", "anakimbia", 1),
        ("to", "kwa", 1),
        ("lives", "anaishi", 1),
    ]
)


def translate(fixtures, tmp_path, name, fmt, **kw):
    out = tmp_path / (name + ".out")
    counts = run_file(
        Substituter(TABLE, Options(min_replaced=0, choice="first")),
        fixtures / "augment" / name,
        out,
        fmt,
        prefix="sw",
        **kw,
    )
    return list(labeled.read(out, fmt)), counts


def test_wikiann_prefix_entities_kept_and_bio(fixtures, tmp_path):
    sents, counts = translate(fixtures, tmp_path, "ner.wikiann", "conll")
    assert [s.prefix for s in sents] == ["sw", "sw", "sw"]
    first = [(r[0], r[1]) for r in sents[0].rows]
    assert first[:3] == [("John", "B-PER"), ("Smith", "I-PER"), ("anaishi", "O")]
    assert ("New", "B-LOC") in first and ("York", "I-LOC") in first  # entities stay untranslated
    assert [r[0] for r in sents[1].rows[:3]] == ["Habari", "za", "asubuhi"]
    assert counts.kept_entities == 7 and counts.sentences == 3
    assert all(well_formed([r[-1] for r in s.rows]) for s in sents)


def test_translated_entities_continue_their_label(fixtures, tmp_path):
    sents, counts = translate(fixtures, tmp_path, "ner.wikiann", "conll", keep_entities=False)
    rows = [(r[0], r[1]) for r in sents[0].rows]
    assert ("Nyu", "B-LOC") in rows and ("Yoki", "I-LOC") in rows
    last = [(r[0], r[1]) for r in sents[2].rows]
    # "friend" (I-ORG) became three tokens: all inside the entity
    assert last[-3:] == [("rafiki", "I-ORG"), ("wa", "I-ORG"), ("karibu", "I-ORG")]
    assert counts.tokens_out == counts.tokens_in + 3  # good morning: 2 -> 3 tokens; friend: 1 -> 3
    assert all(well_formed([r[-1] for r in s.rows]) for s in sents)


def test_conll03_columns_follow_their_word(fixtures, tmp_path):
    sents, _ = translate(fixtures, tmp_path, "ner.conll03", "conll")
    assert sents[0].comments == ["-DOCSTART- -X- -X- O"]
    rows = sents[2].rows
    # one word became three: POS repeated, chunk and NER continued as I-
    assert rows[:3] == [
        ["Habari", "JJ", "B-NP", "O"],
        ["za", "JJ", "I-NP", "O"],
        ["asubuhi", "JJ", "I-NP", "O"],
    ]
    assert rows[3] == ["Peter", "NNP", "B-NP", "B-PER"]


def test_xtreme_pos(fixtures, tmp_path):
    sents, counts = translate(fixtures, tmp_path, "pos.xtreme", "xtreme")
    assert [r for r in sents[0].rows[:3]] == [["The", "DET"], ["kubwa", "ADJ"], ["nyumba", "NOUN"]]
    assert sents[1].rows == [["Habari", "ADJ"], ["za", "ADJ"], ["asubuhi", "ADJ"]]
    assert counts.replaced == 4


def test_conllu_renumbers_tree_and_ranges(fixtures, tmp_path):
    sents, counts = translate(fixtures, tmp_path, "small.conllu", "conllu")
    s1 = sents[0]
    ids = [r[0] for r in s1.rows]
    assert ids == [str(i) for i in range(1, len(ids) + 1)]
    heads = {r[0]: r[6] for r in s1.rows}
    assert all(h == "0" or h in heads for h in heads.values())
    root = [r for r in s1.rows if r[6] == "0"]
    assert len(root) == 1 and root[0][1] == "mbwa"
    assert s1.rows[0][:2] == ["1", "Habari"] and s1.rows[0][6] == root[0][0]
    assert [r[7] for r in s1.rows[1:3]] == ["flat", "flat"]
    assert ("5-6", "John's") in [(f[0], f[1]) for _, f in s1.specials]  # unchanged words keep their range
    assert "# text = Habari za asubuhi, John's mbwa." in s1.comments
    s2 = sents[1]
    assert [f[0] for _, f in s2.specials] == ["6.1"] and s2.specials[0][1][8] == "3:conj"
    assert counts.kept_entities == 1  # PROPN John


def test_bio_repair_and_well_formed():
    labels = ["O", "I-PER", "I-PER", "B-LOC", "I-ORG"]
    assert not well_formed(labels)
    assert repair_bio(labels) == 2
    assert labels == ["O", "B-PER", "I-PER", "B-LOC", "B-ORG"] and well_formed(labels)


def test_drop_unknown_keeps_bio_well_formed():
    s = labeled.Sentence([["zz", "B-PER"], ["Smith", "I-PER"], ["dog", "O"]])
    lab = Labeler(Substituter(TABLE, Options(unknown="drop", min_replaced=0)), "conll", keep_entities=False)
    out = lab.sentence(s, 0)
    assert [r[1] for r in out.rows] == ["O"] and out.rows[0][0] == "mbwa"
    s = labeled.Sentence([["zz", "O"], ["Smith", "I-PER"], ["big", "I-PER"]])
    out = Labeler(
        Substituter(TABLE, Options(unknown="drop", min_replaced=0)), "conll", keep_entities=False
    ).sentence(s, 0)
    assert [(r[0], r[1]) for r in out.rows] == [("kubwa", "B-PER")]


def test_bad_input_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tdog\t_\tNOUN\n", encoding="utf-8")
    with pytest.raises(ParseError, match="bad.conllu:1"):
        list(labeled.read(bad, "conllu"))
    bad2 = tmp_path / "bad.conll"
    bad2.write_text("token-without-label\n", encoding="utf-8")
    with pytest.raises(ParseError, match="bad.conll:1"):
        list(labeled.read(bad2, "conll"))


def test_token_prefix():
    assert token_prefix("swh") == "sw" and token_prefix("amh") == "am" and token_prefix("eng") == "en"


def test_cli_pseudo_label(cli, fixtures, tmp_path):
    r = cli(
        "import", "lexicon", fixtures / "augment" / "eng-swh.tsv", "--lang", "eng", "--target-lang", "swh"
    )
    assert r.exit_code == 0, r.stderr
    out = tmp_path / "sw.conll"
    r = cli(
        "augment",
        "pseudo-label",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "-i",
        fixtures / "augment" / "ner.wikiann",
        "--format",
        "conll",
        "-o",
        out,
        "--seed",
        "2",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["counts"]["sentences"] == 3
    manifest = json.loads((tmp_path / "sw.conll.manifest.json").read_text())
    assert manifest["params"]["format"] == "conll" and manifest["seed"] == 2
    assert list(manifest["params"]) == [
        "src",
        "tgt",
        "format",
        "keep_entities",
        "choice",
        "unknown",
        "mark",
        "morph",
        "lexicons",
    ]
    assert out.read_text(encoding="utf-8").startswith("sw:John\tB-PER\n")
    r = cli(
        "augment",
        "pseudo-label",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "-i",
        fixtures / "augment" / "ner.wikiann",
        "--format",
        "iob9",
        "-o",
        out,
    )
    assert r.exit_code == 2 and "--format" in r.stderr
