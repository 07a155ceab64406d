"""adapt init-embeddings: old rows bit-identical (the moved <mask> too), lexicon rows are the weighted mean
of the translations' piece embeddings, random is a different seeded control, outputs load with
transformers."""

from __future__ import annotations

import json

import pytest

from lexres.errors import OptionError, ParseError
from lexres.tasks.adapt.results import LexiconEntry
from tests.tasks.adapt.conftest import SWH, lines

pytestmark = pytest.mark.model


def _tok(path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path))


def _load(path):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    return AutoModelForMaskedLM.from_pretrained(str(path)), AutoTokenizer.from_pretrained(str(path))


def test_old_rows_unchanged(xlmr_base, xlmr_adapted):
    import torch

    base, btok = _load(xlmr_base)
    new, ntok = _load(xlmr_adapted)
    bv, nv = btok.get_vocab(), ntok.get_vocab()
    order = sorted(bv, key=bv.__getitem__)
    old_ids = torch.tensor([bv[t] for t in order])
    new_ids = torch.tensor([nv[t] for t in order])
    bw, nw = base.get_input_embeddings().weight, new.get_input_embeddings().weight
    assert nw.shape[0] == len(ntok)
    assert torch.equal(nw[new_ids], bw[old_ids])
    assert torch.equal(new.get_output_embeddings().bias[new_ids], base.get_output_embeddings().bias[old_ids])
    assert new.get_output_embeddings().weight.data_ptr() == nw.data_ptr()  # still tied after save/load
    # <mask> moved to the end and kept its row
    assert torch.equal(nw[len(ntok) - 1], bw[bv["<mask>"]])
    rep = json.loads((xlmr_adapted / "embeddings_report.json").read_text())
    assert rep["copied"] == len(btok) and rep["lexicon"] > 0
    assert rep["copied"] + rep["lexicon"] + rep["fallback"] == len(ntok) and rep["random"] == 0
    with torch.no_grad():
        enc = ntok(["Ninasoma kitabu leo."], return_tensors="pt")
        assert new(**enc).logits.shape == (1, enc["input_ids"].shape[1], len(ntok))


def _piece_shared_by_two_words(ntok, btok):
    """A new piece and two Swahili fixture words whose segmentation contains it."""
    old = btok.get_vocab()
    words = sorted({w.strip(".,?!").lower() for line in lines(SWH) for w in line.split()})
    by_piece: dict[int, list[str]] = {}
    for w in words:
        for i in set(ntok(w, add_special_tokens=False)["input_ids"]):
            if ntok.convert_ids_to_tokens(i) not in old:
                by_piece.setdefault(i, []).append(w)
    piece, found = next((p, ws) for p, ws in sorted(by_piece.items()) if len(ws) >= 2)
    return piece, found[0], found[1]


def test_lexicon_row_is_weighted_mean(xlmr_base, xlmr_merged):
    import torch

    from lexres.tasks.adapt.embeddings import extend_embeddings

    base, btok = _load(xlmr_base)
    ntok = _tok(xlmr_merged)
    piece, w1, w2 = _piece_shared_by_two_words(ntok, btok)
    entries = [LexiconEntry(w1, "teacher reads", 3.0), LexiconEntry(w2, "river", 1.0)]
    emb = base.get_input_embeddings().weight.detach().clone().double()
    bias = base.get_output_embeddings().bias.detach().clone().double()

    def src_mean(m, word):
        ids = [i for i in btok(word, add_special_tokens=False)["input_ids"] if i != btok.unk_token_id]
        return m[ids].mean(0)

    want = (3.0 * src_mean(emb, "teacher reads") + 1.0 * src_mean(emb, "river")) / 4.0
    want_bias = (3.0 * src_mean(bias, "teacher reads") + 1.0 * src_mean(bias, "river")) / 4.0
    model, _ = _load(xlmr_base)
    plan = extend_embeddings(model, btok, ntok, init="lexicon", lexicon=entries, seed=0)
    got = model.get_input_embeddings().weight[piece].double()
    assert torch.allclose(got, want, atol=1e-6)
    assert torch.allclose(model.get_output_embeddings().bias[piece].double(), want_bias, atol=1e-6)
    assert piece in plan.lex_rows and plan.pairs_used == 2
    assert len(plan.fallback) == len(ntok) - len(btok) - len(plan.lex_rows)
    # fallback rows: near the mean of the base rows, not equal to each other
    fb = model.get_input_embeddings().weight[list(plan.fallback)].double()
    assert torch.allclose(fb.mean(0), emb.mean(0), atol=0.05) and not torch.equal(fb[0], fb[1])

    rand, _ = _load(xlmr_base)
    rplan = extend_embeddings(rand, btok, ntok, init="random", seed=0)
    assert len(rplan.random) == len(ntok) - len(btok) and not rplan.lex_rows
    assert not torch.allclose(rand.get_input_embeddings().weight[piece].double(), want, atol=1e-3)
    std = rand.get_input_embeddings().weight[list(rplan.random)].double().std()
    assert 0.5 * emb.std() < std < 1.5 * emb.std()
    again, _ = _load(xlmr_base)
    extend_embeddings(again, btok, ntok, init="random", seed=0)
    assert torch.equal(again.get_input_embeddings().weight, rand.get_input_embeddings().weight)


