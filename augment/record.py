"""Record a generated file in the store as a derived resource, so `lexres list` shows what was made from
which lexicons / Bibles, with which options."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..langs import resolve
from ..manifest import file_sha256
from ..store import Store


def record_derived(
    store: Store,
    *,
    kind: str,
    format: str,
    output: str | Path,
    lang: str,
    target_lang: str | None = None,
    derived_from: Sequence[int] = (),
    options: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    n_read: int = 0,
    n_stored: int = 0,
) -> int:
    """Insert (or, for a rerun to the same output, replace) the resource row of a generated file."""
    output = Path(output)
    lg = resolve(lang)
    tg = resolve(target_lang) if target_lang else None
    name = output.name
    with store.transaction() as conn:
        old = store.find_named(kind, name, lg.tag)
        if old is not None and old.source_path == os.path.abspath(output):
            store._delete(old.id)
        store.ensure_language(lg)
        if tg is not None:
            store.ensure_language(tg)
        cur = conn.execute(
            "INSERT INTO resources(kind, format, name, lang, variety, target_lang, target_variety, "
            "source_path, "
            "sha256, importer_version, imported_at, n_read, n_stored, options, notes, derived_from) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                format,
                name,
                lg.code,
                lg.tag,
                tg.code if tg else None,
                tg.tag if tg else None,
                os.path.abspath(output),
                file_sha256(output),
                f"lexres {__version__}",
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
                n_read,
                n_stored,
                json.dumps(dict(options or {}), ensure_ascii=False, default=str),
                json.dumps(list(notes), ensure_ascii=False),
                json.dumps([int(i) for i in derived_from]),
            ),
        )
        rid = cur.lastrowid
        conn.execute(
            "INSERT OR IGNORE INTO resource_langs(resource_id, lang, variety) VALUES (?, ?, ?)",
            (rid, lg.code, lg.tag),
        )
    return rid


def set_derived_from(store: Store, rid: int, parents: Sequence[int]) -> None:
    """Mark an imported resource (e.g. an induced lexicon) as derived from `parents`."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE resources SET derived_from = ? WHERE id = ?", (json.dumps([int(i) for i in parents]), rid)
        )


def finish_output(
    store: Store,
    *,
    command: str,
    format: str,
    input: str | Path,
    output: str | Path,
    src,
    tgt,
    table,
    options,
    counts: Mapping[str, Any],
    n_read: int,
    n_stored: int,
    params_before: Mapping[str, Any] | None = None,
    params_after: Mapping[str, Any] | None = None,
    skip_options: Sequence[str] = (),
    record: bool = True,
) -> dict:
    """The common end of a substitution command: its params, the sidecar manifest and (with `record`) the
    store row of `output`, translated from `src` to `tgt` (resolved Langs) with `table`. Returns the
    command's result dict. Params keep one key order: src, tgt, params_before, options, params_after,
    lexicons (the manifest signature depends on them)."""
    from ..manifest import write_manifest

    params = {
        "src": src.tag,
        "tgt": tgt.tag,
        **(params_before or {}),
        **{k: v for k, v in options.params().items() if k not in skip_options},
        **(params_after or {}),
        "lexicons": ",".join(str(i) for i in table.resource_ids),
    }
    manifest = write_manifest(
        output,
        command,
        inputs={"input": input},
        input_hashes=table.hashes,
        seed=options.seed,
        params=params,
        counts=dict(counts),
        outputs={"output": output},
    )
    rid = None
    if record:
        rid = record_derived(
            store,
            kind="text",
            format=format,
            output=output,
            lang=tgt.tag,
            derived_from=table.resource_ids,
            options={**params, "seed": options.seed},
            n_read=n_read,
            n_stored=n_stored,
        )
    return {
        "output": str(output),
        "manifest": str(manifest),
        "resource_id": rid,
        "lexicons": list(table.resource_ids),
        "entries": len(table),
        "counts": dict(counts),
    }
