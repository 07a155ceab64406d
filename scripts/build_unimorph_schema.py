"""Build `unimorph_schema.tsv` (dimension, tag) from the UniMorph tag inventory `tags.yaml`
(unimorph/um-canonicalize, UniMorph 3.0 dimensions). Run once when the inventory changes:

    python loaders/data/build_unimorph_schema.py PATH/TO/tags.yaml > loaders/data/unimorph_schema.tsv

Row order is meaningful: dimensions appear in the canonical order given by the inventory's
`ordering:` list (part of speech first), tags within a dimension in the inventory's order. The YAML is a plain
two-level mapping, so it is read line by line here rather than adding a YAML dependency."""
from __future__ import annotations

import sys


def read_inventory(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """(dimension -> tags, canonical dimension order) from the two top-level sections."""
    dims: dict[str, list[str]] = {}
    ordering: list[str] = []
    section = current = None
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        body = line.strip()
        if not line.startswith(" "):  # a top-level key
            section, current = body.rstrip(":"), None
        elif body.startswith("- "):
            value = body[2:].strip().strip("'\"")
            if section == "ordering":
                ordering.append(value)
            elif current is None:
                raise ValueError(f"tag outside a dimension: {raw!r}")
            else:
                dims[current].append(value)
        elif body.endswith(":") and section == "categories":
            current = body[:-1].strip().strip("'\"")
            dims[current] = []
    return dims, ordering


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        dims, ordering = read_inventory(fh.read())
    order = [d for d in ordering if d in dims] + [d for d in dims if d not in ordering]
    out = sys.stdout
    out.write("dimension\ttag\n")
    for dim in order:
        for tag in dims[dim]:
            out.write(f"{dim}\t{tag}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
