"""One interface for every inflection model (lemma + features -> form), so the CLI and benchmarks treat the
non-neural baseline and the neural transducer alike.

Contract of a model kind (a module named in `MODELS`, imported only when used so torch stays optional):

    train(train: list[Example], dev: list[Example] | None, out_dir: Path, *, seed: int,
          progress: lexres.progress.Progress, **opts) -> Metrics
        Fit on `train`, write everything needed to predict into `out_dir` (already created, empty of model
        files), and return its `Metrics` (e.g. Metrics(dev_accuracy=0.564, extra={"epochs": 12})).
        Accuracies are fractions 0-1. `dev` may be None. Unknown `opts` should raise OptionError.
    load(model_dir: Path) -> Predictor
        Rebuild the model written by `train`.

    Predictor.predict(items: list[tuple[str, tuple[str, ...]]]) -> list[str]
        One form per (lemma, features) item, same order. Never raises for unseen lemmas or bundles.

`train_model()` wraps a kind's `train`: it creates `out_dir`, calls it, then writes `model.json` (naming the
kind, so `load_model(dir)` / `predict --model-dir` know what to load; also holds the metrics and options) and
the directory's manifest. Models must not write `model.json` or `manifest.json` themselves. From the CLI
(`-o KEY=VALUE`), option values arrive as int, float or bool when they read as one, else as str.

Features are tuples of top-level tags as `lexres.loaders.morphio.parse_features` returns them (a layered
UniMorph 4 tag such as `NOM(PL;PSS(1,PL))` stays one element); `";".join(features)` gives the text back.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from lexres import defaults
from lexres.errors import NotFoundError, OptionError
from lexres.progress import Progress
from lexres.records import Result

#: kind name -> module path providing `train` and `load` (see the module docstring).
MODELS: dict[str, str] = {
    "nonneural": "lexres.tasks.inflection.affix_baseline",
    "neural": "lexres.tasks.inflection.neural.model",
}

MODEL_FILE = "model.json"
MODEL_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Example:
    """One training/evaluation item: lemma + feature bundle (top-level UniMorph tags) -> inflected form."""

    lemma: str
    features: tuple[str, ...]
    form: str


class Predictor(Protocol):
    """What `load_model` returns: anything that inflects (lemma, features) items."""

    def predict(self, items: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
        """One form per (lemma, features) item, same order; never raises for unseen lemmas or bundles."""
        ...


@dataclass(frozen=True)
class Metrics(Result):
    """What training reports: dev exact-match accuracy as a fraction 0-1 (None without a dev set) and
    model-specific figures in `extra` (JSON-able: epochs, seconds, rule counts...). `to_dict()` flattens
    `extra` next to `dev_accuracy`, the shape stored in model.json."""

    dev_accuracy: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """`{"dev_accuracy": ..., **extra}`."""
        return {"dev_accuracy": self.dev_accuracy, **dict(self.extra)}


@dataclass(frozen=True)
class ModelInfo(Result):
    """The record of a trained model directory (its model.json): kind, format version, seed, options,
    metrics as stored (`dev_accuracy` a fraction 0-1 for models written by this version), training and dev
    sizes, and the training file's column layout (None when unknown)."""

    kind: str
    format: int
    seed: int
    options: Mapping[str, Any]
    metrics: Mapping[str, Any]
    n_train: int
    n_dev: int
    layout: str | None = None


def model_kind(name: str):
    """The module implementing model kind `name` (imported lazily). Raises OptionError for an unknown kind."""
    if name not in MODELS:
        raise OptionError(f"unknown model `{name}`", hint=f"choose one of: {', '.join(sorted(MODELS))}")
    return importlib.import_module(MODELS[name])


def train_model(
    kind: str,
    train: list[Example],
    dev: list[Example] | None,
    out_dir: str | Path,
    *,
    seed: int = defaults.SEED,
    progress: Progress | None = None,
    inputs: Mapping[str, str | Path] | None = None,
    layout: str | None = None,
    force: bool = False,
    **opts: Any,
) -> Metrics:
    """Train a model of `kind` into `out_dir` and record it (model.json + manifest). Returns the metrics.
    `layout` (the training file's column layout) lets predictions on covered inputs use the task's layout.
    The directory is built beside `out_dir` and renamed into place when training ends, so an interrupted run
    never leaves a half-written model (an existing directory is replaced only if lexres wrote it, or `force`).
    Raises OptionError for an empty training set, an unknown kind or option, or an output lexres did not
    write."""
    from lexres.outputs import atomic_dir
    from lexres.provenance import write_manifest

    if not train:
        raise OptionError("the training set is empty", hint="check the --train file")
    module = model_kind(kind)
    with atomic_dir(out_dir, force=force) as out:
        metrics = module.train(train, dev, out, seed=seed, progress=progress or Progress(), **opts)
        n_dev = len(dev) if dev else 0
        info = ModelInfo(kind, MODEL_FORMAT, seed, opts, metrics.to_dict(), len(train), n_dev,
                         layout)
        (out / MODEL_FILE).write_text(
            json.dumps(info.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        write_manifest(
            out,
            f"task inflection train --model {kind}",
            inputs=inputs,
            seed=seed,
            params={"model": kind, **opts},
            counts={"train": len(train), "dev": info.n_dev},
        )
    return metrics


def model_info(model_dir: str | Path) -> ModelInfo:
    """The model.json of a trained model directory. Raises NotFoundError when there is none and ParseError
    when it is not valid JSON or lacks a field."""
    path = Path(model_dir) / MODEL_FILE
    if not path.exists():
        raise NotFoundError(
            f"{model_dir}: no {MODEL_FILE} here, so this is not a trained model directory",
            hint="train one with `lexres task inflection train ... --out DIR`",
        )
    from lexres.errors import ParseError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ParseError(path, None, f"not valid JSON ({exc})") from exc
    try:
        return ModelInfo(
            kind=data["kind"],
            format=int(data.get("format", MODEL_FORMAT)),
            seed=data.get("seed", 0),
            options=data.get("options") or {},
            metrics=data.get("metrics") or {},
            n_train=int(data.get("n_train", 0)),
            n_dev=int(data.get("n_dev", 0)),
            layout=data.get("layout"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ParseError(path, None, f"not a model record ({exc!r} missing or malformed)") from exc


def load_model(model_dir: str | Path) -> Predictor:
    """Load whatever kind of model `model_dir` holds (raises as `model_info` does)."""
    info = model_info(model_dir)
    return model_kind(info.kind).load(Path(model_dir))
