"""Top-level commands: import, formats, list, show, remove, langs, lang, export (mounted by lexres.cli)."""

from __future__ import annotations

import importlib
import json
from enum import Enum
from pathlib import Path

import typer

from lexres import formats as registry
from lexres.cli.common import (
    FORCE,
    JSON,
    READER_OPTION,
    bar,
    console,
    emit_json,
    not_blank,
    open_store,
    parse_options,
    plural,
    print_table,
    resource_id,
    stdout_is_terminal,
)
from lexres.errors import LexresError, OptionError
from lexres.export import export_parquet, export_tsv
from lexres.importer import import_resource
from lexres.langs import resolve


class Kind(str, Enum):
    """What an imported or exported resource holds (`import KIND`, `export --kind`): morph, bible or
    lexicon."""

    morph = "morph"
    bible = "bible"
    lexicon = "lexicon"


class OnError(str, Enum):
    """`import --on-error`: fail (the first bad row aborts, nothing is stored) or skip (the good rows are
    stored, the bad ones written to a rejects file)."""

    fail = "fail"
    skip = "skip"


def import_cmd(
    kind: Kind = typer.Argument(None, help="What the file holds: morph, bible or lexicon (not with "
                                "--catalog / --dir).", show_default=False),
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
    unimorph: str = typer.Option(
        None,
        "--unimorph",
        help="Morph: read LANG from the unimorph package's data directory ($UNIMORPH) instead of PATH.",
    ),
    option: list[str] = READER_OPTION,
    # Old spellings of three reader options, kept working for existing scripts but out of the help: each is
    # exactly `-o NAME=VALUE` and is checked against the chosen reader like any -o option.
    layout: str = typer.Option(None, "--layout", hidden=True, help="Old spelling of -o layout=X."),
    versification: str = typer.Option(
        None, "--versification", hidden=True, help="Old spelling of -o versification=X."
    ),
    columns: str = typer.Option(None, "--columns", hidden=True, help="Old spelling of -o columns=X."),
    force_lang: bool = typer.Option(
        False, "--force-lang", help="Keep --lang even where the file declares another language."
    ),
    catalog: Path = typer.Option(None, "--catalog", help="Import every row of a catalogue (CSV or TOML: "
                                 "path, kind, lang, target_lang, format, name, license, citation)."),
    directory: Path = typer.Option(None, "--dir", help="Import every recognised file under a folder."),
    workers: int = typer.Option(2, "--workers", help="--catalog/--dir: parsing processes."),
    report: Path = typer.Option(None, "--report", help="--catalog/--dir: also write the JSON report here."),
    as_json: bool = JSON,
) -> None:
    """Import a resource into the store, with its provenance. All-or-nothing unless --on-error skip.
    With --catalog FILE or --dir DIR: many resources, each all-or-nothing; re-running imports what changed."""
    if catalog is not None or directory is not None:
        from lexres.cli.batch import run_catalog_import

        given = {"--lang": lang, "--target-lang": target_lang, "--format": format, "--name": name,
                 "--license": license, "--citation": citation, "--rejects": rejects, "--unimorph": unimorph,
                 "--option": option or None}
        return run_catalog_import(catalog, directory, paths, kind, workers, on_error.value, replace, report,
                                  as_json, [k for k, v in given.items() if v])
    if kind is None:
        raise OptionError("give the KIND of resource to import",
                          hint="e.g. `lexres import morph gle --lang gle`")
    opts = parse_options(option)
    for key, value in (("layout", layout), ("versification", versification), ("columns", columns)):
        if value is not None:
            if key in opts and opts[key] != value:
                raise OptionError(f"--{key} {value} contradicts -o {key}={opts[key]}")
            opts[key] = value
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
            force_lang=force_lang,
        )
    if as_json:
        emit_json(result.to_dict())
        return
    verb = {"imported": "imported", "replaced": "replaced", "unchanged": "unchanged"}[result.status]
    target = f" -> {result.target_lang}" if result.target_lang else ""
    console.print(
        f"{verb}: #{result.resource_id} {result.name} [{result.kind}/{result.format}] "
        f"{result.variety}{target}: read {result.n_read} = stored {result.n_stored} + rejected "
        f"{result.n_rejected}; {plural(result.entries, 'entry')}",
        markup=False,
    )
    for note in result.notes:
        console.print(f"  note: {note}", markup=False)
    if result.rejects_path:
        console.print(f"  rejected rows written to {result.rejects_path}", markup=False)


