"""adapt mlm: masked-only logits give the model's own full-logit loss, loss falls on a repeated corpus, a
resumed run reaches bit-identical weights, from-scratch models load, budgets and checkpoints are checked."""

from __future__ import annotations

import json

import pytest

from lexres.errors import OptionError
from lexres.tasks.adapt.mlm import MlmSettings, checkpoint_path, train_mlm
from tests.tasks.adapt.conftest import SWH

pytestmark = pytest.mark.model

REPEATED = [
    "Mwalimu anasoma kitabu kizuri leo.",
    "Watoto wanacheza mpira shambani.",
    "Mama anapika chakula kitamu jioni.",
] * 30


@pytest.fixture
def repeated(tmp_path):
    p = tmp_path / "repeated.txt"
    p.write_text("\n".join(REPEATED) + "\n", encoding="utf-8")
    return p


def _weights(path):
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


@pytest.mark.parametrize("which", ["xlmr_adapted", "bert_base"])
def test_masked_only_loss_equals_full_logit_loss(which, request):
    import numpy as np
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    from lexres.tasks.adapt.mlm import encode_corpus, mask_batch, masked_loss

    path = request.getfixturevalue(which)
    tok = AutoTokenizer.from_pretrained(str(path))
    model = AutoModelForMaskedLM.from_pretrained(str(path)).eval()
    lines = SWH.read_text(encoding="utf-8").splitlines()[:40]
    ids, lengths = encode_corpus(tok, lines, 24)
    ids, lengths = ids[:6], lengths[:6]
    lengths[-1] = 10  # one padded row
    ids[-1, 10:] = tok.pad_token_id
    inputs, labels = mask_batch(
        ids,
        lengths,
        np.random.default_rng(0),
        mask_id=tok.mask_token_id,
        vocab_size=len(tok),
        special=tok.all_special_ids,
    )
    assert (labels != -100).sum() >= 3 and (labels[-1, 10:] == -100).all()
    attn = torch.from_numpy((np.arange(24)[None, :] < lengths[:, None]).astype(np.int64))
    inputs, labels = torch.from_numpy(inputs), torch.from_numpy(labels)
    with torch.no_grad():
        full = model(input_ids=inputs, attention_mask=attn, labels=labels).loss
        mine = masked_loss(model, inputs, attn, labels)
    assert abs(float(full) - float(mine)) < 1e-5


def test_loss_falls_on_repeated_corpus(xlmr_adapted, repeated, tmp_path):
    rep = train_mlm(
        xlmr_adapted,
        [repeated],
        tmp_path / "out",
        settings=MlmSettings(batch_size=8, seq_len=32, lr=1e-2, max_steps=20, log_every=1, seed=0),
    )
    losses = [loss for _, loss in rep.losses]
    assert rep.steps == 20 and len(losses) == 20 and rep.stopped_by == "steps"
    assert sum(losses[-3:]) / 3 <= 0.7 * sum(losses[:3]) / 3
    assert rep.tokens > 0 and rep.tokens_per_s > 0
    man = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert man["seed"] == 0 and man["counts"]["steps"] == 20 and "model" in man["inputs"]
    assert not checkpoint_path(tmp_path / "out").exists()


def test_resume_reproduces_uninterrupted_weights(xlmr_adapted, tmp_path):
    import torch

    settings = MlmSettings(batch_size=4, seq_len=24, lr=1e-3, max_steps=7, save_every=3, log_every=1, seed=5)
    train_mlm(xlmr_adapted, [SWH], tmp_path / "a", settings=settings)

    class Crash(Exception):
        pass

    def crash_at_5(log):
        if log.step == 5:
            raise Crash

    with pytest.raises(Crash):
        train_mlm(xlmr_adapted, [SWH], tmp_path / "b", settings=settings, on_step=crash_at_5)
    assert checkpoint_path(tmp_path / "b").exists() and not (tmp_path / "b").exists()
    with pytest.raises(OptionError, match="unfinished run") as err:
        train_mlm(xlmr_adapted, [SWH], tmp_path / "b", settings=settings)
    assert "--resume" in err.value.hint
    with pytest.raises(OptionError, match="another run"):
        train_mlm(
            xlmr_adapted,
            [SWH],
            tmp_path / "b",
            resume=True,
            settings=MlmSettings(batch_size=4, seq_len=24, lr=2e-3, max_steps=7, save_every=3, seed=5),
        )
    rep = train_mlm(xlmr_adapted, [SWH], tmp_path / "b", settings=settings, resume=True)
    assert rep.resumed_step == 3 and rep.steps == 7
    a, b = _weights(tmp_path / "a"), _weights(tmp_path / "b")
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    base = _weights(xlmr_adapted)
    assert not all(torch.equal(a[k], base[k]) for k in a)  # training changed something
    ra = json.loads((tmp_path / "a" / "mlm_report.json").read_text())
    assert [tuple(x) for x in ra["losses"]] == [tuple(x) for x in rep.losses]


def test_from_scratch_and_budgets(xlmr_merged, tmp_path):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    rep = train_mlm(
        xlmr_merged,
        [SWH],
        tmp_path / "s",
        from_scratch=True,
        config="tiny",
        settings=MlmSettings(batch_size=4, seq_len=32, max_tokens=400, seed=1),
    )
    assert rep.from_scratch and rep.tokens >= 400 and rep.stopped_by == "tokens"
    model = AutoModelForMaskedLM.from_pretrained(str(tmp_path / "s"))
    tok = AutoTokenizer.from_pretrained(str(tmp_path / "s"))
    assert model.config.hidden_size == 32 and model.config.vocab_size == len(tok)
    assert (tmp_path / "s" / "sentencepiece.bpe.model").is_file()
    rep = train_mlm(
        xlmr_merged,
        [SWH],
        tmp_path / "t",
        from_scratch=True,
        config='{"hidden_size": 16, '
        '"num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 32}',
        settings=MlmSettings(batch_size=2, seq_len=16, max_seconds=0.5, seed=1),
    )
    assert rep.stopped_by == "time" and checkpoint_path(tmp_path / "t").exists()  # kept to continue
    with pytest.raises(OptionError, match="budget"):
        train_mlm(xlmr_merged, [SWH], tmp_path / "u", from_scratch=True, settings=MlmSettings())
    with pytest.raises(OptionError):
        train_mlm(
            xlmr_merged,
            [SWH],
            tmp_path / "u",
            from_scratch=True,
            config="enormous",
            settings=MlmSettings(max_steps=1),
        )
    with pytest.raises(OptionError, match="max_position_embeddings"):
        train_mlm(
            xlmr_merged,
            [SWH],
            tmp_path / "u",
            from_scratch=True,
            config='{"max_position_embeddings": 8}',
            settings=MlmSettings(max_steps=1, seq_len=32),
        )
    with pytest.raises(OptionError, match="fewer embedding rows"):
        train_mlm(_too_small(xlmr_merged), [SWH], tmp_path / "u", settings=MlmSettings(max_steps=1))


def _too_small(tok_dir):
    """A model directory whose model has fewer rows than its tokenizer has tokens (no init-embeddings run)."""
    import shutil

    from transformers import XLMRobertaConfig, XLMRobertaForMaskedLM

    d = tok_dir.parent / "too-small"
    if not d.exists():
        shutil.copytree(tok_dir, d)
        XLMRobertaForMaskedLM(
            XLMRobertaConfig(
                vocab_size=50,
                hidden_size=16,
                num_hidden_layers=1,
                num_attention_heads=2,
                intermediate_size=32,
            )
        ).save_pretrained(str(d))
    return d
