"""File-level inflection operations behind the CLI: train from files, predict a file, score a prediction file
against gold, hallucinate a training file. Each checks its inputs and records what it wrote."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from lexres import defaults
from lexres.errors import OptionError, ParseError
from lexres.outputs import check_destination
from lexres.progress import Progress
from lexres.provenance import file_sha256, signature, write_manifest
from lexres.tasks.inflection.files import (
    COVERED,
    FULL_LAYOUTS,
    TaskFile,
    layout_of,
    read_task_file,
    write_rows,
)
from lexres.tasks.inflection.models import load_model, model_info, train_model
from lexres.tasks.inflection.reports import EvalReport, HallucinateReport, PredictReport, TrainReport
from lexres.tasks.inflection.scoring import bundle_key, evaluate


def train_files(
    model: str,
    train: str | Path,
    out_dir: str | Path,
    *,
    dev: str | Path | None = None,
    seed: int = defaults.SEED,
    progress: Progress | None = None,
    force: bool = False,
    **opts,
) -> TrainReport:
    """Train a model kind on a task file (optionally scoring on a dev file) into `out_dir` (written
    atomically;
    an existing directory is replaced only if lexres wrote it, or `force`)."""
    tf = read_task_file(train)
    tr = tf.examples()
    dv = read_task_file(dev).examples() if dev else None
    inputs = {"train": train, **({"dev": dev} if dev else {})}
    metrics = train_model(
        model, tr, dv, out_dir, seed=seed, progress=progress, inputs=inputs, layout=tf.layout, force=force,
        **opts,
    )
    hashes = {name: file_sha256(path)[:12] for name, path in inputs.items()}
    sig = signature("task inflection train", {"model": model, **hashes, **opts}, seed)
    return TrainReport(model, str(out_dir), len(tr), len(dv) if dv else 0, metrics, sig)


def predict_file(
    model_dir: str | Path, src: str | Path, dst: str | Path, *, to: str | None = None, force: bool = False
) -> PredictReport:
    """Predict a form for every line of `src` (covered or full) and write `dst` with one line per input line,
    same order. Full inputs keep their layout; covered ones get the layout of the model's training file
    (the task's own), else `lemma-form-features`; `to` overrides both."""
    check_destination(dst, force=force)  # before the model runs
    tf = read_task_file(src)
    info = model_info(model_dir)
    if to:
        layout = layout_of(to)
        if layout == COVERED:
            raise OptionError("predictions need a form column", hint=f"use one of: {', '.join(FULL_LAYOUTS)}")
    else:
        trained = info.layout
        fallback = trained if trained in FULL_LAYOUTS else FULL_LAYOUTS[0]
        layout = tf.layout if tf.layout in FULL_LAYOUTS else fallback
    predictor = load_model(model_dir)
    preds = predictor.predict(tf.items()) if tf.rows else []
    if len(preds) != len(tf.rows):
        raise OptionError(f"the model returned {len(preds)} predictions for {len(tf.rows)} inputs")
    n = write_rows(dst, ((r.lemma, r.features, p) for r, p in zip(tf.rows, preds, strict=True)), layout,
                   force=force)
    kind = info.kind
    write_manifest(
        dst,
        "task inflection predict",
        inputs={"input": src, "model": Path(model_dir) / "model.json"},
        params={"model": kind, "layout": layout},
        counts={"lines": n},
    )
    return PredictReport(str(src), str(dst), layout, tf.layout, n, kind)


def _nonblank(path: str | Path) -> bool:
    with open(path, "rb") as fh:
        return any(line.strip() for line in fh)


def evaluate_files(gold: str | Path, pred: str | Path, train: str | Path | None = None) -> EvalReport:
    """Score a prediction file against a gold file, line by line (accuracies as fractions 0-1). Lines must
    name the same lemma and bundle; a shorter prediction file counts its missing lines as empty predictions;
    a longer one, or a line out of step with gold, raises ParseError."""
    g = read_task_file(gold)
    gold_ex = g.examples()
    p = read_task_file(pred) if _nonblank(pred) else TaskFile(str(pred), COVERED, ())
    if len(p.rows) > len(gold_ex):
        raise ParseError(
            pred,
            p.rows[len(gold_ex)].line,
            f"more predictions ({len(p.rows)}) than gold lines ({len(gold_ex)})",
            hint="the prediction file must follow the gold file line by line",
        )
    nfc = unicodedata.normalize
    for k, (row, ex) in enumerate(zip(p.rows, gold_ex, strict=False)):
        if nfc("NFC", row.lemma) != nfc("NFC", ex.lemma) or bundle_key(row.features) != bundle_key(
            ex.features
        ):
            raise ParseError(
                pred,
                row.line,
                f"`{row.lemma} {';'.join(row.features)}` does not match gold line {g.rows[k].line} "
                f"`{ex.lemma} {';'.join(ex.features)}`",
                hint="predictions must be in the same order as the gold file, one per line",
            )
    forms = [r.form or "" for r in p.rows]
    train_items = read_task_file(train).items() if train else None
    result = evaluate([(e.lemma, e.features, e.form) for e in gold_ex], forms, train_items)
    files = {"gold": gold, "pred": pred, **({"train": train} if train else {})}
    sig = signature(
        "task inflection eval", {**{k: file_sha256(v)[:12] for k, v in files.items()}, "nfc": "yes"}
    )
    missing = len(gold_ex) - len(p.rows)
    return EvalReport(result, str(gold), str(pred), missing, str(train) if train else None, sig)


def hallucinate_file(
    src: str | Path,
    dst: str | Path,
    n: int,
    *,
    seed: int = defaults.SEED,
    min_run: int = defaults.HALLUCINATE_MIN_RUN,
    with_input: bool = False,
    progress: Progress | None = None,
    force: bool = False,
) -> HallucinateReport:
    """Write `n` hallucinated examples of a training file (in its layout), optionally after its own lines,
    atomically with a manifest. Raises OptionError for a destination it may not replace."""
    from lexres.augment.morph.hallucinate import hallucinate

    check_destination(dst, force=force)
    tf = read_task_file(src)
    if tf.covered:
        raise OptionError(f"{src} holds covered lines (no forms); hallucination needs lemma-form pairs")
    train = tf.examples()
    made = hallucinate(train, n, seed=seed, min_run=min_run, progress=progress)
    rows = ([(e.lemma, e.features, e.form) for e in train] if with_input else []) + [
        (e.lemma, e.features, e.form) for e in made
    ]
    if not rows:
        raise OptionError("nothing to write: --n 0 and no --with-input", hint="ask for --n 1 or more")
    lines = write_rows(dst, rows, tf.layout, force=force)
    counts = {"input": len(train), "hallucinated": len(made), "lines": lines}
    write_manifest(
        dst,
        "augment hallucinate",
        inputs={"input": src},
        seed=seed,
        params={"n": n, "min_run": min_run, "with_input": with_input, "layout": tf.layout},
        counts=counts,
    )
    return HallucinateReport(str(src), str(dst), tf.layout, **counts)
