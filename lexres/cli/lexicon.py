"""CLI: `lexres translate-word`, `lexres lexicon pivot|coverage|export|lookup`. Parsing and printing only."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from lexres.augment.lexicon.pivot import pivot
from lexres.cli.common import (
    FORCE,
    JSON,
    bar,
    console,
    emit_json,
    err_console,
    open_store,
    print_table,
    resource_id,
    stdout_is_terminal,
)
from lexres.export.lexicon import export_pairs
from lexres.store.lexicon import (
    coverage,
    pair_resources,
    served_by,
    sources_of,
    suggest,
    translation_found_under,
    translations,
)
from lexres.store.nearby import did_you_mean


class ExportTo(str, Enum):
    """`lexicon export --to`: MUSE (`src<TAB>tgt` lines) or Parquet."""

    muse = "muse"
    parquet = "parquet"


def read_text_lines(path: str | Path):
    """Lines of a UTF-8 text file (a BOM dropped)."""
    with open(path, encoding="utf-8-sig") as fh:
        yield from fh


def _say_found_under(notes) -> None:
    """The `found under` lines of a lookup served through another code of a language's family
    (lexres.langs.FoundUnder): under the output on a terminal, on stderr in a pipe (stdout stays data)."""
    out = console if stdout_is_terminal() else err_console
    for n in notes:
        out.print(n.note, markup=False)


def _variety_column(found) -> list[str] | None:
    """Per translation, the varieties that gave it, when the translations come from several varieties
    (of the source side, the target side, or both: `swh`, `swa -> eng`); None when they all share one."""
    srcs = {sv for t in found for sv, _ in t.varieties}
    tgts = {tv for t in found for _, tv in t.varieties}
    if len(srcs) <= 1 and len(tgts) <= 1:
        return None
    if len(tgts) <= 1:
        return [", ".join(sorted({sv for sv, _ in t.varieties})) for t in found]
    if len(srcs) <= 1:
        return [", ".join(sorted({tv for _, tv in t.varieties})) for t in found]
    return [", ".join(f"{sv} -> {tv}" for sv, tv in t.varieties) for t in found]


INCLUDE_DERIVED = typer.Option(
    False,
    "--include-derived",
    help="Also use derived lexicons (pivot, induced); by default only imported "
    "ones are used unless named with --resource.",
)


def _chosen(store, src: str, tgt: str, resource: list[int] | None, include_derived: bool) -> list[int] | None:
    """The resource ids to use: those named, else every src-tgt lexicon with --include-derived, else None
    (the store's imported lexicons)."""
    if resource:
        return list(resource)
    if include_derived:
        return pair_resources(store, src, tgt, include_derived=True) or None
    return None


app = typer.Typer(
    name="lexicon",
    help="Bilingual lexicons: translate a word, pivot, coverage of a text, export.",
    no_args_is_help=True,
)


@app.command("translate")
def translate_word(
    src: str = typer.Argument(..., help="Language of WORD (ISO 639-1/3 or BCP-47)."),
    tgt: str = typer.Argument(..., help="Language to translate into."),
    word: str = typer.Argument(..., help="Word or phrase to look up."),
    fold_case: bool = typer.Option(False, "--fold-case", "-i", help="Ignore case when matching."),
    fold: bool = typer.Option(
        False, "--fold", help="Ignore case and diacritics when matching (`Nyúmba` finds `nyumba`)."
    ),
    resource: list[int] = typer.Option(None, "--resource", "-r", parser=resource_id,
                                       help="Only these resource ids (3 or #3)."),
    include_derived: bool = INCLUDE_DERIVED,
    as_json: bool = JSON,
) -> None:
    """List the translations of a word, with weights and the resources that give them; when there are none,
    suggest near words that have one (did you mean ...?) and exit 1.

    Pairs stored in either direction count. Macrolanguages both ways: a macrolanguage's lexicons serve its
    members (swa for swh) and its members' serve it (swh for swa or sw); the command says so (on stderr in
    a pipe; `found_under` in --json), and a `variety` column appears when the translations come from
    several varieties."""
    hints: list[str] = []
    no_lexicon = False
    with open_store(readonly=True) as store:
        chosen = _chosen(store, src, tgt, resource, include_derived)
        found = translations(store, src, tgt, word, fold_case=fold_case, resources=chosen, fold=fold)
        ids = {r for t in found for r in t.sources}
        names = sources_of(store, ids)
        notes = translation_found_under(src, tgt, found)
        if not found:
            hints = suggest(store, src, tgt, word, resources=chosen)
            no_lexicon = not chosen and not pair_resources(store, src, tgt, include_derived=True)
    if as_json:
        emit_json(
            {
                "src": src,
                "tgt": tgt,
                "word": word,
                "found_under": [n.to_dict() for n in notes],
                "suggestions": hints,
                "translations": [
                    {
                        "word": t.word,
                        "weight": t.weight,
                        "pos": t.pos,
                        "varieties": [list(v) for v in t.varieties],
                        "sources": [{"id": r, "name": names[r]} for r in t.sources],
                    }
                    for t in found
                ],
            }
        )
        return
    if not found:
        line = f"no {src}->{tgt} translation of `{word}` in the store"
        if hints:
            line += f" (hint: {did_you_mean(hints, word)})"
        elif no_lexicon:  # say so, rather than let the user try other spellings
            line = (f"no {src}->{tgt} translation of `{word}`: the store has no lexicon between {src} and "
                    f"{tgt} (hint: `lexres langs --kind lexicon` lists the languages that have one)")
        err_console.print(line, markup=False)
        raise typer.Exit(1)
    rows = [[t.word, f"{t.weight:g}", t.pos or "", ", ".join(f"#{r} {names[r]}" for r in t.sources)]
            for t in found]
    head = ["translation", "weight", "pos", "sources"]
    varieties = _variety_column(found)
    if varieties is not None:  # rows from several varieties: each says which
        head.append("variety")
        rows = [row + [v] for row, v in zip(rows, varieties, strict=True)]
    print_table(head, rows)
    _say_found_under(notes)


@app.command("pivot")
def pivot_cmd(
    a: str = typer.Argument(..., help="Source language A."),
    b: str = typer.Argument(..., help="Pivot language B."),
    c: str = typer.Argument(..., help="Target language C."),
    name: str = typer.Option(None, "--name", "-n", help="Resource name (default: `pivot A-B-C`)."),
    min_score: float = typer.Option(0.0, "--min-score", help="Drop pairs scoring below this (0..1)."),
    replace: bool = typer.Option(False, "--replace", help="Replace a resource of the same name."),
    as_json: bool = JSON,
) -> None:
    """Compose the A-B and B-C lexicons into a derived A-C lexicon.

    Stored as a resource with every parent in derived_from; each pair scores sum_b P(b|a) P(c|b)."""
    with open_store() as store, bar() as progress:
        res = pivot(store, a, b, c, name=name, min_score=min_score, replace=replace, progress=progress)
        notes = tuple(n for lang in (a, b, c) for n in served_by(store, lang, res.derived_from))
    if as_json:
        emit_json({**res.to_dict(), "found_under": [n.to_dict() for n in notes]})
        return
    console.print(
        f"{res.status}: #{res.resource_id} {res.name}: {res.pairs} pairs from "
        f"{res.sources} parent resources {list(res.derived_from)}",
        markup=False,
    )
    _say_found_under(notes)


@app.command("coverage")
def coverage_cmd(
    src: str = typer.Argument(..., help="Language of the text."),
    tgt: str = typer.Argument(..., help="Language the lexicon translates into."),
    file: Path = typer.Argument(..., help="UTF-8 text file."),
    exact_case: bool = typer.Option(
        False,
        "--exact-case",
        help="Match case exactly (default: fold case, so sentence-initial capitals still match).",
    ),
    resource: list[int] = typer.Option(None, "--resource", "-r", parser=resource_id,
                                       help="Only these resource ids (3 or #3)."),
    top: int = typer.Option(10, "--top", help="How many uncovered words to list."),
    include_derived: bool = INCLUDE_DERIVED,
    as_json: bool = JSON,
) -> None:
    """Share of the tokens and types of a text that the SRC->TGT lexicons can translate."""
    from lexres.provenance import file_sha256, signature

    with open_store(readonly=True) as store:
        ids = _chosen(store, src, tgt, resource, include_derived)
        cov = coverage(
            store, src, tgt, read_text_lines(file), fold_case=not exact_case, resources=ids, top=top
        )
        lexicons = ",".join(f"{i}:{store.resource(i).sha256[:12]}" for i in ids) if ids else "imported"
        used = ids or pair_resources(store, src, tgt)
        notes = served_by(store, src, used) + served_by(store, tgt, used)
    if as_json:
        emit_json({**cov.to_dict(), "found_under": [n.to_dict() for n in notes]})
        return
    console.print(
        f"tokens: {cov.tokens_covered}/{cov.tokens} covered ({cov.token_share:.1%}); "
        f"types: {cov.types_covered}/{cov.types} ({cov.type_share:.1%}); "
        f"multi-word entries matched: {cov.phrases_matched}",
        markup=False,
    )
    sig = signature(
        "lexicon coverage",
        {
            "src": src,
            "tgt": tgt,
            "file": file_sha256(file)[:12],
            "lexicons": lexicons,
            "fold_case": not exact_case,
        },
    )
    console.print(f"signature: {sig}", markup=False)
    if cov.top_missing:
        console.print(
            "most frequent uncovered: " + ", ".join(f"{w} ({n})" for w, n in cov.top_missing), markup=False
        )
    _say_found_under(notes)


@app.command("export")
def export_cmd(
    src: str = typer.Argument(..., help="Source language."),
    tgt: str = typer.Argument(..., help="Target language."),
    out: Path = typer.Argument(..., help="Output file."),
    to: ExportTo = typer.Option(ExportTo.muse, "--to", help="muse (src<TAB>tgt lines) or parquet."),
    resource: list[int] = typer.Option(None, "--resource", "-r", parser=resource_id,
                                       help="Only these resource ids (3 or #3)."),
    include_derived: bool = INCLUDE_DERIVED,
    force: bool = FORCE,
) -> None:
    """Export all SRC->TGT pairs as a MUSE-style TSV or Parquet.

    Both stored directions are used; OUT.manifest.json names the resources and their hashes."""
    with open_store(readonly=True) as store:
        chosen = _chosen(store, src, tgt, resource, include_derived)
        n = export_pairs(store, src, tgt, out, to=to.value, force=force, resources=chosen)
        used = chosen or pair_resources(store, src, tgt)
        notes = served_by(store, src, used) + served_by(store, tgt, used)
    console.print(f"wrote {n} pairs to {out}", markup=False)
    _say_found_under(notes)
