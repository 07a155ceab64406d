"""Neural inflection model kind (`--model neural`): trains the character transducer of `neural_net` on CPU
with seeded shuffling and initialisation, label smoothing, warm-up + inverse-sqrt learning rate, early
stopping on dev accuracy, and a checkpoint of the best epoch (weights + vocab + config + manifest)."""
from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from lexres.errors import OptionError, ParseError, require
from lexres.progress import Progress
from lexres.tasks.inflection.models import Metrics
from lexres.tasks.inflection.neural.vocab import PAD, Vocab, chars

WEIGHTS, VOCAB, CONFIG, LOG = "neural.pt", "neural_vocab.json", "neural_config.json", "neural_log.jsonl"


@dataclass(frozen=True, slots=True)
class NeuralConfig:
    """Architecture and training hyper-parameters; `for_size` picks the defaults by training-set size."""

    d_model: int = 128
    heads: int = 4
    enc_layers: int = 2
    dec_layers: int = 2
    ff: int = 512
    dropout: float = 0.3
    copy: bool = True
    label_smoothing: float = 0.1
    lr: float = 1e-3
    warmup: int = 100
    batch_size: int = 32
    max_epochs: int = 100
    patience: int = 20
    max_minutes: float = 0.0  # wall-clock budget (0 = none); the best epoch so far is kept when it runs out
    min_epochs: int = 0
    eval_every: int = 1
    beam: int = 1
    threads: int = 0  # 0 = leave torch's setting alone
    max_growth: int = 20  # output may be at most this many symbols longer than the lemma; set from train

    @classmethod
    def for_size(cls, n_train: int, **overrides) -> NeuralConfig:
        """Defaults tuned to finish in minutes on one CPU core: long, patient training for a few hundred
        examples; fewer, larger-batch epochs for ~10k."""
        if n_train <= 2000:
            base = cls()
        elif n_train <= 20000:
            base = cls(batch_size=64, max_epochs=30, patience=6, warmup=500, dropout=0.2)
        else:
            base = cls(batch_size=128, max_epochs=20, patience=4, warmup=1000, dropout=0.2)
        known = {f.name for f in fields(cls)}
        bad = sorted(set(overrides) - known)
        if bad:
            raise OptionError(f"unknown neural option(s): {', '.join(bad)}",
                              hint=f"known options: {', '.join(sorted(known))}")
        typed = {}
        for key, value in overrides.items():
            kind = type(getattr(base, key))
            try:
                typed[key] = _parse_bool(value) if kind is bool else kind(value)
            except ValueError as exc:
                raise OptionError(f"neural option {key}: {value!r} is not a valid {kind.__name__}") from exc
        return replace(base, **typed)


def _parse_bool(value):
    if isinstance(value, str):
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise OptionError(f"not a yes/no value: {value!r}")
    return value


