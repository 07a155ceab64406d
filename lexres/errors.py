"""Exceptions. Every error lexres raises for bad input derives from LexresError and from the nearest builtin,
so callers can catch either; the CLI prints `str(err)` plus the hint as one line and exits with code 2."""

from __future__ import annotations

from pathlib import Path


class LexresError(Exception):
    """Base of every lexres error; `hint` says what the user can do about it."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0]) if self.args else ""


class ParseError(LexresError, ValueError):
    """A source file could not be read; names the file and the 1-based line."""

    def __init__(self, path: str | Path | None, line: int | None, message: str, *, hint: str | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.reason = message
        where = self.path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}", hint=hint)


class FormatError(LexresError, ValueError):
    """The format of a file is unknown, could not be sniffed, or does not fit the kind asked for."""

    hint = "name the format with --format (see `lexres formats`)"


class LanguageError(LexresError, ValueError):
    """A language code is not a valid, current ISO 639 code."""

    hint = "use an ISO 639-3 code such as `swh`, or a BCP-47 tag such as `ckb-Arab`"


class StoreError(LexresError, RuntimeError):
    """The store cannot do what was asked (schema too new, locked for too long, ...)."""


class NotFoundError(LexresError, KeyError):
    """A resource, language or entry asked for is not in the store."""

    hint = "see `lexres list` for what the store holds"


class MissingExtraError(LexresError, ImportError):
    """An optional heavy library is not installed; names the extra that brings it."""

    def __init__(self, module: str, extra: str):
        super().__init__(
            f"this needs the optional package `{module}`",
            hint=f"install it with: pip install 'lexres[{extra}]'",
        )
        self.module = module
        self.extra = extra


class OptionError(LexresError, ValueError):
    """Options given together do not make sense, or one has a bad value."""


def require(module: str, extra: str):
    """Import an optional heavy module, or raise MissingExtraError naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra) from exc
