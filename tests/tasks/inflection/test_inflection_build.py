"""Building tasks from the store (lemma-disjoint and random splits, year layouts, covered files, overlap
report, manifest, seeds) and converting between layouts."""

from __future__ import annotations

import json

import pytest

from lexres.tasks.inflection.files import read_task_file


@pytest.fixture
def toy_store(cli, fixtures):
    r = cli("import", "morph", fixtures / "inflection" / "toy.unimorph.tsv", "--lang", "swh")
    assert r.exit_code == 0, r.stderr
    return fixtures / "inflection" / "toy.unimorph.tsv"


def _lines(path):
    return [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]


def _build(cli, out, *args, lang="swh"):
    r = cli("task", "inflection", "build", "--lang", lang, "--out", out, "--json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_lemma_disjoint_2023_task(cli, toy_store, tmp_path):
    source = [row for row in _lines(toy_store)]
    rep = _build(
        cli,
        tmp_path / "t",
        "--year",
        "2023",
        "--train-size",
        "60",
        "--dev-size",
        "18",
        "--test-size",
        "18",
        "--seed",
        "7",
    )
    out = tmp_path / "t"
    train, dev, test = (_lines(out / f) for f in ("swh.trn", "swh.dev", "swh.tst"))
    assert (
        (len(train), len(dev), len(test))
        == (60, 18, 18)
        == tuple(rep["counts"][s] for s in ("train", "dev", "test"))
    )
    lemmas = [{row[0] for row in part} for part in (train, dev, test)]
    assert not (lemmas[0] & lemmas[1]) and not (lemmas[0] & lemmas[2]) and not (lemmas[1] & lemmas[2])
    # 2023 layout: lemma, features, form; every line is a real entry of the source table
    known = {(lem, feats, form) for lem, form, feats in source}
    assert all((lem, feats, form) in known for part in (train, dev, test) for lem, feats, form in part)
    assert _lines(out / "swh.covered.tst") == [row[:2] for row in test]
    assert _lines(out / "swh.covered.dev") == [row[:2] for row in dev]
    assert rep["layout"] == "lemma-features-form" and rep["split"] == "lemma"
    # overlap computed independently from the written files
    seen_l, seen_f = {r[0] for r in train}, {r[1] for r in train}
    for name, part in (("dev", dev), ("test", test)):
        want = {"both": 0, "lemma": 0, "features": 0, "neither": 0}
        for lem, feats, _ in part:
            a, b = lem in seen_l, feats in seen_f
            want["both" if a and b else "lemma" if a else "features" if b else "neither"] += 1
        assert rep["overlap"][name]["counts"] == want
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 7 and manifest["params"]["year"] == "2023"
    assert set(manifest["outputs"]) == {"train", "dev", "test", "test_covered", "dev_covered"}


def test_same_seed_same_files_other_seed_other_split(cli, toy_store, tmp_path):
    args = ("--year", "2022", "--split", "random", "--seed", "3")
    _build(cli, tmp_path / "a", *args)
    _build(cli, tmp_path / "b", *args)
    _build(cli, tmp_path / "c", "--year", "2022", "--split", "random", "--seed", "4")
    for f in ("swh.train", "swh.dev", "swh.test", "swh.test.gold"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    assert (tmp_path / "a" / "swh.train").read_bytes() != (tmp_path / "c" / "swh.train").read_bytes()


def test_random_2022_task_default_sizes(cli, toy_store, tmp_path):
    n = len(_lines(toy_store))
    rep = _build(cli, tmp_path / "t", "--year", "2022", "--split", "random")
    out = tmp_path / "t"
    train, gold = _lines(out / "swh.train"), _lines(out / "swh.test.gold")
    assert len(train) == int(n * 0.8) and len(gold) == int(n * 0.1)
    assert all(len(r) == 3 and ";" in r[2] for r in train)  # lemma, form, features
    assert _lines(out / "swh.test") == [[r[0], r[2]] for r in gold]
    rows = {tuple(r) for f in ("swh.train", "swh.dev", "swh.test.gold") for r in _lines(out / f)}
    assert len(rows) == rep["counts"]["train"] + rep["counts"]["dev"] + rep["counts"]["test"]  # no item twice


def test_sizes_larger_than_the_data_are_scaled(cli, toy_store, tmp_path):
    n = len(_lines(toy_store))
    rep = _build(cli, tmp_path / "t", "--year", "2023")  # 2023 defaults ask for 12,000 lines
    assert rep["sizes_scaled"] and sum(rep["counts"].values()) <= n


def test_build_errors(cli, toy_store, tmp_path):
    r = cli("task", "inflection", "build", "--lang", "fin", "--out", tmp_path / "x")
    assert r.exit_code == 2 and "no morph resource" in r.stderr
    r = cli("task", "inflection", "build", "--lang", "swh", "--out", tmp_path / "x", "--year", "1999")
    assert r.exit_code == 2 and "1999" in r.stderr


def test_convert_round_trip(cli, fixtures, tmp_path):
    src = fixtures / "inflection" / "gold.tsv"
    r = cli("task", "inflection", "convert", src, tmp_path / "g23", "--to", "2023", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == {"from": "lemma-form-features", "to": "lemma-features-form", "lines": 5}
    assert [row[2] for row in _lines(tmp_path / "g23")] == [row[1] for row in _lines(src)]
    assert read_task_file(tmp_path / "g23").layout == "lemma-features-form"
    assert (
        cli("task", "inflection", "convert", tmp_path / "g23", tmp_path / "g22", "--to", "2022").exit_code
        == 0
    )
    assert (tmp_path / "g22").read_bytes() == src.read_bytes()
    assert (
        cli("task", "inflection", "convert", src, tmp_path / "cov", "--to", "lemma-features").exit_code == 0
    )
    assert _lines(tmp_path / "cov") == [[r[0], r[2]] for r in _lines(src)]
    r = cli("task", "inflection", "convert", tmp_path / "cov", tmp_path / "bad", "--to", "2023")
    assert r.exit_code == 2 and "covered" in r.stderr


def test_build_on_real_unimorph_table(cli, shared_data, tmp_path):
    src = shared_data / "unimorph" / "evn" / "evn"
    assert cli("import", "morph", src, "--lang", "evn").exit_code == 0
    rep = _build(
        cli, tmp_path / "t", "--train-size", "2000", "--dev-size", "300", "--test-size", "300", lang="evn"
    )
    # distinct (lemma, form, features) triples of the raw file, counted independently
    raw = {tuple(line.rstrip("\r\n").split("\t")) for line in open(src, encoding="utf-8") if line.strip()}
    assert rep["available"] == len(raw)
    assert rep["counts"] == {"train": 2000, "dev": 300, "test": 300}
    assert rep["overlap"]["test"]["counts"]["both"] == rep["overlap"]["test"]["counts"]["lemma"] == 0


def test_macrolanguage_resources_are_used_and_said(cli, fixtures, tmp_path):
    r = cli("import", "morph", fixtures / "inflection" / "toy.unimorph.tsv", "--lang", "swa", "--json")
    assert r.exit_code == 0, r.stderr
    rep = _build(cli, tmp_path / "t", "--train-size", "50", "--dev-size", "10", "--test-size", "10")
    assert rep["counts"] == {"train": 50, "dev": 10, "test": 10}
    assert len(rep["notes"]) == 1 and "`swa`" in rep["notes"][0]
    r = cli("task", "inflection", "build", "--lang", "swh", "--out", tmp_path / "u", "--train-size", "50")
    assert r.exit_code == 0 and "filed under `swa`" in r.stderr  # notes go to stderr in a pipe


def test_build_from_one_resource(cli, fixtures, tmp_path):
    src = fixtures / "inflection" / "toy.unimorph.tsv"
    assert cli("import", "morph", src, "--lang", "swh", "--name", "a").exit_code == 0
    assert (
        cli("import", "morph", fixtures / "inflection" / "gold.tsv", "--lang", "swh", "--name", "b").exit_code
        == 0
    )
    both = _build(cli, tmp_path / "all", "--split", "random")
    one = cli("task", "inflection", "build", "--resource", "2", "--out", tmp_path / "one", "--json")
    assert one.exit_code == 0, one.stderr
    one = json.loads(one.stdout)
    assert both["available"] == len(_lines(src)) + 5 and one["available"] == 5 and one["resources"] == [2]
