"""Top-level commands: import, formats, list, show, remove, langs, lang, export (mounted by lexres.cli)."""

from __future__ import annotations

import importlib
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from lexres import formats as registry
from lexres.errors import OptionError
from lexres.export import export_parquet, export_tsv
from lexres.importer import import_resource
from lexres.langs import resolve
from lexres.cli.common import bar, console, emit_json, open_store, parse_options


class Kind(str, Enum):
    morph = "morph"
    bible = "bible"
    lexicon = "lexicon"


class OnError(str, Enum):
    fail = "fail"
    skip = "skip"


def import_cmd(
    kind: Kind = typer.Argument(..., help="What the file holds: morph, bible or lexicon."),
    paths: list[Path] = typer.Argument(
        None,
        help="Source file(s); several files make one resource (split tables such as fin.1 fin.2).",
        show_default=False,
    ),
    lang: str = typer.Option(
        None,
        "--lang",
        "-l",
        help="Language (ISO 639-3, 639-1, or BCP-47 such as "
        "ckb-Arab). For lexicons: the left column's language.",
    ),
    target_lang: str = typer.Option(
        None, "--target-lang", "-t", help="Lexicons: the right column's language."
    ),
    format: str = typer.Option(
        None, "--format", "-f", help="Force a format (see `lexres formats`); otherwise it is sniffed."
    ),
    name: str = typer.Option(None, "--name", "-n", help="Resource name (default: the file name)."),
    license: str = typer.Option(None, "--license", help="Licence of the source, e.g. CC-BY-SA-3.0."),
    citation: str = typer.Option(None, "--citation", help="How to cite the source."),
    on_error: OnError = typer.Option(
        OnError.fail,
        "--on-error",
        help="fail: the first bad row aborts and "
        "nothing is stored; skip: store good rows, write bad ones to a rejects file.",
    ),
    rejects: Path = typer.Option(None, "--rejects", help="Rejects file (default: NAME.rejects.tsv here)."),
    replace: bool = typer.Option(
        False, "--replace", help="Replace the resource of the same name atomically."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Treat warnings (e.g. unknown UniMorph tags) as errors."
    ),
    layout: str = typer.Option(
        None,
        "--layout",
        help="Morph: force the column layout (e.g. lemma-form-features, lemma-features-form).",
    ),
    versification: str = typer.Option(
        None,
        "--versification",
        help="Bible: the translation's scheme (eng, org, lxx, vul, rsc, rso); default eng.",
    ),
    columns: str = typer.Option(
        None, "--columns", help="Lexicon TSV/CSV: column mapping, e.g. src=0,tgt=2,pos=1."
    ),
    unimorph: str = typer.Option(
        None,
        "--unimorph",
        help="Morph: read LANG from the unimorph package's data directory ($UNIMORPH) instead of PATH.",
    ),
    option: list[str] = typer.Option(None, "--option", "-o", help="Reader option KEY=VALUE (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Import a resource into the store, with its provenance. All-or-nothing unless --on-error skip."""
    opts = parse_options(option)
    opts.update(
        {
            k: v
            for k, v in (("layout", layout), ("versification", versification), ("columns", columns))
            if v is not None
        }
    )
    paths = list(paths or [])
    if unimorph:
        if kind != Kind.morph:
            raise OptionError("--unimorph only makes sense for `import morph`")
        source = importlib.import_module("lexres.loaders.sources.unimorph_pkg")
        paths = source.locate(unimorph)
        lang = lang or unimorph
        format = format or "unimorph"
    if not paths:
        raise OptionError("give a PATH to import", hint="e.g. `lexres import morph gle --lang gle`")
    with open_store() as store, bar() as progress:
        result = import_resource(
            store,
            kind.value,
            paths,
            lang=lang,
            target_lang=target_lang,
            format=format,
            name=name,
            license=license,
            citation=citation,
            on_error=on_error.value,
            replace=replace,
            strict=strict,
            rejects_path=rejects,
            options=opts,
            progress=progress,
        )
    if as_json:
        emit_json(result.to_dict())
        return
    verb = {"imported": "imported", "replaced": "replaced", "unchanged": "unchanged"}[result.status]
    target = f" -> {result.target_lang}" if result.target_lang else ""
    console.print(
        f"{verb}: #{result.resource_id} {result.name} [{result.kind}/{result.format}] "
        f"{result.variety}{target}: read {result.n_read} = stored {result.n_stored} + rejected "
        f"{result.n_rejected}; {result.entries} entries",
        markup=False,
    )
    for note in result.notes:
        console.print(f"  note: {note}", markup=False)
    if result.rejects_path:
        console.print(f"  rejected rows written to {result.rejects_path}", markup=False)


def formats_cmd(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the formats lexres can read, per kind."""
    rows = [{"kind": r.kind, "format": r.name, "description": r.description} for r in registry.readers()]
    if as_json:
        emit_json(rows)
        return
    table = Table("kind", "format", "description")
    for r in rows:
        table.add_row(r["kind"], r["format"], r["description"])
    console.print(table)


def list_cmd(
    kind: Kind = typer.Option(None, "--kind", "-k", help="Only this kind."),
    lang: str = typer.Option(
        None,
        "--lang",
        "-l",
        help="Only resources for this language (its macrolanguage's resources included).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List the resources in the store."""
    with open_store() as store:
        items = store.resources(kind.value if kind else None, lang)
    if as_json:
        emit_json([r.to_dict() for r in items])
        return
    table = Table("id", "kind", "format", "name", "language", "entries", "rejected", "imported")
    for r in items:
        langs = r.variety + (f" -> {r.target_variety}" if r.target_variety else "")
        table.add_row(
            str(r.id), r.kind, r.format, r.name, langs, str(r.entries), str(r.n_rejected), r.imported_at
        )
    console.print(table if items else "the store is empty")


def show_cmd(
    rid: int = typer.Argument(..., help="Resource id (see `lexres list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show one resource and its provenance."""
    with open_store() as store:
        res = store.resource(rid)
    if as_json:
        emit_json(res.to_dict())
        return
    for key, value in res.to_dict().items():
        console.print(f"{key:>17}: {value}", markup=False)


def remove_cmd(rid: int = typer.Argument(..., help="Resource id to delete with all its entries.")) -> None:
    """Remove a resource and its entries (one transaction)."""
    with open_store() as store:
        res = store.remove(rid)
    console.print(f"removed #{res.id} {res.name} ({res.entries} entries)", markup=False)


def langs_cmd(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the languages in the store with entry counts per kind."""
    with open_store() as store:
        rows = store.languages()
    if as_json:
        emit_json(rows)
        return
    table = Table("code", "name", "scope", "resources", "morph", "verses", "lexicon pairs")
    for r in rows:
        table.add_row(
            r["code"],
            r["name"],
            r["scope"],
            str(r["resources"]),
            str(r["morph"]),
            str(r["bible"]),
            str(r["lexicon"]),
        )
    console.print(table if rows else "the store is empty")


def lang_cmd(
    code: str = typer.Argument(..., help="Language code (ISO 639-1/2/3 or BCP-47)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a language: name, scope, macrolanguage, scripts seen and every resource that serves it."""
    with open_store() as store:
        info = store.language(code)
    if as_json:
        emit_json(info)
        return
    console.print(resolve(code).describe(), markup=False)
    if info["varieties"]:
        console.print(f"varieties: {', '.join(info['varieties'])}", markup=False)
    if info["scripts"]:
        console.print(f"scripts: {', '.join(info['scripts'])}", markup=False)
    for r in info["resources"]:
        via = f"  (filed under macrolanguage {r['via']})" if r["via"] else ""
        console.print(
            f"  #{r['id']} {r['kind']}/{r['format']} {r['name']}: {r['entries']} entries{via}", markup=False
        )
    if not info["resources"]:
        console.print("no resources in the store for this language", markup=False)


class ExportFormat(str, Enum):
    tsv = "tsv"
    parquet = "parquet"


def export_cmd(
    out: Path = typer.Argument(..., help="Output file (tsv) or directory (parquet)."),
    resource: int = typer.Option(None, "--resource", "-r", help="Export this resource."),
    kind: Kind = typer.Option(None, "--kind", "-k", help="Export all entries of this kind ..."),
    lang: str = typer.Option(None, "--lang", "-l", help="... for this language."),
    to: ExportFormat = typer.Option(
        ExportFormat.tsv, "--to", help="tsv, or parquet partitioned by lang=xxx/."
    ),
) -> None:
    """Export a resource, or all entries of a kind for a language, to TSV or Parquet."""
    if resource is None and kind is None:
        raise OptionError("say what to export", hint="--resource ID, or --kind KIND [--lang L]")
    with open_store(readonly=True) as store:
        k = kind.value if kind else None
        if to == ExportFormat.tsv:
            n = export_tsv(store, out, k, resource=resource, lang=lang)
            console.print(f"wrote {n} rows to {out}", markup=False)
        else:
            counts = export_parquet(store, out, k, resource=resource, lang=lang)
            parts = ", ".join(f"lang={c}: {n}" for c, n in sorted(counts.items()))
            console.print(f"wrote {sum(counts.values())} rows to {out}/ ({parts})", markup=False)
