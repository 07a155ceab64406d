"""Fine-tuning a token classifier (NER in IOB2, or UD UPOS tagging) on a local transformer body: labels on
the first piece of each word, AdamW with linear warm-up and decay, one dev evaluation per epoch, early
stopping on the dev score, and the best checkpoint saved as a `save_pretrained` directory with a manifest,
published atomically (temporary directory, then rename)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from lexres.errors import OptionError, ParseError, require
from lexres.outputs import atomic_dir, check_destination
from lexres.progress import Progress
from lexres.provenance import file_sha256, signature, write_manifest
from lexres.tasks.tagging.data import collate, encode, label_inventory, label_spec, read_labeled
from lexres.tasks.tagging.predict import (
    TAGGING_JSON,
    Tagger,
    check_model_dir,
    effective_max_length,
    model_digest,
    model_hashes,
    quiet_transformers,
)
from lexres.tasks.tagging.results import EpochReport, TrainReport
from lexres.tasks.tagging.scoring import entity_scores, pos_accuracy


@dataclass(frozen=True)
class TrainOptions:
    """Hyper-parameters and budgets: `lr` is AdamW's peak learning rate, reached after `warmup` (fraction
    0–1 of the steps) and decayed linearly to 0; training stops after `epochs`, `max_steps` optimizer
    steps, `max_seconds` of wall time, or `patience` epochs without a better dev score, whichever first."""

    seed: int = 0
    epochs: int = 3
    max_steps: int | None = None
    lr: float = 5e-5
    batch_size: int = 16
    threads: int | None = None
    max_seconds: float | None = None
    patience: int = 3
    max_length: int = 256
    warmup: float = 0.1
    weight_decay: float = 0.01

    def check(self) -> None:
        """Raise OptionError for a value that cannot be right."""
        bad = [
            (self.epochs < 1, "--epochs must be at least 1"),
            (self.max_steps is not None and self.max_steps < 1, "--max-steps must be at least 1"),
            (not self.lr > 0, "--lr must be positive"),
            (self.batch_size < 1, "--batch-size must be at least 1"),
            (self.threads is not None and self.threads < 1, "--threads must be at least 1"),
            (self.max_seconds is not None and not self.max_seconds > 0, "--max-seconds must be positive"),
            (self.patience < 1, "--patience must be at least 1"),
            (self.max_length < 2, "--max-length must be at least 2"),
            (not 0 <= self.warmup < 1, "--warmup is a fraction of the steps, from 0 to below 1"),
        ]
        for wrong, message in bad:
            if wrong:
                raise OptionError(message)


def dev_score(tagger: Tagger, examples) -> float:
    """Entity micro F1 (IOB2) or UPOS accuracy (fraction 0–1) of `tagger` on labeled `examples`."""
    examples = [ex for ex in examples if ex.words]
    pred = [list(t.labels) for t in tagger.tag([ex.words for ex in examples])]
    gold = [list(ex.labels) for ex in examples]
    if tagger.scheme == "iob2":
        return entity_scores(gold, pred).micro.f1
    return pos_accuracy(gold, pred).accuracy


def train(
    model_dir: str | Path,
    train_path: str | Path,
    out: str | Path,
    fmt: str,
    *,
    dev_path: str | Path | None = None,
    label_column: str | None = None,
    scheme: str = "auto",
    options: TrainOptions = TrainOptions(),
    force: bool = False,
    progress: Progress | None = None,
    on_epoch: Callable[[EpochReport], None] | None = None,
) -> TrainReport:
    """Train a token classifier on `train_path` from the body in `model_dir` and save the best epoch (by
    dev score; the last one without dev data) to `out`. `on_epoch` gets each EpochReport as it ends.
    Raises ParseError (file:line) for a label invalid for the scheme, NotFoundError for a missing model,
    OptionError for bad options or an `out` that lexres did not write (without `force`)."""
    options.check()
    spec = label_spec(fmt, label_column, scheme)
    model_dir = check_model_dir(model_dir)
    out = Path(out)
    check_destination(out, force=force, directory=True)
    _, train_ex = read_labeled(train_path, spec)
    train_ex = [ex for ex in train_ex if ex.words]
    if not train_ex:
        raise ParseError(train_path, None, "no labeled sentence in the training file")
    dev_ex = [ex for ex in read_labeled(dev_path, spec)[1] if ex.words] if dev_path else []
    labels = label_inventory(train_ex, spec.scheme)
    label2id = {lab: i for i, lab in enumerate(labels)}

    torch = require("torch", "model")
    if options.threads:
        torch.set_num_threads(options.threads)
    random.seed(options.seed)
    torch.manual_seed(options.seed)
    with quiet_transformers() as tf:
        tokenizer = tf.AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        model = tf.AutoModelForTokenClassification.from_pretrained(
            model_dir,
            local_files_only=True,
            num_labels=len(labels),
            ignore_mismatched_sizes=True,
            id2label=dict(enumerate(labels)),
            label2id=label2id,
        )
    max_length = effective_max_length(model, tokenizer, options.max_length)
    wins = encode(
        tokenizer,
        [ex.words for ex in train_ex],
        max_length=max_length,
        labels=[ex.labels for ex in train_ex],
        label2id=label2id,
    )
    tagger = Tagger(
        model, tokenizer, spec.scheme, max_length=max_length, batch_size=max(32, options.batch_size)
    )

    per_epoch = -(-len(wins) // options.batch_size)
    total = per_epoch * options.epochs
    if options.max_steps:
        total = min(total, options.max_steps)
    optimizer, scheduler = _optimizer(model, options, total, torch)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    shuffle = torch.Generator().manual_seed(options.seed)
    progress = progress or Progress()
    progress.start(total, "training", "steps")

    hashes = model_hashes(model_dir)
    params = {
        "train": file_sha256(train_path)[:12],
        "dev": file_sha256(dev_path)[:12] if dev_path else None,
        "model": model_digest(hashes),
        "format": fmt,
        "column": label_column or "default",
        "scheme": spec.scheme,
        **{k: v for k, v in asdict(options).items() if k not in ("seed", "threads")},
    }
    sig = signature("task tagging train", params, options.seed)
    with atomic_dir(out, force=force) as tmp:
        epochs, best, best_epoch, stopped, step = [], None, 0, "epochs", 0
        start, bad = time.monotonic(), 0
        model.train()
        for epoch in range(1, options.epochs + 1):
            t0, loss_sum, n_steps, pieces = time.monotonic(), 0.0, 0, 0
            order = torch.randperm(len(wins), generator=shuffle).tolist()
            for b in range(0, len(order), options.batch_size):
                batch = collate([wins[k] for k in order[b : b + options.batch_size]], pad, torch)
                loss = model(**batch).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                step, n_steps = step + 1, n_steps + 1
                loss_sum += float(loss.detach())
                pieces += int(batch["attention_mask"].sum())
                rate = pieces / max(1e-9, time.monotonic() - t0)
                progress.start(total, f"epoch {epoch} loss {loss_sum / n_steps:.3f} {rate:,.0f} tok/s")
                progress.advance(1)
                if options.max_steps and step >= options.max_steps:
                    stopped = "max-steps"
                elif options.max_seconds and time.monotonic() - start >= options.max_seconds:
                    stopped = "max-seconds"
                if stopped != "epochs":
                    break
            train_seconds = time.monotonic() - t0
            score = dev_score(tagger, dev_ex) if dev_ex else None
            # without dev data no epoch is "best": the last one is kept, saved once after the loop
            improved = score is not None and (best is None or score > best)
            if improved:
                best, best_epoch, bad = score, epoch, 0
                _save(model, tokenizer, tmp, spec, labels)
            elif score is None:
                best_epoch = epoch
            else:
                bad += 1
            seconds = time.monotonic() - t0
            report = EpochReport(
                epoch,
                n_steps,
                loss_sum / max(1, n_steps),
                score,
                seconds,
                pieces / max(1e-9, train_seconds),
                improved,
            )
            epochs.append(report)
            if on_epoch:
                on_epoch(report)
            if stopped == "epochs" and bad >= options.patience:
                stopped = "patience"
            if stopped != "epochs":
                break
        if not dev_ex:
            _save(model, tokenizer, tmp, spec, labels)
        write_manifest(
            tmp,
            "task tagging train",
            inputs={"train": train_path, **({"dev": dev_path} if dev_path else {})},
            input_hashes=hashes,
            seed=options.seed,
            params=params,
            counts={
                "sentences": len(train_ex),
                "windows": len(wins),
                "steps": step,
                "best_epoch": best_epoch,
                "best_dev_score": best,
                "stopped": stopped,
            },
            outputs={f.name: f for f in sorted(tmp.iterdir()) if f.suffix == ".safetensors"},
        )
    return TrainReport(
        str(out), spec.scheme, labels, tuple(epochs), best_epoch, best, stopped, step, len(train_ex), sig
    )


def _optimizer(model, options: TrainOptions, total: int, torch):
    """AdamW (no weight decay on biases and LayerNorm weights) with linear warm-up over `options.warmup` of
    the `total` steps, then linear decay to 0."""
    warm = int(options.warmup * total)
    decay = [p for n, p in model.named_parameters() if not n.endswith("bias") and "LayerNorm" not in n]
    rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": options.weight_decay}, {"params": rest, "weight_decay": 0.0}],
        lr=options.lr,
    )
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: (s + 1) / (warm + 1) if s < warm else max(0.0, (total - s) / max(1, total - warm)),
    )
    return optimizer, scheduler


def _save(model, tokenizer, tmp: Path, spec, labels) -> None:
    with quiet_transformers():
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    meta = {
        "scheme": spec.scheme,
        "format": spec.fmt,
        "column": spec.column + 1 if spec.column >= 0 else "last",
        "labels": list(labels),
    }
    (tmp / TAGGING_JSON).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
