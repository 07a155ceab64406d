"""`lexres bible align` and `lexres bible show`: thin wrappers over lexres.store.bible and
lexres.export.bible."""
from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from lexres.cli.common import FORCE, JSON


class Layout(str, Enum):
    """`bible align --layout`: tsv (one table: ref, ref_b, org_ref, text_a, text_b) or lines (one file per
    language and one of refs, a verse a line)."""

    tsv = "tsv"
    lines = "lines"


app = typer.Typer(
    name="bible",
    help="Bible translations: show a verse in every translation, align translations verse by verse.",
    no_args_is_help=True,
)



@app.command("align")
def align_cmd(
    a: str = typer.Argument(..., help="First translation: a language code (its largest Bible) or a "
                            "resource id."),
    b: str = typer.Argument(..., help="Second translation: a language code or a resource id."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file (TSV) or prefix (--layout lines); "
                             "default A-B.aligned.tsv here."),
    layout: Layout = typer.Option(Layout.tsv, "--layout", help="tsv: ref, ref_b, org_ref, text_a, "
                                  "text_b; lines: OUT.<lang a>, OUT.<lang b>, OUT.ref, a verse a line."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Align two translations verse by verse, with a coverage summary and a manifest.

    Only verses both have are written, matched on the org versification; a merged verse (range) is
    paired with the verses it covers."""
    from lexres.cli.common import bar, console, emit_json, open_store
    from lexres.export.bible import write_alignment
    from lexres.store.bible import align

    with open_store(readonly=True) as store, bar() as progress:
        progress.start(None, "aligning")
        result = align(store, a, b)
    target = out or Path(f"{result.a.variety}-{result.b.variety}.aligned.tsv")
    files = write_alignment(result, target, layout.value, force=force)
    coverage = result.coverage()
    if as_json:
        emit_json({**coverage.to_dict(), "files": [str(f) for f in files]})
        return
    _print_summary(console, coverage)
    console.print(f"wrote {coverage.pairs} pairs to {', '.join(str(f) for f in files)} "
                  f"(+ manifest)", markup=False)

@app.command("show")
def show_cmd(
    lang: str = typer.Argument(..., help="Language code (its macrolanguage's Bibles are included)."),
    ref: str = typer.Argument(..., help="Verse reference with a USFM book code, e.g. \"JHN 3:16\"."),
    scheme: str = typer.Option("eng", "--versification", help="Scheme REF is numbered in (eng, org, "
                               "lxx, vul, rsc, rso)."),
    as_json: bool = JSON,
) -> None:
    """Print one verse from every translation of a language."""
    from lexres.cli.common import console, emit_json, open_store
    from lexres.errors import NotFoundError
    from lexres.export.bible import show
    from lexres.loaders.bible.common import parse_ref

    parse_ref(ref)  # a bad reference is reported before the store is touched
    with open_store(readonly=True) as store:
        rows = show(store, lang, ref, scheme)
    if not rows:
        raise NotFoundError(f"no Bible translation for `{lang}` in the store",
                            hint="import one with `lexres import bible FILE --lang CODE`")
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        via = f", filed under {row['via']}" if row["via"] else ""
        head = f"#{row['resource']} {row['name']} ({row['variety']}{via})"
        if not row["verses"]:
            console.print(f"{head}: no {ref} in this translation", markup=False)
        for v in row["verses"]:
            console.print(f"{head} {v['ref']}: {v['text']}", markup=False)


def _print_summary(console, s) -> None:
    """The coverage table of an alignment (a `lexres.store.bible.Coverage`) and its totals line."""
    table = Table("", "translation", "scheme", "verses", "ranges", "only here", "partial overlap")
    for side, t in (("a", s.a), ("b", s.b)):
        table.add_row(side, f"#{t.resource} {t.name} ({t.variety})", t.scheme, str(t.verses),
                      str(t.ranges), str(t.only), str(t.partial))
    console.print(table)
    console.print(f"in both: {s.pairs} pairs covering {s.org_verses_aligned} org verses "
                  f"({s.range_pairs} pairs join a verse range or merged verses)", markup=False)
