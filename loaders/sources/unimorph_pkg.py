"""The `unimorph` package's data folder as a source: `lexres import morph --unimorph LANG`.

The package keeps one git checkout per language under `$UNIMORPH` (default `~/.unimorph`):
`$UNIMORPH/<lang>/<lang>`, or split tables `<lang>.1`, `<lang>.2`, ... (Finnish). A language that is
missing is fetched through the package (a `git clone`) only when the network is reachable; set
`LEXRES_OFFLINE=1` to never try."""
from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

from lexres.errors import LexresError, NotFoundError
from lexres.langs import resolve

ENV_DIR = "UNIMORPH"
ENV_OFFLINE = "LEXRES_OFFLINE"
PROBE = ("github.com", 443)


def data_dir() -> Path:
    """`$UNIMORPH`, else `~/.unimorph`, read at call time (the package reads it once, at import)."""
    env = os.environ.get(ENV_DIR)
    return Path(env).expanduser() if env else Path.home() / ".unimorph"


def _split_parts(folder: Path, code: str) -> list[Path]:
    parts = [p for p in folder.glob(f"{code}.*") if re.fullmatch(rf"{re.escape(code)}\.\d+", p.name)]
    return sorted(parts, key=lambda p: int(p.suffix[1:]))


def tables(folder: Path, code: str) -> list[Path]:
    """The table file(s) of one language checkout: `<code>`, or its numbered parts in order."""
    main = folder / code
    if main.is_file():
        return [main]
    return _split_parts(folder, code)


def _missing(folder: Path) -> bool:
    return not folder.is_dir() or not any(folder.iterdir())


def network_ok(timeout: float = 3.0) -> bool:
    """Whether the UniMorph repositories can be reached (never tried when LEXRES_OFFLINE is set)."""
    if os.environ.get(ENV_OFFLINE, "").strip() not in ("", "0"):
        return False
    try:
        with socket.create_connection(PROBE, timeout=timeout):
            return True
    except OSError:
        return False


def download(code: str, root: Path) -> None:
    """Fetch one language into `root` through the unimorph package."""
    import unimorph

    saved = unimorph.UNIMORPH_DIR
    unimorph.UNIMORPH_DIR = root  # the package fixed its folder at import; point it at ours for this call
    try:
        root.mkdir(parents=True, exist_ok=True)
        unimorph.download_unimorph(code)
    except (subprocess.CalledProcessError, OSError, AssertionError) as exc:
        raise LexresError(f"downloading UniMorph `{code}` into {root} failed: {exc}",
                          hint="check that the language has a repository at github.com/unimorph/"
                               f"{code}, or copy the data there by hand") from exc
    finally:
        unimorph.UNIMORPH_DIR = saved


def locate(lang: str) -> list[Path]:
    """The table file(s) of `lang` in the unimorph data folder, downloading them first if missing
    and the network allows; a clear error otherwise."""
    code = resolve(lang).code
    root = data_dir()
    folder = root / code
    if _missing(folder):
        if not network_ok():
            raise NotFoundError(
                f"UniMorph data for `{code}` is not in {root} and the network is not available",
                hint=f"connect and retry, or clone https://github.com/unimorph/{code} into {folder}")
        download(code, root)
    found = tables(folder, code)
    if not found:
        present = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                         if p.is_file() and ".git" not in p.parts)[:12]
        raise NotFoundError(
            f"{folder} has no table named `{code}` (or `{code}.1`, `{code}.2`, ...)",
            hint="import one of its files by path: " + (", ".join(present) or "the folder is empty"))
    return found
