"""CLI: `lexres task inflection build|convert|train|predict|eval` and `lexres augment hallucinate`."""

from __future__ import annotations

from pathlib import Path

import typer

from lexres import defaults
from lexres.cli.common import (
    FORCE,
    JSON,
    bar,
    console,
    emit_json,
    err_console,
    open_store,
    parse_options,
    plural,
    print_table,
    resource_id,
    stdout_is_terminal,
)

inflection = typer.Typer(
    help="SIGMORPHON-style inflection: build tasks, train and run models, score.", no_args_is_help=True
)


def _score_line(s) -> str:
    """One `Score` as printed: accuracy in percent (the SIGMORPHON unit), then the mean edit distance."""
    return f"{s.percent:.2f}% exact ({s.correct}/{s.n}), mean distance {s.distance:.3f}"


def _prose():
    """Where the lines around a table go: stdout on a terminal; stderr in a pipe, so that stdout is the
    table's TSV alone."""
    return console if stdout_is_terminal() else err_console


@inflection.command("build")
def build_cmd(
    out: Path = typer.Option(..., "--out", help="Directory for the task files (created)."),
    lang: str = typer.Option(
        None,
        "--lang",
        "-l",
        help="Language: all its morph resources (those filed under its macrolanguage too, or for a "
        "macrolanguage those of its individual languages).",
    ),
    resource: int = typer.Option(
        None, "--resource", parser=resource_id,
        help="Use this one morph resource, 3 or #3 (see `lexres list`).",
    ),
    year: str = typer.Option(
        defaults.TASK_YEAR,
        "--year",
        help="Layout and file names: 2020, 2022 (lemma form features) or 2023 (lemma features form).",
    ),
    split: str = typer.Option(
        None, "--split", help="lemma (no lemma in two splits, 2023 style) or random; default: the year's."
    ),
    train_size: int = typer.Option(
        None, "--train-size", help="Training lines (default: the year's, else 80%)."
    ),
    dev_size: int = typer.Option(None, "--dev-size", help="Dev lines (default: the year's, else 10%)."),
    test_size: int = typer.Option(None, "--test-size", help="Test lines (default: the year's, else 10%)."),
    seed: int = typer.Option(defaults.SEED, "--seed", help="Random seed of the split."),
    name: str = typer.Option(None, "--name", help="File name stem (default: the language code)."),
    canonical: bool = typer.Option(False, "--canonical", help="Write feature bundles in canonical order."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Build train/dev/test (+ covered) files from the store's morph entries, with a manifest, and report
    how dev/test overlap with train (lemma seen, features seen, both, neither)."""
    from lexres.tasks.inflection.build import build_task

    with open_store(readonly=True) as store:
        rep = build_task(
            store,
            out,
            lang=lang,
            resource=resource,
            year=year,
            split=split,
            seed=seed,
            name=name,
            sizes={"train": train_size, "dev": dev_size, "test": test_size},
            canonical_order=canonical,
            force=force,
        )
    if as_json:
        emit_json(rep.to_dict())
        return
    c, out = rep.counts, _prose()
    out.print(
        f"built {rep.year} task ({rep.layout}, {rep.split} split, seed {rep.seed}) in "
        f"{rep.out}: train {c['train']}, dev {c['dev']}, test {c['test']} "
        f"of {plural(rep.available, 'distinct entry')}",
        markup=False,
    )
    for note in rep.notes:
        out.print(f"  note: {note}", markup=False)
    if rep.sizes_scaled:  # the user's sizes, or (none given) the year's own, which the demo never asked for
        asked = any(v is not None for v in (train_size, dev_size, test_size))
        what = "the sizes asked for" if asked else f"the {rep.year} shared task's split sizes"
        out.print(f"  note: {what} exceed the {plural(rep.available, 'entry')}; scaled down proportionally",
                  markup=False)
    out.print("overlap with train:", markup=False)
    kinds = ("both", "lemma", "features", "neither")
    print_table(
        ["split", "both seen", "lemma seen", "features seen", "neither"],
        [[s, *(f"{ov.counts[k]} ({100 * ov.share[k]:.1f}%)" for k in kinds)]
         for s, ov in rep.overlap.items()],
    )


@inflection.command("convert")
def convert_cmd(
    src: Path = typer.Argument(..., help="Task file to read (layout detected)."),
    dst: Path = typer.Argument(..., help="File to write."),
    to: str = typer.Option(
        ...,
        "--to",
        help="Target: a year (2020, 2022, 2023) or a layout "
        "(lemma-form-features, lemma-features-form, lemma-features = covered).",
    ),
    layout: str = typer.Option(None, "--layout", help="Force the input's layout instead of detecting it."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Rewrite a task file in another year's column layout."""
    from lexres.tasks.inflection.files import convert

    rep = convert(src, dst, to, layout=layout, force=force)
    if as_json:
        emit_json(rep.to_dict())
    else:
        console.print(f"wrote {plural(rep.lines, 'line')} to {dst}: {rep.from_layout} -> {rep.to_layout}",
                      markup=False)


@inflection.command("train")
def train_cmd(
    train: Path = typer.Option(..., "--train", help="Training file (any task layout)."),
    out: Path = typer.Option(..., "--out", help="Model directory to write."),
    model: str = typer.Option(
        defaults.INFLECTION_MODEL, "--model", help="nonneural (affix rules) or neural."
    ),
    dev: Path = typer.Option(
        None, "--dev", help="Dev file: scored after training (and used for early stopping by models that do)."
    ),
    seed: int = typer.Option(defaults.SEED, "--seed", help="Random seed."),
    option: list[str] = typer.Option(
        None, "--option", "-o", metavar="KEY=VALUE", help="Model option KEY=VALUE (repeatable)."
    ),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Train an inflection model; the directory records its kind, options, metrics and a manifest."""
    from lexres.tasks.inflection.run import train_files

    opts = parse_options(option, typed=True)
    with bar() as progress:
        rep = train_files(model, train, out, dev=dev, seed=seed, progress=progress, force=force, **opts)
    if as_json:
        emit_json(rep.to_dict())
        return
    console.print(f"trained {model} on {plural(rep.train, 'example')} into {out}", markup=False)
    acc = rep.metrics.dev_accuracy
    if acc is not None:
        console.print(f"  dev accuracy: {100 * acc:.2f}% ({plural(rep.dev, 'example')})", markup=False)
        console.print(f"  signature: {rep.signature}", markup=False)


@inflection.command("predict")
def predict_cmd(
    model_dir: Path = typer.Option(..., "--model-dir", help="A directory written by `train`."),
    input: Path = typer.Option(..., "--input", help="Covered (lemma, features) or full task file."),
    output: Path = typer.Option(..., "--output", help="Predictions: one line per input line, same order."),
    to: str = typer.Option(
        None,
        "--to",
        help="Output layout (default: the input's; for covered input, the layout of the "
        "model's training file).",
    ),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Inflect every line of a file with a trained model."""
    from lexres.tasks.inflection.run import predict_file

    rep = predict_file(model_dir, input, output, to=to, force=force)
    if as_json:
        emit_json(rep.to_dict())
    else:
        console.print(f"wrote {plural(rep.lines, 'prediction')} ({rep.layout}) to {output}", markup=False)


@inflection.command("eval")
def eval_cmd(
    gold: Path = typer.Option(..., "--gold", help="Gold file (lemma, form, features in any task layout)."),
    pred: Path = typer.Option(..., "--pred", help="Predictions, line by line with the gold file."),
    train: Path = typer.Option(
        None,
        "--train",
        help="Training file: adds the 2022 breakdown by whether the "
        "lemma / the features were seen in training.",
    ),
    as_json: bool = JSON,
) -> None:
    """Exact-match accuracy (after NFC) and mean Levenshtein distance, as the SIGMORPHON 2020 scorer."""
    from lexres.tasks.inflection.run import evaluate_files

    rep = evaluate_files(gold, pred, train)
    if as_json:
        emit_json(rep.to_dict())
        return
    out = _prose() if rep.by_category is not None else console  # the table alone on stdout in a pipe
    out.print(_score_line(rep.overall), markup=False)
    if rep.missing:
        out.print(f"  {plural(rep.missing, 'gold line')} had no prediction (counted as empty)", markup=False)
    if rep.by_category is not None:
        labels = {"both": "lemma + features", "lemma": "lemma only", "features": "features only",
                  "neither": "neither"}
        rows = [*rep.by_category.items(), ("all", rep.overall)]  # the TSV holds the overall score too
        print_table(
            ["seen in train", "n", "accuracy (%)", "mean distance"],
            [[labels.get(cat, cat), s.n, f"{s.percent:.2f}" if s.n else "-",
              f"{s.distance:.3f}" if s.n else "-"] for cat, s in rows],
        )
    out.print(f"signature: {rep.signature}", markup=False)


app = typer.Typer(
    name="task",
    help="Build, train and evaluate tasks (SIGMORPHON inflection, tagging).",
    no_args_is_help=True,
)
app.add_typer(inflection, name="inflection")