def formats_cmd(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list each reader's options."),
    as_json: bool = JSON,
) -> None:
    """List the formats lexres can read, per kind (with --verbose, each reader's -o options).

    Example: lexres formats --verbose"""
    rows = []
    for r in registry.readers():
        row = {"kind": r.kind, "format": r.name, "description": r.description,
               "extensions": list(r.extensions)}
        if verbose or as_json:
            row["options"] = [
                {"name": o.name, "type": o.type, "default": o.default, "help": o.help,
                 "choices": list(o.choices)}
                for o in r.options
            ]
        rows.append(row)
    if as_json:
        emit_json(rows)
        return
    def options(r) -> list[str]:
        out = []
        for o in r.get("options", []) if verbose else []:
            kind = "|".join(o["choices"]) if o["choices"] else o["type"]
            default = "" if o["default"] is None else f", default {o['default']}"
            out.append(f"-o {o['name']}=<{kind}>{default}: {o['help']}")
        return out

    if stdout_is_terminal():  # each option on its own line under the description; long cells wrap
        print_table(["kind", "format", "description"],
                    [[r["kind"], r["format"], "\n  ".join([r["description"], *options(r)])] for r in rows])
    else:  # TSV: the options, `; `-separated, in a column of their own
        print_table(["kind", "format", "description"] + (["options"] if verbose else []),
                    [[r["kind"], r["format"], r["description"]] + (["; ".join(options(r))] if verbose else [])
                     for r in rows])


def list_cmd(
    kind: str = typer.Option(
        None, "--kind", "-k", help="Only this kind: morph, bible, lexicon, text or model."
    ),
    lang: str = typer.Option(
        None,
        "--lang",
        "-l",
        help="Only resources for this language (its macrolanguage's resources included; for a macrolanguage, "
        "its individual languages' too).",
    ),
    as_json: bool = JSON,
) -> None:
    """List the resources in the store (a table on a terminal, TSV with a header in a pipe)."""
    from lexres.kinds import entry_kinds

    known = (*entry_kinds(), "text", "model")
    not_blank(kind, "--kind", "bible")
    not_blank(lang, "--lang", "swh")
    if kind is not None and kind not in known:
        raise OptionError(f"unknown kind `{kind}`", hint=f"one of: {', '.join(known)}")
    via: dict[int, str] = {}
    with open_store(readonly=True) as store:
        if lang:
            found = store.language(lang)["resources"]
            via = {
                r["id"]: ("macrolanguage " if r["via_scope"] == "macrolanguage" else "individual language ")
                + r["via"]
                for r in found
                if r["via"]
            }
            items = [store.resource(r["id"]) for r in found if kind is None or r["kind"] == kind]
        else:
            items = store.resources(kind)
    if as_json:
        emit_json([{**r.to_dict(), **({"via": via[r.id]} if r.id in via else {})} for r in items])
        return
    rows = []
    terminal = stdout_is_terminal()
    for r in items:
        langs = r.variety + (f" -> {r.target_variety}" if r.target_variety else "")
        if r.id in via:
            langs += f" (filed under {via[r.id]})"
        # on a terminal `2024-05-01 12:09:20+00:00` (ISO 8601 with a space), which wraps between date and time
        imported = r.imported_at.replace("T", " ", 1) if terminal else r.imported_at
        # a kind without an entry table (a generated text) counts what it holds: its sentences
        held = r.entries if r.kind in entry_kinds() else r.n_stored
        rows.append([r.id, r.kind, r.format, r.name, langs, held, r.n_rejected, imported])
    empty = "no resources match" if (kind or lang) else "the store is empty"
    head = ["id", "kind", "format", "name", "language", "entries", "rejected", "imported"]
    print_table(head, rows, empty=empty)


def _readable(value) -> list[str]:
    """A field value as lines a person reads: lists one item a line, mappings `key = value`, None as `-`."""
    if value is None or value == "":
        return ["-"]
    if isinstance(value, dict):
        nested = (dict, list)
        return [
            f"{k} = " + (json.dumps(v, ensure_ascii=False) if isinstance(v, nested) else _readable(v)[0])
            for k, v in value.items()
        ] or ["none"]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value] or ["none"]
    return [str(value)]


