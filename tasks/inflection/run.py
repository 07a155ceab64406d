"""File-level inflection operations behind the CLI: train from files, predict a file, score a prediction file
against gold, hallucinate a training file. Each checks its inputs and records what it wrote."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.provenance import write_manifest
from lexres.progress import Progress

from lexres.tasks.inflection.scoring import bundle_key, evaluate
from lexres.tasks.inflection.files import COVERED, FULL_LAYOUTS, TaskFile, layout_of, read_task_file, write_rows
from lexres.tasks.inflection.models import load_model, model_info, train_model


def train_files(
    model: str,
    train: str | Path,
    out_dir: str | Path,
    *,
    dev: str | Path | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    **opts,
) -> dict:
    """Train a model kind on a task file (optionally scoring on a dev file) into `out_dir`."""
    tf = read_task_file(train)
    tr = tf.examples()
    dv = read_task_file(dev).examples() if dev else None
    inputs = {"train": train, **({"dev": dev} if dev else {})}
    metrics = train_model(
        model, tr, dv, out_dir, seed=seed, progress=progress, inputs=inputs, layout=tf.layout, **opts
    )
    return {
        "model": model,
        "out": str(out_dir),
        "train": len(tr),
        "dev": len(dv) if dv else 0,
        "metrics": metrics,
    }


def predict_file(model_dir: str | Path, src: str | Path, dst: str | Path, *, to: str | None = None) -> dict:
    """Predict a form for every line of `src` (covered or full) and write `dst` with one line per input line,
    same order. Full inputs keep their layout; covered ones get the layout of the model's training file
    (the task's own), else `lemma-form-features`; `to` overrides both."""
    tf = read_task_file(src)
    info = model_info(model_dir)
    if to:
        layout = layout_of(to)
        if layout == COVERED:
            raise OptionError("predictions need a form column", hint=f"use one of: {', '.join(FULL_LAYOUTS)}")
    else:
        trained = info.get("layout")
        fallback = trained if trained in FULL_LAYOUTS else FULL_LAYOUTS[0]
        layout = tf.layout if tf.layout in FULL_LAYOUTS else fallback
    predictor = load_model(model_dir)
    preds = predictor.predict(tf.items()) if tf.rows else []
    if len(preds) != len(tf.rows):
        raise OptionError(f"the model returned {len(preds)} predictions for {len(tf.rows)} inputs")
    n = write_rows(dst, ((r.lemma, r.features, p) for r, p in zip(tf.rows, preds, strict=True)), layout)
    kind = info["kind"]
    write_manifest(
        dst,
        "task inflection predict",
        inputs={"input": src, "model": Path(model_dir) / "model.json"},
        params={"model": kind, "layout": layout},
        counts={"lines": n},
    )
    return {
        "input": str(src),
        "output": str(dst),
        "layout": layout,
        "input_layout": tf.layout,
        "lines": n,
        "model": kind,
    }


def _nonblank(path: str | Path) -> bool:
    with open(path, "rb") as fh:
        return any(line.strip() for line in fh)


def evaluate_files(gold: str | Path, pred: str | Path, train: str | Path | None = None) -> dict:
    """Score a prediction file against a gold file, line by line. Lines must name the same lemma and bundle;
    a shorter prediction file counts its missing lines as empty predictions; a longer one is an error."""
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
    result.update({"gold": str(gold), "pred": str(pred), "missing": len(gold_ex) - len(p.rows)})
    if train:
        result["train"] = str(train)
    return result


def hallucinate_file(
    src: str | Path,
    dst: str | Path,
    n: int,
    *,
    seed: int = 0,
    min_run: int = 3,
    with_input: bool = False,
    progress: Progress | None = None,
) -> dict:
    """Write `n` hallucinated examples of a training file (in its layout), optionally after its own lines."""
    from lexres.augment.morph.hallucinate import hallucinate

    tf = read_task_file(src)
    if tf.covered:
        raise OptionError(f"{src} holds covered lines (no forms); hallucination needs lemma-form pairs")
    train = tf.examples()
    made = hallucinate(train, n, seed=seed, min_run=min_run, progress=progress)
    rows = ([(e.lemma, e.features, e.form) for e in train] if with_input else []) + [
        (e.lemma, e.features, e.form) for e in made
    ]
    lines = write_rows(dst, rows, tf.layout)
    counts = {"input": len(train), "hallucinated": len(made), "lines": lines}
    write_manifest(
        dst,
        "augment hallucinate",
        inputs={"input": src},
        seed=seed,
        params={"n": n, "min_run": min_run, "with_input": with_input, "layout": tf.layout},
        counts=counts,
    )
    return {"input": str(src), "output": str(dst), "layout": tf.layout, **counts}
