"""`lexres batch ...`: run a single-language command for many languages at once on dask (parse and print
only; the work is in lexres.batch and lexres.jobs), and align many Bibles N-way."""

from __future__ import annotations

from pathlib import Path

import typer

from lexres import defaults
from lexres.cli.common import (
    CHOICE,
    FORCE,
    JSON,
    MIN_REPLACED,
    UNKNOWN,
    bar,
    console,
    emit_json,
    open_store,
    plural,
    store_path,
)

app = typer.Typer(
    name="batch",
    help="Run a command for many languages in one job (one task per language, on dask: a local cluster or "
    "--scheduler ADDRESS); align many Bibles at once.",
    no_args_is_help=True,
)

TGT = typer.Option("all", "--tgt", help="`all` (every language the store can serve) or codes: swh,zul,…")
OUT = typer.Option(..., "--out", "-o", help="Output folder (one file or folder per language).")
WORKERS = typer.Option(1, "--workers", "-w", help="Local worker processes (one thread each).")
SCHEDULER = typer.Option(
    None, "--scheduler", help="Address of a running dask scheduler (tcp://host:8786); overrides --workers."
)
SEED = typer.Option(
    defaults.SEED, "--seed", help="Job seed; each language's seed is derived from it and its code."
)


def _run(
    job: str,
    tgt: str,
    params: dict,
    *,
    src: str | None = None,
    kind: str | None = None,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    as_json: bool = False,
) -> None:
    from lexres.batch import languages, run_batch, summary

    with open_store(readonly=True) as store:
        langs = languages(store, job, tgt, src=src, kind=kind)
    with bar() as progress:
        report = run_batch(
            store_path(),
            job,
            langs,
            params,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )
    data = summary(report)
    if as_json:
        emit_json(data)
    else:
        for row in data["languages"]:
            if row["status"] == "done":
                console.print(f"  {row['lang']}: {row['output']} ({_counts(row['counts'])})", markup=False)
            elif row["input_error"]:  # a LexresError: the same input fails the same way again
                console.print(f"  {row['lang']}: failed (not retried: input error): {row['error']}",
                              markup=False)
            else:
                console.print(f"  {row['lang']}: FAILED after {plural(row['attempts'], 'attempt')}: "
                              f"{row['error']}", markup=False)
        console.print(
            f"{job}: {plural(data['done'], 'language')} done, {data['failed']} failed, on "
            f"{plural(data['workers'], 'worker')} in {data['seconds']:.1f} s",
            markup=False,
        )
    if report.failed:
        raise typer.Exit(1)


def _counts(counts: dict) -> str:
    keys = [k for k in ("sentences_out", "sentences", "pairs", "rows", "train") if k in counts]
    return ", ".join(f"{k} {counts[k]}" for k in keys) or "done"


