"""Fixtures of the tagging tests: a tiny BERT body (hidden size 32, 2 layers) with a WordPiece vocabulary
written from the fixture words, and a small synthetic NER corpus in IOB2 it can learn in seconds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

PER = [["juma"], ["amina"], ["baraka", "hassan"], ["neema"]]
LOC = [["nairobi"], ["mombasa"], ["arusha"], ["dar", "es", "salaam"]]
ORG = [["safaricom"], ["kcb"], ["tanesco"]]
TEMPLATES = [
    "{PER} lives in {LOC} .",
    "{PER} works at {ORG} in {LOC} .",
    "the city of {LOC} met {PER} today .",
    "{ORG} and {ORG} visited {LOC} .",
    "yesterday {PER} called {PER} .",
]
# whole words, plus pieces so that `nairobi` -> nai ##ro ##bi and `safaricom` -> safari ##com
PIECES = ["nai", "##ro", "##bi", "safari", "##com"]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def make_sentences(n: int, seed: int) -> list[list[tuple[str, str]]]:
    """`n` sentences of (word, IOB2 label) from the templates, drawn with `seed`."""
    rng = random.Random(seed)
    pools = {"PER": PER, "LOC": LOC, "ORG": ORG}
    out = []
    for i in range(n):
        sent = []
        for slot in TEMPLATES[i % len(TEMPLATES)].split():
            if slot.startswith("{"):
                typ = slot[1:-1]
                words = rng.choice(pools[typ])
                sent += [(w, ("B-" if k == 0 else "I-") + typ) for k, w in enumerate(words)]
            else:
                sent.append((slot, "O"))
        out.append(sent)
    return out


def write_conll(path: Path, sentences, sep: str = "\t") -> Path:
    path.write_text(
        "".join("".join(f"{w}{sep}{lab}\n" for w, lab in s) + "\n" for s in sentences), encoding="utf-8"
    )
    return path


def vocabulary() -> list[str]:
    words = {w for t in TEMPLATES for w in t.split() if not w.startswith("{")}
    words |= {w for pool in (PER, LOC, ORG) for ent in pool for w in ent} - {"nairobi", "safaricom"}
    return SPECIAL + sorted(words) + PIECES


@pytest.fixture(scope="session")
def tiny_body(tmp_path_factory) -> Path:
    """A save_pretrained directory: untrained tiny BERT + WordPiece tokenizer from the fixture words."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    root = tmp_path_factory.mktemp("tagging")
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(vocabulary()) + "\n", encoding="utf-8")
    body = root / "body"
    tok = transformers.BertTokenizer(vocab=str(vocab))
    tok.save_pretrained(body)
    cfg = transformers.BertConfig(
        vocab_size=len(vocabulary()),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    transformers.BertModel(cfg).save_pretrained(body)
    return body


@pytest.fixture(scope="session")
def ner_train(tmp_path_factory) -> Path:
    """20 synthetic IOB2 sentences (TAB-separated CoNLL)."""
    return write_conll(tmp_path_factory.mktemp("ner") / "train.conll", make_sentences(20, seed=1))


@pytest.fixture(scope="session")
def trained(tiny_body, ner_train, tmp_path_factory):
    """The tiny body fine-tuned on `ner_train` (dev = train) through the CLI; (model dir, printed output)."""
    import torch
    from typer.testing import CliRunner

    from lexres.cli.tagging import app

    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("model") / "ner"
    res = CliRunner().invoke(
        app,
        [
            "train",
            "--model",
            str(tiny_body),
            "--train",
            str(ner_train),
            "--dev",
            str(ner_train),
            "--format",
            "conll",
            "--out",
            str(out),
            "--seed",
            "3",
            "--epochs",
            "20",
            "--lr",
            "3e-3",
            "--batch-size",
            "4",
            "--patience",
            "3",
            "--threads",
            "1",
        ],
    )
    if res.exception:
        raise res.exception
    return out, res.output
