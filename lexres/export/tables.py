"""Export entries: to a pandas DataFrame, to TSV, and to Parquet partitioned by language (`lang=xxx/`)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from lexres.errors import NotFoundError
from lexres.store import Store, entries


def iter_rows(
    store: Store, kind: str | None = None, *, resource: int | None = None, lang: str | None = None
) -> Iterator[dict]:
    """Stream entries as dicts (column name -> value)."""
    _, cur = entries.select(store, kind, resource, lang)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def dataframe(store: Store, kind: str | None = None, *, resource: int | None = None, lang: str | None = None):
    """Entries as a pandas DataFrame; strings stay strings (`NA`, `null` are words, not missing values)."""
    import pandas as pd

    kind, cur = entries.select(store, kind, resource, lang)
    names = [d[0] for d in cur.description]
    return pd.DataFrame.from_records(cur.fetchall(), columns=names)


def _clean(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # A TAB or newline inside a value would break the row; fold it (verse text may carry either).
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ") if isinstance(value, str) else text


def _first_row(cur):
    """The first row of a cursor, or NotFoundError: an empty selection writes nothing (an existing output
    stays as it was)."""
    row = cur.fetchone()
    if row is None:
        raise NotFoundError("nothing to export for this selection",
                            hint="check --kind, --lang and --resource (see `lexres list`); "
                            "nothing was written")
    return row


def _manifest(store: Store, out: Path, command: str, kind: str, resource, lang, used: set[int], counts: dict,
              path: Path | None = None) -> Path:
    from lexres.provenance import write_manifest

    hashes = {f"resource:{rid}": store.resource(rid).sha256 for rid in sorted(used)}
    return write_manifest(out, command, input_hashes=hashes, path=path,
                          params={"kind": kind, "resource": resource, "lang": lang}, counts=counts)


def export_tsv(
    store: Store,
    out: str | Path,
    kind: str | None = None,
    *,
    resource: int | None = None,
    lang: str | None = None,
    force: bool = False,
) -> int:
    """Write entries as TSV with a header row, atomically, with a manifest; returns the number of rows.

    Raises NotFoundError when the selection is empty (nothing is written; an existing file is untouched),
    OptionError for a destination lexres may not replace (see `lexres.outputs.check_destination`)."""
    from lexres.outputs import atomic_output, check_destination

    out = Path(out)
    kind, cur = entries.select(store, kind, resource, lang)
    names = [d[0] for d in cur.description]
    first = _first_row(cur)
    check_destination(out, force=force)
    rid_at = names.index("resource_id")
    used: set[int] = set()
    n = 0
    with atomic_output(out, force=force, newline="") as fh:
        w = csv.writer(
            fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n", quotechar=None
        )
        w.writerow(names)
        for row in _chain(first, cur):
            w.writerow([_clean(v) for v in row])
            used.add(row[rid_at])
            n += 1
    _manifest(store, out, "export", kind, resource, lang, used, {"rows": n})
    return n


def _chain(first, cur):
    yield first
    yield from cur


def export_parquet(
    store: Store,
    out_dir: str | Path,
    kind: str | None = None,
    *,
    resource: int | None = None,
    lang: str | None = None,
    batch_rows: int = 200_000,
    force: bool = False,
) -> dict[str, int]:
    """Write entries as Parquet under `out_dir/lang=xxx/part-N.parquet` with `out_dir/_manifest.json`
    (Parquet readers skip `_` files); the directory is built beside `out_dir` and renamed into place.
    Returns rows per language.

    Raises NotFoundError when the selection is empty (nothing is written), OptionError for a destination
    lexres may not replace."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lexres.outputs import DATASET_MANIFEST, atomic_dir, check_destination

    kind, cur = entries.select(store, kind, resource, lang)
    out_dir = Path(out_dir)
    names = [d[0] for d in cur.description]
    first = _first_row(cur)
    check_destination(out_dir, force=force, directory=True)
    rid_at = names.index("resource_id")
    counts: dict[str, int] = {}
    parts: dict[str, int] = {}
    used: set[int] = set()
    with atomic_dir(out_dir, force=force) as tmp:
        pending = [first]
        while True:
            rows = pending + cur.fetchmany(batch_rows)
            pending = []
            if not rows:
                break
            by_lang: dict[str, list] = {}
            for row in rows:
                by_lang.setdefault(row[0], []).append(row)
                used.add(row[rid_at])
            for code, group in by_lang.items():
                cols = {name: [r[i] for r in group] for i, name in enumerate(names) if name != "lang"}
                target = tmp / f"lang={code}"
                target.mkdir(parents=True, exist_ok=True)
                part = parts.get(code, 0)
                pq.write_table(pa.table(cols), target / f"part-{part}.parquet")
                parts[code] = part + 1
                counts[code] = counts.get(code, 0) + len(group)
        _manifest(store, out_dir, "export --to parquet", kind, resource, lang, used,
                  {"rows": sum(counts.values()), "rows_per_lang": counts}, path=tmp / DATASET_MANIFEST)
    return counts