@app.command("pseudo-mono")
def pseudo_mono(
    src: str = typer.Option(..., "--src", help="Language of the input text."),
    tgt: str = TGT,
    input: Path = typer.Option(..., "--input", "-i", help="Text file, one sentence a line."),
    out: Path = OUT,
    choice: str = CHOICE,
    unknown: str = UNKNOWN,
    min_replaced: int = MIN_REPLACED,
    seed: int = SEED,
    workers: int = WORKERS,
    scheduler: str = SCHEDULER,
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Pseudo-monolingual text from one input into every target language (OUT/<src>-<tgt>.pseudo-mono.txt)."""
    params = {
        "src": src,
        "input": str(input),
        "out": str(out),
        "choice": choice,
        "unknown": unknown,
        "min_replaced": min_replaced,
        "force": force,
    }
    _run(
        "pseudo-mono", tgt, params, src=src, seed=seed, workers=workers, scheduler=scheduler, as_json=as_json
    )


@app.command("pseudo-label")
def pseudo_label(
    src: str = typer.Option(..., "--src", help="Language of the labeled input."),
    tgt: str = TGT,
    input: Path = typer.Option(..., "--input", "-i", help="Labeled file (one token a line)."),
    format: str = typer.Option(..., "--format", "-f", help="conll, conllu or xtreme."),
    out: Path = OUT,
    choice: str = CHOICE,
    seed: int = SEED,
    workers: int = WORKERS,
    scheduler: str = SCHEDULER,
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Pseudo-labeled data into every target language (OUT/<src>-<tgt>.pseudo-label.<format>)."""
    params = {
        "src": src,
        "input": str(input),
        "out": str(out),
        "format": format,
        "choice": choice,
        "force": force,
    }
    _run(
        "pseudo-label", tgt, params, src=src, seed=seed, workers=workers, scheduler=scheduler, as_json=as_json
    )


@app.command("induce-lexicon")
def induce_lexicon(
    src: str = typer.Option(..., "--src", help="Source language (its largest Bible)."),
    tgt: str = TGT,
    out: Path = OUT,
    method: str = typer.Option("ibm1", "--method", help="ibm1 or dice."),
    top_k: int = typer.Option(5, "--top-k", help="Translations kept per source word."),
    workers: int = WORKERS,
    scheduler: str = SCHEDULER,
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Induce a src -> tgt lexicon from the Bibles for every target language, stored as derived lexicons."""
    params = {"src": src, "out": str(out), "method": method, "top_k": top_k, "force": force}
    _run("induce-lexicon", tgt, params, src=src, workers=workers, scheduler=scheduler, as_json=as_json)


@app.command("task-build")
def task_build(
    tgt: str = TGT,
    out: Path = OUT,
    year: str = typer.Option("2023", "--year", help="Shared-task layout: 2017, 2020, 2022 or 2023."),
    seed: int = SEED,
    workers: int = WORKERS,
    scheduler: str = SCHEDULER,
    as_json: bool = JSON,
) -> None:
    """Build an inflection task for every language with a morphology table (OUT/<lang>/)."""
    _run(
        "task-build",
        tgt,
        {"out": str(out), "year": year},
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        as_json=as_json,
    )


@app.command("export")
def export(
    tgt: str = TGT,
    out: Path = OUT,
    kind: str = typer.Option(None, "--kind", help="morph, bible or lexicon (default: all)."),
    to: str = typer.Option("tsv", "--to", help="tsv (OUT/<lang>.tsv) or parquet (OUT/<lang>/)."),
    workers: int = WORKERS,
    scheduler: str = SCHEDULER,
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Export the entries of every language, one file (or Parquet folder) per language."""
    from lexres.errors import OptionError

    if to not in ("tsv", "parquet"):
        raise OptionError(f"--to must be tsv or parquet, not `{to}`")
    _run(
        "export",
        tgt,
        {"out": str(out), "kind": kind, "to": to, "force": force},
        kind=kind,
        workers=workers,
        scheduler=scheduler,
        as_json=as_json,
    )


@app.command("align-many")
def align_many(
    bibles: str = typer.Option(
        "all",
        "--bibles",
        "--tgt",
        help="`all` (the largest Bible of every language) or language codes / resource ids: eng,swh,zul,12",
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (.tsv or .parquet)."),
    format: str = typer.Option(None, "--format", "-f", help="tsv or parquet (default: from the extension)."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Align many Bible translations verse by verse on the org versification: one row per verse, one
    column per translation, with coverage per translation."""
    from lexres.export.multialign import write_multialign
    from lexres.store.multialign import bibles_of, multialign

    fmt = format or ("parquet" if out.suffix.lower() in (".parquet", ".pq") else "tsv")
    with open_store(readonly=True) as store, bar() as progress:
        progress.start(None, "aligning")
        result = multialign(store, bibles_of(store, bibles))
    write_multialign(result, out, fmt, force=force)
    summary = result.summary()
    if as_json:
        emit_json({**summary, "output": str(out)})
        return
    for c in result.coverage:
        console.print(
            f"  #{c.resource} {c.variety} {c.name}: {c.rows} of {plural(len(result.rows), 'row')} "
            f"({c.share:.1%}); {plural(c.verses, 'verse')}, {c.partial} partial",
            markup=False,
        )
    console.print(
        f"wrote {plural(len(result.rows), 'row')} ({result.complete} in every translation) x "
        f"{plural(len(result.translations), 'translation')} to {out} (+ manifest)",
        markup=False,
    )


def run_catalog_import(
    catalog: Path | None,
    directory: Path | None,
    paths,
    kind,
    workers: int,
    on_error: str,
    replace: bool,
    report: Path | None,
    as_json: bool,
    per_file: tuple[str, ...] | list[str] = (),
) -> None:
    """`lexres import --catalog FILE` / `--dir DIR` (called by `lexres import`): one line per row, a summary,
    optionally the JSON report in a file; exit 1 when a row failed."""
    import json

    from lexres.catalog import import_catalog, import_dir
    from lexres.errors import OptionError
    from lexres.outputs import write_text
    from lexres.provenance import write_manifest

    if catalog is not None and directory is not None:
        raise OptionError("give --catalog or --dir, not both")
    if per_file:
        raise OptionError(f"{', '.join(per_file)} apply to one file, not to --catalog / --dir",
                          hint="give them per row in the catalogue (lang, target_lang, format, name, ...)")
    if paths or kind is not None:
        raise OptionError(
            "--catalog / --dir take no KIND or PATH arguments", hint="put kinds and paths in the catalogue"
        )
    with open_store() as store, bar() as progress:
        if catalog is not None:
            result = import_catalog(
                store,
                catalog,
                workers=workers,
                on_error=on_error,
                replace_existing=replace,
                progress=progress,
            )
        else:
            result = import_dir(
                store,
                directory,
                workers=workers,
                on_error=on_error,
                replace_existing=replace,
                progress=progress,
            )
    data = result.to_dict()
    if report is not None:
        write_text(report, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        write_manifest(
            report,
            "import --catalog" if catalog is not None else "import --dir",
            params={
                "source": str(catalog or directory),
                "workers": workers,
                "on_error": on_error,
                "replace": replace,
            },
            counts=dict(result.summary),
        )
    if as_json:
        emit_json(data)
    else:
        for r in result.rows:
            where = ";".join(r.paths)
            if r.status in ("failed", "skipped"):
                console.print(f"  row {r.row} {where}: {r.status.upper()}: {r.error}", markup=False)
            else:
                target = f" -> {r.target_lang}" if r.target_lang else ""
                console.print(
                    f"  row {r.row} {where}: {r.status} #{r.resource_id} {r.name} "
                    f"[{r.kind}/{r.format}] {r.lang}{target}, {plural(r.n_stored, 'entry')}",
                    markup=False,
                )
        s = result.summary
        console.print(
            f"{plural(len(result.rows), 'row')}: {s['imported']} imported, {s['replaced']} replaced, "
            f"{s['unchanged']} unchanged, {s['failed']} failed, {s['skipped']} skipped (not "
            "recognised)",
            markup=False,
        )
    if result.summary["failed"]:
        raise typer.Exit(1)
