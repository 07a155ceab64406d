"""Import: pick a reader, stream its records into the store in one transaction, keep provenance.

Readers yield records and `Reject`s; here the first Reject aborts the import (default, nothing stored)
or, with on_error="skip", goes to the rejects table and a rejects file, so read = stored + rejected."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from lexres import formats
from lexres.errors import LanguageError, NotFoundError, OptionError, ParseError
from lexres.kinds import entry_kinds
from lexres.langs import Lang, lang_from_path, resolve
from lexres.outputs import atomic_output, check_destination
from lexres.progress import Progress
from lexres.provenance import sha256_files, write_manifest
from lexres.records import Record, Reject
from lexres.store import Store, resources
from lexres.store.writers import WRITERS

SKIP_HINT = (
    "fix the line, or pass --on-error skip to store the good rows and write the bad ones to a rejects file"
)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: `status` imported | replaced | unchanged (same bytes stored already); the
    resource's id, kind, format, name, language, variety and target language; rows read, stored and
    rejected; entries in the store; the sources' SHA-256; notes; where rejects were written; the id of a
    replaced resource."""

    status: str  # imported | replaced | unchanged
    resource_id: int
    kind: str
    format: str
    name: str
    lang: str
    variety: str
    target_lang: str | None
    n_read: int
    n_stored: int
    n_rejected: int
    entries: int
    sha256: str
    notes: tuple[str, ...] = ()
    rejects_path: str | None = None
    replaced_id: int | None = None

    def to_dict(self) -> dict:
        """The fields by name, for `--json` output."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _check_paths(paths: Sequence[Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise NotFoundError(f"{p}: no such file", hint="check the path")
        if p.is_dir():
            raise OptionError(f"{p}: is a directory, not a file", hint="give the file(s) inside it")
        formats.check_regular(p)
        out.append(p)
    if not out:
        raise OptionError("no input file given")
    return out


def rejects_dir(store: Store) -> Path:
    """Where rejects files go by default: `rejects/` beside the store file."""
    return store.path.parent / "rejects"


def import_resource(
    store: Store,
    kind: str,
    paths: Sequence[str | Path],
    *,
    lang: str | Lang | None = None,
    target_lang: str | Lang | None = None,
    format: str | None = None,
    name: str | None = None,
    license: str | None = None,
    citation: str | None = None,
    on_error: str = "fail",
    replace: bool = False,
    strict: bool = False,
    rejects_path: str | Path | None = None,
    options: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    records: Iterable[Record | Reject] | Callable[[formats.ReadContext], Iterable] | None = None,
    force_lang: bool = False,
    force: bool = False,
) -> ImportResult:
    """Import one resource (one file, or several that make one table, e.g. `fin.1 fin.2`), all or nothing.

    Re-importing the same bytes is a no-op (status "unchanged"); `replace=True` swaps out the resource of the
    same name atomically and keeps its id. `records` lets Python callers feed records directly (derived
    resources), or a function of the ReadContext that yields them and sets what a reader would (language,
    scheme, notes, name), e.g. to replay records parsed in another process. With on_error="skip", rejected
    rows go to the store and to a rejects file (default
    `rejects/resource-<id>.rejects.tsv` beside the store), whose destination is checked before anything is
    read.

    Raises ParseError (a bad row, FILE:LINE), FormatError, LanguageError, OptionError (unknown reader option,
    existing resource name), NotFoundError (missing file)."""
    if kind not in entry_kinds():
        raise OptionError(f"unknown kind `{kind}`", hint=f"one of: {', '.join(entry_kinds())}")
    if on_error not in ("fail", "skip"):
        raise OptionError(f"--on-error must be fail or skip, not `{on_error}`")
    srcs = _check_paths([Path(p) for p in paths])
    progress = progress or Progress()
    lang_obj = resolve(lang) if isinstance(lang, str) else lang
    tgt_obj = resolve(target_lang) if isinstance(target_lang, str) else target_lang
    named = None
    if lang_obj is None and kind == "morph" and records is None:  # morphology files name no language inside
        named = lang_from_names(srcs)
        lang_obj = named[0] if named else None
    if records is None:
        reader = formats.get(kind, format) if format else formats.sniff(kind, srcs[0])
        fmt = reader.name
        checked = reader.check_options(options)
    else:
        reader, fmt, checked = None, format or "records", dict(options or {})
    rejects_out = _rejects_target(store, rejects_path, force) if on_error == "skip" else None
    ctx = formats.ReadContext(
        lang=lang_obj,
        target_lang=tgt_obj,
        options=checked,
        strict=strict,
        progress=progress,
        force_lang=force_lang,
        license=license,
        citation=citation,
    )
    if named:
        ctx.note(f"language `{named[0].code}` ({named[0].name}) from {named[1]}")
    digest = sha256_files(srcs)
    try:
        if lang_obj is not None and not replace:  # cheap check before parsing anything
            same = store.find_same(
                kind,
                digest,
                lang_obj.tag,
                tgt_obj.tag if tgt_obj else None,
                resources.options_json(ctx.options),
            )
            if same is not None:
                raise _Unchanged(same)
        progress.start(sum(p.stat().st_size for p in srcs), f"importing {name or srcs[0].name}", "bytes")
        if callable(records):  # a replay of records read elsewhere: it sets ctx (language, scheme, notes)
            stream = records(ctx)
        else:
            stream = records if records is not None else reader.read(srcs, ctx)  # type: ignore[union-attr]
        job = _Job(
            kind, fmt, name, ctx, srcs, digest, license, citation, replace, on_error, rejects_out, force
        )
        return _run(store, job, stream)
    except _Unchanged as done:
        same = done.resource
        return ImportResult(
            "unchanged",
            same.id,
            kind,
            same.format,
            same.name,
            same.lang,
            same.variety,
            same.target_lang,
            same.n_read,
            same.n_stored,
            same.n_rejected,
            same.entries,
            digest,
            (*ctx.notes[:1 if named else 0],
             f"already imported as resource #{same.id} ({same.name}); nothing to do"),
        )


def lang_from_names(paths: Sequence[Path]) -> tuple[Lang, str] | None:
    """The language the paths of a single-language resource name (`kat.trn`, `unimorph/san/san`, by
    `lexres.langs.lang_from_path`) and where, or None when no path names one; raises LanguageError when
    two paths name different languages."""
    found = [(p, got) for p in paths if (got := lang_from_path(p)) is not None]
    codes = {got[0].code for _, got in found}
    if len(codes) > 1:
        listed = ", ".join(f"{got[0].code} ({p.name})" for p, got in found)
        raise LanguageError(f"the file names name different languages: {listed}",
                            hint="pass --lang, or import the files one by one")
    return found[0][1] if found else None


class _Unchanged(Exception):
    def __init__(self, resource):
        self.resource = resource


def options_json(options: Mapping[str, Any]) -> str:
    """Reader options as stored: part of an import's identity (same bytes + other options = a new import)."""
    return resources.options_json(dict(options))


