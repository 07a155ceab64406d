"""`lexres bible align` and `lexres bible show`: thin wrappers over lexres.store.bible and
lexres.export.bible."""
from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

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
    a: str = typer.Argument(..., help="First translation: a resource id, a language code (its most "
                            "complete Bible: most verses, lowest id on a tie) or a resource name."),
    b: str = typer.Argument(..., help="Second translation: a resource id, a language code or a name."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file (TSV) or prefix (--layout lines); "
                             "default A-B.aligned.tsv here."),
    layout: Layout = typer.Option(Layout.tsv, "--layout", help="tsv: ref, ref_b, org_ref, text_a, "
                                  "text_b; lines: OUT.<lang a>, OUT.<lang b>, OUT.ref, a verse a line."),
    force: bool = FORCE,
    as_json: bool = JSON,
) -> None:
    """Align two translations verse by verse, with a coverage summary and a manifest.

    Only verses both have are written, matched on the org versification; a merged verse (range) is
    paired with the verses it covers. For a language code with several Bibles, the choice and its reason
    go to stderr (and to `chosen` in --json)."""
    from lexres.cli.common import STATE, bar, console, emit_json, err_console, open_store, stdout_is_terminal
    from lexres.export.bible import write_alignment
    from lexres.store.bible import align, choose

    with open_store(readonly=True) as store:
        chosen = {"a": choose(store, a), "b": choose(store, b)}
        if not STATE.get("quiet"):
            for choice in chosen.values():
                if choice.how == "language":
                    err_console.print(choice.reason, markup=False)
        with bar() as progress:
            progress.start(None, "aligning")
            result = align(store, chosen["a"].bible, chosen["b"].bible)
    target = out or Path(f"{result.a.variety}-{result.b.variety}.aligned.tsv")
    files = write_alignment(result, target, layout.value, force=force)
    coverage = result.coverage()
    if as_json:
        emit_json({**coverage.to_dict(), "files": [str(f) for f in files],
                   "chosen": {side: c.to_dict() for side, c in chosen.items()}})
        return
    _print_summary(coverage)
    # on a terminal under the table; in a pipe on stderr, so that stdout is the coverage table as TSV
    (console if stdout_is_terminal() else err_console).print(
        f"wrote {coverage.pairs} pairs to {', '.join(str(f) for f in files)} (+ manifest)", markup=False)

@app.command("show")
def show_cmd(
    lang: str = typer.Argument(..., help="Language code (its macrolanguage's Bibles are included)."),
    ref: str = typer.Argument(..., help="Verse reference: a USFM code in any case, an OSIS id or an English "
                              "book name, e.g. \"JHN 3:16\", \"John.3.16\", \"1 Cor 13:4\", \"Ps 23:1-3\"."),
    scheme: str = typer.Option("eng", "--versification", help="Scheme REF is numbered in (eng, org, "
                               "lxx, vul, rsc, rso)."),
    as_json: bool = JSON,
) -> None:
    """Print one verse from every translation of a language.

    REF names the book by USFM code (any case), OSIS id or English name or abbreviation, and must be a
    verse of the --versification scheme (JHN 22:1 is not)."""
    from lexres.cli.common import console, emit_json, open_store
    from lexres.errors import NotFoundError
    from lexres.export.bible import show
    from lexres.refs import parse_verse_ref

    verse = parse_verse_ref(ref, scheme)  # a bad reference is reported before the store is touched
    with open_store(readonly=True) as store:
        rows = show(store, lang, verse, scheme)
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
            console.print(f"{head}: no {verse} in this translation", markup=False)
        for v in row["verses"]:
            console.print(f"{head} {v['ref']}: {v['text']}", markup=False)


def _print_summary(s) -> None:
    """The coverage table of an alignment (a `lexres.store.bible.Coverage`; TSV with a header in a pipe) and
    its totals line (on stderr in a pipe)."""
    from lexres.cli.common import console, err_console, print_table, stdout_is_terminal

    print_table(["side", "translation", "scheme", "verses", "ranges", "only here", "partial overlap"],
                [[side, f"#{t.resource} {t.name} ({t.variety})", t.scheme, t.verses, t.ranges, t.only,
                  t.partial] for side, t in (("a", s.a), ("b", s.b))])
    (console if stdout_is_terminal() else err_console).print(
        f"in both: {s.pairs} pairs covering {s.org_verses_aligned} org verses "
        f"({s.range_pairs} pairs join a verse range or merged verses)", markup=False)
