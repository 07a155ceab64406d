"""Inflection task files on disk: read them through the morphology loader (same layout detection and
parsing as `lexres import morph`), write them in any year's column layout, convert between layouts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lexres.errors import OptionError, ParseError
from lexres.loaders.morph import common as morphio
from lexres.records import MorphEntry, Reject
from lexres.tasks.inflection.models import Example
from lexres.tasks.inflection.reports import ConvertReport

FULL_LAYOUTS = (morphio.LEMMA_FORM_FEATURES, morphio.LEMMA_FEATURES_FORM)
COVERED = morphio.LEMMA_FEATURES


@lru_cache(maxsize=1)
def years() -> dict:
    """The per-year layouts, file names and split defaults (tasks/data/inflection_layouts.json)."""
    text = files("lexres.tasks").joinpath("data/inflection_layouts.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def layout_of(name: str) -> str:
    """A layout from a year (`2023`) or a layout name (`lemma-features-form`, `lemma-features`)."""
    if name in years():
        return "-".join(years()[name]["columns"])
    if name in morphio.LAYOUTS:
        return name
    raise OptionError(
        f"unknown layout `{name}`",
        hint=f"use a year ({', '.join(years())}) or one of {', '.join(morphio.LAYOUTS)}",
    )


@dataclass(frozen=True, slots=True)
class TaskFile:
    """The rows of one task file and the column layout they were read in."""

    path: str
    layout: str
    rows: tuple[MorphEntry, ...]

    @property
    def covered(self) -> bool:
        """True for a covered file: test inputs without forms (`lemma<TAB>features`)."""
        return self.layout == COVERED

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        """The (lemma, features) inputs of every row, in file order."""
        return [(r.lemma, r.features) for r in self.rows]

    def examples(self) -> list[Example]:
        """Rows as training examples; every row needs a form."""
        out = []
        for r in self.rows:
            if r.form is None:
                raise ParseError(
                    self.path,
                    r.line,
                    "this line has no inflected form",
                    hint="training and gold files need lemma, form and features",
                )
            out.append(Example(r.lemma, r.features, r.form))
        return out


def read_task_file(path: str | Path, layout: str | None = None) -> TaskFile:
    """Read a whole task file; any malformed line is an error naming the file and line."""
    found: list[str] = []
    rows = []
    with open(path, "rb") as fh:
        for rec in morphio.read_lines(
            fh, str(path), morphio.check_layout(layout), on_layout=lambda lay, forced: found.append(lay)
        ):
            if isinstance(rec, Reject):
                raise ParseError(path, rec.line, rec.reason)
            rows.append(rec)
    return TaskFile(str(path), found[0] if found else (layout or COVERED), tuple(rows))


def format_line(lemma: str, features: Sequence[str], form: str | None, layout: str) -> str:
    """One task-file line in `layout`: `lemma features` (covered), `lemma form features` or `lemma features
    form` (SIGMORPHON 2023), tab-separated, features joined by `;`; a missing form is left empty."""
    feats = ";".join(features)
    if layout == COVERED:
        return f"{lemma}\t{feats}"
    form = form or ""
    return (
        f"{lemma}\t{form}\t{feats}" if layout == morphio.LEMMA_FORM_FEATURES else f"{lemma}\t{feats}\t{form}"
    )


def write_rows(path: str | Path, rows: Iterable[tuple[str, Sequence[str], str | None]], layout: str, *,
               force: bool = False) -> int:
    """Write (lemma, features, form) rows in `layout` (LF line ends, UTF-8) atomically through
    `lexres.outputs` (never through a symlink, never over a file lexres did not write unless `force`);
    returns the line count. Raises OptionError for a destination it may not replace."""
    from lexres.outputs import atomic_output

    n = 0
    with atomic_output(path, force=force, newline="\n") as fh:
        for lemma, feats, form in rows:
            fh.write(format_line(lemma, feats, form, layout) + "\n")
            n += 1
    return n


def convert(src: str | Path, dst: str | Path, to: str, *, layout: str | None = None,
            force: bool = False) -> ConvertReport:
    """Rewrite a task file in another layout (`to`: a year or a layout name); to `lemma-features` drops
    the forms. Converting covered lines to a full layout is an error (there are no forms to write)."""
    target = layout_of(to)
    tf = read_task_file(src, layout)
    if tf.covered and target != COVERED:
        raise OptionError(
            f"{src} holds covered lines (no forms), so it cannot become `{target}`",
            hint="convert it to `lemma-features`, or convert the gold file instead",
        )
    n = write_rows(dst, ((r.lemma, r.features, r.form) for r in tf.rows), target, force=force)
    return ConvertReport(tf.layout, target, n)
