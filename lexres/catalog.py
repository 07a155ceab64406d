"""Catalogue import: many resources in one command, from a catalogue file (`lexres import --catalog FILE`,
CSV or TOML, one resource per row) or from every recognised file under a folder (`lexres import --dir DIR`).

Files are parsed in parallel worker processes, each into a temporary pickle of its records; one writer (this
process) then imports them in catalogue order through `lexres.importer.import_resource`, so the store sees
one writer and every resource is still one all-or-nothing transaction. Re-running imports only what changed:
rows whose bytes, language and options are already stored are reported `unchanged` without being parsed. A
row that fails (missing file, unknown format, bad line, unknown language) is reported with its error and
never stops the others.

Catalogue columns (CSV header / TOML keys of each `[[resource]]`): path (several files of one resource
separated by `;` in CSV, a list in TOML), kind (morph, bible, lexicon; sniffed when empty), lang, target_lang
(or `languages` = `src,tgt`), format, name, license (or licence), citation. Relative paths are read from the
catalogue's folder."""

from __future__ import annotations

import csv
import io
import os
import pickle
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lexres import formats
from lexres.errors import FormatError, LanguageError, LexresError, OptionError, ParseError
from lexres.langs import guess_langs, resolve
from lexres.progress import Progress
from lexres.records import Result

KINDS = ("morph", "bible", "lexicon")
COLUMNS = (
    "path",
    "paths",
    "kind",
    "lang",
    "language",
    "languages",
    "target_lang",
    "format",
    "name",
    "license",
    "licence",
    "citation",
)
# Files a folder scan never takes for data.
SKIP_NAMES = re.compile(
    r"(?i)^(readme|license|licence|copying|changelog|notice|authors)\b|\.(md|bib|py|"
    r"manifest\.json|rejects\.tsv|parquet|db|db-wal|db-shm|zip|gz)$"
)


@dataclass(frozen=True)
class CatalogRow:
    """One resource to import: its file(s) and what the catalogue says of it (None = not given: sniffed or
    taken from the file). `row` is the 1-based CSV line or TOML entry number (folder scans: file number)."""

    row: int
    paths: tuple[str, ...]
    kind: str | None = None
    lang: str | None = None
    target_lang: str | None = None
    format: str | None = None
    name: str | None = None
    license: str | None = None
    citation: str | None = None
    guessed: bool = False  # lang/target_lang come from the file name, used only if the file names none


@dataclass(frozen=True)
class RowResult(Result):
    """The outcome of one row: status imported, replaced, unchanged, failed, or skipped (a file of a folder
    scan that no reader recognises); the resource, its languages and stored entries, or the error (the
    reason) as one line."""

    row: int
    paths: tuple[str, ...]
    status: str
    kind: str | None = None
    format: str | None = None
    resource_id: int | None = None
    name: str | None = None
    lang: str | None = None
    target_lang: str | None = None
    n_stored: int = 0
    error: str | None = None


@dataclass(frozen=True)
class CatalogReport(Result):
    """Every row's result in catalogue order and the count per status (`summary`)."""

    source: str
    rows: tuple[RowResult, ...]
    summary: Mapping[str, int]


@dataclass(frozen=True)
class Parsed:
    """A file parsed in a worker: what its reader found (format, languages, scheme, notes, name, licence,
    citation, checked options) and the pickle holding its records; or the error."""

    row: CatalogRow
    kind: str | None = None
    format: str | None = None
    lang: str | None = None
    target_lang: str | None = None
    scheme: str | None = None
    notes: tuple[str, ...] = ()
    name: str | None = None
    license: str | None = None
    citation: str | None = None
    options: Mapping[str, Any] | None = None
    records: str | None = None
    error: str | None = None
    skipped: bool = False  # a folder scan's file no reader recognises: reported, not an error


