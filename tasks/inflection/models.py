"""One interface for every inflection model (lemma + features -> form), so the CLI and benchmarks treat the
non-neural baseline and the neural transducer alike.

Contract of a model kind (a module named in `MODELS`, imported only when used so torch stays optional):

    train(train: list[Example], dev: list[Example] | None, out_dir: Path, *, seed: int,
          progress: lexres.progress.Progress, **opts) -> dict
        Fit on `train`, write everything needed to predict into `out_dir` (already created, empty of model
        files), and return metrics as a JSON-able dict (e.g. {"dev_accuracy": 56.4, "epochs": 12}).
        Accuracies are percentages (0..100). `dev` may be None. Unknown `opts` should raise OptionError.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from lexres.errors import NotFoundError, OptionError
from lexres.progress import Progress

#: kind name -> module path providing `train` and `load` (see the module docstring).
MODELS: dict[str, str] = {
    "nonneural": "lexres.tasks.inflection.affix_baseline",
    "neural": "lexres.tasks.inflection.neural.model",
}

MODEL_FILE = "model.json"
MODEL_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Example:
    """One training/evaluation item: lemma + feature bundle -> form."""

    lemma: str
    features: tuple[str, ...]
    form: str


class Predictor(Protocol):
    def predict(self, items: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]: ...


def model_kind(name: str):
    """The module implementing model kind `name` (imported lazily)."""
    if name not in MODELS:
        raise OptionError(f"unknown model `{name}`", hint=f"choose one of: {', '.join(sorted(MODELS))}")
    return importlib.import_module(MODELS[name])


def train_model(
    kind: str,
    train: list[Example],
    dev: list[Example] | None,
    out_dir: str | Path,
    *,
    seed: int = 0,
    progress: Progress | None = None,
    inputs: Mapping[str, str | Path] | None = None,
    layout: str | None = None,
    **opts: Any,
) -> dict:
    """Train a model of `kind` into `out_dir` and record it (model.json + manifest). Returns the metrics.
    `layout` (the training file's column layout) lets predictions on covered inputs use the task's layout."""
    from lexres.provenance import write_manifest

    if not train:
        raise OptionError("the training set is empty", hint="check the --train file")
    module = model_kind(kind)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metrics = module.train(train, dev, out, seed=seed, progress=progress or Progress(), **opts)
    info = {
        "kind": kind,
        "format": MODEL_FORMAT,
        "seed": seed,
        "options": opts,
        "metrics": metrics,
        "n_train": len(train),
        "n_dev": len(dev) if dev else 0,
        "layout": layout,
    }
    (out / MODEL_FILE).write_text(
        json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    write_manifest(
        out,
        f"task inflection train --model {kind}",
        inputs=inputs,
        seed=seed,
        params={"model": kind, **opts},
        counts={"train": len(train), "dev": info["n_dev"]},
    )
    return metrics


def model_info(model_dir: str | Path) -> dict:
    """The model.json of a trained model directory."""
    path = Path(model_dir) / MODEL_FILE
    if not path.exists():
        raise NotFoundError(
            f"{model_dir}: no {MODEL_FILE} here, so this is not a trained model directory",
            hint="train one with `lexres task inflection train ... --out DIR`",
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        from lexres.errors import ParseError

        raise ParseError(path, None, f"not valid JSON ({exc})") from exc


def load_model(model_dir: str | Path) -> Predictor:
    """Load whatever kind of model `model_dir` holds."""
    info = model_info(model_dir)
    return model_kind(info["kind"]).load(Path(model_dir))
