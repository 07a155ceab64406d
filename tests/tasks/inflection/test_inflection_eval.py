"""The evaluator against hand-computed accuracy and edit distance, Unicode that NFC changes, the 2022
seen/unseen breakdown, and clear errors for misaligned prediction files."""

from __future__ import annotations

import json
import unicodedata

import pytest

from lexres.errors import LexresError, ParseError
from lexres.tasks.inflection.run import evaluate_files
from lexres.tasks.inflection.scoring import evaluate, levenshtein, overlap, score


@pytest.mark.parametrize(
    "a,b,d",
    [
        ("kitten", "sitting", 3),
        ("", "abc", 3),
        ("abc", "", 3),
        ("abc", "abc", 0),
        ("flaw", "lawn", 2),
        ("kauft", "kaufen", 2),
        ("naïver", "naive", 2),
    ],
)
def test_levenshtein_hand_computed(a, b, d):
    assert levenshtein(a, b) == d
    assert levenshtein(b, a) == d


def test_score_counts_missing_predictions_as_empty():
    s = score(["ab", "cd", "e"], ["ab", "ce"])
    assert s.n == 3 and s.correct == 1
    assert s.accuracy == pytest.approx(1 / 3) and s.percent == pytest.approx(100 / 3)  # fraction, percent
    assert s.distance == pytest.approx((0 + 1 + 1) / 3)  # "e" vs missing "" costs one insertion


def test_score_compares_after_nfc():
    composed, decomposed = "résumé", unicodedata.normalize("NFD", "résumé")
    assert composed != decomposed and levenshtein(composed, decomposed) == 4  # raw strings differ
    s = score([composed, "naïve"], [decomposed, unicodedata.normalize("NFD", "naive")])
    assert s.correct == 1 and s.accuracy == 0.5
    assert s.distance == pytest.approx(0.5)  # ï vs i is one substitution once both are NFC


def test_score_rejects_more_predictions_than_gold():
    with pytest.raises(LexresError):
        score(["a"], ["a", "b"])


def test_breakdown_by_seen_lemma_and_features():
    train = [("kaufen", ("V", "PST")), ("lachen", ("N", "PL"))]
    gold = [
        ("kaufen", ("PST", "V"), "kaufte"),  # both (bundle order does not matter)
        ("kaufen", ("V", "PRS"), "kauft"),  # lemma only
        ("machen", ("V", "PST"), "machte"),  # features only
        ("sehen", ("ADJ",), "seh"),
    ]  # neither
    r = evaluate(gold, ["kaufte", "kaufe", "machte"], train)
    by = r.by_category
    assert [by[c].n for c in ("both", "lemma", "features", "neither")] == [1, 1, 1, 1]
    assert by["both"].accuracy == 1.0 and by["features"].accuracy == 1.0
    assert by["lemma"].accuracy == 0 and by["lemma"].distance == 1
    assert by["neither"].distance == 3  # missing prediction vs "seh"
    assert r.overall.accuracy == 0.5
    assert set(r.to_dict()) == {"overall", "by_category"}
    assert set(evaluate(gold, ["kaufte"]).to_dict()) == {"overall"}  # no buckets without training items
    ov = overlap([(g[0], g[1]) for g in gold], train)
    assert ov.counts == {"both": 1, "lemma": 1, "features": 1, "neither": 1}
    assert ov.share == {"both": 0.25, "lemma": 0.25, "features": 0.25, "neither": 0.25}


def test_evaluate_files_hand_computed(fixtures):
    d = fixtures / "inflection"
    r = evaluate_files(d / "gold.tsv", d / "pred.tsv", d / "train.tsv")
    assert r.overall.correct == 2 and r.overall.accuracy == pytest.approx(0.4)
    assert r.overall.distance == pytest.approx((0 + 2 + 2 + 0 + 2) / 5)
    by = r.by_category
    assert {c: by[c].n for c in by} == {"both": 1, "lemma": 1, "features": 2, "neither": 1}
    assert by["features"].accuracy == 1.0  # includes the NFD-written résumés
    assert by["both"].distance == 2.0 and by["neither"].distance == 2.0
    # the signature names the version, the three inputs' hashes and the comparison
    from lexres import __version__
    from lexres.provenance import file_sha256

    assert r.signature.startswith(f"lexres:{__version__}|task inflection eval|")
    assert f"gold:{file_sha256(d / 'gold.tsv')[:12]}" in r.signature and "train:" in r.signature


