"""The one way lexres writes a file: to a temporary file in the destination folder, fsynced, then renamed over
the destination, so a killed run leaves the old file or none, never a truncated one; never through a symlink;
never over a file lexres did not write (no lexres manifest beside it) unless forced.

Raises OptionError for a destination that is a symlink, a directory, in a missing or unwritable folder, or a
file lexres did not make."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from lexres.errors import OptionError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _plain_mode(path: str | Path, directory: bool = False) -> None:
    """Give a file made by mkstemp/mkdtemp (0600/0700) the permissions an ordinary open() would."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def manifest_path(output: str | Path) -> Path:
    """The manifest sidecar of an output: `<file>.manifest.json`, or `manifest.json` inside a directory."""
    output = Path(output)
    return (
        output / "manifest.json"
        if output.is_dir() and not output.is_symlink()
        else output.with_name(output.name + ".manifest.json")
    )


# A Parquet dataset directory keeps its manifest as `_manifest.json`: readers skip `_`-prefixed files.
DATASET_MANIFEST = "_manifest.json"


def made_by_lexres(path: Path) -> bool:
    """Whether `path` has a lexres manifest beside it (or inside it, for a directory), or is listed among
    the outputs of the lexres manifest of its folder (the files of `task inflection build`)."""
    sides = [manifest_path(path)]
    if path.is_dir() and not path.is_symlink():
        sides.append(path / DATASET_MANIFEST)
    for side in sides:
        if _lexres_manifest(side) is not None:
            return True
    return listed_by(path.parent / "manifest.json", path)


def listed_by(manifest: str | Path, path: str | Path) -> bool:
    """Whether the lexres manifest `manifest` lists `path` (by name, in the same folder) among its outputs."""
    body = _lexres_manifest(Path(manifest))
    if body is None or Path(manifest).parent != Path(path).parent:
        return False
    outputs = body.get("outputs") or {}
    return any(isinstance(o, dict) and o.get("path") == Path(path).name for o in outputs.values())


def _lexres_manifest(side: Path) -> dict | None:
    """The JSON of `side` when it is a lexres manifest (a regular file, not a link), else None."""
    if not side.is_file() or side.is_symlink():
        return None
    try:
        body = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) and body.get("tool") == "lexres" else None


def check_destination(path: str | Path, *, force: bool = False, directory: bool = False) -> Path:
    """Check that `path` may be written before any work starts: its folder exists (it is created if
    missing) and is writable, neither it nor its manifest path is a symlink, and it is absent or was written
    by lexres (or `force`).

    Raises OptionError."""
    path = Path(path)
    if path.is_symlink():
        raise OptionError(
            f"{path}: is a symbolic link; lexres never writes through one",
            hint="give the real path, or remove the link",
        )
    side = path.with_name(path.name + ".manifest.json")
    if not directory and side.is_symlink():
        raise OptionError(
            f"{side}: the manifest path is a symbolic link; lexres never writes through one",
            hint="remove the link, or give another output path",
        )
    if path.exists():
        if path.is_dir() != directory:
            what = "a directory" if path.is_dir() else "a file"
            raise OptionError(f"{path}: is {what}", hint="give another output path")
        empty_dir = directory and not any(path.iterdir())
        if not force and not empty_dir and not made_by_lexres(path):
            raise OptionError(
                f"{path}: exists and was not written by lexres (no manifest beside it)",
                hint="pass --force to replace it, or give another path",
            )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OptionError(
                f"{parent}: cannot create the folder ({exc.strerror})",
                hint="give an output path in a writable folder",
            ) from exc
    if not os.access(parent, os.W_OK):
        raise OptionError(
            f"{parent}: folder is not writable", hint="give an output path in a writable folder"
        )
    return path


@contextmanager
def atomic_output(
    path: str | Path, *, force: bool = False, binary: bool = False, newline: str | None = ""
) -> Iterator[IO]:
    """Open a temporary file beside `path` for writing; on success it is fsynced and renamed over `path`; on
    any error it is removed and `path` is untouched.

    Raises OptionError (see `check_destination`)."""
    mode = "wb" if binary else "w"
    kw = {} if binary else {"encoding": "utf-8", "newline": newline}
    with atomic_path(path, force=force) as tmp, open(tmp, mode, **kw) as fh:
        yield fh


@contextmanager
def atomic_path(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary file path beside `path` for libraries that write by name (Parquet, SentencePiece); renamed
    over `path` when the block succeeds.

    Raises OptionError (see `check_destination`)."""
    path = check_destination(path, force=force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        _plain_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def atomic_dir(path: str | Path, *, force: bool = False) -> Iterator[Path]:
    """A temporary directory beside `path`, renamed into place when the block succeeds (an existing lexres
    directory is replaced); removed on error.

    Raises OptionError (see `check_destination`)."""
    path = check_destination(path, force=force, directory=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or "."))
    try:
        yield tmp
        _plain_mode(tmp, directory=True)
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write `text` (UTF-8) atomically; see `atomic_output`."""
    with atomic_output(path, force=force, newline="") as fh:
        fh.write(text)
    return Path(path)