def _rejects_target(store: Store, given: str | Path | None, force: bool) -> Path:
    """The rejects destination, checked before the import starts: a given file (its folder must exist and
    be writable, and it must not be a symlink or a file lexres did not write), else the store's rejects
    folder.

    Raises OptionError."""
    if given is not None:
        out = Path(given)
        check_destination(out, force=force)
        return out
    folder = rejects_dir(store)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(
            f"{folder}: cannot create the rejects folder ({exc.strerror})",
            hint="pass --rejects FILE in a writable folder",
        ) from exc
    if not os.access(folder, os.W_OK):
        raise OptionError(f"{folder}: the rejects folder is not writable", hint="pass --rejects FILE")
    return folder


@dataclass(frozen=True)
class _Job:
    kind: str
    fmt: str
    name: str | None
    ctx: formats.ReadContext
    srcs: list[Path]
    digest: str
    license: str | None
    citation: str | None
    replace: bool
    on_error: str
    rejects: Path | None
    force: bool


def _run(store: Store, job: _Job, stream) -> ImportResult:
    rejected: list[Reject] = []
    n_read = n_stored = 0
    ctx = job.ctx
    with store.transaction():
        writer = None
        stream = iter(stream)
        for first in stream:  # the reader has named its language by its first item
            rid, writer, replaced_id, res_name = _begin(store, job)
            n_read = writer.consume(chain((first,), stream), _on_reject(job.on_error, job.srcs, rejected))
            n_stored = n_read - len(rejected)
            break
        if writer is None:
            raise ParseError(
                job.srcs[0],
                None,
                f"no {job.kind} records found in the file",
                hint="check the format (--format) and the encoding (UTF-8)",
            )
        writer.close()
        if n_stored == 0 and n_read == 0:
            raise ParseError(
                job.srcs[0],
                None,
                f"no {job.kind} records found in the file",
                hint="check the format (--format) and the encoding (UTF-8)",
            )
        resources.add_rejects(store, rid, rejected, str(job.srcs[0]))
        for note in writer.notes:
            ctx.note(note)
        resources.finish(
            store,
            rid,
            n_read=n_read,
            n_stored=n_stored,
            n_rejected=len(rejected),
            notes=ctx.notes,
            scheme=ctx.scheme,
        )
        resources.record_langs(store, rid, writer.langs)
        if replaced_id is not None:
            resources.reuse_id(store, replaced_id, rid)
            rid = replaced_id
        # written before the commit: if the rejects file cannot be written, nothing is stored
        rj_path = _write_rejects(rejected, job.rejects, rid, job.force) if rejected else None
    final = store.resource(rid)
    return ImportResult(
        "replaced" if replaced_id else "imported",
        rid,
        job.kind,
        job.fmt,
        res_name,
        final.lang,
        final.variety,
        final.target_lang,
        n_read,
        n_stored,
        len(rejected),
        final.entries,
        job.digest,
        tuple(ctx.notes),
        rj_path,
        replaced_id,
    )


