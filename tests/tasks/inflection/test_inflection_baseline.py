"""The non-neural affix baseline: rule extraction on the documented example, rule choice, prefixing
languages, the model interface, and the official 2022 dev accuracies on the real shared-task data."""

from __future__ import annotations

import json

import pytest

from lexres.errors import LexresError
from lexres.tasks.inflection.affix_baseline import AffixModel, align, is_prefixing, rules_of, split_alignment
from lexres.tasks.inflection.files import read_task_file
from lexres.tasks.inflection.models import Example, load_model, model_info, train_model

V_PTCP = ("V.PTCP", "PST")


def test_alignment_prefers_gaps_to_substitutions():
    cols = align("schielen", "geschielt")
    top = "".join(a or "_" for a, _ in cols)
    bottom = "".join(b or "_" for _, b in cols)
    assert (top, bottom) == ("__schielen", "geschielt_")
    pre, stem, suf = split_alignment(cols)
    assert len(pre) == 2 and len(suf) == 1 and len(stem) == 7


def test_rules_of_the_documented_example():
    prefix, suffix = rules_of("schielen", "geschielt")
    for rule in [("n>", ">"), ("en>", "t>"), ("len>", "lt>"), ("schielen>", "schielt>")]:
        assert rule in suffix
    assert ("<", "<ge") in prefix
    assert all(inp.startswith("<") and out.startswith("<ge") for inp, out in prefix)


def test_inflects_unseen_lemma_with_prefix_and_longest_suffix_rule():
    participles = [Example("schielen", V_PTCP, "geschielt"), Example("lachen", V_PTCP, "gelacht")]
    # On these two alone the shift vote says "prefixing" (2 leading gaps against 1 trailing each), as the
    # original's does; present participles add trailing gaps and make the language suffixing.
    assert AffixModel.fit(participles).prefixing
    present = [Example(v, ("V.PTCP", "PRS"), v + "d") for v in ("lachen", "reisen", "tanzen")]
    model = AffixModel.fit(participles + present)
    assert not model.prefixing
    assert model.inflect("kaufen", V_PTCP) == "gekauft"
    assert model.inflect("kaufen", ("N", "PL")) == "kaufen"  # unseen bundle: copy the lemma


def test_longest_match_beats_frequency_and_frequency_breaks_ties():
    ex = [
        Example("tanzen", ("X",), "tanzte"),
        Example("reisen", ("X",), "reiste"),
        Example("gehen", ("X",), "ging"),
    ]
    model = AffixModel.fit(ex)
    # "ehen>" (from gehen) is longer than "en>" (twice), so it wins for sehen
    assert model.inflect("sehen", ("X",)) == "sing"
    assert model.inflect("malen", ("X",)) == "malte"
    ex2 = [Example("aba", ("Y",), "abu"), Example("cda", ("Y",), "cdo"), Example("efa", ("Y",), "efo")]
    assert AffixModel.fit(ex2).inflect("xya", ("Y",)) == "xyo"  # a>o seen twice, a>u once


def test_prefixing_language_is_detected_and_reversed(fixtures):
    rows = read_task_file(fixtures / "inflection" / "toy.unimorph.tsv").examples()
    assert is_prefixing([(e.lemma, e.form) for e in rows])
    assert not is_prefixing([("kaufen", "kaufte"), ("lachen", "lachte")])
    train = [e for e in rows if not e.lemma.startswith("kus")]
    test = [e for e in rows if e.lemma.startswith("kus")]
    model = AffixModel.fit(train)
    assert model.prefixing
    assert model.predict([(e.lemma, e.features) for e in test]) == [e.form for e in test]


def test_train_and_load_through_the_model_interface(tmp_path):
    train = [Example("schielen", V_PTCP, "geschielt"), Example("lachen", V_PTCP, "gelacht")]
    train += [Example(v, ("V.PTCP", "PRS"), v + "d") for v in ("lachen", "reisen", "tanzen")]
    dev = [Example("kaufen", V_PTCP, "gekauft"), Example("kaufen", ("V", "PST"), "kaufte")]
    metrics = train_model("nonneural", train, dev, tmp_path / "m", seed=3)
    assert metrics.dev_accuracy == 0.5 and metrics.extra["prefixing"] in (True, False)
    info = model_info(tmp_path / "m")
    assert info.kind == "nonneural" and info.metrics == json.loads(json.dumps(metrics.to_dict()))
    assert info.n_train == len(train) and info.seed == 3
    assert (tmp_path / "m" / "manifest.json").exists()
    model = load_model(tmp_path / "m")
    assert model.predict([("kaufen", V_PTCP), ("x", ("Q",))]) == ["gekauft", "x"]
    with pytest.raises(LexresError):
        train_model("nonneural", train, None, tmp_path / "m2", depth=3)
    with pytest.raises(LexresError):
        train_model("no-such-model", train, None, tmp_path / "m3")


# Official non-neural DEV accuracies of the SIGMORPHON 2022 shared task (published baseline results).
OFFICIAL_2022_DEV = {
    "bra_small": 56.44,
    "evn_small": 19.50,
    "evn_large": 19.50,
    "itl_small": 26.57,
    "ket_small": 22.35,
    "lud_small": 85.37,
    "lud_large": 85.87,
}


@pytest.mark.parametrize("setting", sorted(OFFICIAL_2022_DEV))
def test_matches_official_2022_dev_accuracy(shared_data, setting):
    d = shared_data / "sigmorphon" / "2022" / "part1" / "development_languages"
    train = read_task_file(d / f"{setting}.train")
    dev = read_task_file(d / f"{setting.split('_')[0]}.dev")
    assert len(train.rows) == sum(
        1 for line in open(d / f"{setting}.train", encoding="utf-8") if line.strip()
    )
    model = AffixModel.fit(train.examples())
    preds = model.predict(dev.items())
    acc = 100 * sum(p == r.form for p, r in zip(preds, dev.rows, strict=True)) / len(dev.rows)
    assert abs(acc - OFFICIAL_2022_DEV[setting]) <= 2.0
