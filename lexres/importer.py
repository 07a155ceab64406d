"""Import: pick a reader, stream its records into the store in one transaction, keep provenance.

Readers yield records and `Reject`s; here the first Reject aborts the import (default, nothing stored)
or, with on_error="skip", goes to the rejects table and a rejects file, so read = stored + rejected."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from . import __version__, registry
from .errors import LanguageError, NotFoundError, OptionError, ParseError
from .langs import Lang, resolve
from .progress import Progress
from .records import KINDS, LexiconPair, MorphEntry, Record, Reject, Verse
from .store import Store
from .writers import WRITERS

SKIP_HINT = (
    "fix the line, or pass --on-error skip to store the good rows and write the bad ones to a rejects file"
)


class _CountingFile:
    """A binary file that reports bytes read to the progress bar."""

    def __init__(self, fh: BinaryIO, progress: Progress):
        self._fh, self._progress = fh, progress

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self._progress.advance(len(data))
        return data

    def readline(self, n: int = -1) -> bytes:
        data = self._fh.readline(n)
        self._progress.advance(len(data))
        return data

    def __iter__(self) -> Iterator[bytes]:
        for line in self._fh:
            self._progress.advance(len(line))
            yield line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


@dataclass
class ReadContext:
    """What a reader gets besides its paths. Readers of formats that name their own languages may set
    `lang` / `target_lang` before their first record; `scheme` records a detected layout or versification."""

    lang: Lang | None
    target_lang: Lang | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    strict: bool = False
    notes: list[str] = field(default_factory=list)
    scheme: str | None = None
    name: str | None = None  # a reader may suggest a resource name (e.g. a CLDF dataset id)
    progress: Progress = field(default_factory=Progress)

    def open(self, path: Path) -> BinaryIO:
        """Open a source file for binary reading, feeding the progress bar."""
        return _CountingFile(open(path, "rb"), self.progress)  # type: ignore[return-value]

    def lines(self, path: Path) -> Iterator[tuple[int, str] | Reject]:
        """(1-based line, text without its line break) of a UTF-8 text file, for line-based readers: a BOM is
        dropped, and a line that is not UTF-8 comes out as a Reject naming its line, never as a traceback."""
        with self.open(path) as fh:
            for n, raw in enumerate(fh, 1):
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield Reject(n, f"not UTF-8 ({exc.reason} at byte {exc.start})",
                                 raw.rstrip(b"\r\n").decode("utf-8", "replace"), str(path))
                    continue
                yield n, text.rstrip("\r\n")

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class ImportResult:
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
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def sha256_files(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def _check_paths(paths: Sequence[Path]) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise NotFoundError(f"{p}: no such file", hint="check the path")
        if p.is_dir():
            raise OptionError(f"{p}: is a directory, not a file", hint="give the file(s) inside it")
        out.append(p)
    if not out:
        raise OptionError("no input file given")
    return out


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
    records: Iterable[Record | Reject] | None = None,
) -> ImportResult:
    """Import one resource (one file, or several that make one table, e.g. `fin.1 fin.2`).

    Re-importing the same bytes is a no-op (status "unchanged"); `replace=True` swaps out the resource of
    the same name atomically. `records` lets Python callers feed records directly (derived resources)."""
    if kind not in KINDS:
        raise OptionError(f"unknown kind `{kind}`", hint=f"one of: {', '.join(KINDS)}")
    if on_error not in ("fail", "skip"):
        raise OptionError(f"--on-error must be fail or skip, not `{on_error}`")
    srcs = _check_paths([Path(p) for p in paths])
    progress = progress or Progress()
    lang_obj = resolve(lang) if isinstance(lang, str) else lang
    tgt_obj = resolve(target_lang) if isinstance(target_lang, str) else target_lang
    if records is None:
        reader = registry.get(kind, format) if format else registry.sniff(kind, srcs[0])
        fmt = reader.name
    else:
        reader, fmt = None, format or "records"
    ctx = ReadContext(
        lang=lang_obj, target_lang=tgt_obj, options=dict(options or {}), strict=strict, progress=progress
    )
    digest = sha256_files(srcs)
    try:
        if lang_obj is not None and not replace:  # cheap check before parsing anything
            same = store.find_same(
                kind, digest, lang_obj.tag, tgt_obj.tag if tgt_obj else None, options_json(ctx.options)
            )
            if same is not None:
                raise _Unchanged(same)
        progress.start(sum(p.stat().st_size for p in srcs), f"importing {name or srcs[0].name}")
        stream = records if records is not None else reader.read(srcs, ctx)  # type: ignore[union-attr]
        return _run(
            store,
            kind,
            fmt,
            name,
            ctx,
            srcs,
            digest,
            license,
            citation,
            replace,
            on_error,
            rejects_path,
            stream,
        )
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
            store.entry_count(same.id, kind),
            digest,
            (f"already imported as resource #{same.id} ({same.name}); nothing to do",),
        )


class _Unchanged(Exception):
    def __init__(self, resource):
        self.resource = resource


def options_json(options: Mapping[str, Any]) -> str:
    """Reader options as stored: part of an import's identity (same bytes + other options = a new import)."""
    return json.dumps(
        {k: v for k, v in options.items() if v is not None}, ensure_ascii=False, default=str, sort_keys=True
    )


