"""CLI: `lexres task tagging train|predict|eval` (token classification: NER in IOB2, UD UPOS tagging) and
`distill`, the command behind `lexres adapt distill` (label distillation). Parses options, calls
lexres.tasks.tagging, prints; scores are printed in percent, each with its signature line."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from lexres.cli.common import FORCE, JSON, bar, console, emit_json, err_console, plural, resource_ids

app = typer.Typer(
    name="tagging",
    help="Token classification (NER in IOB2, UD UPOS tagging): train, predict, score.",
    no_args_is_help=True,
)

FORMAT_HELP = "Data format: conll (token ... label), conllu, or xtreme (token<TAB>label)."
COLUMN_HELP = (
    "Label column: `upos` or a 1-based column number (default: UPOS for conllu, the last field otherwise)."
)
SCHEME_HELP = "Label scheme: auto (upos for the CoNLL-U UPOS column, else iob2), iob2 or upos."


LEXICON_WORDS = ("store", "induced")  # `experiment --lexicon` values that are not resource ids


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


@app.command("train")
def train(
    model: Path = typer.Option(..., "--model", help="Body to fine-tune: a save_pretrained directory."),
    train_file: Path = typer.Option(..., "--train", help="Labeled training data."),
    dev: Path = typer.Option(None, "--dev", help="Labeled dev data (best epoch, early stopping)."),
    fmt: str = typer.Option("conll", "--format", "-f", help=FORMAT_HELP),
    label_column: str = typer.Option(None, "--label-column", help=COLUMN_HELP),
    scheme: str = typer.Option("auto", "--scheme", help=SCHEME_HELP),
    out: Path = typer.Option(..., "--out", help="Directory for the best checkpoint (written atomically)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (initialisation, shuffling, dropout)."),
    epochs: int = typer.Option(3, "--epochs", help="Epochs at most."),
    max_steps: int = typer.Option(None, "--max-steps", help="Optimizer steps at most."),
    lr: float = typer.Option(5e-5, "--lr", help="Peak learning rate (AdamW)."),
    batch_size: int = typer.Option(16, "--batch-size", help="Windows per batch."),
    threads: int = typer.Option(None, "--threads", help="CPU threads for torch."),
    max_seconds: float = typer.Option(None, "--max-seconds", help="Wall-time budget; stops after the step."),
    patience: int = typer.Option(
        3, "--patience", help="Stop after this many epochs without a better dev score."
    ),
    max_length: int = typer.Option(
        256, "--max-length", help="Pieces per window (longer sentences are split)."
    ),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Fine-tune a token classifier; prints one line per epoch (loss, dev score, time) and saves the best
    epoch (the last without --dev) as a save_pretrained directory with its labels and a manifest."""
    from lexres.tasks.tagging.data import label_spec
    from lexres.tasks.tagging.train import TrainOptions
    from lexres.tasks.tagging.train import train as run

    options = TrainOptions(
        seed=seed,
        epochs=epochs,
        max_steps=max_steps,
        lr=lr,
        batch_size=batch_size,
        threads=threads,
        max_seconds=max_seconds,
        patience=patience,
        max_length=max_length,
    )
    lines = err_console  # one line per epoch, on stderr even in a pipe; stdout keeps the result
    metric = {"upos": "accuracy"}
    name = metric.get(label_spec(fmt, label_column, scheme).scheme, "F1")

    def on_epoch(e) -> None:
        dev_part = f", dev {name} {_pct(e.dev_score)}" if e.dev_score is not None else ""
        lines.print(
            f"epoch {e.epoch}: loss {e.loss:.4f}{dev_part}, {e.seconds:.1f} s, "
            f"{e.tokens_per_second:,.0f} tok/s{' (best, saved)' if e.best else ''}",
            markup=False,
            highlight=False,
        )

    with bar() as progress:
        rep = run(
            model,
            train_file,
            out,
            fmt,
            dev_path=dev,
            label_column=label_column,
            scheme=scheme,
            options=options,
            force=force,
            progress=progress,
            on_epoch=on_epoch,
        )
    if as_json:
        emit_json(asdict(rep))
        return
    console.print(
        f"saved epoch {rep.best_epoch} of {len(rep.epochs)} to {rep.out} "
        f"({plural(len(rep.labels), 'label')}, "
        f"{rep.scheme}; stopped: {rep.stopped}; {plural(rep.steps, 'step')})",
        markup=False,
        highlight=False,
    )
    if rep.best_dev_score is not None:
        console.print(f"best dev {metric.get(rep.scheme, 'F1')} {_pct(rep.best_dev_score)}", markup=False)
    console.print(f"signature: {rep.signature}", markup=False, highlight=False)


