"""Masked-LM training (Devlin et al. 2019; continued pre-training on target text, or from scratch for a small
XLM-R/BERT config): 15% of tokens masked (80% <mask>, 10% random, 10% kept), logits computed only at the
masked positions, a token/step/time budget, and checkpoints that resume to exactly the weights of an
unbroken run."""

from __future__ import annotations

import io
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from lexres.errors import OptionError, require
from lexres.outputs import atomic_output, check_destination
from lexres.progress import Progress
from lexres.provenance import file_sha256, write_manifest
from lexres.tasks.adapt.models import (
    copy_tokenizer_extras,
    dir_sha256,
    family,
    load_mlm,
    load_tokenizer,
    local_dir,
    mlm_parts,
    read_lines,
    staged_dir,
    write_json,
)
from lexres.tasks.adapt.results import MlmReport, StepLog

IGNORE = -100  # label of positions that are not predicted (PyTorch cross_entropy's ignore_index)


@dataclass(frozen=True)
class MlmSettings:
    """Training settings. lr None means 5e-5 for continued training, 5e-4 from scratch; warmup is in steps;
    budgets (any that is set stops training): max_steps and max_tokens count the whole run across resumes,
    max_seconds this invocation only. Weight decay spares biases and layer norms."""

    seed: int = 0
    batch_size: int = 16
    seq_len: int = 128
    lr: float | None = None
    warmup: int = 0
    weight_decay: float = 0.01
    mask_prob: float = 0.15
    max_steps: int | None = None
    max_tokens: int | None = None
    max_seconds: float | None = None
    save_every: int = 500
    log_every: int = 10
    threads: int | None = None

    def check(self) -> None:
        """Refuse settings that cannot run. Raises OptionError when no budget is set, a batch size or
        interval is below 1, seq_len below 4, mask_prob not strictly between 0 and 1, or a budget not
        positive."""
        if self.max_steps is None and self.max_tokens is None and self.max_seconds is None:
            raise OptionError("give a budget: --max-tokens, --max-steps or --max-seconds")
        for name in ("batch_size", "save_every", "log_every"):
            if getattr(self, name) < 1:
                raise OptionError(f"--{name.replace('_', '-')} must be >= 1")
        if self.seq_len < 4:
            raise OptionError("--seq-len must be >= 4")
        if not 0 < self.mask_prob < 1:
            raise OptionError("the mask probability must be between 0 and 1")
        for name in ("max_steps", "max_tokens", "max_seconds"):
            v = getattr(self, name)
            if v is not None and v <= 0:
                raise OptionError(f"--{name.replace('_', '-')} must be > 0")


def presets() -> dict:
    """Named from-scratch model sizes (tasks/data/adapt_presets.json)."""
    return json.loads(resources.files("lexres.tasks").joinpath("data/adapt_presets.json").read_text("utf-8"))


def config_spec(spec: str) -> dict:
    """A from-scratch config: a preset name, a JSON file, or inline JSON (`{...}`) of config fields."""
    table = presets()
    if spec in table:
        return dict(table[spec])
    try:
        text = spec if spec.lstrip().startswith("{") else Path(spec).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise OptionError(f"--config `{spec}` is not a preset ({', '.join(table)}), a JSON file or JSON: "
                          f"{exc}") from exc
    if not isinstance(data, dict):
        raise OptionError(f"--config `{spec}` must be a JSON object")
    return data


def scratch_model(tokenizer, spec: str | dict, seq_len: int):
    """A new masked-LM sized by `spec` (see `config_spec`) for `tokenizer`: XLM-R for a SentencePiece
    tokenizer, BERT for a WordPiece one; initialised from torch's current RNG state."""
    transformers = require("transformers", "model")
    fields = config_spec(spec) if isinstance(spec, str) else dict(spec)
    kind = {"sentencepiece": "xlm-roberta", "wordpiece": "bert"}.get(family(tokenizer))
    if kind is None:
        raise OptionError(f"no from-scratch model for a {family(tokenizer)} tokenizer")
    fields.update(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id)
    if kind == "xlm-roberta":
        fields.update(bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id)
        fields.setdefault("type_vocab_size", 1)
    need = seq_len + (2 if kind == "xlm-roberta" else 0)
    if fields.setdefault("max_position_embeddings", need) < need:
        raise OptionError(f"--seq-len {seq_len} needs max_position_embeddings >= {need}")
    try:
        config = transformers.AutoConfig.for_model(kind, **fields)
    except (TypeError, ValueError) as exc:
        raise OptionError(f"bad model config: {exc}") from exc
    return transformers.AutoModelForMaskedLM.from_config(config)


