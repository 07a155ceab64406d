"""`adapt corpus`: Bible verses + pseudo-monolingual text, deduplicated, seeded, mixed, recorded with
parents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lexres.augment.text.corpus import build_corpus, parse_mix
from lexres.errors import NotFoundError, OptionError
from lexres.importer import import_resource

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample"
SWH = ["Hapo mwanzo kulikuwako Neno.", "Huyo mwanzo alikuwako kwa Mungu.", "Hapo mwanzo kulikuwako Neno."]


@pytest.fixture
def filled(store, tmp_path):
    import_resource(store, "lexicon", [SAMPLE / "eng-swh.tsv"], lang="eng", target_lang="swh")
    vref = tmp_path / "vref.txt"
    vref.write_text("JHN 1:1\nJHN 1:2\nJHN 1:3\n", encoding="utf-8")
    bible = tmp_path / "swh.txt"
    bible.write_text("\n".join(SWH) + "\n", encoding="utf-8")
    import_resource(store, "bible", [bible], lang="swh", format="vline", options={"vref": str(vref)})
    import_resource(
        store,
        "bible",
        [SAMPLE / "eng.vline.txt"],
        lang="eng",
        format="vline",
        options={"vref": str(SAMPLE / "vref.txt")},
    )
    return store


def test_corpus_holds_bible_and_pseudo_mono_text_once_each(filled, tmp_path):
    rep = build_corpus(filled, "swh", tmp_path / "c", src="eng", sources=[SAMPLE / "eng.txt"], seed=3)
    lines = (tmp_path / "c" / "corpus.txt").read_text(encoding="utf-8").splitlines()
    sizes = {s.origin: s.lines for s in rep.sizes}
    assert sizes["bible"] == 2  # the repeated verse text is kept once
    assert rep.duplicates_dropped >= 1
    assert len(lines) == len(set(lines)) == rep.lines == sizes["bible"] + sizes["pseudo-mono"]
    assert set(SWH) <= set(lines)
    assert any("mtoto" in line for line in lines)  # English text translated with the eng-swh lexicon
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == "lexres" and manifest["seed"] == 3
    res = filled.resource(rep.resource_id)
    assert res.kind == "text" and set(res.derived_from) == {*rep.bibles, *rep.lexicons}


def test_same_seed_same_bytes_other_seed_other_order(filled, tmp_path):
    a = build_corpus(
        filled, "swh", tmp_path / "a", src="eng", sources=[SAMPLE / "eng.txt"], seed=1, record=False
    )
    b = build_corpus(
        filled, "swh", tmp_path / "b", src="eng", sources=[SAMPLE / "eng.txt"], seed=1, record=False
    )
    c = build_corpus(
        filled, "swh", tmp_path / "c", src="eng", sources=[SAMPLE / "eng.txt"], seed=2, record=False
    )
    text = [(tmp_path / d / "corpus.txt").read_bytes() for d in "abc"]
    assert a.lines == b.lines == c.lines and text[0] == text[1]
    assert text[0] != text[2] and sorted(text[0].splitlines()) == sorted(text[2].splitlines())


def test_mix_adds_the_requested_share_of_source_text(filled, tmp_path):
    rep = build_corpus(
        filled,
        "swh",
        tmp_path / "m",
        src="eng",
        sources=[SAMPLE / "eng.txt"],
        mix=parse_mix(["eng:0.3"]),
        seed=0,
        record=False,
    )
    sizes = {s.origin: s.lines for s in rep.sizes}
    share = sizes["mix:eng"] / rep.lines
    assert sizes["mix:eng"] > 0 and abs(share - 0.3) < 0.1


def test_bad_inputs_are_clear_errors(filled, store_path, tmp_path):
    with pytest.raises(OptionError):
        parse_mix(["eng:1.5"])
    with pytest.raises(OptionError):
        parse_mix(["eng:0.6", "fra:0.5"])
    with pytest.raises(OptionError, match="--src"):
        build_corpus(filled, "swh", tmp_path / "x", sources=[SAMPLE / "eng.txt"])
    with pytest.raises(NotFoundError):
        build_corpus(filled, "gle", tmp_path / "y")


def test_cli_writes_the_corpus(cli, filled, tmp_path):
    r = cli(
        "adapt",
        "corpus",
        "--lang",
        "swh",
        "--src",
        "eng",
        "--from",
        SAMPLE / "eng.txt",
        "--out",
        tmp_path / "cli",
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["lines"] > 2
    r = cli("adapt", "corpus", "--lang", "swh", "--mix", "eng", "--out", tmp_path / "bad")
    assert r.exit_code == 2 and "LANG:SHARE" in r.stderr