def test_short_prediction_file_counts_missing(fixtures, tmp_path):
    d = fixtures / "inflection"
    short = tmp_path / "short.tsv"
    short.write_text(
        "".join((d / "pred.tsv").read_text(encoding="utf-8").splitlines(True)[:1]), encoding="utf-8"
    )
    r = evaluate_files(d / "gold.tsv", short)
    assert r.missing == 4 and r.overall.correct == 1
    empty = tmp_path / "empty.tsv"
    empty.write_text("", encoding="utf-8")
    assert evaluate_files(d / "gold.tsv", empty).overall.correct == 0


def test_misaligned_prediction_file_is_a_clear_error(fixtures, tmp_path):
    d = fixtures / "inflection"
    lines = (d / "pred.tsv").read_text(encoding="utf-8").splitlines(True)
    swapped = tmp_path / "swapped.tsv"
    swapped.write_text(lines[1] + lines[0] + "".join(lines[2:]), encoding="utf-8")
    with pytest.raises(ParseError) as err:
        evaluate_files(d / "gold.tsv", swapped)
    assert err.value.line == 1 and "gold line 1" in str(err.value)
    longer = tmp_path / "longer.tsv"
    longer.write_text("".join(lines) + "extra\textra\tN;SG\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        evaluate_files(d / "gold.tsv", longer)
    assert err.value.line == 6


def test_eval_cli_json_and_error(cli, fixtures, tmp_path):
    d = fixtures / "inflection"
    r = cli(
        "task",
        "inflection",
        "eval",
        "--gold",
        d / "gold.tsv",
        "--pred",
        d / "pred.tsv",
        "--train",
        d / "train.tsv",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["overall"]["accuracy"] == pytest.approx(0.4)  # JSON carries the API's fractions
    assert data["by_category"]["lemma"]["n"] == 1
    assert set(data) == {"overall", "by_category", "gold", "pred", "missing", "train", "signature"}
    r = cli("task", "inflection", "eval", "--gold", d / "gold.tsv", "--pred", d / "pred.tsv", "--train",
            d / "train.tsv")
    assert r.exit_code == 0, r.stderr
    assert "40.00% exact (2/5)" in r.output  # printed as a percentage, as the shared tasks report it
    assert "signature: lexres:" in r.output and "|task inflection eval|" in r.output  # stderr in a pipe
    r = cli("task", "inflection", "eval", "--gold", d / "gold.tsv", "--pred", d / "train.tsv")
    assert r.exit_code == 2 and "does not match gold line" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("setting", ["bra_small", "evn_large", "itl_small", "lud_small", "lud_large"])
def test_breakdown_counts_match_the_official_2022_analysis(shared_data, setting):
    """The 2022 task published, per setting, how many dev items fall in each seen/unseen bucket."""
    from lexres.tasks.inflection.bench import official_counts
    from lexres.tasks.inflection.files import read_task_file

    d = shared_data / "sigmorphon" / "2022" / "part1" / "development_languages"
    train = read_task_file(d / f"{setting}.train").items()
    dev = read_task_file(d / f"{setting.split('_')[0]}.dev").items()
    assert overlap(dev, train).counts == official_counts(setting, "dev")


def test_find_gold_matches_by_content(shared_data, tmp_path):
    from lexres.tasks.inflection.bench import find_gold

    d = shared_data / "sigmorphon" / "2022" / "part1" / "development_languages"
    covered = tmp_path / "ket.test"
    rows = [line.split("\t") for line in (d / "ket.dev").read_text(encoding="utf-8").splitlines() if line]
    covered.write_text("".join(f"{r[0]}\t{r[2]}\n" for r in rows), encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "ket.notes").write_text("not a task file\n", encoding="utf-8")
    (gold_dir / "ket_x.tsv").write_text((d / "itl.dev").read_text(encoding="utf-8"), encoding="utf-8")
    assert find_gold(gold_dir, "ket", covered) is None
    (gold_dir / "ket.gold").write_text((d / "ket.dev").read_text(encoding="utf-8"), encoding="utf-8")
    assert find_gold(gold_dir, "ket", covered) == gold_dir / "ket.gold"
