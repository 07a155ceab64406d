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
    go to stderr (and to `chosen` in --json), with a line when the Bible is filed under another code of the
    language's family (`swa: found under swh (a member of the macrolanguage swa)`). Both sides naming the
    same Bible is an error, and so is an alignment with no pair (nothing is written, exit 2)."""
    from lexres.cli.common import (
        STATE,
        bar,
        console,
        emit_json,
        err_console,
        open_store,
        plural,
        stdout_is_terminal,
    )
    from lexres.errors import NotFoundError, OptionError
    from lexres.export.bible import write_alignment
    from lexres.store.bible import align, choose

    with open_store(readonly=True) as store:
        chosen = {"a": choose(store, a), "b": choose(store, b)}
        if chosen["a"].resource == chosen["b"].resource:
            same = chosen["a"]
            raise OptionError(f"`{a}` and `{b}` are the same Bible (#{same.resource} {same.name}, "
                              f"{same.variety}): a translation aligned with itself pairs nothing new",
                              hint="name two different translations, by resource id where two language "
                              "codes pick the same one; `lexres list --kind bible` lists them")
        if not STATE.get("quiet"):
            for choice in chosen.values():
                if choice.how == "language":
                    err_console.print(choice.reason, markup=False)
                for found in choice.found_under:
                    err_console.print(found.note, markup=False)
        with bar() as progress:
            progress.start(None, "aligning")
            result = align(store, chosen["a"].bible, chosen["b"].bible)
    coverage = result.coverage()
    if not coverage.pairs:  # like an empty export: an error, and an earlier alignment at OUT is kept
        sides = " and ".join(f"#{s.resource} {s.name} ({plural(s.verses, 'verse')})"
                             for s in (coverage.a, coverage.b))
        raise NotFoundError(f"no verse in both {sides}; nothing was written",
                            hint="name other translations by resource id (`lexres list --kind bible`)")
    target = out or Path(f"{result.a.variety}-{result.b.variety}.aligned.tsv")
    files = write_alignment(result, target, layout.value, force=force)
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
    lang: str = typer.Argument(..., help="Language code (its macrolanguage's Bibles are included; for a "
                               "macrolanguage, its individual languages')."),
    ref: str = typer.Argument(..., help="Verse reference: a USFM code in any case, an OSIS id or an English "
                              "book name, e.g. \"JHN 3:16\", \"John.3.16\", \"1 Cor 13:4\", \"Ps 23:1-3\"."),
    scheme: str = typer.Option("eng", "--versification", help="Scheme REF is numbered in (eng, org, "
                               "lxx, vul, rsc, rso)."),
    as_json: bool = JSON,
) -> None:
    """Print one verse from every translation of a language.

    REF names the book by USFM code (any case), OSIS id or English name or abbreviation, and must be a
    verse of the --versification scheme (JHN 22:1 is not); a one-chapter book may leave the chapter out
    (`Jude 3`). On a terminal a line per verse; in a pipe TSV with a header (resource, name, variety, ref,
    text) and the notes on stderr. A Bible filed under another code of the language's family says so
    (`found_under` in --json). Exit 1 when no translation has the verse."""
    from lexres.cli.common import console, emit_json, err_console, open_store, print_table, stdout_is_terminal
    from lexres.errors import NotFoundError
    from lexres.export.bible import show
    from lexres.refs import parse_verse_ref

    verse = parse_verse_ref(ref, scheme)  # a bad reference is reported before the store is touched
    with open_store(readonly=True) as store:
        rows = show(store, lang, verse, scheme)
    if not rows:
        raise NotFoundError(f"no Bible translation for `{lang}` in the store",
                            hint="import one with `lexres import bible FILE --lang CODE`")
    found = [row for row in rows if row["verses"]]
    if as_json:
        emit_json(rows)
        if not found:
            raise typer.Exit(1)
        return
    if not found:  # as `lexicon translate` does for a word it does not find: one line on stderr, exit 1
        bibles = ", ".join(f"#{row['resource']} {row['name']} ({row['variety']})" for row in rows)
        err_console.print(f"no {verse} in any Bible for {lang} (searched {bibles})", markup=False)
        raise typer.Exit(1)
    terminal = stdout_is_terminal()
    notes = console if terminal else err_console  # in a pipe stdout is the TSV alone
    if not terminal:
        print_table(["resource", "name", "variety", "ref", "text"],
                    [[row["resource"], row["name"], row["variety"], v["ref"], v["text"]]
                     for row in found for v in row["verses"]], terminal=False)
    for row in rows:
        # `filed under X` only when X is not the variety shown beside it (`(swa, filed under swa)` said
        # nothing); the found-under line below says how the code relates to the one asked for
        via = f", filed under {row['via']}" if row["via"] and row["via"] != row["variety"] else ""
        head = f"#{row['resource']} {row['name']} ({row['variety']}{via})"
        if not row["verses"]:
            notes.print(f"{head}: no {verse} in this translation", markup=False)
        elif terminal:
            for v in row["verses"]:
                console.print(f"{head} {v['ref']}: {v['text']}", markup=False)
    for note in dict.fromkeys(row["found_under"]["note"] for row in found if row["found_under"]):
        notes.print(note, markup=False)


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
