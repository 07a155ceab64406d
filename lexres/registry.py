"""Reader registry: format name -> reader, per kind; sniffs the format of a file it is not told.

Readers live in `lexres.loaders` modules and call `register(Reader(...))` at import time; every module
of that package (except `cli_*`) is imported the first time the registry is asked."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import FormatError

if TYPE_CHECKING:
    from .importer import ReadContext
    from .records import Record, Reject

HEAD_BYTES = 65536

ReadFn = Callable[[Sequence[Path], "ReadContext"], Iterator["Record | Reject"]]
SniffFn = Callable[[bytes, Path], float]


@dataclass(frozen=True)
class Reader:
    """A format reader. `sniff(head, path)` scores 0..1 how sure it is the file is in this format;
    `head` is the first 64 KiB with any BOM removed."""

    name: str
    kind: str
    read: ReadFn
    sniff: SniffFn | None = None
    description: str = ""
    extensions: tuple[str, ...] = ()


_READERS: dict[tuple[str, str], Reader] = {}
_loaded = False


def register(reader: Reader) -> Reader:
    key = (reader.kind, reader.name)
    if key in _READERS and _READERS[key] is not reader:
        raise ValueError(f"two readers registered as {reader.kind}/{reader.name}")
    _READERS[key] = reader
    return reader


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import lexres.loaders as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if not mod.name.startswith(("cli_", "_")):
            importlib.import_module(f"lexres.loaders.{mod.name}")


def readers(kind: str | None = None) -> list[Reader]:
    _load()
    return [r for (k, _), r in sorted(_READERS.items()) if kind is None or k == kind]


def get(kind: str, name: str) -> Reader:
    """The reader for an explicitly named format; an explicit format always wins over sniffing."""
    _load()
    reader = _READERS.get((kind, name))
    if reader is None:
        other = [k for (k, n) in _READERS if n == name]
        if other:
            raise FormatError(
                f"format `{name}` is a {other[0]} format, not {kind}",
                hint=f"import it with `lexres import {other[0]} ...`",
            )
        known = ", ".join(r.name for r in readers(kind)) or "none yet"
        raise FormatError(f"unknown {kind} format `{name}`", hint=f"known {kind} formats: {known}")
    return reader


def read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def _scores(kind: str | None, head: bytes, path: Path) -> list[tuple[float, Reader]]:
    out = []
    for reader in readers(kind):
        if reader.sniff is None:
            continue
        try:
            score = reader.sniff(head, path)
        except Exception:  # a sniffer that chokes on foreign bytes just does not claim the file
            score = 0.0
        if score > 0:
            out.append((score, reader))
    return sorted(out, key=lambda t: -t[0])


def sniff(kind: str, path: Path) -> Reader:
    """Pick the reader for `path` among the formats of `kind`, or refuse with a hint."""
    head = read_head(path)
    if not head.strip():
        raise FormatError(f"{path}: the file is empty", hint="check the path")
    scores = _scores(None, head, path)  # every sniffer runs once: the other kinds' scores give the hint
    mine = [(s, r) for s, r in scores if r.kind == kind]
    others = [(s, r) for s, r in scores if r.kind != kind]
    if mine and (not others or mine[0][0] >= others[0][0]):
        return mine[0][1]
    if others:
        r = others[0][1]
        raise FormatError(
            f"{path}: this looks like {r.kind} data ({r.name}), not {kind}",
            hint=f"import it with `lexres import {r.kind} {path}`, or force --format",
        )
    known = ", ".join(r.name for r in readers(kind)) or "none yet"
    raise FormatError(
        f"{path}: cannot tell which {kind} format this is",
        hint=f"name it with --format (known {kind} formats: {known})",
    )
