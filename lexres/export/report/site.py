"""Write the report site: `index.html`, one `<code>.html` per language, the figures as PNG under `fig/` each
with its numbers as JSON, every page's numbers under `data/`, and `manifest.json`. The whole directory is
written atomically (lexres.outputs.atomic_dir): a failed run leaves the previous report, or none."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lexres.errors import NotFoundError, require
from lexres.export.report import figures
from lexres.export.report.collect import CoverageCache, LanguageReport, language_report
from lexres.export.report.html import FigureRef, index_page, language_page
from lexres.langs import resolve
from lexres.outputs import atomic_dir, check_destination
from lexres.provenance import write_manifest
from lexres.records import Result
from lexres.store import Store


@dataclass(frozen=True)
class ReportResult(Result):
    """What `write_report` wrote: the site folder, the languages (ISO 639-3), pages, figures and seconds."""

    out: str
    languages: tuple[str, ...]
    pages: int
    figures: int
    seconds: float
    manifest: str


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def draw(rep: LanguageReport, root: Path) -> list[FigureRef]:
    """Draw the figures of one language page under `root/fig/`; returns them in page order."""
    out: list[FigureRef] = []

    def ref(section: str, stem: str, caption: str) -> tuple[Path, FigureRef]:
        rel = f"fig/{rep.code}-{stem}.png"
        out.append(FigureRef(section, caption, rel, rel[:-4] + ".json"))
        return root / rel, out[-1]

    m = rep.morph
    if m is not None and m.paradigm_sizes:
        png, f = ref("morph", "paradigms", "Paradigm sizes: distinct feature bundles with a form, per lemma")
        figures.histogram(png, f.caption, m.paradigm_sizes, xlabel="cells per lemma", ylabel="lemmas")
    if m is not None and m.dimensions:
        png, f = ref("morph", "dimensions", "UniMorph dimensions used: entries with a tag of each dimension")
        figures.bars(png, f.caption, list(m.dimensions), list(m.dimensions.values()), xlabel="entries")
    if rep.bibles:
        png, f = ref("bible", "verses", "Verses stored per translation")
        labels = [f"#{b.resource_id} {_short(b.name)}" for b in rep.bibles]
        figures.bars(
            png,
            f.caption,
            labels,
            [b.verses for b in rep.bibles],
            xlabel="verses",
            data={
                "title": f.caption,
                "translations": [
                    {
                        "resource": b.resource_id,
                        "name": b.name,
                        "verses": b.verses,
                        "covered": b.covered,
                        "expected": b.expected,
                        "missing": len(b.missing),
                    }
                    for b in rep.bibles
                ],
            },
        )
        for b in rep.bibles:
            png, f = ref(
                "bible",
                f"bible-{b.resource_id}",
                f"Coverage of #{b.resource_id} {b.name} by book and chapter (org versification)",
            )
            figures.coverage_heatmap(png, b)
    if rep.lexicons:
        png, f = ref("lexicon", "lexicons", "Lexicon sizes: pairs per resource and direction")
        labels = [
            f"#{s.resource_id} {_short(s.name, 30)} ({rep.code}→{s.partner})"
            if s.direction == "from"
            else f"#{s.resource_id} {_short(s.name, 30)} ({s.partner}→{rep.code})"
            for s in rep.lexicons
        ]
        figures.bars(
            png,
            f.caption,
            labels,
            [s.pairs for s in rep.lexicons],
            xlabel="pairs",
            data={"title": f.caption, "lexicons": [s.to_dict() for s in rep.lexicons]},
        )
    return out


def _row(rep: LanguageReport) -> dict:
    return {
        "code": rep.code,
        "name": rep.name,
        "scope": rep.scope,
        "counts": {c.kind: {"resources": c.resources, "entries": c.entries} for c in rep.counts},
        "scripts": [s.script for s in rep.scripts],
        "ready": rep.readiness.ready,
        "readiness": rep.readiness.label,
        "page": f"{rep.code}.html",
    }


def report_languages(store: Store, langs: Sequence[str] | None) -> list[str]:
    """The ISO 639-3 codes to report: those given (validated, each once), else every language in the store.

    Raises LanguageError for a bad code, NotFoundError when there is nothing to report."""
    if langs:
        codes = list(dict.fromkeys(resolve(c).code for c in langs))
        empty = [c for c in codes if not store.language(c)["resources"]]
        if empty:
            raise NotFoundError(
                f"no resources in the store for {', '.join(empty)}",
                hint="see `lexres langs` for the languages the store holds",
            )
    else:
        codes = [r["code"] for r in store.languages()]
    if not codes:
        raise NotFoundError(
            "the store holds no resources, so there is nothing to report",
            hint="import something first (`lexres import ...`)",
        )
    return codes


def write_report(
    store: Store,
    out: str | Path,
    langs: Sequence[str] | None = None,
    *,
    force: bool = False,
    coverage: bool = True,
) -> ReportResult:
    """Write the report site for `langs` (default: every language in the store) to the folder `out`.

    Raises MissingExtraError without matplotlib (extra `report`), OptionError when `out` exists and was not
    written by lexres (unless `force`), LanguageError / NotFoundError for languages."""
    require("matplotlib", "report")
    started = time.perf_counter()
    out = check_destination(out, force=force, directory=True)
    codes = report_languages(store, langs)
    cache = CoverageCache()  # each Bible tokenised once for every page measuring it
    reports = [language_report(store, c, coverage=coverage, cache=cache) for c in codes]
    hashes = {f"resource:{r.id}": r.sha256 for rep in reports for r in rep.resources}
    n_figs = 0
    with atomic_dir(out, force=force) as tmp:
        (tmp / "fig").mkdir()
        (tmp / "data").mkdir()
        for rep in reports:
            figs = draw(rep, tmp)
            n_figs += len(figs)
            data = f"data/{rep.code}.json"
            _write_json(tmp / data, {**rep.to_dict(), "figures": [f.png for f in figs]})
            (tmp / f"{rep.code}.html").write_text(
                language_page(rep, figs, data, reported=codes), encoding="utf-8"
            )
        _write_json(tmp / "index.json", [_row(rep) for rep in reports])
        (tmp / "index.html").write_text(index_page(reports, []), encoding="utf-8")
        files = sorted(p for p in tmp.rglob("*") if p.is_file())
        manifest = write_manifest(
            tmp,
            "report",
            input_hashes=hashes,
            params={"languages": ",".join(codes), "coverage": coverage},
            counts={"languages": len(codes), "pages": len(codes) + 1, "figures": n_figs},
            outputs={str(p.relative_to(tmp)): p for p in files},
            path=tmp / "manifest.json",
        )
    return ReportResult(
        str(out),
        tuple(codes),
        len(codes) + 1,
        n_figs,
        round(time.perf_counter() - started, 3),
        str(out / manifest.name),
    )
