"""Readers and their catalogue: what a reader is, the options it declares, the context it reads in, and how
the
format of an unnamed file is sniffed.

The catalogue (`lexres/loaders/data/catalog.json`) lists every reader declaratively: kind, format name, the
`module:function` of its reader and sniffer, file extensions, and its options with type, default and help.
Listing
readers and checking options read only that file; a reader's module is imported the first time it reads or
sniffs.
An explicit format always wins over sniffing.

Raises FormatError (unknown or mismatched format, unsniffable file) and OptionError (unknown or ill-typed
option)."""

from __future__ import annotations

import difflib
import importlib
import json
import os
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, BinaryIO

from lexres.errors import FormatError, OptionError, ParseError
from lexres.langs import Lang
from lexres.progress import Progress
from lexres.records import Reject

HEAD_BYTES = 65536
OPTION_TYPES = ("str", "int", "bool", "path", "choice")
_TRUE = ("1", "yes", "true", "y", "on")
_FALSE = ("0", "no", "false", "n", "off")


@dataclass(frozen=True)
class ReaderOption:
    """One option a reader declares (`lexres import … -o NAME=VALUE`): its type (str, int, bool, path or
    choice), default, help text and, for a choice, the allowed values."""

    name: str
    type: str
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()

    def convert(self, value: Any) -> Any:
        """`value` (text from the command line, or already typed) as this option's type.

        Raises OptionError when it does not fit."""
        if value is None:
            return None
        text = str(value).strip()
        if self.type == "int":
            try:
                return int(text)
            except ValueError as exc:
                raise OptionError(f"-o {self.name}={text}: not a whole number") from exc
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise OptionError(f"-o {self.name}={text}: not yes/no")
        if self.type == "choice" and text not in self.choices:
            raise OptionError(
                f"-o {self.name}={text}: unknown value", hint=f"one of: {', '.join(self.choices)}"
            )
        return str(value)


