"""`lexres morph show|analyze|stats|export`: paradigms (as grids by feature dimension), analyses, feature
statistics and SIGMORPHON-layout exports of the stored morphology (parsing and printing only)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from lexres.cli.common import (
    FORCE,
    JSON,
    console,
    emit_json,
    err_console,
    open_store,
    plural,
    print_table,
    resource_id,
    stdout_is_terminal,
)
from lexres.errors import NotFoundError
from lexres.loaders.morph.common import LAYOUTS
from lexres.paradigm import Grid, layout, parse_filter, tags_in
from lexres.store import morph as lookup

_CELL_HEAD = ["lemma", "form", "features", "canonical", "resource"]


def _cell_row(c: lookup.Cell) -> list:
    return [c.lemma, c.form if c.form is not None else "(covered)", ";".join(c.features),
            ";".join(c.canonical), f"#{c.resource_id} {c.resource}:{c.line}"]


def _notes(notes) -> None:
    """Notes go to stdout on a terminal, to stderr in a pipe (where stdout is a TSV table)."""
    out = console if stdout_is_terminal() else err_console
    for note in notes:
        out.print(f"note: {note}", markup=False)


def _print_cells(result: lookup.LookupResult, title: str) -> None:
    """The entries as a table; with a `variety` column when they come from several varieties."""
    if stdout_is_terminal():
        console.print(title, markup=False)
    several = len(result.varieties) > 1
    print_table(_CELL_HEAD + ["variety"] * several,
                [_cell_row(c) + [c.variety or c.lang] * several for c in result.cells])
    _notes(result.notes)


def _chunks(grid: Grid, text: list[list[str]], width: int) -> list[list[int]]:
    """Column indexes split into runs that fit `width` beside the row labels (a wide conjugation becomes
    several tables, never one of unreadable slivers)."""
    def w(j: int) -> int:
        return max([len(grid.col_label(j))] + [len(row[j]) for row in text]) + 3

    labels = [" × ".join(grid.row_dims)] + [grid.row_label(i) for i in range(len(grid.rows))]
    label = max(len(x) for x in labels) + 4
    out: list[list[int]] = [[]]
    used = label
    for j in range(len(grid.cols)):
        if out[-1] and used + w(j) > width:
            out.append([])
            used = label
        out[-1].append(j)
        used += w(j)
    return out


def _print_grids(lemma: str, result: lookup.LookupResult, cells, grids) -> None:
    """A table per part of speech on a terminal; in a pipe one TSV, a line per form with its grid place. When
    the forms come from several varieties each says which (a `variety` column; `form (variety)` in a grid)."""
    several = len({c.variety or c.lang for c in cells}) > 1

    def shown(c: lookup.Cell) -> str:
        form = c.form or "(covered)"
        return f"{form} ({c.variety or c.lang})" if several else form

    def forms(ix) -> str:
        return ", ".join(dict.fromkeys(shown(cells[i]) for i in ix))

    if not stdout_is_terminal():
        rows = []
        for g in grids:
            for i, row in enumerate(g.cells):
                for j, ix in enumerate(row):
                    rows += [[cells[k].lemma, cells[k].form or "", ";".join(cells[k].features), g.pos,
                              g.row_label(i), g.col_label(j), f"#{cells[k].resource_id} {cells[k].resource}"]
                             + [cells[k].variety or cells[k].lang] * several
                             for k in ix]
        print_table(["lemma", "form", "features", "pos", "row", "column", "resource"] + ["variety"] * several,
                    rows, terminal=False)
        _notes(result.notes)
        return
    console.print(f"{lemma} ({result.lang}): {plural(len(cells), 'form')}", markup=False)
    for g in grids:
        text = [[forms(ix) for ix in row] for row in g.cells]
        shared = f" [{';'.join(g.shared)}]" if g.shared else ""
        console.print(f"\n{g.pos or '(no part of speech)'}{shared}", markup=False)
        for part in _chunks(g, text, console.width):
            head = [" × ".join(g.row_dims)] + [g.col_label(j) for j in part]
            print_table(head, [[g.row_label(i)] + [row[j] for j in part] for i, row in enumerate(text)],
                        terminal=True)
    _notes(result.notes)


app = typer.Typer(
    name="morph",
    help="Stored morphology: paradigms, analyses, feature statistics, SIGMORPHON-layout export.",
    no_args_is_help=True,
)


@app.command("show")
def morph_cmd(
    lang: str = typer.Argument(
        ..., help="Language code (ISO 639-3 or BCP-47); its macrolanguage is searched too, or for a "
        "macrolanguage its individual languages."
    ),
    lemma: str = typer.Argument(..., help="The lemma whose paradigm to show (exact, NFC)."),
    resource: int = typer.Option(None, "--resource", "-r", parser=resource_id,
                                 help="Only this resource id (3 or #3)."),
    features: list[str] = typer.Option(
        None, "--features", "-F", metavar="TAGS",
        help="Only forms whose bundle has all these tags: `PST,3`, `tense=PST`, `NOM(3,SG)` (repeatable).",
    ),
    fold: bool = typer.Option(False, "--fold", help="Match LEMMA ignoring case and diacritics."),
    json_out: bool = JSON,
) -> None:
    """Show the paradigm of LEMMA as grids: a table per part of speech, rows person × number (or the
    dimension with the most values, e.g. case), columns the other dimensions that vary. In a pipe: TSV,
    a line per form with its row and column."""
    with open_store(readonly=True) as store:
        result = lookup.paradigm(store, lang, lemma, resource=resource, fold=fold)
        hints = () if result.cells else lookup.suggest(store, lang, lemma, "lemma", resource=resource)
        if not result.cells and not hints:
            lookup.require_morphology(store, lang, resource=resource)
    lookup.require_found(result, "lemma", hints)
    cells = list(result.cells)
    chosen = None
    if features:
        chosen = parse_filter(features, tags_in(c.features for c in cells))
        cells = [c for c in cells if chosen.matches(c.features)]
        if not cells:
            tags = sorted({t for c in result.cells for t in c.features})
            raise NotFoundError(f"no form of `{result.query}` has {chosen}",
                                hint="tags of this paradigm: " + ", ".join(tags))
    grids = layout([c.features for c in cells])
    if json_out:
        data = result.to_dict()
        data["entries"] = [c.to_dict() for c in cells]
        data["features"] = list(chosen.tags) if chosen else []
        data["grids"] = [g.to_dict([c.form for c in cells]) for g in grids]
        emit_json(data)
    else:
        _print_grids(result.query, result, cells, grids)


@app.command("analyze")
def analyze_cmd(
    lang: str = typer.Argument(..., help="Language code; its macrolanguage (or, for a macrolanguage, its "
                               "members) is searched too."),
    form: str = typer.Argument(..., help="The inflected form to analyse (exact, NFC, unless --fold)."),
    resource: int = typer.Option(None, "--resource", "-r", parser=resource_id,
                                 help="Only this resource id (3 or #3)."),
    fold: bool = typer.Option(
        False, "--fold", help="Match ignoring case and diacritics (`Kitábu` finds `kitabu`)."
    ),
    json_out: bool = JSON,
) -> None:
    """Show every lemma + feature bundle the stored tables give for FORM; when there is none, suggest
    near forms (did you mean ...?)."""
    with open_store(readonly=True) as store:
        result = lookup.analyze(store, lang, form, resource=resource, fold=fold)
        hints = () if result.cells else lookup.suggest(store, lang, form, "form", resource=resource)
        if not result.cells and not hints:
            lookup.require_morphology(store, lang, resource=resource)
    lookup.require_found(result, "form", hints)
    if json_out:
        emit_json(result.to_dict())
    else:
        _print_cells(result, f"{result.query} ({result.lang}): {plural(len(result.cells), 'analysis')}")


@app.command("stats")
def stats_cmd(
    lang: str = typer.Argument(..., help="Language code; its macrolanguage (or, for a macrolanguage, its "
                               "members) is searched too."),
    resource: int = typer.Option(None, "--resource", "-r", parser=resource_id,
                                 help="Only this resource id (3 or #3)."),
    top: int = typer.Option(25, "--top", help="How many tags to list."),
    json_out: bool = JSON,
) -> None:
    """Feature statistics of a language: entries, lemmas, bundles, tags per dimension, unknown tags."""
    with open_store(readonly=True) as store:
        stats = lookup.feature_stats(store, lang, resource=resource)
    if json_out:
        emit_json(stats.to_dict())
        return
    if not stdout_is_terminal():  # a pipe: one TSV of (what is counted, which one, how many)
        totals = (("entries", stats.entries), ("lemmas", stats.lemmas), ("forms", stats.forms),
                  ("bundles", stats.bundles), ("covered", stats.covered))
        rows = [["total", k, v] for k, v in totals]
        rows += [["dimension", d, c] for d, c in stats.dimensions.items()]
        rows += [["tag", t, c] for t, c in list(stats.tags.items())[:top]]
        rows += [["unknown tag", t, c] for t, c in stats.unknown_tags.items()]
        print_table(["what", "name", "count"], rows, terminal=False)
        _notes(stats.notes)
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
    lang: str = typer.Option(None, "--lang", "-l", help="Language code (its macrolanguage, or a "
                             "macrolanguage's members, included)."),
    resource: int = typer.Option(None, "--resource", "-r", parser=resource_id,
                                 help="Only this resource id (3 or #3)."),
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
