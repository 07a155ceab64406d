"""The report's figures as PNG, drawn with matplotlib's Agg canvas (no pyplot, no global backend switch), each
with the numbers it shows written beside it as JSON. matplotlib is the optional extra `report`."""

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
    """Horizontal bars, one per label, in the order given (first at the top)."""
    fig = _figure(7.5, max(1.6, 0.32 * len(labels) + 1.0), left=_label_inches(labels, 8), right=0.5)
    ax = fig.add_subplot()
    ax.barh(range(len(labels)), values, color="#3a6ea5")
    ax.set_yticks(range(len(labels)), labels=list(labels), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    for i, v in enumerate(values):
        ax.annotate(
            f"{v:,.0f}" if float(v).is_integer() else f"{v:.2f}",
            (v, i),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
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
    ax.set_title(title, fontsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if len(xs) <= 30:
        ax.set_xticks(xs, labels=[str(x) for x in xs], fontsize=7)
    _save(
        fig,
        png,
        {"title": title, "xlabel": xlabel, "ylabel": ylabel, "counts": {str(x): counts[x] for x in xs}},
    )


def coverage_heatmap(png: Path, summary: BibleSummary) -> None:
    """Books x chapters of the org versification, coloured by the share (0-1) of each chapter's verses the
    translation covers; chapters a book does not have are blank."""
    import numpy as np

    order: list[str] = []
    for c in summary.chapters:
        if c.book not in order:
            order.append(c.book)
    width = max((c.chapter for c in summary.chapters), default=1)
    grid = np.full((len(order), width), np.nan)
    for c in summary.chapters:
        grid[order.index(c.book), c.chapter - 1] = c.present / c.expected if c.expected else 0.0
    fig = _figure(
        min(12.0, max(7.5, 2.5 + 0.1 * width)), 1.3 + 0.19 * len(order), left=0.55, right=1.0, top=0.6
    )
    ax = fig.add_subplot()
    mapped = ax.imshow(grid, aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_yticks(range(len(order)), labels=order, fontsize=6)
    step = max(1, math.ceil(width / 30))
    ax.set_xticks(range(0, width, step), labels=[str(i + 1) for i in range(0, width, step)], fontsize=6)
    ax.set_xlabel("chapter")
    ax.set_title(
        f"#{summary.resource_id} {summary.name}: share of each chapter's verses present\n"
        f"{summary.covered:,} of {summary.expected:,} org verses of {'+'.join(summary.testaments)}",
        fontsize=9,
    )
    fig.colorbar(
        mapped, cax=fig.add_axes((1 - 0.8 / fig.get_figwidth(), 0.2, 0.15 / fig.get_figwidth(), 0.6))
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
