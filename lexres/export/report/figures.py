"""The report's figures as PNG, drawn with matplotlib's Agg canvas (no pyplot, no global backend switch), each
with the numbers it shows written beside it as JSON. matplotlib is the optional extra `report`.

Drawing is kept cheap, since a report of a few hundred languages draws a few hundred figures: fixed margins
(no layout engine, no tight bounding box), the title placed by hand (matplotlib's automatic title placement
measures every tick label), category names drawn as plain texts beside the rows rather than as one tick
each (a tick is five artists, and costs more than its label), no number axis where every bar carries its
value, a few fixed chapter ticks on the heat maps. With matplotlib 3.11 each glyph is shaped and rendered
one by one (~0.1-0.2 ms), so what remains is mostly the labels themselves."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from lexres.errors import require
from lexres.store.report import BibleSummary

DPI = 100


def _figure(
    width: float,
    height: float,
    *,
    left: float = 0.7,
    right: float = 0.25,
    top: float = 0.45,
    bottom: float = 0.55,
):
    """A figure with fixed margins in inches (a layout engine costs more than the drawing itself)."""
    require("matplotlib", "report")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )
    return fig


def _row_labels(fig, ax, labels: Sequence[str], size: float) -> None:
    """Name row i (at y = i in data units) with labels[i], right-aligned left of the axes, as plain texts;
    the y axis gets no ticks."""
    from matplotlib.ticker import NullLocator
    from matplotlib.transforms import ScaledTranslation

    ax.yaxis.set_major_locator(NullLocator())
    where = ax.get_yaxis_transform() + ScaledTranslation(-3 / 72, 0, fig.dpi_scale_trans)
    for i, label in enumerate(labels):
        ax.text(0, i, label, transform=where, ha="right", va="center_baseline", fontsize=size)


def _title(ax, text: str, size: float) -> None:
    """The title just above the axes, placed by hand: automatic placement measures every tick label."""
    ax.set_title(text, fontsize=size, y=1.0, pad=5)


def _label_inches(labels: Sequence[str], size: float) -> float:
    """Room for tick labels of `size` points: about 0.6 em a character, plus a little."""
    longest = max((len(t) for t in labels), default=1)
    return 0.15 + longest * size * 0.6 / 72


def _save(fig, png: Path, data: dict) -> None:
    """Write the PNG and its JSON (`<name>.json` beside it); the PNG carries no timestamp, so reruns on the
    same store give the same bytes."""
    fig.savefig(png, format="png", metadata={"Software": None})
    png.with_suffix(".json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def bars(
    png: Path,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    xlabel: str,
    data: dict | None = None,
) -> None:
    """Horizontal bars, one per label, in the order given (first at the top), each with its value written
    at its end (so there is no number axis; `xlabel` names the unit below the bars)."""
    from matplotlib.ticker import NullLocator
    from matplotlib.transforms import ScaledTranslation

    fig = _figure(
        7.5, max(1.4, 0.32 * len(labels) + 0.8), left=_label_inches(labels, 8), right=0.5, bottom=0.35
    )
    ax = fig.add_subplot()
    ax.barh(range(len(labels)), values, color="#3a6ea5")
    _row_labels(fig, ax, labels, 8)
    ax.set_ylim(len(labels) - 0.4, -0.6)  # first row at the top, no empty rows around
    ax.xaxis.set_major_locator(NullLocator())
    ax.set_xlabel(xlabel, fontsize=8, labelpad=3)
    _title(ax, title, 10)
    beside = ax.transData + ScaledTranslation(3 / 72, 0, fig.dpi_scale_trans)
    for i, v in enumerate(values):
        text = f"{v:,.0f}" if float(v).is_integer() else f"{v:.2f}"
        ax.text(v, i, text, transform=beside, va="center_baseline", fontsize=7)
    ax.margins(x=0.15)
    _save(
        fig, png, data or {"title": title, "xlabel": xlabel, "labels": list(labels), "values": list(values)}
    )


def histogram(png: Path, title: str, counts: dict[int, int], *, xlabel: str, ylabel: str) -> None:
    """Bars of a discrete distribution (value -> how many), e.g. paradigm sizes."""
    fig = _figure(7.5, 2.8)
    ax = fig.add_subplot()
    xs = sorted(counts)
    ax.bar(xs, [counts[x] for x in xs], width=0.8, color="#3a6ea5")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _title(ax, title, 10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if len(xs) <= 30:
        ax.set_xticks(xs, labels=[str(x) for x in xs], fontsize=7)
    _save(
        fig,
        png,
        {"title": title, "xlabel": xlabel, "ylabel": ylabel, "counts": {str(x): counts[x] for x in xs}},
    )


def _chapter_ticks(width: int) -> tuple[list[int], list[str]]:
    """Column positions and labels of the chapter axis of `width` chapters: chapter 1, then every 5th or
    10th chapter (at most ~16 ticks; every chapter up to 10)."""
    step = 1 if width <= 10 else 5 if width <= 40 else 10 * math.ceil(width / 160)
    chapters = [1, *range(step, width + 1, step)] if step > 1 else list(range(1, width + 1))
    return [c - 1 for c in chapters], [str(c) for c in chapters]


def coverage_heatmap(png: Path, summary: BibleSummary) -> None:
    """Books x chapters of the org versification, coloured by the share (0-1) of each chapter's verses the
    translation covers; chapters a book does not have are blank."""
    import numpy as np

    order = list(dict.fromkeys(c.book for c in summary.chapters))
    row = {book: i for i, book in enumerate(order)}
    width = max((c.chapter for c in summary.chapters), default=1)
    grid = np.full((len(order), width), np.nan)
    for c in summary.chapters:
        grid[row[c.book], c.chapter - 1] = c.present / c.expected if c.expected else 0.0
    fig = _figure(
        min(12.0, max(7.5, 2.5 + 0.1 * width)), 1.3 + 0.19 * len(order), left=0.55, right=1.0, top=0.6
    )
    ax = fig.add_subplot()
    mapped = ax.imshow(grid, aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest")
    _row_labels(fig, ax, order, 6)
    ax.set_xticks(*_chapter_ticks(width), fontsize=6)
    ax.set_xlabel("chapter")
    _title(
        ax,
        f"#{summary.resource_id} {summary.name}: share of each chapter's verses present\n"
        f"{summary.covered:,} of {summary.expected:,} org verses of {'+'.join(summary.testaments)}",
        9,
    )
    fig.colorbar(
        mapped,
        cax=fig.add_axes((1 - 0.8 / fig.get_figwidth(), 0.2, 0.15 / fig.get_figwidth(), 0.6)),
        ticks=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    )
    _save(
        fig,
        png,
        {
            "title": "Bible coverage by book and chapter",
            "resource": summary.resource_id,
            "name": summary.name,
            "scheme": "org",
            "translation_scheme": summary.scheme,
            "chapters": [c.to_dict() for c in summary.chapters],
        },
    )