@dataclass(frozen=True)
class Reader:
    """A format reader as the catalogue declares it. `read(paths, ctx)` lazily yields records and Rejects;
    `sniff(head, path)` scores 0..1 how sure it is that a file is in this format (`head`: the first 64 KiB
    without a BOM). Both are imported from their module on first use."""

    name: str
    kind: str
    read_ref: str
    sniff_ref: str | None = None
    description: str = ""
    extensions: tuple[str, ...] = ()
    options: tuple[ReaderOption, ...] = ()
    read_fn: Callable | None = None  # given directly by `register` (plugins, tests) instead of a reference
    sniff_fn: Callable | None = None

    @property
    def read(self) -> Callable[[Sequence[Path], ReadContext], Iterator]:
        """The reader function."""
        return self.read_fn or _resolve(self.read_ref)

    @property
    def sniff(self) -> Callable[[bytes, Path], float] | None:
        """The sniffer function, or None for a format that is never guessed."""
        if self.sniff_fn is not None:
            return self.sniff_fn
        return _resolve(self.sniff_ref) if self.sniff_ref else None

    def check_options(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """The options of an import: unknown names are refused (listing the known ones), values converted to
        their declared types. Defaults are not filled in, so they stay out of an import's identity.

        Raises OptionError."""
        known = {o.name: o for o in self.options}
        out: dict[str, Any] = {}
        for name, value in (given or {}).items():
            opt = known.get(name)
            if opt is None:
                close = difflib.get_close_matches(name, known, n=1)
                did = f"did you mean `{close[0]}`? " if close else ""
                listed = ", ".join(sorted(known)) or "none"
                raise OptionError(
                    f"the {self.kind} reader `{self.name}` has no option `{name}`",
                    hint=f"{did}its options: {listed} (see `lexres formats --verbose`)",
                )
            if value is not None:
                out[name] = opt.convert(value)
        return out


def _resolve(ref: str) -> Callable:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


@cache
def catalogue() -> tuple[Reader, ...]:
    """Every reader, from the declarative catalogue; imports no reader module."""
    data = json.loads(files("lexres.loaders").joinpath("data/catalog.json").read_text(encoding="utf-8"))
    out = []
    for e in data:
        opts = tuple(
            ReaderOption(
                o["name"], o["type"], o.get("default"), o.get("help", ""), tuple(o.get("choices", ()))
            )
            for o in e.get("options", ())
        )
        for o in opts:
            if o.type not in OPTION_TYPES:
                raise ValueError(f"catalogue: option {e['name']}.{o.name} has unknown type {o.type}")
        out.append(
            Reader(
                e["name"],
                e["kind"],
                e["read"],
                e.get("sniff"),
                e.get("description", ""),
                tuple(e.get("extensions", ())),
                opts,
            )
        )
    return tuple(sorted(out, key=lambda r: (r.kind, r.name)))


_EXTRA: dict[tuple[str, str], Reader] = {}


def register(
    name: str,
    kind: str,
    read: Callable,
    sniff: Callable | None = None,
    *,
    description: str = "",
    extensions: Sequence[str] = (),
    options: Sequence[ReaderOption] = (),
) -> Reader:
    """Add a reader that is not in the catalogue (a plugin's, or a test's), given as functions.

    Raises ValueError when the name is taken."""
    if any(r.kind == kind and r.name == name for r in catalogue()) or (kind, name) in _EXTRA:
        raise ValueError(f"two readers named {kind}/{name}")
    reader = Reader(
        name,
        kind,
        f"<registered {name}>",
        None,
        description,
        tuple(extensions),
        tuple(options),
        read_fn=read,
        sniff_fn=sniff,
    )
    _EXTRA[(kind, name)] = reader
    return reader


def unregister(kind: str, name: str) -> None:
    """Remove a reader added with `register`."""
    _EXTRA.pop((kind, name), None)


def readers(kind: str | None = None) -> list[Reader]:
    """The readers of one kind (or all), sorted by kind and name: the catalogue's, then registered ones."""
    every = list(catalogue()) + sorted(_EXTRA.values(), key=lambda r: (r.kind, r.name))
    return [r for r in every if kind is None or r.kind == kind]


def get(kind: str, name: str) -> Reader:
    """The reader for an explicitly named format; an explicit format always wins over sniffing.

    Raises FormatError for an unknown format or one of another kind."""
    for r in readers():
        if r.kind == kind and r.name == name:
            return r
    other = [r.kind for r in readers() if r.name == name]
    if other:
        raise FormatError(
            f"format `{name}` is a {other[0]} format, not {kind}",
            hint=f"import it with `lexres import {other[0]} ...`",
        )
    known = ", ".join(r.name for r in readers(kind)) or "none yet"
    raise FormatError(f"unknown {kind} format `{name}`", hint=f"known {kind} formats: {known}")


def check_regular(path: Path) -> None:
    """Refuse at once anything that is not a regular file (a FIFO, /dev/zero, a socket), which would hang or
    never end.

    Raises FormatError."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing files are reported by the caller with their own hint
    if not stat.S_ISREG(mode):
        raise FormatError(
            f"{path}: not a regular file", hint="give a file on disk, not a device, pipe or socket"
        )


def read_head(path: Path) -> bytes:
    """The first 64 KiB of a file, without a UTF-8 BOM."""
    check_regular(path)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def scores(kind: str | None, head: bytes, path: Path) -> list[tuple[float, Reader]]:
    """(score, reader) of every reader of `kind` (or all) that claims `head`, best first; a sniffer that
    raises
    on foreign bytes does not claim the file."""
    out = []
    for reader in readers(kind):
        fn = reader.sniff
        if fn is None:
            continue
        try:
            score = float(fn(head, path))
        except Exception:  # a sniffer that chokes on foreign bytes just does not claim the file
            score = 0.0
        if score > 0:
            out.append((min(score, 1.0), reader))
    return sorted(out, key=lambda t: -t[0])


def _encoding_problem(head: bytes) -> str | None:
    """Why `head` cannot be text a reader understands, or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it starts with a UTF-16 or UTF-32 byte-order mark, not UTF-8"
    if head[:200].count(b"\0") > 20:
        return "it holds NUL bytes (UTF-16/32 text or a binary file)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end of the head is fine
            line = head[: exc.start].count(b"\n") + 1
            return f"line {line} is not UTF-8 ({exc.reason})"
    return None


def sniff(kind: str, path: Path) -> Reader:
    """Pick the reader for `path` among the formats of `kind`, or refuse with a hint.

    Raises FormatError (empty file, not UTF-8, not this kind, unknown format)."""
    head = read_head(path)
    if not head.strip():
        raise FormatError(f"{path}: the file is empty", hint="check the path")
    found = scores(None, head, path)  # every sniffer runs once: the other kinds' scores give the hint
    mine = [(s, r) for s, r in found if r.kind == kind]
    others = [(s, r) for s, r in found if r.kind != kind]
    if mine and (not others or mine[0][0] >= others[0][0]):
        return mine[0][1]
    problem = _encoding_problem(head)
    if problem:
        source = "UTF-16" if ("UTF-16" in problem or "NUL" in problem) else "LATIN1"  # its likely encoding
        raise FormatError(
            f"{path}: cannot read this file as text: {problem}",
            hint=f"convert it to UTF-8 (e.g. `iconv -f {source} -t UTF-8`), or name the format with --format",
        )
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


class CountingFile:
    """A binary file that reports the bytes read to a progress bar."""

    def __init__(self, fh: BinaryIO, progress: Progress):
        self._fh, self._progress = fh, progress

    def read(self, n: int = -1) -> bytes:
        """Read up to `n` bytes (all with -1)."""
        data = self._fh.read(n)
        self._progress.advance(len(data))
        return data

    def readline(self, n: int = -1) -> bytes:
        """Read one line (bytes, with its line end)."""
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


def split_lines(data: bytes) -> Iterator[bytes]:
    """Physical lines of `data` ending in LF, CRLF, CR alone, or U+2028/U+2029 (encoded in UTF-8), without
    their line ends; every line-based reader uses this, so all line ends give the same records."""
    start, n = 0, len(data)
    i = 0
    while i < n:
        b = data[i]
        if b == 0x0A:
            yield data[start:i]
            i += 1
            start = i
        elif b == 0x0D:
            yield data[start:i]
            i += 2 if i + 1 < n and data[i + 1] == 0x0A else 1
            start = i
        elif b == 0xE2 and data[i + 1 : i + 3] in (b"\x80\xa8", b"\x80\xa9"):
            yield data[start:i]
            i += 3
            start = i
        else:
            i += 1
    if start < n:
        yield data[start:]


@dataclass
class ReadContext:
    """What a reader gets besides its paths. Readers of formats that name their own languages may set
    `lang` / `target_lang` before their first record; `scheme` records a detected layout or versification.
    `options` are already checked and typed against the reader's declared options."""

    lang: Lang | None
    target_lang: Lang | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    strict: bool = False
    notes: list[str] = field(default_factory=list)
    scheme: str | None = None
    name: str | None = None  # a reader may suggest a resource name (e.g. a CLDF dataset id)
    progress: Progress = field(default_factory=Progress)
    force_lang: bool = False  # the user's --lang wins over a language the file declares
    license: str | None = None  # a reader may take these from the file's metadata (CLDF, TEI header);
    citation: str | None = None  # the user's --license / --citation win

    def open(self, path: Path) -> BinaryIO:
        """Open a source file for binary reading, feeding the progress bar.

        Raises FormatError for anything but a regular file."""
        check_regular(Path(path))
        return CountingFile(open(path, "rb"), self.progress)  # type: ignore[return-value]

    def lines(self, path: Path) -> Iterator[tuple[int, str] | Reject]:
        """(1-based line, text without its line end) of a UTF-8 text file, for line-based readers. LF, CRLF,
        CR, U+2028 and U+2029 all end a line; a BOM is dropped; a line that is not UTF-8 comes out as a Reject
        naming its line, never as a traceback. UTF-16/32 input is refused with a ParseError."""
        with self.open(path) as fh:
            data = fh.read()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
            len(data) >= 4 and data[1] == 0 and data[3] == 0
        ):
            raise ParseError(
                path,
                1,
                "the file is UTF-16 or UTF-32, not UTF-8",
                hint="convert it with `iconv -f UTF-16 -t UTF-8`",
            )
        for n, raw in enumerate(split_lines(data), 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Reject(
                    n,
                    f"not UTF-8 ({exc.reason} at byte {exc.start})",
                    raw.decode("utf-8", "replace"),
                    str(path),
                )
                continue
            if "\0" in text:
                yield Reject(n, "NUL byte in the line", text.replace("\0", "\\0"), str(path))
                continue
            yield n, text

    def note(self, message: str) -> None:
        """Record a note on the resource (kept once). Bytes that were not UTF-8 (lone surrogates) become
        U+FFFD, so a note quoting a bad line can always be stored."""
        if not message.isascii():
            message = message.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if message not in self.notes:
            self.notes.append(message)

    def option(self, name: str, default: Any = None) -> Any:
        """The value of a reader option, or `default` when it was not given."""
        value = self.options.get(name)
        return default if value is None else value
