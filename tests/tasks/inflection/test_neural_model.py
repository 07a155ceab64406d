"""The neural inflection transducer: learns a toy suffixing/prefixing task, saves and reloads exactly,
is reproducible from its seed, stops early, and plugs into the shared model interface."""

from __future__ import annotations

import json
import random

import pytest

torch = pytest.importorskip("torch", reason="the neural model needs the torch extra (lexres[model])")

from lexres.errors import OptionError  # noqa: E402
from lexres.tasks.inflection.models import Example, load_model, train_model  # noqa: E402
from lexres.tasks.inflection.neural.model import NeuralConfig, load, train  # noqa: E402
from lexres.tasks.inflection.neural.vocab import Vocab, feature_tokens  # noqa: E402

pytestmark = pytest.mark.model

RULES = {
    ("V", "PST"): lambda s: s + "ed",
    ("V", "PL"): lambda s: s + "s",
    ("N", "DIM"): lambda s: "ge" + s,
    ("V", "NEG"): lambda s: "un" + s + "t",
}


def toy(n: int, seed: int) -> list[Example]:
    """Random stems over a small alphabet, inflected by a fixed affix per bundle."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        stem = "".join(rng.choice("abcdefghiklmnoprstu") for _ in range(rng.randint(3, 6)))
        feats = rng.choice(sorted(RULES))
        out.append(Example(stem, feats, RULES[feats](stem)))
    return out


TINY = NeuralConfig(
    d_model=48,
    heads=2,
    enc_layers=1,
    dec_layers=1,
    ff=96,
    dropout=0.0,
    label_smoothing=0.0,
    lr=5e-3,
    warmup=20,
    batch_size=16,
    max_epochs=12,
    patience=12,
    threads=1,
)


def accuracy(predictor, data) -> float:
    preds = predictor.predict([(e.lemma, e.features) for e in data])
    return sum(p == e.form for p, e in zip(preds, data, strict=True)) / len(data)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("neural")
    train_set, dev = toy(400, 1), toy(60, 2)
    metrics = train(train_set, dev, out, seed=7, config=TINY)
    return out, metrics, dev


def test_learns_affixation_rules_on_unseen_stems(trained):
    out, metrics, dev = trained
    assert metrics.dev_accuracy >= 0.9  # a fraction, like every score in the API
    predictor = load(out)
    assert accuracy(predictor, toy(80, 3)) >= 0.9  # fresh stems, never seen in training or dev
    assert predictor.predict([("zzz", ("V", "PST"))])[0].endswith("ed")  # <unk> stem still gets the suffix


def test_checkpoint_holds_weights_vocab_config_and_manifest(trained):
    out, metrics, dev = trained
    names = {p.name for p in out.iterdir()}
    assert {"neural.pt", "neural_vocab.json", "neural_config.json", "neural.pt.manifest.json"} <= names
    manifest = json.loads((out / "neural.pt.manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["params"]["d_model"] == 48
    assert manifest["counts"]["train"] == 400
    assert manifest["counts"]["dev_accuracy"] == metrics.dev_accuracy
    log = [json.loads(line) for line in (out / "neural_log.jsonl").read_text().splitlines()]
    best = max(log, key=lambda r: r["dev_accuracy"])
    assert best["epoch"] == metrics.extra["best_epoch"] and best["dev_accuracy"] == metrics.dev_accuracy


def test_save_load_round_trip_predicts_identically(trained, tmp_path):
    out, metrics, dev = trained
    items = [(e.lemma, e.features) for e in dev]
    a = load(out)
    assert accuracy(a, dev) == pytest.approx(metrics.dev_accuracy, abs=1e-4)
    b = load(out)
    assert a.predict(items) == b.predict(items)
    for (name, p), q in zip(a.net.state_dict().items(), b.net.state_dict().values(), strict=True):
        assert torch.equal(p, q), name


def test_beam_search_agrees_with_greedy_on_a_learned_task(trained):
    out, _, dev = trained
    predictor = load(out)
    items = [(e.lemma, e.features) for e in dev]
    greedy = predictor.predict(items, beam=1)
    beamed = predictor.predict(items, beam=4)
    assert len(beamed) == len(items)
    assert sum(g == b for g, b in zip(greedy, beamed, strict=True)) >= 0.9 * len(items)
    assert sum(b == e.form for b, e in zip(beamed, dev, strict=True)) >= 0.9 * len(dev)


def test_same_seed_same_weights_other_seed_differs(tmp_path):
    data, dev = toy(120, 4), toy(20, 5)
    cfg = NeuralConfig(**{**_fields(TINY), "max_epochs": 2, "patience": 2})
    train(data, dev, tmp_path / "a", seed=3, config=cfg)
    train(data, dev, tmp_path / "b", seed=3, config=cfg)
    train(data, dev, tmp_path / "c", seed=4, config=cfg)
    a, b, c = (torch.load(tmp_path / d / "neural.pt") for d in "abc")
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], c[k]) for k in a)


def test_early_stopping_halts_after_patience(tmp_path):
    # dev forms follow a rule training never shows, so dev accuracy stays at 0 and never improves
    data = toy(80, 6)
    dev = [Example(e.lemma, e.features, e.form + "qq") for e in toy(20, 7)]
    cfg = NeuralConfig(**{**_fields(TINY), "max_epochs": 50, "patience": 3})
    metrics = train(data, dev, tmp_path, seed=1, config=cfg)
    log = (tmp_path / "neural_log.jsonl").read_text().splitlines()
    assert metrics.extra["best_epoch"] == 1 and metrics.extra["epochs"] == 4 and len(log) == 4
    assert metrics.dev_accuracy == 0.0


def test_without_dev_runs_all_epochs_and_keeps_last(tmp_path):
    cfg = NeuralConfig(**{**_fields(TINY), "max_epochs": 3})
    metrics = train(toy(40, 8), None, tmp_path, seed=1, config=cfg)
    assert metrics.extra["epochs"] == 3 and metrics.extra["best_epoch"] == 3 and metrics.dev_accuracy is None
    assert load(tmp_path).predict([("abc", ("V", "PL"))])[0] is not None


def test_shared_interface_trains_and_loads_the_neural_kind(tmp_path):
    opts = {
        "d_model": "32",
        "heads": "2",
        "enc_layers": "1",
        "dec_layers": "1",
        "ff": "64",
        "max_epochs": "2",
        "copy": "no",
        "threads": "1",
    }
    metrics = train_model("neural", toy(60, 9), toy(10, 10), tmp_path, seed=2, **opts)
    info = json.loads((tmp_path / "model.json").read_text())
    assert info["kind"] == "neural" and metrics.extra["epochs"] == 2
    assert info["metrics"] == json.loads(json.dumps(metrics.to_dict()))
    predictor = load_model(tmp_path)
    assert predictor.cfg.copy is False and predictor.cfg.d_model == 32
    assert len(predictor.predict([("abc", ("V", "PL")), ("de", ("N", "DIM"))])) == 2


def test_unknown_or_bad_options_are_option_errors(tmp_path):
    with pytest.raises(OptionError, match="unknown neural option"):
        train(toy(10, 1), None, tmp_path, seed=0, dmodel=3)
    with pytest.raises(OptionError, match="copy.*not a valid bool"):
        NeuralConfig.for_size(10, copy="maybe")
    with pytest.raises(OptionError, match="not a valid int"):
        NeuralConfig.for_size(10, d_model="1.5")
    assert NeuralConfig.for_size(10, dropout="0.5", copy="off").dropout == 0.5


def test_size_defaults_differ_for_small_and_large_sets():
    small, large = NeuralConfig.for_size(700), NeuralConfig.for_size(10_000)
    assert small.max_epochs > large.max_epochs and small.batch_size < large.batch_size


def test_layered_features_become_shared_tag_tokens():
    assert feature_tokens(("N", "NOM(PL;PSS(1,PL))")) == [
        "[N]",
        "[NOM]",
        "[(]",
        "[PL]",
        "[PSS]",
        "[(]",
        "[1]",
        "[PL]",
        "[)]",
        "[)]",
    ]
    vocab = Vocab.build([Example("e\u0301a", ("V",), "éb")])  # NFC folds e + combining acute into é
    assert "é" in vocab.symbols and "\u0301" not in vocab.symbols
    src, is_lemma = vocab.encode_source("éa", ("V", "X"))
    assert is_lemma == [0, 0, 1, 1] and src[1] == 3  # unknown tag -> <unk>
    assert vocab.decode(vocab.encode_target("éb")[1:]) == "éb"


def _fields(cfg: NeuralConfig) -> dict:
    from dataclasses import asdict

    return asdict(cfg)


def _write_2022(path, examples) -> None:
    text = "".join(f"{e.lemma}\t{e.form}\t{';'.join(e.features)}\n" for e in examples)
    path.write_text(text, encoding="utf-8")


def test_cli_trains_neural_model_and_predicts_a_covered_file(cli, tmp_path):
    train_file, dev_file, covered = tmp_path / "toy.train", tmp_path / "toy.dev", tmp_path / "toy.covered"
    _write_2022(train_file, toy(300, 11))
    dev = toy(30, 12)
    _write_2022(dev_file, dev)
    covered.write_text("".join(f"{e.lemma}\t{';'.join(e.features)}\n" for e in dev), encoding="utf-8")
    out = tmp_path / "model"
    opts = [
        "-o",
        "d_model=48",
        "-o",
        "heads=2",
        "-o",
        "enc_layers=1",
        "-o",
        "dec_layers=1",
        "-o",
        "ff=96",
        "-o",
        "dropout=0",
        "-o",
        "lr=0.005",
        "-o",
        "warmup=20",
        "-o",
        "batch_size=16",
        "-o",
        "max_epochs=10",
        "-o",
        "threads=1",
    ]
    r = cli(
        "task",
        "inflection",
        "train",
        "--model",
        "neural",
        "--train",
        train_file,
        "--dev",
        dev_file,
        "--out",
        out,
        "--seed",
        "3",
        "--json",
        *opts,
    )
    assert r.exit_code == 0, r.stdout + r.stderr
    rep = json.loads(r.stdout)
    assert rep["train"] == 300 and rep["metrics"]["epochs"] <= 10
    pred = tmp_path / "toy.pred"
    r = cli("task", "inflection", "predict", "--model-dir", out, "--input", covered, "--output", pred)
    assert r.exit_code == 0, r.stdout + r.stderr
    lines = pred.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(dev)
    assert [line.split("\t")[0] for line in lines] == [e.lemma for e in dev]
    r = cli("task", "inflection", "eval", "--gold", dev_file, "--pred", pred, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    scored = json.loads(r.stdout)["overall"]["accuracy"]
    assert scored == pytest.approx(rep["metrics"]["dev_accuracy"], abs=1e-4)  # both fractions 0-1


def test_cli_rejects_unknown_neural_option(cli, tmp_path):
    train_file = tmp_path / "toy.train"
    _write_2022(train_file, toy(20, 13))
    r = cli(
        "task",
        "inflection",
        "train",
        "--model",
        "neural",
        "--train",
        train_file,
        "--out",
        tmp_path / "m",
        "-o",
        "layers=3",
    )
    assert r.exit_code == 2
    assert "unknown neural option" in r.stderr and "Traceback" not in r.stderr


def test_incremental_decoding_matches_full_recomputation(trained):
    from lexres.tasks.inflection.neural.model import source_tensors

    out, _, dev = trained
    p = load(out)
    src, lem = source_tensors(p.vocab, [(e.lemma, e.features) for e in dev[:8]])
    tgt = torch.tensor([p.vocab.encode_target(e.form)[:5] for e in dev[:8] if len(e.form) >= 4][:4])
    src, lem = src[: len(tgt)], lem[: len(tgt)]
    with torch.inference_mode():
        memory = p.net.encode(src, lem)
        full = p.net.decode(tgt, memory, src, lem)
        cache: list = []
        for t in range(tgt.size(1)):
            assert torch.allclose(p.net.step(tgt[:, t], t, cache, memory, src, lem), full[:, t], atol=1e-4)


def test_progress_advances_once_per_epoch(tmp_path):
    from lexres.progress import Progress

    class Recorder(Progress):
        def __init__(self):
            self.calls = []

        def start(self, total, description="", unit=""):
            self.calls.append(("start", total))

        def advance(self, amount=1):
            self.calls.append(("advance", amount))

    rec = Recorder()
    cfg = NeuralConfig(**{**_fields(TINY), "max_epochs": 3})
    train(toy(30, 14), None, tmp_path, seed=0, config=cfg, progress=rec)
    assert rec.calls == [("start", 3), ("advance", 1), ("advance", 1), ("advance", 1)]


@pytest.mark.shared
@pytest.mark.parametrize(
    "rel",
    [
        "sigmorphon/2023/part1/data/nav.dev",
        "sigmorphon/2023/part1/data/amh.dev",
        "sigmorphon/2022/part1/development_languages/evn.dev",
    ],
)
def test_vocab_round_trips_every_real_form(shared_data, rel):
    import unicodedata

    from lexres.tasks.inflection.files import read_task_file

    examples = read_task_file(shared_data / rel).examples()
    text = (shared_data / rel).read_text(encoding="utf-8")
    raw_lines = sum(1 for line in text.splitlines() if line.strip())
    assert len(examples) == raw_lines
    vocab = Vocab.build(examples)
    for e in examples:
        src, is_lemma = vocab.encode_source(e.lemma, e.features)
        assert 3 not in src  # every symbol of the data it was built from is known
        assert sum(is_lemma) == len(unicodedata.normalize("NFC", e.lemma))
        assert vocab.decode(vocab.encode_target(e.form)[1:]) == unicodedata.normalize("NFC", e.form)