def encode_corpus(tokenizer, lines: Sequence[str], seq_len: int):
    """Lines -> (ids [N, seq_len] int64, lengths [N]): the lines' pieces joined by the separator token and cut
    into blocks of seq_len - 2, each wrapped as <cls> block <sep>; the last block is padded."""
    np = require("numpy", "model")
    cls, sep, pad = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
    if None in (cls, sep, pad, tokenizer.mask_token_id):
        raise OptionError("the tokenizer lacks a cls, sep, pad or mask token")
    stream: list[int] = []
    for i in range(0, len(lines), 2000):
        for ids in tokenizer(list(lines[i : i + 2000]), add_special_tokens=False)["input_ids"]:
            stream.extend(ids)
            stream.append(sep)
    body = seq_len - 2
    n = max(1, math.ceil(len(stream) / body))
    ids = np.full((n, seq_len), pad, dtype=np.int64)
    lengths = np.zeros(n, dtype=np.int64)
    for k in range(n):
        chunk = stream[k * body : (k + 1) * body]
        ids[k, : len(chunk) + 2] = [cls, *chunk, sep]
        lengths[k] = len(chunk) + 2
    return ids, lengths


def mask_batch(ids, lengths, rng, *, mask_id: int, vocab_size: int, special: Sequence[int],
               prob: float = 0.15):
    """BERT masking of a batch (numpy int64 [B, L]) with numpy Generator `rng`: each non-special, non-padding
    position is chosen with probability `prob` (at least one per batch); chosen positions become <mask> (80%),
    a random id (10%) or stay (10%). Returns (input ids, labels), labels IGNORE where not chosen."""
    np = require("numpy", "model")
    pos = np.arange(ids.shape[1])[None, :]
    maskable = (pos < lengths[:, None]) & ~np.isin(ids, np.asarray(list(special), dtype=np.int64))
    chosen = (rng.random(ids.shape) < prob) & maskable
    if not chosen.any():
        cand = np.flatnonzero(maskable)
        if not len(cand):
            raise OptionError("a batch has no token that can be masked (the text is empty?)")
        chosen.flat[cand[rng.integers(len(cand))]] = True
    labels = np.where(chosen, ids, IGNORE)
    r = rng.random(ids.shape)
    rand_ids = rng.integers(0, vocab_size, ids.shape)
    out = ids.copy()
    out[chosen & (r < 0.8)] = mask_id
    swap = chosen & (r >= 0.8) & (r < 0.9)
    out[swap] = rand_ids[swap]
    return out, labels


def masked_loss(model, input_ids, attention_mask, labels):
    """Mean cross-entropy (nats) over positions with a label: hidden states [B, L, H] are gathered at those
    positions [M, H] before the LM head, so logits are [M, V] instead of [B, L, V] (same loss as the model's
    own full-logit loss, far less memory and time at a large vocabulary)."""
    torch = require("torch", "model")
    encoder, head = mlm_parts(model)
    hidden = encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
    sel = labels != IGNORE
    logits = head(hidden[sel])
    return torch.nn.functional.cross_entropy(logits.float(), labels[sel])


