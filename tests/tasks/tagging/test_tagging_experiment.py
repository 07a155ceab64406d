"""The lexicon-adaptation experiment end to end on a toy store (two verse-aligned Bibles, an eng->swh word
list, synthetic NER data) with tiny budgets: the structure of the results (configurations x seeds, data sizes,
the equal-steps control, manifests), never the F1 values."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")

LEXICON = {
    "lives": "anaishi",
    "in": "katika",
    "works": "anafanya",
    "at": "kwenye",
    "the": "hiyo",
    "city": "mji",
    "of": "ya",
    "met": "alikutana",
    "today": "leo",
    "and": "na",
    "visited": "walitembelea",
    "yesterday": "jana",
    "called": "alimpigia",
    "man": "mtu",
    "went": "alienda",
    "to": "kwa",
    "house": "nyumba",
    "people": "watu",
    "said": "alisema",
    "god": "mungu",
    "word": "neno",
    "day": "siku",
}
PER, LOC, ORG = ["Juma", "Amina", "Baraka"], ["Nairobi", "Mombasa", "Arusha"], ["Safaricom", "Tanesco"]
TEMPLATES = [
    "{PER} lives in {LOC} .",
    "{PER} works at {ORG} in {LOC} .",
    "the city of {LOC} met {PER} today .",
    "{ORG} and {ORG} visited {LOC} .",
    "yesterday {PER} called {PER} .",
]
VERSES = [
    "the man went to the house",
    "people said the word of god",
    "the day of god in the city",
    "the people went to the city today",
    "the man said the word",
]


def _sentences(n: int, seed: int, swahili: bool) -> list[list[tuple[str, str]]]:
    rng, out = random.Random(seed), []
    for i in range(n):
        sent = []
        for slot in TEMPLATES[i % len(TEMPLATES)].split():
            if slot.startswith("{"):
                sent.append((rng.choice({"PER": PER, "LOC": LOC, "ORG": ORG}[slot[1:-1]]), "B-" + slot[1:-1]))
            else:
                sent.append((LEXICON.get(slot, slot) if swahili else slot, "O"))
        if swahili and i % 4 == 0:
            sent.append(("Jumanne", "B-DATE"))
        out.append(sent)
    return out


def _conll(path: Path, sentences, prefix: str = "") -> Path:
    path.write_text(
        "".join("".join(f"{prefix}{w}\t{lab}\n" for w, lab in s) + "\n" for s in sentences), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """A store with an eng and a swh Bible (60 verse-aligned verses) and an eng->swh lexicon; NER files."""
    from tests.conftest import Cli

    tmp_path = tmp_path_factory.mktemp("experiment")
    cli = Cli(tmp_path / "store.db")
    refs, eng, swh = [], [], []
    for i in range(60):
        verse = VERSES[i % len(VERSES)] + f" {PER[i % 3]}"
        refs.append(f"MAT {i // 20 + 1}:{i % 20 + 1}")
        eng.append(verse)
        swh.append(" ".join(LEXICON.get(w, w) for w in verse.split()))
    (tmp_path / "vref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    for lang, lines in (("eng", eng), ("swh", swh)):
        (tmp_path / f"{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        r = cli(
            "import",
            "bible",
            tmp_path / f"{lang}.txt",
            "--lang",
            lang,
            "--format",
            "vline",
            "-o",
            f"vref={tmp_path / 'vref.txt'}",
        )
        assert r.exit_code == 0, r.output
    (tmp_path / "lex.tsv").write_text("".join(f"{e}\t{s}\n" for e, s in LEXICON.items()), encoding="utf-8")
    r = cli("import", "lexicon", tmp_path / "lex.tsv", "--lang", "eng", "--target-lang", "swh")
    assert r.exit_code == 0, r.output
    return {
        "store": tmp_path / "store.db",
        "train": _conll(tmp_path / "en.train", _sentences(40, 1, False), prefix="en:"),
        "dev": _conll(tmp_path / "sw.dev", _sentences(10, 2, True)),
        "test": _conll(tmp_path / "sw.test", _sentences(12, 3, True)),
    }


def _options(**over):
    from lexres.tasks.tagging.experiment import ExperimentOptions

    base = dict(
        seeds=(1, 2),
        budget_minutes=5.0,
        max_train_sentences=30,
        epochs=1,
        batch_size=8,
        max_length=32,
        vocab_size=60,
        body_config="tiny",
        pretrain_steps=3,
        adapt_steps=2,
        mlm_seq_len=16,
        distill_lines=20,
        threads=1,
    )
    return ExperimentOptions(**{**base, **over})


@pytest.fixture(scope="module")
def scratch(toy):
    """The whole recipe once, from a body pretrained from scratch, seeds 1 and 2."""
    import torch

    from lexres.store import Store
    from lexres.tasks.tagging.experiment import run_experiment

    torch.set_num_threads(1)
    out = toy["store"].parent / "exp"
    with Store.open(toy["store"]) as store:
        return run_experiment(
            store, "swh", "eng", toy["train"], toy["dev"], toy["test"], out, options=_options()
        )


def test_experiment_structure(toy, scratch):
    from lexres.tasks.tagging.experiment import CONFIGS

    rep, out = scratch, Path(scratch.out)
    # every configuration once per seed, in the documented order
    assert [(r.config, r.seed) for r in rep.runs] == [
        (c, s) for s in (1, 2) for c in ("a", "b", "a-equal-steps", "c", "d")
    ]
    assert {s.config for s in rep.summaries} == set(CONFIGS)
    assert all(s.seeds == (1, 2) for s in rep.summaries)
    for r in rep.runs:
        assert 0.0 <= r.test_f1 <= 1.0 and r.steps >= 1 and r.cpu_seconds >= 0
        assert Path(r.model, "config.json").is_file()
    # the equal-steps control gets exactly as many updates as (b); (b) trains on twice (a)'s sentences
    by = {(r.config, r.seed): r for r in rep.runs}
    for seed in (1, 2):
        assert by[("a-equal-steps", seed)].steps == by[("b", seed)].steps > by[("a", seed)].steps
        assert by[("b", seed)].sentences == 2 * by[("a", seed)].sentences == 60
        assert by[("d", seed)].sentences > by[("c", seed)].sentences == by[("b", seed)].sentences
    summary = {s.config: s for s in rep.summaries}
    assert summary["a"].train_sentences == summary["a-equal-steps"].train_sentences == 30
    assert summary["c"].train_sentences == summary["b"].train_sentences == 60 < summary["d"].train_sentences
    assert summary["a-equal-steps"].steps_mean == summary["b"].steps_mean
    sizes = {d.name: d for d in rep.data}
    assert sizes["train-a"].sentences == 30 and sizes["pseudo-labeled"].sentences == 30
    assert sizes["train-b"].sentences == 60 and sizes["train-b"].tokens > sizes["train-a"].tokens
    assert {"pretrain", "adapt-mlm", "pseudo-label", "corpus"} <= set(rep.prep_cpu_seconds)
    # DATE was dropped from dev (the test is scored with it mapped to O, never tuned on)
    assert "DATE" not in (out / "work" / "dev.conll").read_text(encoding="utf-8")
    # outputs: JSON + markdown + manifest that name the inputs
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(data["runs"]) == 10 and data["drop_types"] == ["DATE"]
    md = (out / "results.md").read_text(encoding="utf-8")
    assert "| a-equal-steps |" in md and "±" in md and rep.signature in md
    # the signature names the learning rates in effect, not `None` for "the default"
    assert "|lr:0.001|" in rep.signature and "|mlm_lr:0.0005|" in rep.signature
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "task tagging experiment"
    assert set(manifest["inputs"]) >= {"train", "dev", "test"}
    assert set(manifest["outputs"]) == {"results.json", "results.md"}


def test_experiment_induced_lexicon_on_a_local_base(toy, scratch, tmp_path):
    """`lexicon=induced` induces a lexicon from the Bible pair and uses only it; `base` (here the body the
    first run pretrained) replaces pretraining."""
    from lexres.errors import OptionError
    from lexres.store import Store
    from lexres.tasks.tagging.experiment import run_experiment

    base = Path(scratch.out) / "work" / "body"
    with Store.open(toy["store"]) as store:
        for bad in (dict(lexicon="nonsense"), dict(seeds=(1, 1)), dict(budget_minutes=0)):
            with pytest.raises(OptionError):
                run_experiment(
                    store,
                    "swh",
                    "eng",
                    toy["train"],
                    toy["dev"],
                    toy["test"],
                    tmp_path / "x",
                    options=_options(**bad),
                )
        rep = run_experiment(
            store,
            "swh",
            "eng",
            toy["train"],
            toy["dev"],
            toy["test"],
            tmp_path / "ind",
            options=_options(seeds=(3,), lexicon="induced", base=str(base)),
        )
        induced = store.resource(rep.lexicon_ids[0])
    assert rep.lexicon == "induced" and len(rep.lexicon_ids) == 1
    assert induced.kind == "lexicon" and "induce-lexicon" in rep.prep_cpu_seconds
    assert "pretrain" not in rep.prep_cpu_seconds and rep.body.startswith("local base")
    manifest = json.loads(
        (tmp_path / "ind" / "work" / "pseudo-labeled.conll.manifest.json").read_text("utf-8")
    )
    assert [x["id"] for x in manifest["lexicons"]] == [rep.lexicon_ids[0]]
    assert [r.config for r in rep.runs] == ["a", "b", "a-equal-steps", "c", "d"]
    assert "|lr:5e-05|" in rep.signature and "|mlm_lr:5e-05|" in rep.signature  # a base's rates


def test_experiment_cli(toy, scratch, tmp_path):
    """The command runs the recipe (here on the first run's body as a local base, one seed, JSON output) and
    turns bad seeds into one error line with exit status 2."""
    from tests.conftest import Cli

    cli = Cli(toy["store"])
    common = ["task", "tagging", "experiment", "--lang", "swh", "--src", "eng", "--train-en", toy["train"]]
    common += ["--dev", toy["dev"], "--test", toy["test"], "--max-train-sentences", "20", "--epochs", "1"]
    common += ["--adapt-steps", "2", "--distill-lines", "5"]
    r = cli(*common, "--out", tmp_path / "o", "--seeds", "1,x")
    assert r.exit_code == 2 and "--seeds" in r.output
    base = Path(scratch.out) / "work" / "body"
    r = cli(*common, "--out", tmp_path / "cli", "--seeds", "7", "--base", base, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [(x["config"], x["seed"]) for x in data["runs"]] == [
        (c, 7) for c in ("a", "b", "a-equal-steps", "c", "d")
    ]
    assert data["options"]["max_train_sentences"] == 20 and data["options"]["lr"] is None
    assert (tmp_path / "cli" / "results.md").is_file() and (tmp_path / "cli" / "manifest.json").is_file()
