"""Manifests: every file lexres generates gets a JSON sidecar saying how it was made (tool version, input
hashes, seed, parameters, counts), plus a one-line signature in the spirit of sacrebleu's."""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lexres import __version__
from lexres.outputs import manifest_path, write_text


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks (the one hash helper)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_files(paths) -> str:
    """SHA-256 over the bytes of several files in order (the identity of a resource read from them)."""
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def signature(command: str, params: Mapping[str, Any], seed: int | None = None) -> str:
    """Compact, stable description of a run: `lexres:0.1.0|augment pseudo-mono|seed:1|choice:uniform|...`."""
    bits = [f"lexres:{__version__}", command]
    if seed is not None:
        bits.append(f"seed:{seed}")
    bits += [f"{k}:{params[k]}" for k in sorted(params) if params[k] is not None]
    return "|".join(bits)


def write_manifest(
    output: str | Path,
    command: str,
    *,
    inputs: Mapping[str, str | Path] | None = None,
    input_hashes: Mapping[str, str] | None = None,
    seed: int | None = None,
    params: Mapping[str, Any] | None = None,
    counts: Mapping[str, Any] | None = None,
    outputs: Mapping[str, str | Path] | None = None,
    path: str | Path | None = None,
    lexicons: Sequence[Mapping[str, Any]] | None = None,
    filtered_lines: Sequence[int] | None = None,
) -> Path:
    """Write the sidecar for `output` (a file -> `<file>.manifest.json`, a directory -> `manifest.json`),
    atomically and never through a symlink. `inputs` are files hashed here; `input_hashes` are already known
    (e.g. store resources).

    Every manifest has the same keys: tool, version, command, signature, created, python, platform, seed,
    params, inputs, counts, outputs, lexicons (`[{"id", "kind": "imported"|"derived", "format", "name"}]`,
    the lexicons an output was made with) and filtered_lines (1-based input lines left out or blanked in a
    line-aligned output; None when the command does not filter lines)."""
    params = dict(params or {})
    hashes = {name: {"path": str(p), "sha256": file_sha256(p)} for name, p in (inputs or {}).items()}
    for name, digest in (input_hashes or {}).items():
        hashes[name] = {"sha256": digest}
    body = {
        "tool": "lexres",
        "version": __version__,
        "command": command,
        "signature": signature(command, params, seed),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
        "seed": seed,
        "params": params,
        "inputs": hashes,
        "counts": dict(counts or {}),
    }
    body["outputs"] = {
        name: {"path": Path(p).name, "sha256": file_sha256(p)} for name, p in (outputs or {}).items()
    }
    body["lexicons"] = [dict(x) for x in (lexicons or [])]
    body["filtered_lines"] = None if filtered_lines is None else [int(n) for n in filtered_lines]
    target = Path(path) if path else manifest_path(output)
    write_text(target, json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n", force=True)
    return target
