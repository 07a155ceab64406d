"""A paradigm as grids: the feature bundles of a lemma's forms laid out by UniMorph dimension, one table per
part of speech, as a grammar prints a conjugation or a declension; and `--features` filters on bundles.

Layout rule (`layout`), on the dimensions of the one bundle parser (lexres.features and its UniMorph schema):
1. The forms are grouped by their part-of-speech tag(s) (`V`, `V.PTCP`, `N`; none: one group `""`).
2. In a group, each bundle's top-level tags are sorted into dimensions (Tense, Person, Case, ...; tags of no
   known dimension form the dimension `other`). A dimension whose value is the same for every form is shared:
   it is listed once, above the table. A form without a tag of a dimension has the value `""` there.
3. Rows: Person x Number when person varies (a conjugation: `1 SG`, `2 SG`, `3 SG`, `1 PL`, ..., number
   first), otherwise the varying dimension with the most values (Case for most nouns; ties go to the earlier
   dimension of the schema). Columns: every other varying dimension, in schema order, one column per
   combination that occurs (`IND PST`, `SBJV PRS`, ...). Values sort in schema order, unmarked (`""`) first.
4. A cell holds every form whose bundle falls there (spelling variants, or one per resource)."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lexres.errors import OptionError, ParseError
from lexres.features import Tag, parse_tags, schema

POS = "Part of Speech"
OTHER = "other"
ROW_PAIR = ("Person", "Number")
_ALIASES = {"pos": POS, "gender": "Gender and Noun Class", "class": "Gender and Noun Class",
            "nounclass": "Gender and Noun Class", "argument": "Argument Marking", "other": OTHER}


@dataclass(frozen=True, slots=True)
class Grid:
    """One table of a paradigm: its part of speech, the tags all its forms share, the row and column
    dimensions, the row and column labels (one value per dimension, `""` = unmarked) and, per row and column,
    the indexes (into the bundles given to `layout`) of the forms in that cell."""

    pos: str
    shared: tuple[str, ...]
    row_dims: tuple[str, ...]
    col_dims: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    cols: tuple[tuple[str, ...], ...]
    cells: tuple[tuple[tuple[int, ...], ...], ...]

    def row_label(self, i: int) -> str:
        """Row `i` as printed: its values joined by spaces (`1 SG`); `-` for an all-unmarked row."""
        return _label(self.rows[i])

    def col_label(self, j: int) -> str:
        """Column `j` as printed (`IND PST`); `form` when the table has a single column."""
        return _label(self.cols[j]) if self.col_dims else "form"

    def to_dict(self, forms: Sequence[str | None]) -> dict:
        """JSON view with the forms (`forms[i]` for index i; None for a covered entry) in the cells."""
        return {"pos": self.pos, "shared": list(self.shared), "row_dimensions": list(self.row_dims),
                "column_dimensions": list(self.col_dims), "rows": [list(r) for r in self.rows],
                "columns": [list(c) for c in self.cols],
                "cells": [[[forms[i] for i in cell] for cell in row] for row in self.cells]}


def _label(values: tuple[str, ...]) -> str:
    return " ".join(v for v in values if v) or "-"


def _tags(features: Sequence[str]) -> tuple[Tag, ...] | None:
    try:
        return parse_tags(";".join(features))
    except ParseError:  # stored by a caller that bypassed the readers: the bundle stays one value
        return None


def _dimensions(features: Sequence[str]) -> dict[str, str]:
    """Dimension -> value (tags of one dimension in schema order, joined by `;`) of one bundle."""
    tags = _tags(features)
    if tags is None:
        return {OTHER: ";".join(features)}
    sch = schema()
    by_dim: dict[str, list[Tag]] = {}
    for t in tags:
        by_dim.setdefault(sch.dimension(t.name) or OTHER, []).append(t)
    return {d: ";".join(str(t) for t in sorted(ts, key=sch.sort_key)) for d, ts in by_dim.items()}


def _value_key(value: str) -> tuple:
    """Sort key of a dimension value: unmarked first, then by the schema order of its tags."""
    if not value:
        return ()
    tags = _tags([value])
    sch = schema()
    return tuple(sch.sort_key(t) for t in tags) if tags else ((1 << 30, 0, value, value),)


def _dim_rank(dim: str) -> int:
    dims = schema().dimensions
    return dims.index(dim) if dim in dims else len(dims)


def layout(bundles: Sequence[Sequence[str]]) -> tuple[Grid, ...]:
    """The grids of a paradigm (see the module docstring for the rule): one per part of speech, in schema
    order of the part-of-speech tags. `bundles[i]` is the top-level tags of form i as stored
    (`("V", "PST", "3", "SG")`); cells refer to forms by that index. Never raises: a bundle that does not
    parse is one value of the dimension `other`."""
    dims_of = [_dimensions(b) for b in bundles]
    groups: dict[str, list[int]] = {}
    for i, dims in enumerate(dims_of):
        groups.setdefault(dims.get(POS, ""), []).append(i)
    out = []
    for pos in sorted(groups, key=lambda p: (not p, _value_key(p))):
        out.append(_grid(pos, groups[pos], dims_of))
    return tuple(out)


def _grid(pos: str, members: list[int], dims_of: list[dict[str, str]]) -> Grid:
    names = sorted({d for i in members for d in dims_of[i] if d != POS}, key=lambda d: (_dim_rank(d), d))
    values = {d: {dims_of[i].get(d, "") for i in members} for d in names}
    varying = [d for d in names if len(values[d]) > 1]
    shared = tuple(t for d in names if d not in varying for t in sorted(values[d]) if t)
    if "Person" in varying:
        row_dims = tuple(d for d in ROW_PAIR if d in varying)
    elif varying:
        row_dims = (max(varying, key=lambda d: (len(values[d]), -_dim_rank(d))),)
    else:
        row_dims = ()
    col_dims = tuple(d for d in varying if d not in row_dims)
    # rows: number before person when both are there (1SG 2SG 3SG 1PL ...), the labels keep person first
    order = sorted(range(len(row_dims)), key=lambda k: row_dims[k] != "Number")
    rows = sorted({tuple(dims_of[i].get(d, "") for d in row_dims) for i in members},
                  key=lambda r: tuple(_value_key(r[k]) for k in order))
    cols = sorted({tuple(dims_of[i].get(d, "") for d in col_dims) for i in members},
                  key=lambda c: tuple(_value_key(v) for v in c))
    where: dict[tuple, list[int]] = {}
    for i in members:
        key = (tuple(dims_of[i].get(d, "") for d in row_dims), tuple(dims_of[i].get(d, "") for d in col_dims))
        where.setdefault(key, []).append(i)
    cells = tuple(tuple(tuple(where.get((r, c), ())) for c in cols) for r in rows)
    return Grid(pos, shared, row_dims, col_dims, tuple(rows), tuple(cols), cells)


def tags_in(bundles: Iterable[Sequence[str]]) -> set[str]:
    """Every tag of the bundles: the top-level tags as stored and each simple tag inside them (layered
    arguments and compound parts), e.g. {`NOM(3,SG)`, `NOM`, `3`, `SG`}; a bundle that does not parse adds
    its tags as stored."""
    out: set[str] = set()
    for features in bundles:
        out.update(features)
        tags = _tags(features)
        if tags is not None:
            out.update(a for t in tags for a in t.atoms())
    return out


# -- --features filters ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FeatureFilter:
    """Tags a bundle must all contain (`--features PST,3`, `--features tense=PST`): simple tags, matched
    against every tag of a bundle, layered arguments and compound parts included (`3` is in `NOM(3,SG)`,
    `PST` in `PST+RMT`), or a whole top-level tag as written (`NOM(3,SG)`)."""

    tags: tuple[str, ...]

    def matches(self, features: Sequence[str]) -> bool:
        """Whether the bundle (top-level tags as stored) contains every tag of the filter."""
        have = tags_in([features])
        return all(t in have for t in self.tags)

    def __str__(self) -> str:
        return ",".join(self.tags)


def _top_terms(item: str) -> list[str]:
    """`item` cut at every `,` or `;` outside parentheses, in one pass (a regex look-ahead for the closing
    parenthesis made a long argument quadratic)."""
    terms, depth, start = [], 0, 0
    for i, ch in enumerate(item):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ",;" and depth == 0:
            terms.append(item[start:i])
            start = i + 1
    terms.append(item[start:])
    return terms


def _dimension_named(name: str) -> str:
    sch = schema()
    dims = [*sch.dimensions, OTHER]
    squash = {re.sub(r"[^a-z]", "", d.lower()): d for d in dims}
    key = re.sub(r"[^a-z]", "", name.lower())
    if key in _ALIASES:
        return _ALIASES[key]
    if key in squash:
        return squash[key]
    starts = [d for k, d in squash.items() if key and k.startswith(key)]
    if len(starts) == 1:
        return starts[0]
    close = difflib.get_close_matches(name.lower(), [d.lower() for d in dims], n=3, cutoff=0.5)
    hint = (f"did you mean {', '.join(f'`{c}`' for c in close)}?" if close
            else "dimensions: " + ", ".join(d.lower() for d in dims))
    raise OptionError(f"--features: unknown dimension `{name}`", hint=hint)


def parse_filter(items: Iterable[str], known: Iterable[str] = ()) -> FeatureFilter:
    """The filter of `--features` values: each is a list of terms separated by `,` or `;` (outside
    parentheses), a term is `TAG` or `DIMENSION=TAG` (dimension names case-insensitive, `pos` for part of
    speech). Tags are matched case-insensitively against the UniMorph schema and the `known` tags (those
    of the stored bundles, for language-specific ones such as BANTU1 or LGSPEC1) and kept as spelled there.

    Raises OptionError (exit 2) for an empty term, an unknown tag or dimension (with the closest known ones
    as a did-you-mean hint), or a tag of another dimension than the one named."""
    sch = schema()
    spelled = {t.lower(): t for t in sch.tags}
    spelled.update({t.lower(): t for t in known})
    out: list[str] = []
    for item in items:
        for term in _top_terms(item):
            term = term.strip()
            if not term:
                raise OptionError(f"--features: empty term in `{item}`", hint="e.g. --features PST,3")
            dim = None
            if "=" in term:
                name, term = (x.strip() for x in term.split("=", 1))
                dim = _dimension_named(name)
            try:
                tags = parse_tags(term)
            except ParseError as exc:
                raise OptionError(f"--features: `{term}` is not a tag ({exc.reason})",
                                  hint="e.g. --features PST,3 or --features tense=PST") from exc
            if len(tags) != 1:
                raise OptionError(f"--features: `{term}` is more than one tag", hint="separate tags with `,`")
            whole = _spell(tags[0], spelled)
            if dim is not None:
                got = sch.dimension(parse_tags(whole)[0].name) or OTHER
                if got != dim:
                    raise OptionError(f"--features: `{whole}` is a tag of {got}, not of {dim}",
                                      hint=f"write {got.lower()}={whole}, or just {whole}")
            out.append(whole)
    return FeatureFilter(tuple(dict.fromkeys(out)))


def _spell(tag: Tag, spelled: dict[str, str]) -> str:
    """The tag as the schema (or the store) spells it; raises OptionError with a did-you-mean hint when
    one of its simple tags is unknown."""
    for atom in tag.atoms():
        if atom.lower() not in spelled:
            close = difflib.get_close_matches(atom.upper(), sorted(set(spelled.values())), n=3, cutoff=0.5)
            hint = (f"did you mean {', '.join(f'`{c}`' for c in close)}?" if close
                    else "see `lexres morph stats LANG` for the tags in the store")
            raise OptionError(f"--features: unknown feature `{atom}` (not a UniMorph tag, nor one of these "
                              "forms)", hint=hint)
    text = str(tag)
    return re.sub(r"[^;,()+/]+", lambda m: spelled.get(m.group(0).lower(), m.group(0)), text)