def _optimizer(model, lr: float, weight_decay: float):
    torch = require("torch", "model")
    decay, plain = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            low = name.lower()
            (plain if name.endswith("bias") or "layernorm" in low or "layer_norm" in low else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": plain, "weight_decay": 0.0}], lr=lr)


def _schedule(warmup: int, total: int | None):
    """LR multiplier by step: linear warmup, then linear decay to 0 at `total` (constant if total is None)."""
    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        if total is None:
            return 1.0
        return max(0.0, (total - step) / max(1, total - warmup))

    return factor


def checkpoint_path(out: str | Path) -> Path:
    """Where `train_mlm` keeps its checkpoint: `<out>.checkpoint.pt` beside the output directory."""
    out = Path(out)
    return out.with_name(out.name + ".checkpoint.pt")


def train_mlm(model: str | Path, texts: Sequence[str | Path], out: str | Path, *,
              settings: MlmSettings = MlmSettings(), from_scratch: bool = False, config: str | dict = "small",
              resume: bool = False, keep_checkpoint: bool = False, progress: Progress | None = None,
              on_step: Callable[[StepLog], None] | None = None, force: bool = False) -> MlmReport:
    """Train a masked LM on `texts` and write it at `out` (save_pretrained model and tokenizer,
    mlm_report.json, manifest.json; atomically). `model` is a model directory, or with `from_scratch` a
    tokenizer directory (model sized by `config`). Every `save_every` steps a checkpoint (model, optimizer,
    scheduler, RNG states, data position) is written atomically to `checkpoint_path(out)`; `resume` continues
    from it, to the same weights an unbroken run reaches (same threads). The checkpoint is removed when a
    step or token budget is met (kept after a time budget, to continue, or with `keep_checkpoint`).
    Raises OptionError (no budget, mismatching checkpoint, existing checkpoint without `resume`)."""
    torch = require("torch", "model")
    np = require("numpy", "model")
    settings.check()
    check_destination(out, force=force, directory=True)  # before hours of training, not after
    src = local_dir(model, "tokenizer" if from_scratch else "model")
    ckpt = checkpoint_path(out)
    if ckpt.exists() and not resume:
        raise OptionError(f"a checkpoint of an unfinished run exists: {ckpt}",
                          hint="pass --resume to continue it, or delete it to start again")
    if settings.threads:
        torch.set_num_threads(settings.threads)
    tok = load_tokenizer(src)
    lines = read_lines(texts)
    lr = settings.lr if settings.lr is not None else (5e-4 if from_scratch else 5e-5)
    tokens_per_step = settings.batch_size * settings.seq_len
    total = settings.max_steps or (
        math.ceil(settings.max_tokens / tokens_per_step) if settings.max_tokens else None)
    fingerprint = {
        "model": dir_sha256(src), "texts": [file_sha256(p) for p in texts], "from_scratch": from_scratch,
        "config": config if from_scratch else None, "lr": lr, "schedule_total": total,
        **{k: v for k, v in asdict(settings).items()
           if k not in ("max_steps", "max_tokens", "max_seconds", "save_every", "log_every", "threads")},
    }
    torch.manual_seed(settings.seed)
    rng = np.random.default_rng(settings.seed)
    net = scratch_model(tok, config, settings.seq_len) if from_scratch else load_mlm(src)
    if net.get_input_embeddings().weight.shape[0] < len(tok):
        raise OptionError(f"the model has fewer embedding rows than its tokenizer has tokens ({len(tok)})",
                          hint="run `lexres adapt init-embeddings` first")
    data, lengths = encode_corpus(tok, lines, settings.seq_len)
    optim = _optimizer(net, lr, settings.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, _schedule(settings.warmup, total))
    order, pos, epoch, step, tokens, losses, first_loss = rng.permutation(len(data)), 0, 0, 0, 0, [], None
    if resume and ckpt.exists():
        state = torch.load(ckpt, map_location="cpu", weights_only=True)
        diff = sorted(k for k in fingerprint if state["fingerprint"].get(k) != fingerprint[k])
        if diff:
            raise OptionError(f"the checkpoint {ckpt} is of another run (differs in: {', '.join(diff)})",
                              hint="resume with the same model, text and settings, or delete the checkpoint")
        net.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        torch.set_rng_state(state["torch_rng"])
        rng.bit_generator.state = state["np_rng"]
        order, pos, epoch = np.asarray(state["order"]), state["pos"], state["epoch"]
        step, tokens, first_loss = state["step"], state["tokens"], state["first_loss"]
        losses = list(state["losses"])
    resumed = step
    special = sorted(set(tok.all_special_ids))
    progress = progress or Progress()
    unit = "tokens" if settings.max_tokens else "steps"
    progress.start(settings.max_tokens or settings.max_steps, "adapt mlm", unit)
    if resumed:
        progress.advance(tokens if settings.max_tokens else resumed)
    t0, tokens0, loss_val, stopped = time.perf_counter(), tokens, float("nan"), ""

    def save_checkpoint() -> None:
        buf = io.BytesIO()
        torch.save({"fingerprint": fingerprint, "model": net.state_dict(), "optim": optim.state_dict(),
                    "sched": sched.state_dict(), "torch_rng": torch.get_rng_state(),
                    "np_rng": rng.bit_generator.state, "order": order.tolist(),
                    "pos": pos, "epoch": epoch, "step": step, "tokens": tokens, "losses": losses,
                    "first_loss": first_loss}, buf)
        with atomic_output(ckpt, binary=True, force=True) as fh:
            fh.write(buf.getvalue())

    net.train()
    while True:
        if settings.max_steps is not None and step >= settings.max_steps:
            stopped = "steps"
        elif settings.max_tokens is not None and tokens >= settings.max_tokens:
            stopped = "tokens"
        elif settings.max_seconds is not None and time.perf_counter() - t0 >= settings.max_seconds:
            stopped = "time"
        if stopped:
            break
        batch: list[int] = []
        while len(batch) < settings.batch_size:
            if pos >= len(order):
                order, pos, epoch = rng.permutation(len(data)), 0, epoch + 1
            take = order[pos : pos + settings.batch_size - len(batch)]
            batch.extend(int(i) for i in take)
            pos += len(take)
        ids, lens = data[batch], lengths[batch]
        inputs, labels = mask_batch(ids, lens, rng, mask_id=tok.mask_token_id, vocab_size=len(tok),
                                    special=special, prob=settings.mask_prob)
        attn = torch.from_numpy((np.arange(ids.shape[1])[None, :] < lens[:, None]).astype(np.int64))
        loss = masked_loss(net, torch.from_numpy(inputs), attn, torch.from_numpy(labels))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optim.step()
        sched.step()
        optim.zero_grad(set_to_none=True)
        step += 1
        n_tok = int(lens.sum())
        tokens += n_tok
        loss_val = float(loss.detach())
        first_loss = loss_val if first_loss is None else first_loss
        progress.advance(n_tok if settings.max_tokens else 1)
        if step % settings.log_every == 0:
            losses.append((step, loss_val))
            if on_step is not None:
                dt = time.perf_counter() - t0
                on_step(StepLog(step=step, tokens=tokens, loss=loss_val, lr=sched.get_last_lr()[0],
                                epoch=epoch + 1, seconds=dt,
                                tokens_per_s=(tokens - tokens0) / dt if dt > 0 else 0.0))
        if step % settings.save_every == 0:
            save_checkpoint()
    seconds = time.perf_counter() - t0
    if losses and losses[-1][0] != step and step > resumed:
        losses.append((step, loss_val))
    if step == 0:
        raise OptionError("the budget allowed no training step")
    final = losses[-1][1] if losses else loss_val
    report = MlmReport(out=str(out), from_scratch=from_scratch, steps=step, tokens=tokens,
                       seconds=round(seconds, 3), tokens_per_s=round((tokens - tokens0) / seconds, 1)
                       if seconds > 0 else 0.0, first_loss=first_loss, final_loss=final, resumed_step=resumed,
                       stopped_by=stopped, losses=tuple(tuple(x) for x in losses))
    if stopped == "time" or keep_checkpoint:
        save_checkpoint()
    with staged_dir(out, force=force) as stage:
        net.save_pretrained(str(stage))
        tok.save_pretrained(str(stage))
        copy_tokenizer_extras(src, stage)
        write_json(stage / "mlm_report.json", report.to_dict())
        params = {**{k: v for k, v in fingerprint.items() if k not in ("model", "texts")},
                  "max_steps": settings.max_steps, "max_tokens": settings.max_tokens,
                  "max_seconds": settings.max_seconds, "threads": torch.get_num_threads()}
        write_manifest(stage, "adapt mlm", inputs={f"text:{i}": p for i, p in enumerate(texts)},
                       input_hashes={"model" if not from_scratch else "tokenizer": fingerprint["model"]},
                       seed=settings.seed, params=params,
                       counts={"steps": step, "tokens": tokens, "seconds": report.seconds,
                               "tokens_per_s": report.tokens_per_s, "resumed_step": resumed})
    if stopped != "time" and not keep_checkpoint:
        ckpt.unlink(missing_ok=True)
    return report