def source_tensors(vocab: Vocab, pairs: Sequence[tuple[str, Sequence[str]]]):
    """Padded encoder inputs for (lemma, features) pairs: (src, is_lemma), both torch.long of shape
    (batch, longest source) — feature-tag ids then lemma character ids, PAD-filled — and 1 where a position
    holds a lemma character (the copy mechanism's source), else 0."""
    import torch

    enc = [vocab.encode_source(lemma, feats) for lemma, feats in pairs]
    width = max((len(s) for s, _ in enc), default=1) or 1
    src = torch.full((len(enc), width), PAD, dtype=torch.long)
    lem = torch.zeros((len(enc), width), dtype=torch.long)
    for i, (s, m) in enumerate(enc):
        src[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        lem[i, : len(m)] = torch.tensor(m, dtype=torch.long)
    return src, lem


def _targets(vocab: Vocab, forms: Sequence[str]):
    import torch

    ids = [vocab.encode_target(f) for f in forms]
    width = max(len(t) for t in ids)
    tgt = torch.full((len(ids), width), PAD, dtype=torch.long)
    for i, t in enumerate(ids):
        tgt[i, : len(t)] = torch.tensor(t, dtype=torch.long)
    return tgt


def _loss(logp, gold, smoothing: float):
    """Label-smoothed NLL over non-pad positions (summed, and the token count)."""
    mask = gold.ne(PAD)
    nll = -logp.gather(-1, gold.unsqueeze(-1)).squeeze(-1)
    smooth = -logp.mean(-1)
    per = (1 - smoothing) * nll + smoothing * smooth
    return (per * mask).sum(), mask.sum()


class NeuralPredictor:
    """A trained network + vocab; predicts in batches, never raising on unseen symbols (they become <unk>)."""

    def __init__(self, net, vocab: Vocab, cfg: NeuralConfig):
        self.net, self.vocab, self.cfg = net, vocab, cfg

    def predict(self, items: Sequence[tuple[str, Sequence[str]]], *, batch_size: int = 256,
                beam: int | None = None) -> list[str]:
        """One form per (lemma, features) item, same order: greedy decoding, or beam search of width `beam`
        (default: the config's). Items are sorted by length into batches of `batch_size`."""
        import torch

        from lexres.tasks.inflection.neural.net import beam as beam_search
        from lexres.tasks.inflection.neural.net import greedy

        width = self.cfg.beam if beam is None else beam
        self.net.eval()
        # similar lengths batched together: less padding, and a batch stops as soon as its longest is done
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        out: list[str] = [""] * len(items)
        with torch.inference_mode():
            for start in range(0, len(items), batch_size):
                index = order[start:start + batch_size]
                chunk = [(items[i][0], tuple(items[i][1])) for i in index]
                src, lem = source_tensors(self.vocab, chunk)
                # garbage hypotheses would otherwise run on: cap by the longest growth seen in training
                max_len = max(len(chars(lemma)) for lemma, _ in chunk) + self.cfg.max_growth + 1
                ids = (beam_search(self.net, src, lem, max_len, width) if width > 1
                       else greedy(self.net, src, lem, max_len))
                for i, row in zip(index, ids, strict=True):
                    out[i] = self.vocab.decode(row)
        return out


def _accuracy(predictor: NeuralPredictor, dev, beam: int = 1) -> float:
    import unicodedata

    preds = predictor.predict([(ex.lemma, ex.features) for ex in dev], beam=beam)
    good = sum(unicodedata.normalize("NFC", p) == unicodedata.normalize("NFC", ex.form)
               for p, ex in zip(preds, dev, strict=True))
    return good / len(dev)


def epoch_line(row: dict, seconds: float, best: bool) -> str:
    """The line an epoch prints: `epoch 3: loss 0.4521, dev accuracy 85.00%, 0.8 s (best, saved)`; `row`
    is the epoch's log row (train_loss: label-smoothed cross-entropy in nats per target symbol; dev_accuracy
    a fraction 0-1, when dev was scored), `seconds` the epoch's time with its dev scoring."""
    dev = f", dev accuracy {100 * row['dev_accuracy']:.2f}%" if "dev_accuracy" in row else ""
    saved = " (best, saved)" if best else ""
    return f"epoch {row['epoch']}: loss {row['train_loss']:.4f}{dev}, {seconds:.1f} s{saved}"


def train(train, dev, out_dir: Path, *, seed: int = 0, progress: Progress | None = None,
          config: NeuralConfig | None = None, log=None, **opts) -> Metrics:
    """Fit on `train` (Examples), early-stop on `dev` accuracy (or run `max_epochs` without dev), save the
    best epoch into `out_dir`; returns Metrics (dev_accuracy a fraction 0-1; extra: best_epoch, epochs,
    stopped, train_seconds, parameters, vocab, dev_accuracy_greedy with beam search). The per-epoch log
    (`log` callback and neural_log.jsonl lines) also gives dev_accuracy as a fraction. Raises
    MissingExtraError without torch. Model kind of lexres.tasks.inflection.models; the character-level
    transformer transducer of Wu, Cotterell & O'Donnell 2021."""
    require("torch", "model")
    import torch

    from lexres.provenance import write_manifest
    from lexres.tasks.inflection.neural.net import build_net

    cfg = config or NeuralConfig.for_size(len(train), **opts)
    if config is not None and opts:
        cfg = replace(cfg, **opts)
    progress = progress or Progress()
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()

    vocab = Vocab.build(train)
    growth = max(len(chars(ex.form)) - len(chars(ex.lemma)) for ex in train)
    cfg = replace(cfg, max_growth=max(growth, 0) + 5)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    net = build_net(len(vocab), cfg)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr, betas=(0.9, 0.98))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min((step + 1) / cfg.warmup, (cfg.warmup / (step + 1)) ** 0.5))
    predictor = NeuralPredictor(net, vocab, cfg)

    vocab.save(out_dir / VOCAB)
    (out_dir / CONFIG).write_text(json.dumps(asdict(cfg), indent=2) + "\n", encoding="utf-8")
    log_fh = open(out_dir / LOG, "w", encoding="utf-8")
    order = list(range(len(train)))
    best = (-1.0, -1)  # (dev accuracy, epoch)
    stopped = "max_epochs"
    epoch = 0
    progress.start(cfg.max_epochs, "neural: training", "epochs")
    try:
        for epoch in range(1, cfg.max_epochs + 1):
            t_epoch = time.monotonic()
            net.train()
            rng.shuffle(order)
            total, tokens = 0.0, 0
            for start in range(0, len(order), cfg.batch_size):
                batch = [train[i] for i in order[start:start + cfg.batch_size]]
                src, lem = source_tensors(vocab, [(ex.lemma, ex.features) for ex in batch])
                tgt = _targets(vocab, [ex.form for ex in batch])
                logp = net(src, lem, tgt[:, :-1])
                loss, n = _loss(logp, tgt[:, 1:], cfg.label_smoothing)
                opt.zero_grad()
                (loss / n).backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                sched.step()
                total, tokens = total + loss.item(), tokens + int(n)
            row = {"epoch": epoch, "train_loss": round(total / max(tokens, 1), 4),
                   "seconds": round(time.monotonic() - t0, 1)}
            improved = False
            if dev and (epoch % cfg.eval_every == 0 or epoch == cfg.max_epochs):
                t_eval = time.monotonic()
                acc = _accuracy(predictor, dev)
                row["dev_accuracy"] = round(acc, 6)
                row["eval_seconds"] = round(time.monotonic() - t_eval, 1)
                if acc > best[0]:
                    best, improved = (acc, epoch), True
            elif not dev:
                best, improved = (float("nan"), epoch), True
            if improved:
                torch.save(net.state_dict(), out_dir / WEIGHTS)
            log_fh.write(json.dumps(row) + "\n")
            log_fh.flush()
            if log is not None:
                log(row)
            progress.log(epoch_line(row, time.monotonic() - t_epoch, improved and bool(dev)))
            progress.advance(1)
            if dev and epoch >= cfg.min_epochs and epoch - best[1] >= cfg.patience:
                stopped = "patience"
                break
            if cfg.max_minutes and time.monotonic() - t0 > 60 * cfg.max_minutes:
                stopped = "time budget"
                break
    finally:
        log_fh.close()
    seconds = round(time.monotonic() - t0, 1)
    metrics = {"dev_accuracy": None if not dev else round(best[0], 6), "best_epoch": best[1],
               "epochs": epoch, "stopped": stopped, "train_seconds": seconds,
               "parameters": sum(p.numel() for p in net.parameters()), "vocab": len(vocab)}
    if dev and cfg.beam > 1:
        metrics["dev_accuracy_greedy"] = metrics["dev_accuracy"]
        metrics["dev_accuracy"] = round(_accuracy(load(out_dir), dev, beam=cfg.beam), 6)
    write_manifest(out_dir / WEIGHTS, "task inflection train --model neural", seed=seed, params=asdict(cfg),
                   counts={"train": len(train), "dev": len(dev) if dev else 0, **metrics},
                   outputs={"vocab": out_dir / VOCAB, "config": out_dir / CONFIG})
    dev_accuracy = metrics.pop("dev_accuracy")
    return Metrics(dev_accuracy, metrics)


def load(model_dir: Path) -> NeuralPredictor:
    """Rebuild the best checkpoint written by `train`."""
    require("torch", "model")
    import torch

    from lexres.tasks.inflection.neural.net import build_net

    model_dir = Path(model_dir)
    vocab = Vocab.load(model_dir / VOCAB)
    path = model_dir / CONFIG
    try:
        cfg = NeuralConfig(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise ParseError(path, None, "not a neural model configuration") from exc
    net = build_net(len(vocab), cfg)
    net.load_state_dict(torch.load(model_dir / WEIGHTS, map_location="cpu", weights_only=True))
    net.eval()
    return NeuralPredictor(net, vocab, cfg)