def show_cmd(
    rid: int = typer.Argument(..., parser=resource_id, help="Resource id, 3 or #3 (see `lexres list`)."),
    as_json: bool = JSON,
) -> None:
    """Show one resource and its provenance."""
    with open_store(readonly=True) as store:
        res = store.resource(rid)
        parents = []
        for p in res.derived_from:
            try:
                pr = store.resource(int(p))
                parents.append(f"#{pr.id} {pr.kind}/{pr.format} {pr.name}")
            except LexresError:
                parents.append(f"#{p} (removed)")
    if as_json:
        emit_json(res.to_dict())
        return
    fields = res.to_dict()
    fields["derived_from"] = parents
    fields["source_path"] = (res.source_path or "").split(";") if res.source_path else None
    for key, value in fields.items():
        lines = _readable(value)
        console.print(f"{key:>17}: {lines[0]}", markup=False)
        for line in lines[1:]:
            console.print(f"{'':>17}  {line}", markup=False)

def remove_cmd(
    rid: int = typer.Argument(..., parser=resource_id,
                              help="Resource id (3 or #3) to delete with all its entries."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    cascade: bool = typer.Option(
        False, "--cascade", help="Also remove the resources derived from it (pivot/induced lexicons, texts)."
    ),
) -> None:
    """Remove a resource and its entries (one transaction); says what it deletes and asks first on a terminal.

    Refuses when derived resources depend on it, unless --cascade."""
    import sys

    from lexres.store import resources as rows

    with open_store() as store:
        res = store.resource(rid)
        doomed = [res] + [store.resource(d) for d in _dependents_closure(store, rows.dependents, rid)]
        if len(doomed) > 1 and not cascade:
            names = ", ".join(f"#{d.id} {d.name}" for d in doomed[1:])
            raise OptionError(f"resource #{rid} has derived resources that depend on it: {names}",
                              hint="pass --cascade to remove them too, or remove them first")
        for d in doomed:
            console.print(f"will remove #{d.id} {d.kind}/{d.format} {d.name} ({plural(d.entries, 'entry')})",
                          markup=False)
        if not yes:
            if not sys.stdin.isatty():
                raise OptionError("remove asks for confirmation, and the input is not a terminal",
                                  hint="pass --yes to remove without asking")
            if not typer.confirm(f"remove {len(doomed)} resource(s)?", default=False):
                console.print("nothing removed", markup=False)
                raise typer.Exit(1)
        with store.transaction():
            for d in reversed(doomed):
                rows.delete(store, d.id)
    for d in doomed:
        console.print(f"removed #{d.id} {d.name} ({plural(d.entries, 'entry')})", markup=False)


def _dependents_closure(store, dependents, rid: int) -> list[int]:
    """Every resource derived, directly or through others, from `rid` (breadth first, each once)."""
    seen: list[int] = []
    todo = [rid]
    while todo:
        for d in dependents(store, todo.pop(0)):
            if d not in seen and d != rid:
                seen.append(d)
                todo.append(d)
    return seen


def langs_cmd(
    kind: str = typer.Option(
        None,
        "--kind",
        "-k",
        help="Only languages with a resource of this kind (morph, bible, lexicon, text, model); "
        "--min-entries and --sort entries then count it alone.",
    ),
    has: list[str] = typer.Option(None, "--has", help="Only languages with every kind named, e.g. "
                                  "`--has morph,bible` (repeatable)."),
    min_entries: int = typer.Option(
        0, "--min-entries", min=0, help="Only languages with at least N entries."
    ),
    sort: str = typer.Option("code", "--sort", help="Order: code, name, or entries (most first)."),
    as_json: bool = JSON,
) -> None:
    """List the languages in the store with entry counts per kind (a table on a terminal, TSV in a pipe)."""
    for item in has or []:
        not_blank(item, "--has", "morph,bible")
    kinds = [k.strip() for item in (has or []) for k in item.split(",") if k.strip()]
    if not_blank(kind, "--kind", "bible"):
        kinds.append(kind)
    with open_store(readonly=True) as store:
        rows = store.languages(kinds=tuple(dict.fromkeys(kinds)), count_kind=kind, min_entries=min_entries,
                               sort=sort)
    if as_json:
        emit_json(rows)
        return
    filtered = bool(kinds or min_entries)
    print_table(
        ["code", "name", "scope", "resources", "morph", "verses", "lexicon pairs", "texts", "models"],
        [[r["code"], r["name"], r["scope"], r["resources"], r["morph"], r["bible"], r["lexicon"], r["text"],
          r["model"]] for r in rows],
        empty="no language matches" if filtered else "the store is empty",
    )


def lang_cmd(
    code: str = typer.Argument(..., help="Language code (ISO 639-1/2/3 or BCP-47)."),
    as_json: bool = JSON,
) -> None:
    """Show a language: name, scope, macrolanguage, the scripts its stored text uses, and every resource that
    serves it (filed under it, its macrolanguage or, for a macrolanguage, its individual languages)."""
    from lexres.kinds import entry_kinds
    from lexres.store.report import scripts_used

    with open_store(readonly=True) as store:
        info = store.language(code)
        used = scripts_used(store, code)
    info["scripts_used"] = [s.to_dict() for s in used]
    if as_json:
        emit_json(info)
        return
    console.print(resolve(code).describe(), markup=False)
    if info["varieties"]:
        console.print(f"varieties: {', '.join(info['varieties'])}", markup=False)
    if used:
        letters = sum(s.chars for s in used)
        shares = ", ".join(f"{s.name} ({s.script}) {s.share:.1%}" for s in used)
        console.print(f"scripts used: {shares} of {plural(letters, 'letter')} sampled from the stored text",
                      markup=False)
    if info["scripts"]:
        console.print(f"script subtags in the varieties: {', '.join(info['scripts'])}", markup=False)
    filed = sorted({r["via"] for r in info["resources"] if r["via_scope"] == "individual"})
    if filed:
        console.print(f"includes resources filed under its individual language(s): {', '.join(filed)}",
                      markup=False)
    for r in info["resources"]:
        where = ""
        if r["via"]:
            what = "macrolanguage" if r["via_scope"] == "macrolanguage" else "individual language"
            where = f"  (filed under {what} {r['via']})"
        count = plural(r["entries"], "entry")
        if r["kind"] not in entry_kinds():  # a generated text: no entry table, its sentences
            count = plural(r["n_stored"], "sentence")
        elif len(r["langs"]) > 2 or r["entries_here"] != r["entries"]:
            count += (f", {r['entries_here']} for {info['variety'] or info['code']} "
                      f"({plural(len(r['langs']), 'language')}: {', '.join(r['langs'])})")
        console.print(f"  #{r['id']} {r['kind']}/{r['format']} {r['name']}: {count}{where}", markup=False)
    if not info["resources"]:
        console.print("no resources in the store for this language", markup=False)

class ExportFormat(str, Enum):
    """`export --to`: TSV, or Parquet partitioned by `lang=xxx/`."""

    tsv = "tsv"
    parquet = "parquet"


def export_cmd(
    out: Path = typer.Argument(..., help="Output file (tsv) or directory (parquet)."),
    resource: int = typer.Option(None, "--resource", "-r", parser=resource_id,
                                 help="Export this resource (id 3 or #3)."),
    kind: Kind = typer.Option(None, "--kind", "-k", help="Export all entries of this kind ..."),
    lang: str = typer.Option(None, "--lang", "-l", help="... for this language."),
    to: ExportFormat = typer.Option(
        ExportFormat.tsv, "--to", help="tsv, or parquet partitioned by lang=xxx/."
    ),
    force: bool = FORCE,
) -> None:
    """Export a resource, or all entries of a kind for a language, to TSV or Parquet (atomically, with a
    manifest). An empty selection writes nothing and exits 2."""
    if resource is None and kind is None:
        raise OptionError("say what to export", hint="--resource ID, or --kind KIND [--lang L]")
    not_blank(lang, "--lang", "swh")
    with open_store(readonly=True) as store:
        k = kind.value if kind else None
        if to == ExportFormat.tsv:
            n = export_tsv(store, out, k, resource=resource, lang=lang, force=force)
            console.print(f"wrote {n} rows to {out}", markup=False)
        else:
            counts = export_parquet(store, out, k, resource=resource, lang=lang, force=force)
            parts = ", ".join(f"lang={c}: {n}" for c, n in sorted(counts.items()))
            console.print(f"wrote {sum(counts.values())} rows to {out}/ ({parts})", markup=False)
