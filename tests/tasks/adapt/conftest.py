"""Tiny offline bases for the adaptation tests, built once per session from a config: an XLM-R-style model
with a SentencePiece tokenizer and a BERT-style model with a WordPiece vocabulary, both trained/collected
on the English fixture text (tests/fixtures/adapt)."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

ADAPT = Path(__file__).resolve().parents[2] / "fixtures" / "adapt"
ENG, SWH = ADAPT / "eng.txt", ADAPT / "swh.txt"
TINY = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)


def lines(path: Path) -> list[str]:
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    import torch
    from transformers.utils import logging

    torch.set_num_threads(1)
    logging.disable_progress_bar()


@pytest.fixture(scope="session")
def xlmr_base(tmp_path_factory) -> Path:
    """XLM-R-style base: SentencePiece unigram (~300 pieces asked) on English, 2 layers, hidden 32."""
    import sentencepiece as spm
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForMaskedLM, XLMRobertaTokenizer

    d = tmp_path_factory.mktemp("xlmr-base")
    buf = io.BytesIO()
    spm.set_random_generator_seed(3)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines(ENG)),
        model_writer=buf,
        vocab_size=300,
        model_type="unigram",
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    (d / "sentencepiece.bpe.model").write_bytes(buf.getvalue())
    tok = XLMRobertaTokenizer.from_pretrained(str(d))
    tok.save_pretrained(str(d))
    torch.manual_seed(0)
    cfg = XLMRobertaConfig(
        vocab_size=len(tok),
        max_position_embeddings=66,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        type_vocab_size=1,
        **TINY,
    )
    XLMRobertaForMaskedLM(cfg).save_pretrained(str(d))
    return d


@pytest.fixture(scope="session")
def bert_base(tmp_path_factory) -> Path:
    """BERT-style base: WordPiece vocabulary of specials, characters, `##` characters and the 120 most
    frequent English fixture words (lower-cased), 2 layers, hidden 32."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizer

    d = tmp_path_factory.mktemp("bert-base")
    text = " ".join(lines(ENG)).lower()
    words = Counter(w.strip(".,?!") for w in text.split())
    chars = sorted({c for c in text if not c.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *("##" + c for c in chars if c.isalpha())]
    vocab += [w for w, _ in words.most_common(120) if w and w not in vocab]
    (d / "vocab.txt").write_text("".join(v + "\n" for v in vocab), encoding="utf-8")
    tok = BertTokenizer.from_pretrained(str(d))
    tok.save_pretrained(str(d))
    torch.manual_seed(0)
    BertForMaskedLM(BertConfig(vocab_size=len(tok), max_position_embeddings=64, **TINY)).save_pretrained(
        str(d)
    )
    return d


@pytest.fixture(scope="session")
def xlmr_merged(xlmr_base, tmp_path_factory) -> Path:
    """The XLM-R base's tokenizer extended with Swahili pieces (made once; tests must not modify it)."""
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    out = tmp_path_factory.mktemp("merged") / "tok"
    adapt_tokenizer([SWH], out, base=xlmr_base, vocab_size=300, seed=1, source_texts=[ENG])
    return out


@pytest.fixture(scope="session")
def xlmr_adapted(xlmr_base, xlmr_merged, tmp_path_factory) -> Path:
    """The XLM-R base resized to the merged tokenizer, new rows from the sample English-Swahili word list."""
    from lexres.tasks.adapt.embeddings import init_embeddings

    out = tmp_path_factory.mktemp("adapted") / "model"
    init_embeddings(
        xlmr_base,
        xlmr_merged,
        out,
        init="lexicon",
        lexicon_file=ADAPT.parents[2] / "examples" / "sample" / "eng-swh.tsv",
    )
    return out