def _on_reject(on_error: str, srcs, rejected: list[Reject]):
    """What happens to a row that cannot be stored: the import fails on it, or it is kept for the rejects."""

    def handle(reject: Reject) -> None:
        if on_error == "fail":
            raise ParseError(reject.path or srcs[0], reject.line or None, reject.reason, hint=SKIP_HINT)
        rejected.append(reject)

    return handle


def _begin(store: Store, job: _Job):
    """Create the resource row (inside the import transaction) once the reader has named its language."""
    ctx = job.ctx
    if ctx.lang is None:
        named = ", or name the file by it (`kat.trn`, `san/san`)" if job.kind == "morph" else ""
        raise LanguageError(
            f"{job.srcs[0]}: the file does not say which language it is in",
            hint=f"pass --lang with an ISO 639-3 code{named}",
        )
    lang, tgt = ctx.lang, ctx.target_lang
    name = job.name or ctx.name or job.srcs[0].name
    replaced_id = None
    same = store.find_same(
        job.kind, job.digest, lang.tag, tgt.tag if tgt else None, resources.options_json(dict(ctx.options))
    )
    if same is not None and not job.replace:
        raise _Unchanged(same)
    existing = store.find_named(job.kind, name, lang.tag)
    if existing is not None:
        if not job.replace:
            raise OptionError(
                f"a {job.kind} resource named `{name}` for {lang.tag} exists (#{existing.id})",
                hint="pass --replace to replace it, or --name to keep both",
            )
        resources.delete(store, existing.id)
        replaced_id = existing.id
    rid = resources.insert(
        store,
        resources.NewResource(
            kind=job.kind,
            format=job.fmt,
            name=name,
            lang=lang,
            target_lang=tgt,
            scheme=ctx.scheme,
            sources=tuple(str(p) for p in job.srcs),
            sha256=job.digest,
            license=job.license or ctx.license,
            citation=job.citation or ctx.citation,
            options=dict(ctx.options),
        ),
    )
    writer = WRITERS[job.kind](store, rid, lang, tgt)
    return rid, writer, replaced_id, name


def _write_rejects(rejected: list[Reject], target: Path | None, rid: int, force: bool) -> str:
    out = (
        target
        if target is not None and not target.is_dir()
        else ((target or Path(".")) / f"resource-{rid}.rejects.tsv")
    )
    with atomic_output(out, force=force) as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["path", "line", "reason", "raw"])
        for r in rejected:
            w.writerow([r.path or "", r.line, r.reason, r.raw])
    write_manifest(out, "import rejects", params={"resource": rid}, counts={"rejected": len(rejected)})
    return str(out)


__all__ = ["ImportResult", "import_resource", "sha256_files"]