def test_bert_extension_and_mismatch(bert_base, xlmr_base, xlmr_merged, tmp_path):
    import torch

    from lexres.tasks.adapt.embeddings import init_embeddings
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    wp = tmp_path / "wp"
    adapt_tokenizer([SWH], wp, base=bert_base, vocab_size=300, seed=1)
    lex = tmp_path / "lex.tsv"
    lex.write_text("# source<TAB>target<TAB>weight\nbook\tkitabu\t0.9\nread\tninasoma\nfood\tchakula\t2\n")
    rep = init_embeddings(bert_base, wp, tmp_path / "out", init="lexicon", lexicon_file=lex)
    assert rep.lexicon > 0 and rep.pairs_used == 3
    base, btok = _load(bert_base)
    new, ntok = _load(tmp_path / "out")
    n = len(btok)
    assert torch.equal(new.get_input_embeddings().weight[:n], base.get_input_embeddings().weight[:n])
    assert new.get_output_embeddings().bias.shape[0] == len(ntok)
    with pytest.raises(OptionError, match="mismatch"):
        init_embeddings(bert_base, xlmr_merged, tmp_path / "x", init="random")
    with pytest.raises(OptionError, match="not an extension"):
        init_embeddings(bert_base, _scratch(tmp_path), tmp_path / "x", init="random")
    assert not (tmp_path / "x").exists()


def test_untied_output_layer(bert_base, tmp_path):
    import torch
    from transformers import BertConfig, BertForMaskedLM

    from lexres.tasks.adapt.embeddings import extend_embeddings
    from lexres.tasks.adapt.tokenizer import adapt_tokenizer

    adapt_tokenizer([SWH], tmp_path / "wp", base=bert_base, vocab_size=300, seed=1)
    _, btok = _load(bert_base)
    ntok = _tok(tmp_path / "wp")
    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=len(btok),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        tie_word_embeddings=False,
    )
    model = BertForMaskedLM(cfg)
    old_out = model.get_output_embeddings().weight.detach().clone()
    old_in = model.get_input_embeddings().weight.detach().clone()
    assert not torch.equal(old_out, old_in)
    plan = extend_embeddings(
        model,
        btok,
        ntok,
        init="lexicon",
        seed=0,
        lexicon=[LexiconEntry("kitabu", "book"), LexiconEntry("chakula", "food")],
    )
    out_w = model.get_output_embeddings().weight
    assert out_w.shape[0] == len(ntok) and out_w.data_ptr() != model.get_input_embeddings().weight.data_ptr()
    assert torch.equal(out_w[: len(btok)], old_out)
    row = plan.lex_rows[0]
    want = sum(c * old_out[q].double() for k, q, c in plan.coef if k == 0)
    assert torch.allclose(out_w[row].double(), want, atol=1e-6)


def _scratch(tmp_path):
    """A WordPiece tokenizer that is not an extension of the BERT base (its own tiny vocabulary)."""
    from transformers import BertTokenizer

    d = tmp_path / "other"
    d.mkdir()
    (d / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nzz\n")
    BertTokenizer.from_pretrained(str(d)).save_pretrained(str(d))
    return d


def test_init_errors(xlmr_base, xlmr_merged, tmp_path):
    from lexres.tasks.adapt.embeddings import init_embeddings, read_lexicon_tsv

    with pytest.raises(OptionError, match="needs a lexicon"):
        init_embeddings(xlmr_base, xlmr_merged, tmp_path / "o", init="lexicon")
    with pytest.raises(OptionError):
        init_embeddings(xlmr_base, xlmr_merged, tmp_path / "o", init="magic")
    bad = tmp_path / "bad.tsv"
    bad.write_text("book\tkitabu\n\nlight\tnuru\tlots\n")
    with pytest.raises(ParseError) as err:
        read_lexicon_tsv(bad)
    assert err.value.line == 3
    bad.write_text("book\tkitabu\t-1\n")
    with pytest.raises(ParseError):
        read_lexicon_tsv(bad)
    with pytest.raises(OptionError):
        LexiconEntry("kitabu", "book", float("nan"))
