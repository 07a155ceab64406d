"""adapt tokenizer: SentencePiece merge keeps every old id (only <mask> moves to the end), WordPiece extension
appends `##` pieces, target fertility drops while source fertility holds, from-scratch tokenizers load."""

from __future__ import annotations

import json

import pytest

from lexres.errors import LexresError, NotFoundError, OptionError
from tests.tasks.adapt.conftest import ENG, SWH, lines

pytestmark = pytest.mark.model


def _proto(path):
    from sentencepiece import sentencepiece_model_pb2

    m = sentencepiece_model_pb2.ModelProto()
    m.ParseFromString(path.read_bytes())
    return m


def test_merge_keeps_old_ids_and_moves_only_mask(xlmr_base, xlmr_merged):
    from transformers import AutoTokenizer

    old = AutoTokenizer.from_pretrained(str(xlmr_base))
    new = AutoTokenizer.from_pretrained(str(xlmr_merged))
    ov, nv = old.get_vocab(), new.get_vocab()
    assert len(new) > len(old) + 50
    for tok, i in ov.items():
        if tok != "<mask>":
            assert nv[tok] == i, tok
    assert nv["<mask>"] == len(new) - 1 and ov["<mask>"] == len(old) - 1
    # the merged SentencePiece model is kept as a file and starts with the base's pieces, unchanged
    base, merged = (
        _proto(xlmr_base / "sentencepiece.bpe.model"),
        _proto(xlmr_merged / "sentencepiece.bpe.model"),
    )
    assert [(p.piece, p.score) for p in merged.pieces[: len(base.pieces)]] == [
        (p.piece, p.score) for p in base.pieces
    ]
    # XLM-R's fairseq offset: SentencePiece id p >= 3 is token id p + 1
    for p in range(3, len(merged.pieces), 37):
        assert nv[merged.pieces[p].piece] == p + 1
    assert len(new) == len(merged.pieces) + 2


def test_merge_report_fertility(xlmr_merged):
    rep = json.loads((xlmr_merged / "tokenizer_report.json").read_text())
    assert rep["mode"] == "merge" and rep["family"] == "sentencepiece"
    assert rep["added"] == rep["size"] - rep["base_size"]
    t0, t1 = rep["target_before"]["fertility"], rep["target_after"]["fertility"]
    s0, s1 = rep["source_before"]["fertility"], rep["source_after"]["fertility"]
    assert t1 < 0.6 * t0
    assert abs(s1 - s0) / s0 <= 0.01
    assert rep["target_after"]["unk_rate"] <= rep["target_before"]["unk_rate"]
    man = json.loads((xlmr_merged / "manifest.json").read_text())
    assert (
        man["tool"] == "lexres" and man["seed"] == 1 and "text:0" in man["inputs"] and "base" in man["inputs"]
    )


def test_merge_is_deterministic(xlmr_base, xlmr_merged, tmp_path):
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    adapt_tokenizer([SWH], tmp_path / "again", base=xlmr_base, vocab_size=300, seed=1)
    assert (tmp_path / "again" / "sentencepiece.bpe.model").read_bytes() == (
        xlmr_merged / "sentencepiece.bpe.model"
    ).read_bytes()


def test_target_scores_keep_ids_too(xlmr_base, tmp_path):
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    rep = adapt_tokenizer([SWH], tmp_path / "t", base=xlmr_base, vocab_size=300, seed=1, scores="target")
    assert rep.target_after.fertility < rep.target_before.fertility
    with pytest.raises(OptionError):
        adapt_tokenizer([SWH], tmp_path / "u", base=xlmr_base, scores="loudest")


def test_wordpiece_extension(bert_base, tmp_path):
    from transformers import AutoTokenizer

    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    rep = adapt_tokenizer([SWH], tmp_path / "wp", base=bert_base, vocab_size=300, seed=1, source_texts=[ENG])
    assert rep.mode == "extend" and rep.family == "wordpiece" and rep.added > 20
    old = AutoTokenizer.from_pretrained(str(bert_base))
    new = AutoTokenizer.from_pretrained(str(tmp_path / "wp"))
    ov, nv = old.get_vocab(), new.get_vocab()
    assert all(nv[t] == i for t, i in ov.items())
    added = sorted((i, t) for t, i in nv.items() if t not in ov)
    assert [i for i, _ in added] == list(range(len(old), len(new)))
    assert any(t.startswith("##") for _, t in added) and any(not t.startswith("##") for _, t in added)
    vocab_txt = (tmp_path / "wp" / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert vocab_txt == sorted(nv, key=nv.__getitem__)
    assert rep.target_after.fertility < 0.8 * rep.target_before.fertility
    assert abs(rep.source_after.fertility - rep.source_before.fertility) / rep.source_before.fertility <= 0.01
    # a Swahili verb now splits into the new pieces, lower-cased like the base
    assert len(new.tokenize("Ninasoma")) < len(old.tokenize("Ninasoma"))


def test_from_scratch_tokenizer(tmp_path):
    from transformers import AutoTokenizer

    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    rep = adapt_tokenizer([SWH], tmp_path / "s", from_scratch=True, vocab_size=200, seed=0)
    assert rep.mode == "scratch" and rep.target_before is None
    tok = AutoTokenizer.from_pretrained(str(tmp_path / "s"))
    assert len(tok) == rep.size and tok.mask_token_id == len(tok) - 1
    assert (tok.bos_token_id, tok.pad_token_id, tok.eos_token_id, tok.unk_token_id) == (0, 1, 2, 3)
    assert (tmp_path / "s" / "sentencepiece.bpe.model").is_file()
    assert tok.convert_tokens_to_string(tok.tokenize(lines(SWH)[0])) == lines(SWH)[0]


def test_bad_inputs(xlmr_base, tmp_path):
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    with pytest.raises(OptionError):
        adapt_tokenizer([SWH], tmp_path / "a", base=xlmr_base, from_scratch=True)
    with pytest.raises(OptionError):
        adapt_tokenizer([SWH], tmp_path / "a")
    with pytest.raises(NotFoundError) as err:
        adapt_tokenizer([SWH], tmp_path / "a", base="xlm-roberta-base")
    assert "offline" in err.value.hint and "\n" not in str(err.value)
    with pytest.raises(NotFoundError):
        adapt_tokenizer([tmp_path / "missing.txt"], tmp_path / "a", from_scratch=True)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(OptionError):
        adapt_tokenizer([SWH], tmp_path / "mine", from_scratch=True, vocab_size=100)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    no_spm = tmp_path / "no-spm"
    no_spm.mkdir()
    for f in xlmr_base.iterdir():
        if f.name != "sentencepiece.bpe.model":
            (no_spm / f.name).write_bytes(f.read_bytes())
    with pytest.raises(LexresError, match="sentencepiece.bpe.model"):
        adapt_tokenizer([SWH], tmp_path / "a", base=no_spm)
    assert not (tmp_path / "a").exists()