@app.command("predict")
def predict(
    model: Path = typer.Option(..., "--model", help="A trained tagger (save_pretrained directory)."),
    input: Path = typer.Option(..., "--input", help="File to tag (its labels are replaced)."),
    fmt: str = typer.Option("conll", "--format", "-f", help=FORMAT_HELP),
    label_column: str = typer.Option(None, "--label-column", help=COLUMN_HELP),
    output: Path = typer.Option(..., "--output", help="Tagged file, same format (written atomically)."),
    batch_size: int = typer.Option(32, "--batch-size", help="Windows per batch."),
    threads: int = typer.Option(None, "--threads", help="CPU threads for torch."),
    max_length: int = typer.Option(
        256, "--max-length", help="Pieces per window (longer sentences are split)."
    ),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Tag a labeled file with a trained model, writing the same format with a well-formed tag sequence
    (BIO repaired), comments kept, and a manifest."""
    from lexres.tasks.tagging.predict import predict_file

    rep = predict_file(
        model,
        input,
        output,
        fmt,
        label_column,
        batch_size=batch_size,
        threads=threads,
        max_length=max_length,
        force=force,
    )
    if as_json:
        emit_json(asdict(rep))
        return
    console.print(f"tagged {plural(rep.sentences, 'sentence')} ({plural(rep.words, 'word')}) into "
                  f"{rep.output}", markup=False)
    if rep.repaired:
        console.print(f"  note: BIO repair changed {plural(rep.repaired, 'label')} (I-X not after B-X/I-X "
                      "became B-X)", markup=False)
    if rep.unpieced:
        console.print(f"  note: {plural(rep.unpieced, 'word')} had no subword piece and got the default "
                      "label", markup=False)
    console.print(f"signature: {rep.signature}", markup=False, highlight=False)


@app.command("eval")
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Gold labeled file."),
    pred: Path = typer.Option(..., "--pred", help="Predicted file (same sentences and tokens)."),
    fmt: str = typer.Option("conll", "--format", "-f", help=FORMAT_HELP),
    label_column: str = typer.Option(None, "--label-column", help=COLUMN_HELP),
    scheme: str = typer.Option("auto", "--scheme", help=SCHEME_HELP),
    drop_types: str = typer.Option(None, "--drop-types", help="Entity types to map to O first, e.g. DATE."),
    as_json: bool = JSON,
) -> None:
    """Score a prediction: entity precision/recall/F1 per type and micro-averaged (seqeval's default,
    conlleval-style chunks) for IOB2 data, UPOS accuracy for UPOS data."""
    from lexres.tasks.tagging.data import label_spec
    from lexres.tasks.tagging.scoring import evaluate_files

    spec = label_spec(fmt, label_column, scheme)
    rep = evaluate_files(gold, pred, spec, tuple((drop_types or "").split(",")))
    if as_json:
        emit_json(asdict(rep))
        return
    if rep.entities is not None:
        e = rep.entities
        console.print(
            f"entities (seqeval default, conlleval chunks): {plural(e.sentences, 'sentence')}, "
            f"{plural(e.tokens, 'token')}",
            markup=False,
        )
        console.print(
            f"{'type':<12} {'P':>7} {'R':>7} {'F1':>7} {'gold':>7} {'pred':>7} {'correct':>7}", markup=False
        )
        for t in (*e.per_type, e.micro):
            console.print(
                f"{t.type:<12} {_pct(t.precision):>7} {_pct(t.recall):>7} {_pct(t.f1):>7} "
                f"{t.gold:>7} {t.predicted:>7} {t.correct:>7}",
                markup=False,
                highlight=False,
            )
    if rep.pos is not None:
        p = rep.pos
        console.print(
            f"UPOS accuracy {_pct(p.accuracy)} ({p.correct}/{plural(p.tokens, 'word')}, "
            f"{plural(p.sentences, 'sentence')})",
            markup=False,
        )
    if rep.dropped_types:
        console.print(
            f"note: types {', '.join(rep.dropped_types)} mapped to O in gold ({rep.dropped_gold} "
            f"entities) and prediction ({rep.dropped_pred}) before scoring",
            markup=False,
        )
    console.print(f"signature: {rep.signature}", markup=False, highlight=False)


def distill(
    teacher: Path = typer.Option(..., "--teacher", help="A trained tagger (save_pretrained directory)."),
    text: Path = typer.Option(..., "--text", help="Raw text: one sentence per line, whitespace tokens."),
    out: Path = typer.Option(..., "--out", help="CoNLL output (token<TAB>label; written atomically)."),
    threshold: float = typer.Option(
        0.0, "--threshold", help="Drop sentences whose mean label probability is below this (0-1)."
    ),
    batch_size: int = typer.Option(32, "--batch-size", help="Windows per batch."),
    threads: int = typer.Option(None, "--threads", help="CPU threads for torch."),
    max_length: int = typer.Option(
        256, "--max-length", help="Pieces per window (longer sentences are split)."
    ),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Label distillation (Wang, Ruder & Neubig 2022): a teacher tagger labels target-language text;
    confident sentences become CoNLL training data (dropped line numbers go in the manifest)."""
    from lexres.tasks.tagging.distill import distill as run

    with bar() as progress:
        rep = run(
            teacher,
            text,
            out,
            threshold=threshold,
            batch_size=batch_size,
            threads=threads,
            max_length=max_length,
            progress=progress,
            force=force,
        )
    if as_json:
        emit_json(asdict(rep))
        return
    console.print(
        f"kept {plural(rep.kept, 'sentence')} in {rep.output} (mean confidence "
        f"{_pct(rep.mean_confidence)}%); dropped {len(rep.dropped_lines)} under {rep.threshold:g}, "
        f"{plural(len(rep.empty_lines), 'empty line')}"
        + (f", {plural(len(rep.unwritable_lines), 'line')} with a -DOCSTART- token" if rep.unwritable_lines
           else ""),
        markup=False,
        highlight=False,
    )
    if rep.repaired:
        console.print(f"  note: BIO repair changed {plural(rep.repaired, 'label')}", markup=False)
    console.print(f"signature: {rep.signature}", markup=False, highlight=False)


@app.command("experiment")
def experiment(
    lang: str = typer.Option(..., "--lang", help="Target language (no labeled data needed)."),
    src: str = typer.Option("eng", "--src", help="Language of the labeled training data."),
    train_src: Path = typer.Option(..., "--train-en", "--train-src", help="Source-language labeled data."),
    dev: Path = typer.Option(..., "--dev", help="Labeled dev data (chooses each run's best epoch only)."),
    test: Path = typer.Option(..., "--test", help="Labeled target-language test data (never tuned on)."),
    out: Path = typer.Option(..., "--out", help="Directory for results.json, results.md, manifest, work/."),
    seeds: str = typer.Option("1,2,3", "--seeds", help="Fine-tuning seeds, comma-separated."),
    budget: float = typer.Option(60.0, "--budget-minutes", help="Wall-time budget of the whole run."),
    lexicon: str = typer.Option(
        "store", "--lexicon",
        help="store (imported lexicons), induced (from the Bible pair), or resource ids: 3,4 or #3,#4.",
    ),
    base: Path = typer.Option(None, "--base", help="Local body (save_pretrained); default: pretrain one."),
    max_train: int = typer.Option(None, "--max-train-sentences", help="Source sentences used (0: all; "
                                  "default 3000, sampled with seed 0)."),
    epochs: int = typer.Option(None, "--epochs", help="Fine-tuning epochs (best on dev kept; default 3)."),
    lr: float = typer.Option(None, "--lr", help="Fine-tuning peak LR (default 1e-3; 5e-5 with --base)."),
    pretrain_steps: int = typer.Option(None, "--pretrain-steps", help="MLM steps of the scratch body (500)."),
    adapt_steps: int = typer.Option(None, "--adapt-steps", help="MLM steps of the adaptation (c) (300)."),
    distill_lines: int = typer.Option(None, "--distill-lines", help="Target lines labeled in (d) (1000)."),
    drop_types: str = typer.Option("DATE", "--drop-types", help="Entity types mapped to O (comma list)."),
    fmt: str = typer.Option("conll", "--format", "-f", help=FORMAT_HELP),
    threads: int = typer.Option(1, "--threads", help="CPU threads for torch (1: best on a shared CPU)."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Lexicon-based adaptation for NER without target labeled data (Wang, Ruder & Neubig 2022): (a) source
    data only, (a=) equal-steps control, (b) + pseudo-labeled data, (c) + MLM-adapted body, (d) + distilled
    labels; test F1 mean ± sd over seeds.

    Example: lexres task tagging experiment --lang swh --src eng --train-en en/train --dev swa/dev.txt
    --test swa/test.txt --out exp --seeds 1,2,3 --budget-minutes 60"""
    from lexres.cli.common import open_store
    from lexres.errors import OptionError
    from lexres.tasks.tagging.experiment import ExperimentOptions, run_experiment

    try:
        seed_list = tuple(int(s) for s in seeds.split(",") if s.strip())
    except ValueError as exc:
        raise OptionError(f"--seeds must be integers separated by commas, not `{seeds}`") from exc
    given = {
        "epochs": epochs,
        "lr": lr,
        "pretrain_steps": pretrain_steps,
        "adapt_steps": adapt_steps,
        "distill_lines": distill_lines,
    }
    options = ExperimentOptions(
        seeds=seed_list,
        lexicon=lexicon if lexicon in LEXICON_WORDS else ",".join(map(str, resource_ids([lexicon]) or [])),
        base=str(base) if base else None,
        budget_minutes=budget,
        drop_types=tuple(t.strip() for t in drop_types.split(",") if t.strip()),
        threads=threads,
        fmt=fmt,
        **{k: v for k, v in given.items() if v is not None},
        **({} if max_train is None else {"max_train_sentences": max_train or None}),
    )
    lines = err_console if as_json else console
    with open_store() as store:
        rep = run_experiment(
            store,
            lang,
            src,
            train_src,
            dev,
            test,
            out,
            options=options,
            force=force,
            log=lambda m: lines.print(m, markup=False, highlight=False),
        )
    if as_json:
        emit_json(asdict(rep))
        return
    for s in rep.summaries:
        console.print(
            f"({s.config}) {s.description}: F1 {_pct(s.f1_mean)} ± {_pct(s.f1_sd)} over seeds "
            f"{','.join(map(str, s.seeds))}; {plural(s.train_sentences, 'sentence')}, {s.steps_mean:.0f} "
            "updates",
            markup=False,
            highlight=False,
        )
    console.print(f"results: {rep.out}/results.md, results.json", markup=False)
    console.print(f"signature: {rep.signature}", markup=False, highlight=False)