# -- reading a catalogue -----------------------------------------------------------------------------------
def _clean(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _check_types(source: Path, number: int, data: Any) -> None:
    """A TOML entry must be a table of text values (numbers read as written); path, paths and languages may
    also be lists of text. Raises ParseError for anything else (a value cannot be guessed right)."""
    if not isinstance(data, Mapping):
        raise ParseError(source, number, f"a [[resource]] entry must be a table, not {type(data).__name__}",
                         hint="one [[resource]] table per resource, with path, kind, lang, ...")
    for key, value in data.items():
        if key in ("path", "paths", "languages") and isinstance(value, list):
            ok, what = all(isinstance(v, str) for v in value), "text or a list of text"
        else:
            ok, what = isinstance(value, (str, int, float)) and not isinstance(value, bool), "text"
        if not ok:
            raise ParseError(source, number, f"`{key}` must be {what}, not {value!r:.60}")


def _row(source: Path, number: int, data: Mapping[str, Any]) -> CatalogRow:
    _check_types(source, number, data)
    unknown = sorted(k for k in data if k not in COLUMNS)
    if unknown:
        raise ParseError(
            source,
            number,
            f"unknown column(s) {', '.join(unknown)}",
            hint=f"known columns: {', '.join(COLUMNS)}",
        )
    raw = data.get("path") or data.get("paths")
    parts = raw if isinstance(raw, list) else re.split(r"\s*;\s*", str(raw or "").strip())
    paths = tuple(
        str(source.parent / p) if not Path(p).is_absolute() else str(p) for p in parts if str(p).strip()
    )
    lang = _clean(data.get("lang") or data.get("language"))
    target = _clean(data.get("target_lang"))
    langs = data.get("languages")
    if langs:
        both = langs if isinstance(langs, list) else re.split(r"[,\s]+", str(langs).strip())
        both = [x for x in both if x]
        lang, target = lang or both[0], target or (both[1] if len(both) > 1 else None)
    kind = _clean(data.get("kind"))
    return CatalogRow(
        number,
        paths,
        kind.lower() if kind else None,
        lang,
        target,
        _clean(data.get("format")),
        _clean(data.get("name")),
        _clean(data.get("license") or data.get("licence")),
        _clean(data.get("citation")),
    )


def read_catalog(path: str | Path) -> list[CatalogRow]:
    """The rows of a catalogue file: TOML (`.toml`, an array of `[[resource]]` tables) or CSV with a header.

    Raises ParseError (file and line / entry) for a catalogue that cannot be read: not UTF-8, not valid TOML
    or CSV (strict quoting), a column named twice, or a TOML value that is not text."""
    path = Path(path)
    formats.check_regular(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, None, f"cannot read the catalogue ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(path, data[: exc.start].count(b"\n") + 1, "not UTF-8") from exc
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            raise ParseError(path, line, f"not valid TOML ({exc})") from exc
        entries = doc.get("resource", doc.get("resources"))
        if not isinstance(entries, list) or set(doc) - {"resource", "resources"}:
            raise ParseError(
                path,
                None,
                "a TOML catalogue holds only [[resource]] tables",
                hint="one [[resource]] table per resource, with path, kind, lang, ...",
            )
        return [_row(path, i, e) for i, e in enumerate(entries, 1)]
    # strict: a stray quote or an unclosed one is an error, not a field quietly read another way
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as exc:
        raise ParseError(path, 1, "the catalogue is empty") from exc
    except csv.Error as exc:
        raise ParseError(path, max(1, reader.line_num), f"not valid CSV ({exc})") from exc
    if "path" not in header and "paths" not in header:
        raise ParseError(path, 1, "the header has no `path` column", hint=f"columns: {', '.join(COLUMNS)}")
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise ParseError(path, 1, f"the header names {', '.join(twice)} twice")
    rows = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ParseError(path, reader.line_num, f"not valid CSV ({exc})") from exc
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise ParseError(path, line, f"{len(values)} fields, the header has {len(header)}")
        rows.append(_row(path, line, dict(zip(header, values, strict=True))))
    return rows


def scan_dir(folder: str | Path) -> list[CatalogRow]:
    """One row per file under `folder` (recursively, sorted, hidden files and documentation skipped); kind
    and format are sniffed when it is parsed, languages guessed from the name unless the file names its own.

    Raises OptionError when `folder` is not a directory."""
    folder = Path(folder)
    if not folder.is_dir():
        raise OptionError(f"{folder}: not a directory", hint="give --dir a folder of resource files")
    rows = []
    found = sorted(folder.rglob("*"))
    members = {m for p in found if p.suffix == ".json" and p.is_file() for m in cldf_members(p)}
    for p in found:
        rel = p.relative_to(folder)
        if not p.is_file() or any(part.startswith(".") for part in rel.parts) or SKIP_NAMES.search(p.name):
            continue
        if p.resolve() in members:  # read with its dataset, through the metadata file's row
            continue
        lang, target = guess_langs(p)
        rows.append(CatalogRow(len(rows) + 1, (str(p),), lang=lang, target_lang=target, guessed=True))
    return rows


def cldf_members(metadata: Path) -> set[Path]:
    """The table files (resolved paths) a CLDF metadata file declares, so that a folder scan imports the
    dataset once, from its metadata, instead of each table as a word list of its own; empty for any other
    JSON file. Only table URLs inside the dataset's folder count (the CLDF reader refuses the others)."""
    import json

    try:
        if metadata.stat().st_size > 4 * 1024 * 1024:
            return set()
        meta = json.loads(metadata.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return set()
    if not isinstance(meta, dict) or "cldf" not in str(meta.get("dc:conformsTo", "")).lower():
        return set()
    base = metadata.parent.resolve()
    out = set()
    for table in meta.get("tables") or []:
        url = table.get("url") if isinstance(table, dict) else None
        if isinstance(url, str) and url:
            path = (base / url).resolve()
            if path.is_relative_to(base):
                out.add(path)
    return out


# -- parsing (in worker processes) ---------------------------------------------------------------------------
def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    hint = getattr(exc, "hint", None)
    return (
        text + (f" (hint: {' '.join(hint.split())})" if hint else "")
        if isinstance(exc, LexresError)
        else (f"{type(exc).__name__}: {text}")
    )


def pick_reader(row: CatalogRow) -> formats.Reader:
    """The reader of a row: its format, else sniffed among its kind (or every kind when none is given).

    Raises FormatError, OptionError."""
    first = Path(row.paths[0])
    if row.kind is not None and row.kind not in KINDS:
        raise OptionError(f"unknown kind `{row.kind}`", hint=f"one of: {', '.join(KINDS)}")
    if row.format:
        kinds = [row.kind] if row.kind else [r.kind for r in formats.readers() if r.name == row.format][:1]
        return formats.get(kinds[0] if kinds else "morph", row.format)
    if row.kind:
        return formats.sniff(row.kind, first)
    last: Exception | None = None
    for kind in KINDS:
        try:
            return formats.sniff(kind, first)
        except LexresError as exc:
            last = exc
    assert last is not None
    raise last


def parse_row(row: CatalogRow, tmpdir: str) -> Parsed:
    """Read one row's files into a pickle of records (Records and Rejects, in order) under `tmpdir`. Never
    raises: an error comes back in `Parsed.error`."""
    try:
        if not row.paths:
            raise OptionError("the row names no file")
        for p in row.paths:
            if not Path(p).is_file():
                raise OptionError(f"{p}: no such file", hint="check the path")
        try:
            reader = pick_reader(row)
        except FormatError as exc:
            if row.guessed:  # found by a folder scan: not a resource file
                return Parsed(row, error=_one_line(exc), skipped=True)
            raise
        options = reader.check_options({})
        records, ctx = _read(reader, row, options, guessed=False)
        if ctx.lang is None and row.guessed and row.lang:
            if records:  # the file names no language: the one its name gives
                ctx.lang = resolve(row.lang)
            else:  # the reader needs a language to read at all
                records, ctx = _read(reader, row, options, guessed=True)
        if ctx.lang is None:
            raise LanguageError(
                f"{row.paths[0]}: the file does not say which language it is in",
                hint="give the language in the catalogue (lang column)",
            )
        fd, out = tempfile.mkstemp(prefix=f"row{row.row}.", suffix=".pickle", dir=tmpdir)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(records, fh, protocol=pickle.HIGHEST_PROTOCOL)
        target = ctx.target_lang.tag if ctx.target_lang else None
        if target is None and row.guessed and reader.kind == "lexicon":
            target = row.target_lang
        return Parsed(
            row,
            reader.kind,
            reader.name,
            ctx.lang.tag,
            target,
            ctx.scheme,
            tuple(ctx.notes),
            ctx.name,
            ctx.license,
            ctx.citation,
            dict(options),
            out,
        )
    except Exception as exc:  # reported on its row; the other rows go on
        return Parsed(row, error=_one_line(exc))


def _read(reader: formats.Reader, row: CatalogRow, options: Mapping[str, Any], *, guessed: bool):
    """All records of a row, read with the catalogue's languages (a guess from the file name only when
    `guessed`: a language the file declares always wins over one guessed from its name)."""
    use = (not row.guessed) or guessed
    lang = resolve(row.lang) if row.lang and use else None
    target = resolve(row.target_lang) if row.target_lang and use else None
    ctx = formats.ReadContext(
        lang=lang, target_lang=target, options=options, license=row.license, citation=row.citation
    )
    try:
        records = list(reader.read([Path(p) for p in row.paths], ctx))
    except LanguageError:
        if row.guessed and not guessed and row.lang:
            return [], ctx  # the reader wants a language: try again with the guess
        raise
    return records, ctx


# -- importing (the one writer) ----------------------------------------------------------------------------
def _replay(parsed: Parsed):
    def records(ctx: formats.ReadContext) -> Iterator:
        ctx.scheme = parsed.scheme
        ctx.name = ctx.name or parsed.name
        ctx.license = ctx.license or parsed.license
        ctx.citation = ctx.citation or parsed.citation
        for note in parsed.notes:
            ctx.note(note)
        with open(parsed.records, "rb") as fh:  # type: ignore[arg-type]
            items = pickle.load(fh)
        yield from items

    return records


def _already(store, row: CatalogRow) -> RowResult | None:
    """The row's result when the same bytes, languages and options are already stored (nothing parsed)."""
    from lexres.provenance import sha256_files
    from lexres.store import resources

    if not row.lang or not row.paths or not all(Path(p).is_file() for p in row.paths):
        return None
    try:
        reader = pick_reader(row)
        lang = resolve(row.lang)
        target = resolve(row.target_lang) if row.target_lang else None
    except Exception:  # any problem with the row is found and reported when it is parsed
        return None
    same = store.find_same(
        reader.kind,
        sha256_files(row.paths),
        lang.tag,
        target.tag if target else None,
        resources.options_json({}),
    )
    return None if same is None else _unchanged(row, same)


def _unchanged(row, same) -> RowResult:
    """The result of a row whose bytes, languages and options are already stored as resource `same`."""
    return RowResult(row.row, row.paths, "unchanged", same.kind, same.format, same.id, same.name, same.lang,
                     same.target_lang, same.n_stored)


def _same(store, parsed: Parsed) -> RowResult | None:
    """The row's result when what its file holds (languages as the file named them) is already stored."""
    from lexres.provenance import sha256_files
    from lexres.store import resources

    row = parsed.row
    same = store.find_same(
        parsed.kind,
        sha256_files(row.paths),
        parsed.lang,
        parsed.target_lang,
        resources.options_json(dict(parsed.options or {})),
    )
    return None if same is None else _unchanged(row, same)


def import_rows(
    store,
    rows: Sequence[CatalogRow],
    *,
    source: str = "",
    workers: int = 1,
    on_error: str = "fail",
    replace_existing: bool = False,
    progress: Progress | None = None,
) -> CatalogReport:
    """Import every row (see the module docstring): rows already stored are `unchanged` at once, the others
    are parsed by `workers` processes and imported one at a time in row order by this process. With
    `replace_existing` a changed file replaces the resource of the same name (keeping its id).

    Raises OptionError for workers < 1; a row's own problem is reported on its row, never raised."""
    from lexres.importer import import_resource

    if workers < 1:
        raise OptionError(f"--workers must be at least 1, not {workers}")
    progress = progress or Progress()
    progress.start(len(rows), f"importing {len(rows)} resources", "resources")
    results: dict[int, RowResult] = {}
    todo = []
    for i, row in enumerate(rows):
        done = _already(store, row)
        if done is not None:
            results[i] = done
            progress.advance(1)
        else:
            todo.append((i, row))
    with tempfile.TemporaryDirectory(prefix="lexres-catalog.") as tmp:
        for i, parsed in _parsed(todo, tmp, workers):
            results[i] = _import_one(store, parsed, import_resource, on_error, replace_existing)
            if parsed.records:
                os.unlink(parsed.records)
            progress.advance(1)
    ordered = tuple(results[i] for i in range(len(rows)))
    summary = {
        s: sum(1 for r in ordered if r.status == s)
        for s in ("imported", "replaced", "unchanged", "failed", "skipped")
    }
    return CatalogReport(source, ordered, summary)


def _parsed(todo, tmp: str, workers: int) -> Iterator[tuple[int, Parsed]]:
    """(index, Parsed) in row order; parsed ahead by a pool of worker processes when workers > 1."""
    if workers == 1 or len(todo) < 2:
        for i, row in todo:
            yield i, parse_row(row, tmp)
        return
    import multiprocessing

    mp = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=mp) as pool:
        futures: list[tuple[int, Future]] = [(i, pool.submit(parse_row, row, tmp)) for i, row in todo]
        for (i, row), (_, fut) in zip(todo, futures, strict=True):
            try:
                yield i, fut.result()
            except Exception as exc:  # a worker process died (out of memory, killed)
                yield i, Parsed(row, error=f"the parsing process failed: {_one_line(exc)}")


def _import_one(store, parsed: Parsed, import_resource, on_error: str, replace_existing: bool) -> RowResult:
    row = parsed.row
    if parsed.error is not None:
        status = "skipped" if parsed.skipped else "failed"
        return RowResult(row.row, row.paths, status, row.kind, row.format, error=parsed.error)
    try:
        done = _same(store, parsed)
        if done is not None:
            return done
        res = import_resource(
            store,
            parsed.kind,
            list(row.paths),
            lang=parsed.lang,
            target_lang=parsed.target_lang,
            format=parsed.format,
            name=row.name,
            license=row.license,
            citation=row.citation,
            on_error=on_error,
            replace=replace_existing,
            options=parsed.options,
            records=_replay(parsed),
            force_lang=True,
        )
    except Exception as exc:  # reported on its row; the store is as before this row (one transaction)
        return RowResult(
            row.row,
            row.paths,
            "failed",
            parsed.kind,
            parsed.format,
            lang=parsed.lang,
            target_lang=parsed.target_lang,
            error=_one_line(exc),
        )
    return RowResult(
        row.row,
        row.paths,
        res.status,
        res.kind,
        res.format,
        res.resource_id,
        res.name,
        res.lang,
        res.target_lang,
        res.n_stored,
    )


def import_catalog(store, path: str | Path, **kw) -> CatalogReport:
    """`lexres import --catalog FILE`: read the catalogue, then `import_rows`."""
    return import_rows(store, read_catalog(path), source=str(path), **kw)


def import_dir(store, folder: str | Path, **kw) -> CatalogReport:
    """`lexres import --dir DIR`: scan the folder, then `import_rows`."""
    return import_rows(store, scan_dir(folder), source=str(folder), **kw)
