"""Record a generated file in the store as a derived resource, so `lexres list` shows what was made from
which lexicons / Bibles, with which options."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lexres.langs import resolve
from lexres.provenance import file_sha256
from lexres.records import Result
from lexres.store import Store, resources


@dataclass(frozen=True)
class DerivedOutput(Result):
    """What a substitution command (pseudo-mono, pseudo-label) made: the output and manifest paths, the
    store resource id (None without recording), the lexicon resource ids used, how many lines were
    filtered out (None when the command does not filter), the translation table's entries, and the run's
    counts by name (sentences, tokens, words, replaced...; `*_share` values are fractions 0-1)."""

    output: str
    manifest: str
    resource_id: int | None
    lexicons: Sequence[int]
    filtered_lines: int | None
    entries: int
    counts: Mapping[str, Any]


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
    new = resources.NewResource(
        kind=kind, format=format, name=name, lang=lg, target_lang=tg, sources=(str(output),),
        sha256=file_sha256(output), options=dict(options or {}), notes=tuple(notes),
        parents=tuple(int(i) for i in derived_from),
    )
    with store.transaction():
        old = store.find_named(kind, name, lg.tag)
        if old is not None and old.source_path == os.path.abspath(output):
            resources.delete(store, old.id)
        rid = resources.insert(store, new)
        resources.finish(store, rid, n_read=n_read, n_stored=n_stored, n_rejected=0, notes=notes)
        if old is not None and old.source_path == os.path.abspath(output):
            resources.reuse_id(store, old.id, rid)
            rid = old.id
    return rid


def set_derived_from(store: Store, rid: int, parents: Sequence[int]) -> None:
    """Mark an imported resource (e.g. an induced lexicon) as derived from `parents`."""
    with store.transaction():
        resources.set_parents(store, rid, parents)


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
    filtered_lines: Sequence[int] | None = None,
) -> DerivedOutput:
    """The common end of a substitution command: its params, the sidecar manifest and (with `record`) the
    store row of `output`, translated from `src` to `tgt` (resolved Langs) with `table`. Returns the
    command's result dict; the manifest lists the lexicons used with their kind (imported/derived) and, for
    a line-aligned output, `filtered_lines` (1-based input lines written empty). Params keep one key order:
    src, tgt, params_before, options, params_after,
    lexicons (the manifest signature depends on them)."""
    from lexres.provenance import write_manifest

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
        lexicons=[store.resource(r).usage() for r in table.resource_ids],
        filtered_lines=filtered_lines,
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
    return DerivedOutput(
        output=str(output),
        manifest=str(manifest),
        resource_id=rid,
        lexicons=list(table.resource_ids),
        filtered_lines=None if filtered_lines is None else len(filtered_lines),
        entries=len(table),
        counts=dict(counts),
    )
