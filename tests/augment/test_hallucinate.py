"""Hallucination: stems found by alignment are replaced consistently, affixes and features kept, seeded,
with a manifest; and a CLI."""

from __future__ import annotations

import json
import random

import pytest

from lexres.augment.morph.hallucinate import alphabet_of, hallucinate, hallucinate_one, stem_runs
from lexres.errors import OptionError
from lexres.tasks.inflection.affix_baseline import align
from lexres.tasks.inflection.files import read_task_file
from lexres.tasks.inflection.models import Example

PTCP = Example("schielen", ("V.PTCP", "PST"), "geschielt")


def test_stem_runs_need_three_aligned_identical_characters():
    assert stem_runs(align("schielen", "geschielt")) == [(2, 8)]  # s c h i e l
    assert stem_runs(align("ab", "abx")) == []
    assert stem_runs(align("abcXdef", "abcYdefg")) == [(0, 3), (4, 7)]
    assert stem_runs(align("ab", "abx"), min_run=2) == [(0, 2)]


def test_one_example_keeps_affixes_and_replaces_the_stem_consistently():
    alphabet = list("xyzw")
    new = hallucinate_one(PTCP, alphabet, random.Random(1))
    assert new.features == PTCP.features
    assert new.form.startswith("ge") and new.form.endswith("t") and new.lemma.endswith("en")
    stem = new.lemma[:6]
    assert set(stem) <= set(alphabet) and new.form == "ge" + stem + "t"
    assert hallucinate_one(Example("ab", ("X",), "ba"), alphabet, random.Random(1)) is None


def test_seeded_and_counted():
    train = [PTCP, Example("lachen", ("V", "PST"), "lachte"), Example("ab", ("X",), "ba")]
    a = hallucinate(train, 50, seed=5)
    assert len(a) == 50 and a == hallucinate(train, 50, seed=5) and a != hallucinate(train, 50, seed=6)
    alphabet = set(alphabet_of(train))
    assert all(set(e.lemma) | set(e.form) <= alphabet for e in a)
    assert all(e.features != ("X",) for e in a)  # the example without a stem is never used
    assert {e.features for e in a} == {PTCP.features, ("V", "PST")}
    with pytest.raises(OptionError):
        hallucinate([Example("ab", ("X",), "ba")], 3)


def test_multiword_spaces_are_kept():
    ex = Example("na bróga", ("N", "PL"), "na mbróga")
    out = hallucinate([ex], 20, seed=2)
    assert all(e.lemma[2] == " " and e.form[2] == " " for e in out)


def test_cli_writes_file_and_manifest(cli, shared_data, tmp_path):
    src = shared_data / "sigmorphon" / "2023" / "part1" / "data" / "kat.trn"
    out = tmp_path / "kat.hall"
    r = cli("augment", "hallucinate", "--input", src, "--n", "300", "--output", out, "--seed", "1", "--json")
    assert r.exit_code == 0, r.stderr
    made = read_task_file(out)
    assert made.layout == "lemma-features-form" and len(made.rows) == 300
    train = read_task_file(src)
    bundles = {r.features for r in train.rows}
    assert all(r.features in bundles for r in made.rows)
    manifest = json.loads((tmp_path / "kat.hall.manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 1 and manifest["counts"]["hallucinated"] == 300
    r = cli(
        "augment", "hallucinate", "--input", src, "--n", "10", "--output", tmp_path / "with", "--with-input"
    )
    n_src = sum(1 for line in open(src, encoding="utf-8") if line.strip())
    assert r.exit_code == 0 and len(read_task_file(tmp_path / "with").rows) == n_src + 10
