"""`lexres morph show|analyze|stats|export`: paradigms, analyses, feature statistics and SIGMORPHON-layout
exports of the stored morphology (parsing and printing only)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from lexres.cli.common import FORCE, JSON, console, emit_json, open_store, plural
from lexres.loaders.morph.common import LAYOUTS
from lexres.store import morph as lookup


def _print_cells(result: lookup.LookupResult, title: str, first: str) -> None:
    table = Table(title=title)
    for col in (first, "features", "canonical", "resource"):
        table.add_column(col)
    for c in result.cells:
        value = c.form if first == "form" else c.lemma
        table.add_row(
            value if value is not None else "(covered)",
            ";".join(c.features),
            ";".join(c.canonical),
            f"#{c.resource_id} {c.resource}:{c.line}",
        )
    console.print(table)
    for note in result.notes:
        console.print(f"note: {note}")


app = typer.Typer(
    name="morph",
    help="Stored morphology: paradigms, analyses, feature statistics, SIGMORPHON-layout export.",
    no_args_is_help=True,
)


@app.command("show")
def morph_cmd(
    lang: str = typer.Argument(
        ..., help="Language code (ISO 639-3 or BCP-47); its macrolanguage is searched too."
    ),
    lemma: str = typer.Argument(..., help="The lemma whose paradigm to show (exact, NFC)."),
    resource: int = typer.Option(None, "--resource", "-r", help="Only this resource id."),
    json_out: bool = JSON,
) -> None:
    """Show the paradigm of LEMMA: every stored form with its features."""
    with open_store(readonly=True) as store:
        result = lookup.require_found(lookup.paradigm(store, lang, lemma, resource=resource), "lemma")
    if json_out:
        emit_json(result.to_dict())
    else:
        _print_cells(result, f"{lemma} ({result.lang}): {plural(len(result.cells), 'form')}", "form")


@app.command("analyze")
def analyze_cmd(
    lang: str = typer.Argument(..., help="Language code; its macrolanguage is searched too."),
    form: str = typer.Argument(..., help="The inflected form to analyse (exact, NFC)."),
    resource: int = typer.Option(None, "--resource", "-r", help="Only this resource id."),
    json_out: bool = JSON,
) -> None:
    """Show every lemma + feature bundle the stored tables give for FORM."""
    with open_store(readonly=True) as store:
        result = lookup.require_found(lookup.analyze(store, lang, form, resource=resource), "form")
    if json_out:
        emit_json(result.to_dict())
    else:
        _print_cells(result, f"{form} ({result.lang}): {plural(len(result.cells), 'analysis')}", "lemma")


@app.command("stats")
def stats_cmd(
    lang: str = typer.Argument(..., help="Language code; its macrolanguage is searched too."),
    resource: int = typer.Option(None, "--resource", "-r", help="Only this resource id."),
    top: int = typer.Option(25, "--top", help="How many tags to list."),
    json_out: bool = JSON,
) -> None:
    """Feature statistics of a language: entries, lemmas, bundles, tags per dimension, unknown tags."""
    with open_store(readonly=True) as store:
        stats = lookup.feature_stats(store, lang, resource=resource)
    if json_out:
        emit_json(stats.to_dict())
        return
    console.print(
        f"{stats.lang}: {stats.entries} entries, {stats.lemmas} lemmas, "
        f"{stats.forms} forms, {stats.bundles} distinct bundles, "
        f"{stats.covered} covered"
    )
    dims = Table("dimension", "tags used", title="by dimension")
    for d, c in stats.dimensions.items():
        dims.add_row(d, str(c))
    console.print(dims)
    tags = Table("tag", "count", title=f"top {top} tags")
    for t, c in list(stats.tags.items())[:top]:
        tags.add_row(t, str(c))
    console.print(tags)
    if stats.unknown_tags:
        console.print(
            "not in the UniMorph schema: " + ", ".join(f"{t} x{c}" for t, c in stats.unknown_tags.items())
        )
    for note in stats.notes:
        console.print(f"note: {note}")


@app.command("export")
def export_cmd(
    out: Path = typer.Argument(..., help="Output TSV file (a .manifest.json is written beside it)."),
    lang: str = typer.Option(None, "--lang", "-l", help="Language code (macrolanguage included)."),
    resource: int = typer.Option(None, "--resource", "-r", help="Only this resource id."),
    layout: str = typer.Option(
        LAYOUTS[0],
        "--layout",
        help="Column order: "
        + ", ".join(LAYOUTS)
        + " (2017-2022 files use the first, 2023 the second; the third is "
        "covered).",
    ),
    canonical: bool = typer.Option(False, "--canonical", help="Write features in canonical order."),
    force: bool = FORCE,
    json_out: bool = JSON,
) -> None:
    """Export stored entries as a SIGMORPHON-style TSV in any column layout (atomically, with a manifest)."""
    with open_store(readonly=True) as store:
        n = lookup.export_tsv(
            store, out, layout, lang=lang, resource=resource, canonical=canonical, force=force
        )
    if json_out:
        emit_json({"output": str(out), "rows": n, "layout": layout})
    else:
        console.print(f"wrote {n} rows to {out} ({layout})")
