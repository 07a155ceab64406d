"""Writing an N-way verse alignment (lexres.store.multialign) as one wide table: `org_ref`, then for every
translation its text and its own reference (`<label>` and `<label>:ref`), one row per aligned verse (or
joined verse range). TSV leaves a missing cell empty (its `:ref` column tells an empty verse from a missing
one); Parquet writes nulls. Written atomically with a manifest (lexres.outputs, lexres.provenance)."""

from __future__ import annotations

from pathlib import Path

from lexres.errors import OptionError
from lexres.outputs import atomic_output, atomic_path, check_destination
from lexres.provenance import write_manifest
from lexres.store.multialign import MultiAlignment

FORMATS = ("tsv", "parquet")


def labels(result: MultiAlignment) -> list[str]:
    """Column labels of the translations: their variety tags, with `#<id>` added where a tag repeats."""
    tags = [r.variety for r in result.translations]
    return [
        t if tags.count(t) == 1 else f"{t}#{r.id}" for t, r in zip(tags, result.translations, strict=True)
    ]


def columns(result: MultiAlignment) -> list[str]:
    """The header: org_ref, the text columns, then the reference columns."""
    names = labels(result)
    return ["org_ref", *names, *(f"{n}:ref" for n in names)]


def _clean(text: str | None) -> str:
    return "" if text is None else text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_multialign(
    result: MultiAlignment, out: str | Path, fmt: str = "tsv", *, force: bool = False
) -> Path:
    """Write the matrix to `out` as TSV (plain: no quoting, tabs and line breaks inside a verse folded to a
    space) or Parquet, then its manifest (input Bible hashes, coverage). Returns `out`.

    Raises OptionError (unknown format, a destination lexres may not replace)."""
    if fmt not in FORMATS:
        raise OptionError(f"unknown format `{fmt}`", hint=f"one of: {', '.join(FORMATS)}")
    out = check_destination(Path(out), force=force)
    header = columns(result)
    if fmt == "tsv":
        with atomic_output(out, force=force, newline="") as fh:
            fh.write("\t".join(header) + "\n")
            for row in result.rows:
                fh.write(
                    "\t".join([row.org_ref, *map(_clean, row.texts), *(r or "" for r in row.refs)]) + "\n"
                )
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        n = len(result.translations)
        data = {"org_ref": [row.org_ref for row in result.rows]}
        for t, name in enumerate(header[1 : 1 + n]):
            data[name] = [row.texts[t] for row in result.rows]
        for t, name in enumerate(header[1 + n :]):
            data[name] = [row.refs[t] for row in result.rows]
        table = pa.table({k: pa.array(v, type=pa.string()) for k, v in data.items()})
        with atomic_path(out, force=force) as tmp:
            pq.write_table(table, tmp)
    write_manifest(
        out,
        "batch align-many",
        input_hashes={f"bible#{r.id}": r.sha256 for r in result.translations},
        params={
            "translations": ",".join(str(r.id) for r in result.translations),
            "format": fmt,
            "scheme": "org",
        },
        counts=result.summary(),
        outputs={"output": out},
    )
    return out
