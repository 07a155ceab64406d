"""Export a language pair's lexicon as MUSE-style TSV or Parquet, written atomically with a manifest."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lexres.errors import NotFoundError, OptionError
from lexres.langs import resolve
from lexres.outputs import atomic_output, atomic_path
from lexres.provenance import write_manifest
from lexres.store import Store
from lexres.store.lexicon import dictionary, pair_resources


def export_pairs(store: Store, src: str, tgt: str, out: str | Path, *, to: str = "muse",
                 resources: Sequence[int] | None = None, force: bool = False) -> int:
    """Write every src->tgt pair (both stored directions) as MUSE-style `src<TAB>tgt` lines, or as Parquet
    (src_word, tgt_word, weight); a manifest records the resources used. Returns the number of pairs."""
    if to not in ("muse", "parquet"):
        raise OptionError(f"--to must be muse or parquet, not `{to}`")
    ids = list(resources) if resources else pair_resources(store, src, tgt)  # imported ones by default
    pairs = [(s, t, w) for s, ts in sorted(dictionary(store, src, tgt, resources=ids).items())
             for t, w in ts]
    if not pairs:
        raise NotFoundError(f"no {src}-{tgt} pairs in the store")
    out = Path(out)
    if to == "muse":
        with atomic_output(out, force=force, newline="\n") as fh:
            for s, t, _ in pairs:
                fh.write(f"{s}\t{t}\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        with atomic_path(out, force=force) as tmp:
            pq.write_table(pa.table({"src_word": [p[0] for p in pairs], "tgt_word": [p[1] for p in pairs],
                                     "weight": [p[2] for p in pairs]}), tmp)
    used = [store.resource(r) for r in ids]
    hashes = {f"resource:{r.id}": r.sha256 for r in used}
    write_manifest(out, "lexicon export", input_hashes=hashes, lexicons=[r.usage() for r in used],
                   params={"src": resolve(src).tag, "tgt": resolve(tgt).tag, "to": to},
                   counts={"pairs": len(pairs), "source_words": len({p[0] for p in pairs})})
    return len(pairs)
