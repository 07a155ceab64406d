"""`lexres report`: a static HTML site (one page per language, an index) with PNG figures and JSON numbers.
Mounted as a top-level command by lexres.cli (`report_cmd`)."""

from __future__ import annotations

from pathlib import Path

import typer

from lexres.cli.common import FORCE, JSON, console, emit_json, open_store, plural
from lexres.errors import OptionError


def report_cmd(
    langs: list[str] = typer.Argument(
        None,
        metavar="LANG",
        help="Languages to report (ISO 639 codes or BCP-47 tags); or --all.",
        show_default=False,
    ),
    all_langs: bool = typer.Option(False, "--all", help="Report every language in the store."),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="Folder for the site (index.html, one page per "
        "language, fig/*.png with their JSON, data/*.json, manifest.json).",
    ),
    no_coverage: bool = typer.Option(
        False, "--no-coverage", help="Skip measuring lexicon coverage of each language's Bible text."
    ),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Write a static HTML report of languages (resources with provenance and licence, morphology, Bible
    coverage, lexicons, derived data) that works offline, atomically, with a manifest. Needs the extra
    `report`.

    Example: lexres report --all --out report/  (then open report/index.html)"""
    from lexres.export.report import write_report

    langs = list(langs or [])
    if all_langs and langs:
        raise OptionError("give languages or --all, not both")
    if not all_langs and not langs:
        raise OptionError(
            "say which languages to report",
            hint="e.g. `lexres report swh --out report/`, or `lexres report --all --out report/`",
        )
    with open_store(readonly=True) as store:
        result = write_report(store, out, None if all_langs else langs, force=force, coverage=not no_coverage)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(
        f"wrote {plural(result.pages, 'page')} ({plural(len(result.languages), 'language')}: "
        f"{', '.join(result.languages)}) and {plural(result.figures, 'figure')} to {result.out}/ "
        f"in {result.seconds:.1f} s; open {Path(result.out) / 'index.html'}",
        markup=False,
    )