def _run(
    store, kind, fmt, name, ctx, srcs, digest, license, citation, replace, on_error, rejects_path, stream
) -> ImportResult:
    rejected: list[Reject] = []
    n_read = n_stored = 0
    replaced_id = None
    with store.transaction() as conn:
        writer = None
        stream = iter(stream)
        for first in stream:  # the reader has named its language by its first item
            rid, writer, replaced_id, res_name = _begin(
                store, kind, fmt, name, ctx, srcs, digest, license, citation, replace
            )
            n_read = writer.consume(chain((first,), stream), _on_reject(on_error, srcs, rejected))
            n_stored = n_read - len(rejected)
            break
        if writer is None:  # an empty source still becomes a resource, so its provenance is kept
            rid, writer, replaced_id, res_name = _begin(
                store, kind, fmt, name, ctx, srcs, digest, license, citation, replace
            )
        writer.close()
        conn.executemany(
            "INSERT INTO rejects(resource_id, path, line, reason, raw) VALUES (?, ?, ?, ?, ?)",
            [(rid, r.path or str(srcs[0]), r.line, r.reason, r.raw) for r in rejected],
        )
        for note in writer.notes:
            ctx.note(note)
        conn.execute(
            "UPDATE resources SET n_read = ?, n_stored = ?, n_rejected = ?, notes = ?, scheme = ? "
            "WHERE id = ?",
            (n_read, n_stored, len(rejected), json.dumps(ctx.notes, ensure_ascii=False), ctx.scheme, rid),
        )
        _record_langs(store, rid, writer.langs)
    rj_path = _write_rejects(rejected, rejects_path, res_name) if rejected else None
    final = store.resource(rid)
    return ImportResult(
        "replaced" if replaced_id else "imported",
        rid,
        kind,
        fmt,
        res_name,
        final.lang,
        final.variety,
        final.target_lang,
        n_read,
        n_stored,
        len(rejected),
        final.entries,
        digest,
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


def _begin(store, kind, fmt, name, ctx: ReadContext, srcs, digest, license, citation, replace):
    """Create the resource row (inside the import transaction) once the reader has named its language."""
    if ctx.lang is None:
        raise LanguageError(
            f"{srcs[0]}: the file does not say which language it is in",
            hint="pass --lang with an ISO 639-3 code",
        )
    lang, tgt = ctx.lang, ctx.target_lang
    name = name or ctx.name or srcs[0].name
    replaced_id = None
    same = store.find_same(kind, digest, lang.tag, tgt.tag if tgt else None, options_json(ctx.options))
    if same is not None and not replace:
        raise _Unchanged(same)
    existing = store.find_named(kind, name, lang.tag)
    if existing is not None:
        if not replace:
            raise OptionError(
                f"a {kind} resource named `{name}` for {lang.tag} exists (#{existing.id})",
                hint="pass --replace to replace it, or --name to keep both",
            )
        store._delete(existing.id)
        replaced_id = existing.id
    store.ensure_language(lang)
    if tgt is not None:
        store.ensure_language(tgt)
    source = ";".join(os.path.abspath(p) for p in srcs)
    cur = store.conn.execute(
        "INSERT INTO resources(kind, format, name, lang, variety, target_lang, target_variety, scheme, "
        "source_path, sha256, license, citation, importer_version, imported_at, options) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            fmt,
            name,
            lang.code,
            lang.tag,
            tgt.code if tgt else None,
            tgt.tag if tgt else None,
            ctx.scheme,
            source,
            digest,
            license,
            citation,
            f"lexres {__version__}",
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            options_json(ctx.options),
        ),
    )
    rid = cur.lastrowid
    writer = WRITERS[kind](store, rid, lang, tgt)
    return rid, writer, replaced_id, name


def _record_langs(store: Store, rid: int, langs: set[Lang]) -> None:
    for lang in langs:
        store.ensure_language(lang)
    store.conn.executemany(
        "INSERT OR IGNORE INTO resource_langs(resource_id, lang, variety) VALUES (?, ?, ?)",
        [(rid, lg.code, lg.tag) for lg in langs],
    )


def _write_rejects(rejected: list[Reject], path: str | Path | None, name: str) -> str:
    out = Path(path) if path else Path(f"{name}.rejects.tsv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["path", "line", "reason", "raw"])
        for r in rejected:
            w.writerow([r.path or "", r.line, r.reason, r.raw])
    return str(out)


__all__ = [
    "ImportResult",
    "ReadContext",
    "import_resource",
    "sha256_files",
    "LexiconPair",
    "MorphEntry",
    "Verse",
]
