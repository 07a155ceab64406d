"""Augmentation on the real data in ../shared/data: English NT -> Swahili and Amharic with the Wiktionary
lexicons (filed xx -> en, so used reversed), pseudo-labeled Swahili NER from WikiANN English, and a lexicon
induced from the English and Swahili New Testaments. Counts are checked against counts taken here."""

from __future__ import annotations

import json
import re

import pytest

from lexres.loaders.labeled import conll as labeled

pytestmark = pytest.mark.shared
WORD = re.compile(r"\w+(?:['’\-]\w+)*")
LETTER = re.compile(r"[^\W\d_]")
ENG_NT = "bible/clear-bible-vref/data/legacy/vline/eng/eng_nt_BSB.txt"
SW_NT = "bible/christos-c/bibles/Swahili-NT.xml"
WIKT = "lexicons/muse-style/wiktionary_bli/final"



@pytest.fixture(scope="module")
def run(tmp_path_factory, shared_data):
    """Runs the CLI against one store shared by this module, with both Wiktionary lexicons imported."""
    store = tmp_path_factory.mktemp("augment") / "store.db"

    def call(*args):
        from tests.conftest import Cli

        r = Cli(store)(*args)
        assert r.exit_code == 0, r.stderr
        return r

    for code in ("sw", "am"):
        lang = {"sw": "swh", "am": "amh"}[code]
        call(
            "import",
            "lexicon",
            shared_data / WIKT / f"{code}-en.all",
            "--lang",
            lang,
            "--target-lang",
            "eng",
            "--name",
            f"{code}-en",
        )
    return call


def english_entries(path) -> set[str]:
    """English words of a xx-en list that are single tokens (the ones a plain word count can check)."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[0].strip() and WORD.fullmatch(parts[1].strip()):
            out.add(parts[1].strip().casefold())
    return out


@pytest.mark.parametrize("tgt,code", [("swh", "sw"), ("amh", "am")])
def test_english_nt_translated_replaced_share(run, shared_data, tmp_path, tgt, code):
    src = shared_data / ENG_NT
    out = tmp_path / f"{tgt}.txt"
    r = run(
        "augment",
        "pseudo-mono",
        "--src",
        "eng",
        "--tgt",
        tgt,
        "-i",
        src,
        "-o",
        out,
        "--min-replaced",
        "0",
        "--seed",
        "1",
        "--json",
    )
    counts = json.loads(r.stdout)["counts"]
    vocab = english_entries(shared_data / WIKT / f"{code}-en.all")
    text = src.read_text(encoding="utf-8")
    words = [w for w in WORD.findall(text) if LETTER.search(w)]
    replaced = sum(w.casefold() in vocab for w in words)
    assert counts["words"] == len(words)
    assert counts["replaced"] == replaced
    assert counts["replaced_share"] == pytest.approx(replaced / len(words), abs=1e-6)
    manifest = json.loads((tmp_path / f"{tgt}.txt.manifest.json").read_text())
    assert manifest["counts"] == counts
    raw_lines = text.count("\n") + (not text.endswith("\n"))
    assert counts["sentences_in"] == counts["sentences_out"] == raw_lines
    assert out.read_text(encoding="utf-8").count("\n") == text.count("\n")
    # with the default --min-replaced 1, exactly the lines without a known word are left out
    out1 = tmp_path / f"{tgt}-1.txt"
    r = run("augment", "pseudo-mono", "--src", "eng", "--tgt", tgt, "-i", src, "-o", out1, "--json")
    kept = sum(any(w.casefold() in vocab for w in WORD.findall(line)) for line in text.splitlines())
    assert json.loads(r.stdout)["counts"]["sentences_out"] == kept


def test_same_seed_same_bytes_other_seed_other_choices(run, shared_data, tmp_path):
    src = shared_data / ENG_NT
    paths = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        paths.append(tmp_path / name)
        run(
            "augment",
            "pseudo-mono",
            "--src",
            "eng",
            "--tgt",
            "swh",
            "-i",
            src,
            "-o",
            paths[-1],
            "--seed",
            seed,
            "--no-record",
        )
    a, b, c = (p.read_bytes() for p in paths)
    assert a == b
    assert a != c
    la, lc = a.decode().splitlines(), c.decode().splitlines()
    assert len(la) == len(lc)
    differ = sum(x != y for x, y in zip(la, lc, strict=False))
    assert differ > len(la) // 10  # many ambiguous words: most verses get other choices


def test_wikiann_pseudo_labeled_swahili_bio(run, shared_data, tmp_path):
    lines = (
        (shared_data / "ner/wikiann-en/WikiANN/en/dev").read_text(encoding="utf-8").splitlines(True)[:6000]
    )
    src = tmp_path / "dev.slice"
    src.write_text("".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    n_sent = sum(1 for chunk in "".join(lines).split("\n\n") if chunk.strip())
    for extra in ((), ("--translate-entities",)):
        out = tmp_path / "sw.conll"
        r = run(
            "augment",
            "pseudo-label",
            "--src",
            "eng",
            "--tgt",
            "swh",
            "-i",
            src,
            "--format",
            "conll",
            "-o",
            out,
            "--json",
            *extra,
        )
        counts = json.loads(r.stdout)["counts"]
        sents = list(labeled.read(out, "conll"))
        assert len(sents) == counts["sentences"] == n_sent
        assert all(labeled.well_formed([row[-1] for row in s.rows]) for s in sents)
        assert all(s.prefix == "sw" for s in sents)
        assert counts["replaced"] > 0


@pytest.mark.slow
def test_induced_lexicon_beats_dice(run, shared_data, tmp_path):
    run("import", "bible", shared_data / ENG_NT, "--lang", "eng")
    run("import", "bible", shared_data / SW_NT, "--lang", "swh")
    gold = next(r["id"] for r in json.loads(run("list", "--json").stdout) if r["name"] == "sw-en")
    r = run(
        "augment",
        "induce-lexicon",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "-o",
        tmp_path / "ind.tsv",
        "--gold",
        gold,
        "--json",
    )
    result = json.loads(r.stdout)
    ev = result["evaluation"]
    print(
        f"\ninduced eng-swh: ibm1 P@1 {ev['ibm1']['p_at_1']:.3f} P@5 {ev['ibm1']['p_at_5']:.3f}; "
        f"dice P@1 {ev['dice']['p_at_1']:.3f} P@5 {ev['dice']['p_at_5']:.3f} on {ev['ibm1']['n']} words"
    )
    assert ev["ibm1"]["n"] == ev["dice"]["n"] > 1000
    assert ev["ibm1"]["p_at_1"] > ev["dice"]["p_at_1"]
    assert ev["ibm1"]["p_at_1"] >= 0.15
    assert result["counts"]["verse_pairs"] > 7000
    r = run(
        "augment",
        "eval-lexicon",
        "--src",
        "eng",
        "--tgt",
        "swh",
        "--lexicon",
        result["resource_id"],
        "--gold",
        gold,
        "--json",
    )
    assert json.loads(r.stdout)["p_at_1"] == pytest.approx(ev["ibm1"]["p_at_1"], abs=0.02)
